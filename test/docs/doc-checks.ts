import { posix } from 'node:path';
import type { TrustedRole } from '../../src/doctor/trust-reader.js';

/**
 * Checks of the generated docs against the repository they describe. Each returns the problems it found (empty when
 * the docs are right), so tests can show both that the real docs pass and that a broken doc is caught.
 */

/** Rendered files by path. */
export type Files = ReadonlyMap<string, string>;

/** The markdown the docs component renders: `docs/**.md` and the repository's README. */
export const docPaths = (files: Files): string[] => [...files.keys()].filter((p) => p === 'README.md' || (p.startsWith('docs/') && p.endsWith('.md'))).sort();

const fence = /^```([\w-]*)\n([\s\S]*?)^```$/gm;

/** The fenced code blocks of a markdown text, with their language. */
export function codeBlocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(fence)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** Inline code spans outside fenced blocks. */
export function inlineCode(markdown: string): string[] {
  return [...markdown.replace(fence, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
}

/** The text a reader sees as prose: no fenced blocks, no inline code. */
const prose = (markdown: string) => markdown.replace(fence, '').replace(/`[^`\n]*`/g, '');

/** GitHub's heading anchors: lowercase, punctuation dropped (but `-` and `_`), each space a hyphen, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const m of markdown.replace(fence, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every `{{` or `}}` left in rendered docs is a template expression that did not render. */
export function unrenderedProblems(files: Files): string[] {
  return docPaths(files).flatMap((path) =>
    files
      .get(path)!
      .split('\n')
      .flatMap((line, i) => (/\{\{|\}\}/.test(line) ? [`${path}:${i + 1}: unrendered template text: ${line.trim()}`] : [])),
  );
}

/** Relative links must name a rendered file or folder, and `#anchors` a heading of the target. */
export function linkProblems(files: Files): string[] {
  const paths = [...files.keys()];
  const problems: string[] = [];
  for (const path of docPaths(files)) {
    const text = files.get(path)!;
    for (const m of prose(text).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#', 2) as [string, string | undefined];
      const resolved = file === '' ? path : posix.normalize(posix.join(posix.dirname(path), file));
      const exists = files.has(resolved) || paths.some((p) => p.startsWith(`${resolved.replace(/\/$/, '')}/`));
      if (!exists || resolved.startsWith('..')) {
        problems.push(`${path}: link ${target} names ${resolved}, which is not rendered`);
        continue;
      }
      if (anchor !== undefined) {
        if (!resolved.endsWith('.md')) problems.push(`${path}: link ${target} has an anchor into a file that is not markdown`);
        else if (!headingAnchors(files.get(resolved)!).has(anchor)) problems.push(`${path}: link ${target}: ${resolved} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}

const nodeShape = /^([A-Za-z][\w-]*)(\[""\]|\(""\)|\{""\}|\[\(""\)\]|\(\(""\)\))?$/;
const reservedIds = new Set(['end', 'graph', 'subgraph', 'flowchart', 'style', 'class', 'click']);

/**
 * A structural check of one mermaid flowchart (no mermaid parser runs in Node without a browser): the header, quoted
 * labels, node and subgraph definitions, edges between defined nodes, balanced subgraphs.
 */
export function flowchartProblems(block: string): string[] {
  const lines = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('%%'));
  const problems: string[] = [];
  if (!/^flowchart (TB|TD|BT|RL|LR)$/.test(lines[0] ?? '')) return [`not a flowchart: ${lines[0] ?? '(empty)'}`];
  const defined = new Set<string>();
  const used: string[] = [];
  let depth = 0;
  for (const line of lines.slice(1)) {
    if ((line.match(/"/g) ?? []).length % 2 !== 0) {
      problems.push(`unbalanced quotes: ${line}`);
      continue;
    }
    const stripped = line.replace(/"[^"]*"/g, '""');
    const subgraph = /^subgraph\s+([A-Za-z][\w-]*)(\[""\])?$/.exec(stripped);
    if (subgraph) {
      defined.add(subgraph[1]!);
      depth += 1;
      continue;
    }
    if (stripped === 'end') {
      depth -= 1;
      if (depth < 0) problems.push('"end" without "subgraph"');
      continue;
    }
    for (const part of stripped.split(/\s*(?:-->|-\.->|==>|---)(?:\|""\|)?\s*/)) {
      const node = nodeShape.exec(part);
      if (!node) {
        problems.push(`cannot read "${part}" in: ${line}`);
        continue;
      }
      if (reservedIds.has(node[1]!)) problems.push(`"${node[1]}" is a mermaid keyword, not a node id: ${line}`);
      if (node[2]) defined.add(node[1]!);
      else used.push(node[1]!);
    }
  }
  if (depth !== 0) problems.push('unbalanced subgraph/end');
  for (const id of used) if (!defined.has(id)) problems.push(`edge to undefined node "${id}"`);
  return problems;
}

/** Every mermaid block of the docs is a readable flowchart, and the architecture has at least one. */
export function mermaidProblems(files: Files): string[] {
  const problems: string[] = [];
  for (const path of docPaths(files)) {
    for (const block of codeBlocks(files.get(path)!).filter((b) => b.lang === 'mermaid')) {
      problems.push(...flowchartProblems(block.body).map((p) => `${path}: mermaid: ${p}`));
    }
  }
  const architecture = files.get('docs/architecture.md') ?? '';
  if (!codeBlocks(architecture).some((b) => b.lang === 'mermaid' && b.body.trimStart().startsWith('flowchart'))) {
    problems.push('docs/architecture.md: no ```mermaid flowchart');
  }
  return problems;
}

/** DESIGN.md §4, each pitfall with the text users see (or the fact they must learn) that troubleshooting must quote. */
export const pitfalls: readonly { readonly fact: string; readonly texts: readonly (string | RegExp)[] }[] = [
  {
    fact: '1. the OIDC sub depends on how the job runs, is case-sensitive, and may be immutable',
    texts: ['Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity', 'case-sensitive', 'repo:OWNER@ID/REPO@ID', 'actions/oidc/customization/sub'],
  },
  { fact: '2. a job naming a missing environment creates it unprotected', texts: [/creates it,? unprotected/, 'is not allowed to deploy to', 'deployment branch policy'] },
  {
    fact: '3. jobs that assume a role need id-token: write at job level',
    texts: ['Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers', 'Did you mean to set the `id-token` permission?', '**at job level**'],
  },
  {
    fact: '4. SSM runs /bin/sh, shorthand mangles commas, send-command is asynchronous, the waiter gives up, output is truncated',
    texts: ['/bin/sh', 'file://', 'failed to run commands: exit status 127', 'Waiter CommandExecuted failed: Max attempts exceeded', 'InvocationDoesNotExist', '24,000'],
  },
  { fact: '5. an instance not Online in SSM fails with InvalidInstanceId', texts: ['InvalidInstanceId', 'not in a valid state for account', 'describe-instance-information'] },
  {
    fact: '6. IAM permission is not a Docker login; containers under IMDSv2 need hop limit 2',
    texts: ['no basic auth credentials', 'aws ecr get-login-password', 'http_put_response_hop_limit = 2', 'Unable to locate credentials'],
  },
  { fact: '7. "stable"/"applied" is not healthy', texts: ['"Succeeded" is not healthy', '`GET /health` answers `status: ok` with **the intended commit**'] },
  { fact: '8. pin actions by full commit SHA', texts: ['must be pinned to a full-length commit SHA', 'tj-actions/changed-files'] },
];

/**
 * For the ecs target: the pitfalls of DESIGN.md §4 that hold for any pipeline (OIDC subjects, missing environments,
 * id-token, pinned actions), and the errors seeds 002 and 003 met, each with what causes it in this setup.
 */
export const ecsPitfalls: typeof pitfalls = [
  ...pitfalls.filter(({ fact }) => /^[1238]\./.test(fact)),
  { fact: 'seed 002: AccessDeniedException on UpdateService', texts: ['`AccessDeniedException` when updating ECS services', 'ecs:UpdateService', 'AmazonECS_FullAccess'] },
  { fact: 'seed 002: iam:PassRole missing', texts: ['`iam:PassRole` missing', 'ecs-tasks.amazonaws.com'] },
  { fact: 'seed 003: the deploy action reported success after a circuit-breaker rollback', texts: ['ECS deployment circuit breaker: tasks failed to start.', '#191', 'v2.6.2', 'COMPLETED'] },
  { fact: 'seeds 002/003: tags such as latest, and a thumbprint on the OIDC provider', texts: ['`latest`', 'thumbprint'] },
  { fact: 'ECS task start failures', texts: ['CannotPullContainerError', 'ResourceInitializationError', 'awaiting-first-deploy'] },
];

/**
 * For the asg target: DESIGN.md §4 except what concerns containers (6), with its health gate in its own terms (7), and
 * the failures seed 001 (the pipeline the target reproduces) reports.
 */
export const asgPitfalls: typeof pitfalls = [
  ...pitfalls.filter(({ fact }) => !/^[67]\./.test(fact)),
  { fact: '7. "stable"/"applied" is not healthy', texts: ['"Succeeded" is not healthy', '`GET /ready` answer `status: ready` with **the intended commit**', 'Just checking if a process is running is not enough'] },
  { fact: 'seed 001: tar of the folder it writes into', texts: ['file changed as we read it'] },
  { fact: 'seed 001: SSM runs as root', texts: ['SSM runs as root, so files became root-owned'] },
  { fact: 'seed 001: bash syntax under SSM', texts: ['SSM runs scripts using /bin/sh, not bash'] },
  { fact: 'seed 001: new instances on old code', texts: ['still launching with old code'] },
];

/**
 * For the eks target: the pitfalls of DESIGN.md §4 that hold for any pipeline, and instead of the SSM and instance ones
 * (4-7) the errors users meet with access entries and endpoints, the reasons a rollout fails, and seed 004's steps, each
 * mapped to its replacement.
 */
export const eksPitfalls: typeof pitfalls = [
  ...pitfalls.filter(({ fact }) => /^[1238]\./.test(fact)),
  { fact: 'access entries: an identity without one is Unauthorized', texts: ['error: You must be logged in to the server (Unauthorized)', 'aws eks list-access-entries', 'cluster_admin_principal_arns'] },
  { fact: 'access entries: a namespace-scoped policy forbids the rest', texts: [/is forbidden: User ".*" cannot patch resource "deployments" in API group "apps" in the namespace/] },
  { fact: 'update-kubeconfig needs eks:DescribeCluster', texts: ['is not authorized to perform: eks:DescribeCluster'] },
  { fact: 'the endpoint admits only the VPC and public_access_cidrs', texts: ['dial tcp', 'i/o timeout', 'public_access_cidrs'] },
  { fact: 'rollout failures and their reasons', texts: ['ImagePullBackOff', 'CrashLoopBackOff', 'Readiness probe failed', 'FailedScheduling', 'kubectl rollout undo'] },
  { fact: '"rolled out" is not "reachable"', texts: ['"Rolled out" is not "reachable"'] },
  { fact: "seed 004's steps, mapped", texts: ['eksctl create cluster', 'aws eks create-access-entry', 'AmazonEKSClusterAdminPolicy', 'StringLike', 'sed -i.bak', 'secrets.EKS_CLUSTER_NAME'] },
];

export function pitfallProblems(troubleshooting: string, list: typeof pitfalls = pitfalls): string[] {
  return list.flatMap(({ fact, texts }) =>
    texts.filter((t) => (typeof t === 'string' ? !troubleshooting.includes(t) : !t.test(troubleshooting))).map((t) => `troubleshooting lacks ${String(t)} (pitfall ${fact})`),
  );
}

/** Messages of our own tools the docs quote, and the file that prints each: a changed message must change the docs. */
export const quotedMessages: readonly { readonly text: string; readonly doc: string; readonly source: string }[] = [
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'nothing was sent (check the instance profile, the SSM agent and the routes to the ssm, ssmmessages and ec2messages endpoints)' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'no running instance is tagged App=' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: "--image must be this app's repository by digest" },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'were not touched' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/wait-for-command.sh', text: 'is still running on:' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'is not installed on this instance; nothing was changed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'the Docker daemon is not running; nothing was changed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'is running on this instance; nothing was changed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'failed (does the instance role allow ecr:GetAuthorizationToken and pulls from' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'no previous image to roll back to (container left for inspection)' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'after rolling back: the service is DOWN' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'deploy: result: ' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'container: ' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/rollback.sh', text: 'holds no image yet (no deploy has been healthy everywhere); pass --image' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/rollback.sh', text: 'has no 40-hex commit tag in ECR; pass --commit SHA' },
  { doc: 'docs/operations.md', source: 'terraform/modules/ec2-app/main.tf', text: 'AmazonSSMManagedInstanceCore' },
  { doc: 'docs/security-model.md', source: 'terraform/modules/ec2-app/main.tf', text: 'http_tokens = "required"' },
];

/** The ecs scripts' messages its docs quote. */
export const ecsQuotedMessages: typeof quotedMessages = [
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'still rolling out at the deadline' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'ECS went back to' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: '--image must be SERVICE=IMAGE' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'image must be its repository by digest' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/rollback.sh', text: 'runs another image by digest; nothing to roll back to (try --commit)' },
  // (`<first>`: the first environment's root, whatever the preset names it)
  { doc: 'docs/troubleshooting.md', source: 'terraform/environments/<first>/main.tf', text: 'awaiting-first-deploy' },
  { doc: 'docs/security-model.md', source: 'terraform/modules/ecs-service/main.tf', text: 'readonlyRootFilesystem = true' },
];

/** The asg scripts' and modules' messages its docs quote. */
export const asgQuotedMessages: typeof quotedMessages = [
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'nothing was deployed (check the instance profile, the SSM agent and the routes to the ssm, ssmmessages and ec2messages endpoints)' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'has no instance in service; nothing was deployed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'the load balancer reports' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'the target group still reports' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'are back on the last-known-good release' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/wait-for-command.sh', text: 'is still running on:' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'checksum mismatch: releases/' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'is not installed on this instance; nothing was changed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'is running on this instance; nothing was changed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'no release before it to switch back to (left running for inspection)' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'after switching back: the service is DOWN' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'deploy: result: ' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/deploy.sh', text: 'service: ' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/host/boot.sh', text: 'no release yet (' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/build-release.sh', text: 'the build is not reproducible here' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/rollback.sh', text: 'holds no release yet (no deploy has been ready everywhere); pass --release' },
  { doc: 'docs/operations.md', source: 'terraform/modules/asg-fleet/main.tf', text: 'AmazonSSMManagedInstanceCore' },
  { doc: 'docs/security-model.md', source: 'terraform/modules/asg-fleet/main.tf', text: 'http_tokens = "required"' },
];

/** The eks target's scripts' messages its docs quote. */
export const eksQuotedMessages: typeof quotedMessages = [
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'the cluster does not know these credentials: no access entry for this role' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'may edit the namespace' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'it needs eks:DescribeCluster on it' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'does not exist in' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'did not complete within' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'image pull failed' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'crash loop: the container keeps exiting' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'failing probe' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: 'there is no earlier revision to roll back to' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/deploy.sh', text: "--image must be this app's repository by digest" },
  { doc: 'docs/troubleshooting.md', source: 'scripts/rollback.sh', text: 'is not in the history of' },
  { doc: 'docs/troubleshooting.md', source: 'scripts/rollback.sh', text: 'has no earlier revision to roll back to' },
  { doc: 'docs/security-model.md', source: 'terraform/modules/eks-cluster/main.tf', text: 'http_put_response_hop_limit = 1' },
  { doc: 'docs/security-model.md', source: 'terraform/modules/eks-cluster/main.tf', text: 'AmazonEC2ContainerRegistryPullOnly' },
  { doc: 'docs/security-model.md', source: 'terraform/modules/eks-cluster/main.tf', text: 'bootstrap_cluster_creator_admin_permissions' },
];

export function quotedMessageProblems(files: Files, list: typeof quotedMessages = quotedMessages, firstEnvironment = 'production'): string[] {
  return list.flatMap(({ text, doc, source: named }) => {
    const source = named.replace('<first>', firstEnvironment);
    const problems: string[] = [];
    if (!(files.get(doc) ?? '').includes(text)) problems.push(`${doc} does not quote "${text}"`);
    // Terraform aligns `=` signs: compare the source with runs of spaces squeezed.
    if (!(files.get(source) ?? '').replace(/ {2,}/g, ' ').includes(text)) problems.push(`${source} no longer prints "${text}", which ${doc} quotes`);
    return problems;
  });
}

/** The markdown section under the heading that contains `needle`, up to the next heading of the same or a higher level. */
export function section(markdown: string, needle: string): string | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{1,6}\s/.test(l) && l.includes(needle));
  if (start < 0) return undefined;
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#{1,6}\s/.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/**
 * Every role the Terraform declares has a section in the security model whose "Trusts exactly" line lists exactly the
 * subjects the role trusts (read from the rendered Terraform, not from template data).
 */
export function subjectProblems(securityModel: string, roles: readonly TrustedRole[]): string[] {
  const problems: string[] = [];
  for (const role of roles) {
    const body = section(securityModel, `\`${role.name}\``);
    if (!body) {
      problems.push(`security model has no section for role ${role.name}`);
      continue;
    }
    const trusts = /^- \*\*Trusts exactly\*\*: (.*)$/m.exec(body);
    if (!trusts) {
      problems.push(`security model: the section of ${role.name} does not say whom it trusts`);
      continue;
    }
    const listed = [...trusts[1]!.matchAll(/`(repo:[^`]+)`/g)].map((m) => m[1]!).sort();
    const expected = [...(role.subjects ?? [])].sort();
    if (JSON.stringify(listed) !== JSON.stringify(expected)) {
      problems.push(`security model: ${role.name} trusts ${expected.join(', ')}, the doc says ${listed.join(', ') || 'nothing'}`);
    }
  }
  return problems;
}

/** `scripts/x.sh` invocations in code (blocks and inline spans), with the flags they pass. */
export function scriptInvocations(markdown: string): { script: string; flags: string[]; text: string }[] {
  const code = [...codeBlocks(markdown).map((b) => b.body.replace(/\\\n\s*/g, ' ')), ...inlineCode(markdown)];
  const calls: { script: string; flags: string[]; text: string }[] = [];
  for (const text of code) {
    for (const m of text.matchAll(/(?:^|[\s;&|(])(scripts\/[\w/-]+\.sh)((?:[ \t]+[^\s;&|#)]+)*)/gm)) {
      const flags = [...m[2]!.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((f) => f[1]!);
      calls.push({ script: m[1]!, flags, text: m[0].trim() });
    }
  }
  return calls;
}

/** Long options named in a `--help` text. */
export const helpFlags = (help: string) => new Set([...help.matchAll(/(?:^|[\s[,(])(--[a-z][a-z-]*)/g)].map((m) => m[1]!));

/** Every script the docs run exists, and every flag they pass is one its `--help` lists. */
export function scriptFlagProblems(files: Files, help: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const path of docPaths(files)) {
    for (const call of scriptInvocations(files.get(path)!)) {
      const text = help.get(call.script);
      if (text === undefined) {
        problems.push(`${path}: runs ${call.script}, which is not rendered`);
        continue;
      }
      const known = helpFlags(text);
      for (const flag of call.flags) if (!known.has(flag)) problems.push(`${path}: ${call.text}: ${call.script} has no ${flag} (see its --help)`);
    }
  }
  return problems;
}

const moduleSource = (root: string, files: Files, name: string): string | undefined => {
  for (const [path, text] of files) {
    if (posix.dirname(path) !== root || !path.endsWith('.tf')) continue;
    const m = new RegExp(`module "${name}" \\{\\s*source\\s*=\\s*"([^"]+)"`).exec(text);
    if (m) return posix.normalize(posix.join(root, m[1]!));
  }
  return undefined;
};

const declares = (dir: string, files: Files, pattern: RegExp) => [...files].some(([path, text]) => posix.dirname(path) === dir && path.endsWith('.tf') && pattern.test(text));

/**
 * Terraform commands in the docs name real things: the `-chdir` root exists, and the outputs, variables, resources and
 * module addresses they use are declared there.
 */
export function terraformReferenceProblems(files: Files): string[] {
  const problems: string[] = [];
  for (const path of docPaths(files)) {
    const text = files.get(path)!;
    const code = [...codeBlocks(text).map((b) => b.body.replace(/\\\n\s*/g, ' ')), ...inlineCode(text)];
    for (const command of code.flatMap((c) => c.split('\n')).filter((l) => /terraform -chdir=/.test(l))) {
      for (const part of command.split(/&&|\$\(/)) {
        const chdir = /terraform -chdir=(\S+)/.exec(part)?.[1];
        if (!chdir) continue;
        if (!declares(chdir, files, /./)) {
          problems.push(`${path}: ${chdir} is not a Terraform root`);
          continue;
        }
        const output = /\boutput (?:-raw )?([a-z_]+)/.exec(part)?.[1];
        if (output && !declares(chdir, files, new RegExp(`^output "${output}"`, 'm'))) problems.push(`${path}: ${chdir} has no output ${output}`);
        for (const v of part.matchAll(/-var ([a-z_]+)=/g)) {
          if (!declares(chdir, files, new RegExp(`^variable "${v[1]}"`, 'm'))) problems.push(`${path}: ${chdir} has no variable ${v[1]}`);
        }
        const stateRm = /state rm '([a-z0-9_]+)\.([a-z0-9_]+)(?:\[\d+\])?'/.exec(part);
        if (stateRm && !declares(chdir, files, new RegExp(`^resource "${stateRm[1]}" "${stateRm[2]}"`, 'm'))) {
          problems.push(`${path}: ${chdir} has no resource ${stateRm[1]}.${stateRm[2]}`);
        }
        const replace = /-replace=module\.([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)/.exec(part);
        if (replace) {
          const dir = moduleSource(chdir, files, replace[1]!);
          if (!dir) problems.push(`${path}: ${chdir} calls no module ${replace[1]}`);
          else if (!declares(dir, files, new RegExp(`^resource "${replace[2]}" "${replace[3]}"`, 'm'))) problems.push(`${path}: ${dir} has no resource ${replace[2]}.${replace[3]}`);
        }
      }
    }
  }
  return problems;
}

const squeeze = (line: string) => line.trim().replace(/\s+/g, ' ');

/**
 * Every line of the doctor output a doc shows (in ```text blocks that contain doctor's table header) is a line doctor
 * really prints for the repository, spacing aside.
 */
export function doctorExampleProblems(files: Files, realOutput: readonly string[]): string[] {
  const real = new Set(realOutput.map(squeeze));
  const problems: string[] = [];
  for (const path of docPaths(files)) {
    for (const block of codeBlocks(files.get(path)!).filter((b) => b.lang === 'text' && /^WORKFLOW\s+JOB\s+WHEN/m.test(b.body))) {
      for (const line of block.body.split('\n').map(squeeze)) {
        if (line !== '' && !real.has(line)) problems.push(`${path}: doctor does not print "${line}"`);
      }
    }
  }
  return problems;
}
