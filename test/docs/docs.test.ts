import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/args.js';
import { formatReport } from '../../src/doctor/doctor-command.js';
import { checkRepository } from '../../src/doctor/repository-check.js';
import { isWorkflowPath } from '../../src/doctor/repository-files.js';
import { readTrust } from '../../src/doctor/trust-reader.js';
import { resolveOptions } from '../../src/options/index.js';
import { templateData } from '../../src/render/template-data.js';
import { hasAccounts, presetNames, presetNamesFor, presets, testGeneratorVersion, type PresetName } from '../support/presets.js';
import { accountsOnlyDocs } from '../../src/components/accounts-docs.js';
import { renderPreset, writeFiles, tempDir } from '../support/render-preset.js';
import {
  docPaths,
  doctorExampleProblems,
  helpFlags,
  linkProblems,
  mermaidProblems,
  pitfallProblems,
  asgPitfalls,
  asgQuotedMessages,
  ecsPitfalls,
  ecsQuotedMessages,
  eksPitfalls,
  eksQuotedMessages,
  pitfalls,
  quotedMessages,
  quotedMessageProblems,
  scriptFlagProblems,
  section,
  subjectProblems,
  terraformReferenceProblems,
  unrenderedProblems,
  type Files,
} from './doc-checks.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** What each target's docs must hold: its pages, and the pitfalls and quoted messages its troubleshooting answers for. */
const byTarget = {
  ec2: {
    pages: [
      'README.md',
      'docs/adr/0001-ec2-not-eks.md',
      'docs/adr/0002-oidc-not-access-keys.md',
      'docs/adr/0003-ssm-not-ssh.md',
      'docs/adr/0004-terraform-not-manual.md',
      'docs/adr/0005-one-repository-promoted-by-digest.md',
      'docs/adr/0006-pipeline-disabled-by-default.md',
      'docs/adr/0007-infra-role-without-iam-writes.md',
      'docs/architecture.md',
      'docs/operations.md',
      'docs/runbook.md',
      'docs/security-model.md',
      'docs/troubleshooting.md',
      'docs/upgrading.md',
    ],
    pitfalls,
    quotedMessages,
  },
  ecs: {
    pages: [
      'README.md',
      'docs/adr/0001-ecs-fargate.md',
      'docs/adr/0002-oidc-not-access-keys.md',
      'docs/adr/0003-deploy-script-not-ecs-action.md',
      'docs/adr/0005-one-repository-per-service-promoted-by-digest.md',
      'docs/adr/0006-pipeline-disabled-by-default.md',
      'docs/adr/0007-infra-role-without-iam-writes.md',
      'docs/adr/0008-node-static-server-not-nginx.md',
      'docs/architecture.md',
      'docs/operations.md',
      'docs/runbook.md',
      'docs/security-model.md',
      'docs/troubleshooting.md',
      'docs/upgrading.md',
    ],
    pitfalls: ecsPitfalls,
    quotedMessages: ecsQuotedMessages,
  },
  asg: {
    pages: [
      'README.md',
      'docs/adr/0001-auto-scaling-group-behind-a-load-balancer.md',
      'docs/adr/0002-oidc-not-access-keys.md',
      'docs/adr/0003-ssm-not-ssh.md',
      'docs/adr/0005-one-release-promoted-by-checksum.md',
      'docs/adr/0006-pipeline-disabled-by-default.md',
      'docs/adr/0007-infra-role-without-iam-writes.md',
      'docs/adr/0008-releases-and-images.md',
      'docs/adr/0009-lifecycle-hook-not-grace-period.md',
      'docs/architecture.md',
      'docs/operations.md',
      'docs/runbook.md',
      'docs/security-model.md',
      'docs/troubleshooting.md',
      'docs/upgrading.md',
    ],
    pitfalls: asgPitfalls,
    quotedMessages: asgQuotedMessages,
  },
  eks: {
    pages: [
      'README.md',
      'docs/adr/0001-eks-with-managed-nodes.md',
      'docs/adr/0002-oidc-not-access-keys.md',
      'docs/adr/0003-access-entries-not-aws-auth.md',
      'docs/adr/0004-namespace-scoped-deploy-role.md',
      'docs/adr/0005-rollout-undo-on-failure.md',
      'docs/adr/0006-pipeline-disabled-by-default.md',
      'docs/adr/0007-administrators-in-code.md',
      'docs/architecture.md',
      'docs/operations.md',
      'docs/runbook.md',
      'docs/security-model.md',
      'docs/troubleshooting.md',
      'docs/upgrading.md',
    ],
    pitfalls: eksPitfalls,
    quotedMessages: eksQuotedMessages,
  },
} as const;

/** Scripts that take no arguments, so have no usage text: the asg user data (run once by cloud-init at boot). */
const withoutUsage = new Set(['scripts/host/boot.sh']);

/** The rendered repository of a preset, its template data, and each script's real `--help` (run with sh). */
function load(preset: PresetName) {
  const rendered = renderPreset(preset);
  const files: Files = new Map(rendered.map((file) => [file.path, file.content]));
  const data = templateData(resolveOptions({ ...presets[preset] }), testGeneratorVersion);
  const scripts = rendered.filter((file) => file.path.startsWith('scripts/') && file.path.endsWith('.sh') && !withoutUsage.has(file.path)).map((file) => file.path);
  const dir = writeFiles(tempDir(`ec2-oidc-docs-${preset}-`), rendered);
  created.push(dir);
  const help = new Map(scripts.map((script) => [script, execFileSync('sh', [join(dir, script), '--help'], { encoding: 'utf8' })]));
  return { files, data, help, scripts, expected: byTarget[data.target] };
}

/** A copy of the files with one doc changed; the change must apply, or the "broken" doc would not be broken. */
function mutate(files: Files, path: string, change: (text: string) => string): Files {
  const before = files.get(path)!;
  const after = change(before);
  if (after === before) throw new Error(`mutating ${path} changed nothing`);
  return new Map([...files, [path, after]]);
}

const roleFiles = (files: Files) => new Map([...files].filter(([path]) => isWorkflowPath(path) || (path.startsWith('terraform/') && path.endsWith('.tf'))));

describe.each(presetNames)('generated docs, preset %s', (preset) => {
  const { files, data, help, scripts, expected } = load(preset);
  const doc = (path: string) => files.get(path)!;
  const roles = readTrust(roleFiles(files)).roles;

  it('renders every page, managed, and the README as a sample', () => {
    // GIVEN the rendered repository
    const rendered = renderPreset(preset);
    // WHEN listing the docs
    const docs = rendered.filter((file) => docPaths(files).includes(file.path));
    // THEN every page exists, the docs are managed and the README is the user's
    // (with accounts, a target's page on where the artifacts live across accounts too)
    const accountsPages = data.accounts.enabled ? [...accountsOnlyDocs[data.target]].map((page) => `docs/${page.replace(/\.hbs$/, '')}`) : [];
    expect(docs.map((file) => file.path)).toEqual([...expected.pages, ...accountsPages].sort());
    for (const file of docs) expect(file.owner, file.path).toBe(file.path === 'README.md' ? 'sample' : 'managed');
    for (const path of docPaths(files).filter((p) => p.startsWith('docs/adr/'))) {
      expect(doc(path), path).toMatch(/^## Context$[\s\S]*^## Decision$[\s\S]*^## Consequences$/m);
    }
  });

  it('leaves no template expression unrendered', () => {
    expect(unrenderedProblems(files)).toEqual([]);
  });

  it('has no relative link to a file, folder or heading that is not rendered', () => {
    expect(linkProblems(files)).toEqual([]);
  });

  it('draws the architecture as mermaid flowcharts whose edges join defined nodes', () => {
    expect(mermaidProblems(files)).toEqual([]);
  });

  it("quotes, in troubleshooting, the error text of every pitfall of DESIGN.md §4 (ecs: those that apply, and seeds 002/003's)", () => {
    expect(pitfallProblems(doc('docs/troubleshooting.md'), expected.pitfalls)).toEqual([]);
  });

  it('quotes only messages our scripts and modules really print', () => {
    expect(quotedMessageProblems(files, expected.quotedMessages, data.firstEnvironment.name)).toEqual([]);
  });

  it('names every role the Terraform declares, with exactly the subjects it trusts', () => {
    // GIVEN the roles read back from the rendered Terraform (doctor's reader): plan, and per environment deploy and infra
    expect(roles.map((role) => role.name).sort()).toEqual(
      [data.plan.roleName, ...data.environments.flatMap((env) => [env.deployRoleName, env.infraRoleName])].sort(),
    );
    // THEN the security model has a section per role whose "Trusts exactly" line lists exactly its subjects
    expect(subjectProblems(doc('docs/security-model.md'), roles)).toEqual([]);
  });

  it('runs the scripts only with flags their --help lists', () => {
    // GIVEN each script's real usage text
    for (const script of scripts) expect(help.get(script), script).toMatch(/^Usage: /);
    // THEN every scripts/*.sh command in the docs exists and passes only known flags
    expect(scriptFlagProblems(files, help)).toEqual([]);
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    // AND the runbook actually shows deploy, rollback and status
    for (const call of ['scripts/deploy.sh --environment', 'scripts/rollback.sh --environment', 'scripts/status.sh --environment']) {
      expect(doc('docs/runbook.md'), call).toContain(call);
    }
  });

  it('names only flags that exist, wherever a flag is written in inline code', () => {
    // GIVEN every flag any script or the create-ec2-oidc-pipeline CLI accepts, and the few of other tools the prose
    // names (docker run's --restart, the AWS CLI's --filters and --parameters), which are not ours to check
    const otherTools = ['--restart', '--filters', '--parameters'];
    const known = new Set([...[...help.values()].flatMap((text) => [...helpFlags(text)]), ...helpFlags(helpText()), ...otherTools]);
    // WHEN collecting the `--flag` spans of the runbook and the troubleshooting guide
    const spans = ['docs/runbook.md', 'docs/troubleshooting.md'].flatMap((path) => [...doc(path).matchAll(/`(--[a-z][a-z-]*)[ =`]/g)].map((m) => m[1]!));
    // THEN each is a real flag
    expect(spans.length).toBeGreaterThan(0);
    expect(spans.filter((flag) => !known.has(flag))).toEqual([]);
  });

  it('gives the exact backend init of every environment, with the bucket the bootstrap creates', () => {
    // GIVEN the bucket name as the bootstrap's Terraform builds it
    const prefix = /state_bucket_name = "([^"$]+)\$\{data\.aws_caller_identity\.current\.account_id\}"/.exec(files.get('terraform/bootstrap/main.tf')!)?.[1];
    expect(prefix).toBe(data.stateBucketPrefix);
    const runbook = doc('docs/runbook.md');
    if (data.accounts.enabled) {
      // THEN with accounts: each account's bootstrap in its own workspace with its environments, and each environment
      // inits against its own account's bucket, with that account's credentials
      for (const account of data.accounts.list) {
        expect(runbook).toContain(`terraform -chdir=terraform/bootstrap workspace select -or-create ${account.id}\nterraform -chdir=terraform/bootstrap apply -var 'environments=${JSON.stringify(account.environments)}'`);
      }
      for (const env of data.environments) {
        expect(runbook).toContain(`export AWS_PROFILE=admin-${env.accountId}    # ${env.name} lives in account ${env.accountId}\nterraform -chdir=terraform/environments/${env.name} init -backend-config="bucket=${prefix}${env.accountId}"`);
        expect(runbook).toContain(`gh variable set AWS_ACCOUNT_ID --env ${env.name} --body ${env.accountId} --repo ${data.github.fullName}`);
      }
      expect(runbook).not.toContain('$ACCOUNT_ID');
    } else {
      // THEN the runbook sets ACCOUNT_ID before using it, and inits each environment against that bucket
      expect(runbook.indexOf('ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)')).toBeGreaterThan(-1);
      expect(runbook.indexOf('ACCOUNT_ID=$(')).toBeLessThan(runbook.indexOf('$ACCOUNT_ID'));
      for (const env of data.environments) {
        expect(runbook).toContain(`terraform -chdir=terraform/environments/${env.name} init -backend-config="bucket=${prefix}$ACCOUNT_ID"`);
      }
      expect(runbook).toContain(`gh variable set AWS_ACCOUNT_ID --body "$ACCOUNT_ID" --repo ${data.github.fullName}`);
    }
    for (const env of data.environments) expect(runbook).toContain(`terraform -chdir=terraform/environments/${env.name} apply`);
    expect(runbook).toContain('terraform -chdir=terraform/bootstrap init');
    // AND it names every role, the variables the workflows read, and the switch
    for (const role of roles) expect(runbook, role.name).toContain(role.name);
    for (const workflow of ['deploy.yml', 'terraform.yml']) expect(files.get(`.github/workflows/${workflow}`)).toContain('vars.AWS_ACCOUNT_ID');
    expect(runbook).toContain(`gh variable set PIPELINE_ENABLED --body true --repo ${data.github.fullName}`);
    expect(files.get('.github/workflows/deploy.yml')).toMatch(/^ {2}workflow_dispatch:/m);
  });

  it('uses only Terraform roots, outputs, variables and resources that exist', () => {
    expect(terraformReferenceProblems(files)).toEqual([]);
  });

  it("shows doctor's real output for this repository", () => {
    // GIVEN what doctor prints for the rendered repository
    const report = checkRepository(roleFiles(files));
    expect(report.findings).toEqual([]);
    const output = formatReport(report);
    // THEN every line of the doctor tables in the docs is a line doctor prints
    expect(doctorExampleProblems(files, output)).toEqual([]);
    expect(doc('docs/troubleshooting.md')).toContain('npx create-ec2-oidc-pipeline doctor .');
  });

  it("explains the subject format the roles are rendered with, and how to switch", () => {
    const securityModel = doc('docs/security-model.md');
    expect(securityModel).toContain(`\`${data.github.subjectPrefix}:…\``);
    expect(securityModel).toContain(`gh api repos/${data.github.fullName}/actions/oidc/customization/sub`);
    expect(securityModel).toContain(data.github.immutableSubjects ? 'To switch back to subjects by name' : 'To switch to immutable subjects');
  });
});

describe.each(presetNames.filter((preset) => hasAccounts(presets[preset])))('generated docs of environments in separate accounts, preset %s', (preset) => {
  const { files, data } = load(preset);
  const doc = (path: string) => files.get(path)!;

  it('draws every account, says what a compromised role of the first can reach, and quotes what the bootstrap prints', () => {
    // GIVEN the accounts as the rendered Terraform names them
    const architecture = doc('docs/architecture.md');
    const securityModel = doc('docs/security-model.md');
    for (const env of data.environments) {
      expect(files.get(`terraform/environments/${env.name}/versions.tf`)).toContain(`allowed_account_ids = ["${env.accountId}"]`);
    }
    // THEN the architecture draws one subgraph per account, and the pull across accounts
    for (const account of data.accounts.list) expect(architecture).toContain(`subgraph account${account.id}["AWS account ${account.id}: ${account.environments.join(', ')}"]`);
    // (ec2 pulls the image from the registry; asg downloads the release from the bucket)
    expect(architecture).toContain(data.target === 'asg' ? '"download, verify SHA-256, across accounts: bucket policy"| releases' : '"pull by digest, across accounts: repository policy"| ecr');
    // AND the security model has the accounts, and what a role of the first environment's account can and cannot reach
    expect(section(securityModel, 'Accounts')).toContain(data.accounts.list[1]!.id);
    expect(section(securityModel, `What a compromised role of ${data.firstEnvironment.name} can and cannot reach`)).toContain(data.firstEnvironment.deployRoleName);
    // AND troubleshooting quotes the bootstrap's own refusals as it prints them
    const bootstrap = files.get('terraform/bootstrap/main.tf')!;
    for (const text of [' hosts ${jsonencode(local.hosted_environments)}, not ${jsonencode(var.environments)}', 'This is the workspace of account ']) expect(bootstrap).toContain(text);
    expect(doc('docs/troubleshooting.md')).toContain('### `Account … hosts […], not […]`');
    expect(doc('docs/troubleshooting.md')).toContain('`This is the workspace of account …`');
  });
});

describe.each(presetNamesFor('ec2'))('generated docs of the ec2 preset %s', (preset) => {
  const { files, data } = load(preset);
  const doc = (path: string) => files.get(path)!;

  it('names each instance role as the ec2-app module does', () => {
    // GIVEN the module's naming of the role and profile
    const module = files.get('terraform/modules/ec2-app/main.tf')!;
    expect(module).toContain('name   = "${var.name}-${var.environment}"');
    expect(module).toMatch(/resource "aws_iam_role" "this" \{\s*name\s*=\s*"\$\{local\.name\}-instance"/);
    // THEN the security model has a section per instance role with that name
    for (const env of data.environments) expect(section(doc('docs/security-model.md'), `\`${data.name}-${env.name}-instance\``), env.name).toBeDefined();
  });
});

describe.each(presetNamesFor('asg'))('generated docs of the asg preset %s', (preset) => {
  const { files, data } = load(preset);
  const doc = (path: string) => files.get(path)!;

  it('names each instance role as the asg-fleet module does', () => {
    // GIVEN the module's naming of the role and profile
    const module = files.get('terraform/modules/asg-fleet/main.tf')!;
    expect(module).toMatch(/^ {2}name\s+= "\$\{var\.name\}-\$\{var\.environment\}"$/m);
    expect(module).toMatch(/resource "aws_iam_role" "this" \{\s*name\s*=\s*"\$\{local\.name\}-instance"/);
    // THEN the security model has a section per instance role with that name
    for (const env of data.environments) expect(section(doc('docs/security-model.md'), `\`${data.name}-${env.name}-instance\``), env.name).toBeDefined();
  });

  it("leaves out of the usage checks only boot.sh, the launch template's user data (cloud-init runs it without arguments)", () => {
    expect(files.get('scripts/host/boot.sh')).toMatch(/^#!\/bin\/sh\n/);
    expect(files.get('terraform/modules/asg-fleet/main.tf')).toContain('user-data.sh');
  });
});

describe('the checks catch broken docs', () => {
  const { files, help } = load('default');
  const roles = readTrust(roleFiles(files)).roles;

  it('a link to a missing heading or file', () => {
    expect(linkProblems(mutate(files, 'docs/architecture.md', (t) => t.replace('runbook.md#replacing-the-instance', 'runbook.md#replacing-an-instance')))).toEqual([
      'docs/architecture.md: link runbook.md#replacing-an-instance: docs/runbook.md has no heading #replacing-an-instance',
    ]);
    expect(linkProblems(mutate(files, 'docs/architecture.md', (t) => t.replace('(../scripts/rollback.sh)', '(../scripts/roll-back.sh)')))).toEqual([
      'docs/architecture.md: link ../scripts/roll-back.sh names scripts/roll-back.sh, which is not rendered',
    ]);
  });

  it('a template expression left unrendered', () => {
    expect(unrenderedProblems(mutate(files, 'docs/runbook.md', (t) => `${t}\nSee {{docs.missing}}.\n`))).toHaveLength(1);
  });

  it('a mermaid edge to a node that is not defined, or a diagram that is not a flowchart', () => {
    expect(mermaidProblems(mutate(files, 'docs/architecture.md', (t) => t.replace('ssm -->|', 'smm -->|')))).toEqual(['docs/architecture.md: mermaid: edge to undefined node "smm"']);
    expect(mermaidProblems(mutate(files, 'docs/architecture.md', (t) => t.replaceAll('```mermaid\nflowchart', '```mermaid\ngraphx')))).toContain('docs/architecture.md: no ```mermaid flowchart');
  });

  it('a pitfall without its error text', () => {
    const troubleshooting = files.get('docs/troubleshooting.md')!;
    expect(pitfallProblems(troubleshooting.replaceAll('no basic auth credentials', 'docker cannot log in'))).toEqual([
      'troubleshooting lacks no basic auth credentials (pitfall 6. IAM permission is not a Docker login; containers under IMDSv2 need hop limit 2)',
    ]);
  });

  it('a quoted message that the script no longer prints', () => {
    const changed = mutate(files, 'scripts/rollback.sh', (t) => t.replace('has no 40-hex commit tag in ECR; pass --commit SHA', 'has no commit tag'));
    expect(quotedMessageProblems(changed)).toEqual(['scripts/rollback.sh no longer prints "has no 40-hex commit tag in ECR; pass --commit SHA", which docs/troubleshooting.md quotes']);
  });

  it('a role with a subject it does not trust, or without its section', () => {
    const deploy = roles.find((role) => role.key === 'deploy_role')!;
    const wrong = files.get('docs/security-model.md')!.replace(`**Trusts exactly**: \`${deploy.subjects![0]}\``, '**Trusts exactly**: `repo:acme/demo:ref:refs/heads/main`');
    expect(subjectProblems(wrong, roles)).toEqual([`security model: ${deploy.name} trusts ${deploy.subjects![0]}, the doc says repo:acme/demo:ref:refs/heads/main`]);
    expect(subjectProblems(files.get('docs/security-model.md')!.replace(`### Deploy role \`${deploy.name}\``, '### Deploy role'), roles)).toEqual([
      `security model has no section for role ${deploy.name}`,
    ]);
  });

  it('a script flag that does not exist', () => {
    const changed = mutate(files, 'docs/runbook.md', (t) => t.replace('scripts/status.sh --environment production --commands 10', 'scripts/status.sh --env production --commands 10'));
    expect(scriptFlagProblems(changed, help)).toEqual(['docs/runbook.md: scripts/status.sh --env production --commands 10: scripts/status.sh has no --env (see its --help)']);
  });

  it('a Terraform output, variable or address that does not exist', () => {
    const changed = mutate(files, 'docs/runbook.md', (t) => t.replace('-replace=module.ec2_app.aws_instance.this', '-replace=module.ec2_app.aws_instance.app').replace('output -raw instance_id', 'output -raw instance'));
    expect(terraformReferenceProblems(changed)).toEqual([
      'docs/runbook.md: terraform/environments/production has no output instance',
      'docs/runbook.md: terraform/modules/ec2-app has no resource aws_instance.app',
    ]);
  });

  it('a doctor example that doctor does not print', () => {
    const output = formatReport(checkRepository(roleFiles(files)));
    const changed = mutate(files, 'docs/troubleshooting.md', (t) => t.replace('demo-production-deploy  yes', 'demo-production-infra   yes'));
    expect(doctorExampleProblems(changed, output)).toHaveLength(1);
  });
});

describe("the package's own README", () => {
  it('mentions create-ec2-oidc-pipeline doctor, what it checks and its exit codes', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const doctor = section(readme, 'doctor');
    expect(doctor).toBeDefined();
    expect(doctor).toContain('create-ec2-oidc-pipeline doctor');
    expect(doctor).toMatch(/`0`[\s\S]*`1`[\s\S]*`2`/);
  });
});
