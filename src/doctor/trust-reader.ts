import type { Finding } from './finding.js';
import { allBlocks, parseHcl, type HclBody, type HclValue } from './hcl-reader.js';
import { HclSyntaxError, tokenizeHcl, type HclToken } from './hcl-tokens.js';
import type { RepositoryFiles } from './repository-files.js';

/** A role GitHub Actions assumes, as declared to `module "github_oidc_roles"`. */
export interface TrustedRole {
  /** The module argument declaring it: `deploy_role`, `infra_role`, `plan_role`. */
  readonly key: string;
  readonly name: string;
  /** The exact OIDC subjects the role trusts; `null` when they are not written literally. */
  readonly subjects: readonly string[] | null;
  /** Every role but the plan role can change something (push images, deploy, apply Terraform). */
  readonly canWrite: boolean;
  readonly file: string;
  readonly line: number;
}

export interface TrustReading {
  readonly roles: readonly TrustedRole[];
  readonly findings: readonly Finding[];
}

export const rolesModuleName = 'github_oidc_roles';
export const rolesModuleDir = 'terraform/modules/github-oidc-roles';
const githubClaimPrefix = 'token.actions.githubusercontent.com:';

/** Roots that may create roles GitHub assumes: the bootstrap and every environment. */
const isRootFile = (path: string) => /^terraform\/(bootstrap|environments\/[^/]+)\/[^/]+\.tf$/.test(path);

const literalString = (value: HclValue | undefined) => (value?.kind === 'string' ? value.value : null);

function isRolesModule(labels: readonly string[], body: HclBody): boolean {
  const source = literalString(body.attributes.get('source')?.value);
  return labels[0] === rolesModuleName || (source !== null && source.replace(/\/+$/, '').endsWith('modules/github-oidc-roles'));
}

/**
 * Reads who each GitHub-assumed role trusts, from the literal `module "github_oidc_roles"` calls in the bootstrap and
 * environment roots (the contract: role names and subject lists are written literally there). Anything that is not
 * literal is reported, never guessed.
 */
export function readTrust(files: RepositoryFiles): TrustReading {
  const roles: TrustedRole[] = [];
  const findings: Finding[] = [];
  for (const [file, text] of files) {
    if (!isRootFile(file)) continue;
    let body: HclBody;
    try {
      body = parseHcl(text);
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      findings.push({ file, message: `cannot parse (${error.message}): the roles it declares cannot be checked` });
      continue;
    }
    for (const block of body.blocks) {
      if (block.type !== 'module' || !isRolesModule(block.labels, block.body)) continue;
      if (/_override\.tf$/.test(file)) {
        findings.push({ file, message: `overrides module "${block.labels[0] ?? ''}" (line ${block.line}): doctor reads trust only from the module call itself; move the change there` });
        continue;
      }
      for (const [key, attribute] of block.body.attributes) {
        if (!key.endsWith('_role')) continue;
        const value = attribute.value;
        if (value.kind !== 'object') {
          findings.push({ file, message: `cannot read trust for role ${key} (line ${attribute.line}): write it as a literal { name = "…", subjects = ["…"] }` });
          continue;
        }
        const name = literalString(value.entries.get('name'));
        if (name === null) {
          findings.push({ file, message: `cannot read trust for role ${key} (line ${attribute.line}): its name is not a literal string` });
          continue;
        }
        const subjectsValue = value.entries.get('subjects');
        const subjects =
          subjectsValue?.kind === 'list' && subjectsValue.items.every((item) => item.kind === 'string')
            ? subjectsValue.items.map((item) => (item as { value: string }).value)
            : null;
        if (subjects === null) {
          findings.push({ file, message: `cannot read trust for role ${name} (line ${attribute.line}): its subjects are not a literal list of strings` });
        }
        const canWrite = key !== 'plan_role';
        roles.push({ key, name, subjects, canWrite, file, line: attribute.line });
        for (const subject of subjects ?? []) findings.push(...subjectProblems(subject, name, canWrite, file, attribute.line));
      }
    }
  }
  const seen = new Map<string, TrustedRole>();
  for (const role of roles) {
    const first = seen.get(role.name);
    if (first) findings.push({ file: role.file, message: `declares role ${role.name} again (line ${role.line}; first in ${first.file}:${first.line})` });
    else seen.set(role.name, role);
  }
  return { roles, findings };
}

function subjectProblems(subject: string, role: string, canWrite: boolean, file: string, line: number): Finding[] {
  const problems: Finding[] = [];
  if (!/^repo:[^:/]+\/[^:/]+:.+/.test(subject)) {
    problems.push({ file, message: `role ${role} trusts "${subject}" (line ${line}), which is not a GitHub repository subject (repo:OWNER/REPO:…)` });
  }
  if (/[*?]/.test(subject)) {
    problems.push({ file, message: `role ${role} trusts the pattern "${subject}" (line ${line}): trust exact subjects only` });
  }
  if (canWrite && subject.endsWith(':pull_request')) {
    problems.push({
      file,
      message: `role ${role} can change things and trusts "${subject}" (line ${line}): any pull request's code could use it; trust an environment subject instead`,
    });
  }
  return problems;
}

interface ClaimCondition {
  readonly claim: string;
  readonly operator: string;
  readonly file: string;
  readonly line: number;
}

/** `condition { test = "…", variable = "token.actions…:sub" }` blocks (aws_iam_policy_document). */
function conditionBlocks(file: string, body: HclBody): ClaimCondition[] {
  const found: ClaimCondition[] = [];
  for (const block of allBlocks(body)) {
    if (block.type !== 'condition') continue;
    const variable = literalString(block.body.attributes.get('variable')?.value);
    if (variable === null || !variable.startsWith(githubClaimPrefix)) continue;
    const test = literalString(block.body.attributes.get('test')?.value) ?? '(not a literal)';
    found.push({ claim: variable.slice(githubClaimPrefix.length), operator: test, file, line: block.line });
  }
  return found;
}

/** `StringEquals = { "token.actions…:aud" = … }` objects (jsonencode'd policies, HCL or JSON-style keys). */
function conditionObjects(file: string, tokens: readonly HclToken[]): ClaimCondition[] {
  const found: ClaimCondition[] = [];
  const keyText = (t: HclToken | undefined) => (t?.kind === 'string' ? t.value : t?.kind === 'ident' ? t.text : null);
  const isAssign = (t: HclToken | undefined) => t?.kind === 'punct' && (t.text === '=' || t.text === ':');
  for (let i = 0; i + 2 < tokens.length; i++) {
    const operator = keyText(tokens[i]);
    if (operator === null || !isAssign(tokens[i + 1]) || !(tokens[i + 2]?.kind === 'punct' && (tokens[i + 2] as { text: string }).text === '{')) continue;
    let depth = 0;
    for (let j = i + 2; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (t.kind === 'punct' && '{[('.includes(t.text)) depth++;
      else if (t.kind === 'punct' && '}])'.includes(t.text)) {
        depth--;
        if (depth === 0) break;
      } else if (depth === 1 && isAssign(tokens[j + 1])) {
        const key = keyText(t);
        if (key?.startsWith(githubClaimPrefix)) found.push({ claim: key.slice(githubClaimPrefix.length), operator, file, line: t.line });
      }
    }
  }
  return found;
}

/**
 * Checks how the roles module trusts GitHub's tokens: `StringEquals` on both `…:aud` and `…:sub`, nothing looser
 * (`StringLike`, `ForAllValues:…`, `ForAnyValue:…`). Reads every `.tf` file of terraform/modules/github-oidc-roles.
 */
export function checkTrustConditions(files: RepositoryFiles): Finding[] {
  const moduleFiles = [...files.keys()].filter((path) => path.startsWith(`${rolesModuleDir}/`) && path.endsWith('.tf'));
  if (moduleFiles.length === 0) {
    return [{ file: `${rolesModuleDir}/main.tf`, message: 'is missing: cannot check how the roles trust GitHub tokens' }];
  }
  const findings: Finding[] = [];
  const conditions: ClaimCondition[] = [];
  for (const file of moduleFiles) {
    const text = files.get(file)!;
    try {
      conditions.push(...conditionBlocks(file, parseHcl(text)), ...conditionObjects(file, tokenizeHcl(text)));
    } catch (error) {
      if (!(error instanceof HclSyntaxError)) throw error;
      findings.push({ file, message: `cannot parse (${error.message}): the trust conditions cannot be checked` });
    }
  }
  for (const claim of ['aud', 'sub']) {
    if (!conditions.some((c) => c.claim === claim)) {
      findings.push({
        file: `${rolesModuleDir}/main.tf`,
        message: `no condition on ${githubClaimPrefix}${claim} found: the trust policy must match it with StringEquals`,
      });
    }
  }
  for (const condition of conditions) {
    if ((condition.claim === 'aud' || condition.claim === 'sub') && condition.operator !== 'StringEquals') {
      findings.push({
        file: condition.file,
        message: `matches ${githubClaimPrefix}${condition.claim} with ${condition.operator} (line ${condition.line}): use StringEquals, so only the exact audience and subjects are trusted`,
      });
    }
  }
  return findings;
}
