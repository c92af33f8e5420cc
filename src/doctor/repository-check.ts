import { readAccounts, type AccountReading } from './account-reader.js';
import type { Finding } from './finding.js';
import { isWorkflowPath, terraformEnvironments, type RepositoryFiles } from './repository-files.js';
import { checkTrustConditions, readTrust, type TrustedRole } from './trust-reader.js';
import { accountIdVariable, analyzeWorkflow, enableVariable, type AnalyzedJob, type RoleAssumption } from './workflow-analysis.js';

/** One line of doctor's table: a job, a subject it can present, the role it assumes with it, and the verdict. */
export interface SubjectRow {
  readonly workflow: string;
  readonly job: string;
  readonly subject: string;
  /** Why the job presents this subject (`environment production`, `pull_request`, `push to main`). */
  readonly because: string;
  readonly role: string | null;
  /** `null` when the job assumes no role, or the role's trust cannot be read. */
  readonly trusted: boolean | null;
  /** With environments in separate accounts: the account the role is assumed in, or `?` when it cannot be told. */
  readonly account: string | null;
}

export interface RepositoryReport {
  readonly rows: readonly SubjectRow[];
  readonly findings: readonly Finding[];
  /** `repo:OWNER/REPO` (or the immutable `repo:OWNER@ID/REPO@ID`) the roles trust, when they agree on one. */
  readonly subjectPrefix: string | null;
  /** Environment → the account its Terraform root allows; empty when every environment lives in one account. */
  readonly accounts: ReadonlyMap<string, string>;
}

const unknownPrefix = 'repo:<OWNER>/<REPO>';

/** The repository the trust policies name; a disagreement between roles is itself a finding. */
function subjectPrefixOf(roles: readonly TrustedRole[], findings: Finding[]): string | null {
  const counts = new Map<string, number>();
  for (const role of roles) {
    for (const subject of role.subjects ?? []) {
      const match = /^(repo:[^:]+):/.exec(subject);
      if (match) counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
    }
  }
  const ranked = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  if (ranked.length > 1) {
    findings.push({
      file: roles[0]!.file,
      message: `the roles trust subjects of more than one repository (${ranked.map(([p]) => p).join(', ')}): every role must trust this repository only`,
    });
  }
  return ranked[0]?.[0] ?? null;
}

/** The environment a job acts on: the one it runs in, else the environment root it works in (plan jobs). */
function environmentOf(job: AnalyzedJob): string | null {
  if (job.environment !== null) return job.environment;
  const root = /^(?:\.\/)?terraform\/environments\/([^/]+)\/?$/.exec(job.workingDirectory ?? '');
  return root ? root[1]! : null;
}

/** The accounts a role exists in: an environment root's roles in that environment's account, the bootstrap's in each. */
function accountsOf(role: TrustedRole, accounts: AccountReading): readonly string[] {
  const root = /^terraform\/environments\/([^/]+)\//.exec(role.file);
  if (!root) return accounts.bootstrap.length > 0 ? accounts.bootstrap : [...new Set(accounts.environments.values())];
  const account = accounts.environments.get(root[1]!);
  return account ? [account] : [];
}

/**
 * With environments in separate accounts: the account a job's role ARN resolves to, checked against the account the
 * job's environment lives in and the accounts the role is created in. Returns the account for the report's column.
 */
function checkAccount(job: AnalyzedJob, assumption: RoleAssumption, role: TrustedRole | undefined, accounts: AccountReading, findings: Finding[]): string {
  const at = { file: job.file, job: job.label };
  const environment = environmentOf(job);
  const expected = environment === null ? undefined : accounts.environments.get(environment);
  const where = environment === null ? '' : ` (terraform/environments/${environment})`;
  const account = assumption.account;
  let resolved: string | undefined;
  if (account === null) {
    findings.push({ ...at, message: `assumes ${assumption.raw}, a bare role name: write the role's ARN with its account, so the account it is assumed in can be checked` });
  } else if (account.kind === 'literal') {
    resolved = account.id;
    if (expected !== undefined && account.id !== expected) {
      findings.push({ ...at, message: `assumes ${assumption.roleName ?? 'its role'} in account ${account.id}, but ${environment} lives in account ${expected}${where}` });
    }
  } else if (account.kind === 'variable' && account.name === accountIdVariable && job.environment !== null) {
    // The environment's own variable, which must hold the account its root allows (doctor cannot read GitHub).
    resolved = expected;
  } else if (account.kind === 'variable' && account.name === accountIdVariable) {
    findings.push({
      ...at,
      message: `builds its role ARN from vars.${accountIdVariable} but runs without an environment, so it reads the repository's variable, one account for all environments: ${
        expected === undefined ? 'write the account of the environment it acts on' : `write ${environment}'s account, ${expected}, in the ARN`
      }`,
    });
  } else {
    const text = account.kind === 'variable' ? `vars.${account.name}` : account.text;
    findings.push({ ...at, message: `assumes its role in account "${text}", which doctor cannot tell: write the account literally, or take it from the environment's ${accountIdVariable}` });
  }
  if (resolved !== undefined && role) {
    const lives = accountsOf(role, accounts);
    if (lives.length > 0 && !lives.includes(resolved)) {
      findings.push({ ...at, message: `assumes ${role.name} in account ${resolved}, but ${role.name} is created in account ${lives.join(', ')} only (${role.file})` });
    }
  }
  return resolved ?? '?';
}

function checkJob(job: AnalyzedJob, roles: readonly TrustedRole[], environments: readonly string[], accounts: AccountReading, prefix: string | null, rows: SubjectRow[], findings: Finding[]): void {
  const workflow = job.file.slice(job.file.lastIndexOf('/') + 1);
  const at = { file: job.file, job: job.label };
  if (job.unresolvedEnvironment !== null) {
    findings.push({ ...at, message: `runs in environment "${job.unresolvedEnvironment}", which doctor cannot resolve: name the environment literally` });
  }
  if (job.environment !== null && !environments.includes(job.environment)) {
    findings.push({
      ...at,
      message: `runs in GitHub environment "${job.environment}", which has no terraform/environments/${job.environment}: no role trusts it, and GitHub creates a missing environment unprotected`,
    });
  }
  if (job.writeAll) findings.push({ ...at, message: 'has permissions: write-all: grant only what the job needs (contents: read, and id-token: write if it assumes a role)' });
  if (job.assumes.length === 0) {
    if (job.idTokenWrite && !job.writeAll) findings.push({ ...at, message: 'has id-token: write but assumes no role: remove it' });
    rows.push({ workflow, job: job.label, subject: '(assumes no role)', because: '', role: null, trusted: null, account: null });
    return;
  }
  if (!job.idTokenWrite) {
    findings.push({
      ...at,
      message: job.hasJobPermissions
        ? 'assumes a role but its permissions lack id-token: write: add it to the job'
        : 'assumes a role but sets no job-level permissions: add permissions: { contents: read, id-token: write } to the job',
    });
  }
  if (!job.guarded) {
    findings.push({ ...at, message: `touches AWS without the switch: start its if: with vars.${enableVariable} == 'true'` });
  }
  for (const assumption of job.assumes) {
    if (assumption.raw === '') {
      findings.push({ ...at, message: 'configures AWS credentials without role-to-assume: use OIDC and a role, never stored keys' });
      continue;
    }
    if (assumption.roleName === null) {
      findings.push({ ...at, message: `assumes "${assumption.raw}", a role known only at run time: write the role name literally so its trust can be checked` });
      continue;
    }
    const role = roles.find((r) => r.name === assumption.roleName);
    const account = accounts.environments.size > 0 ? checkAccount(job, assumption, role, accounts, findings) : null;
    if (!role) {
      findings.push({ ...at, message: `assumes role ${assumption.roleName}, which no module "github_oidc_roles" in terraform/ declares` });
    } else if (role.subjects === null) {
      findings.push({ ...at, message: `assumes role ${role.name}: cannot read trust for role ${role.name} (${role.file}:${role.line})` });
    }
    if (job.subjects.length === 0) {
      rows.push({ workflow, job: job.label, subject: '(never runs)', because: '', role: assumption.roleName, trusted: null, account });
      continue;
    }
    for (const presented of job.subjects) {
      const subject = `${prefix ?? unknownPrefix}${presented.suffix}`;
      const trusted = role?.subjects ? presented.exact && role.subjects.includes(subject) : null;
      rows.push({ workflow, job: job.label, subject, because: presented.because, role: assumption.roleName, trusted, account });
      if (trusted !== false) continue;
      const trusts = role!.subjects!.length > 0 ? role!.subjects!.join(', ') : 'nothing';
      findings.push({
        ...at,
        message: presented.exact
          ? `presents ${subject} (${presented.because}), which role ${role!.name} does not trust (it trusts ${trusts})`
          : `can run on ${presented.because} and then presents ${subject}, which role ${role!.name} cannot trust (it trusts ${trusts}): restrict the job with if: github.ref == 'refs/heads/main', or run it in an environment`,
      });
    }
  }
}

/**
 * The whole check, on files in memory: who each job claims to be, whether the role it assumes trusts exactly that,
 * and the workflow hygiene that keeps it so. Doctor and the test suite both run this.
 */
export function checkRepository(files: RepositoryFiles): RepositoryReport {
  const trust = readTrust(files);
  const accounts = readAccounts(files);
  const findings: Finding[] = [...trust.findings, ...checkTrustConditions(files), ...accounts.findings];
  const prefix = subjectPrefixOf(trust.roles, findings);
  const environments = terraformEnvironments(files);
  const rows: SubjectRow[] = [];
  const workflows = [...files.keys()].filter(isWorkflowPath).sort();
  for (const file of workflows) {
    const analysis = analyzeWorkflow(file, files.get(file)!);
    findings.push(...analysis.findings);
    for (const job of analysis.jobs) checkJob(job, trust.roles, environments, accounts, prefix, rows, findings);
  }
  const unnamed = accounts.environments.size > 0 ? environments.filter((env) => !accounts.environments.has(env)) : [];
  for (const env of unnamed) {
    findings.push({ file: `terraform/environments/${env}/versions.tf`, message: `names no account (allowed_account_ids) while other environments do: name the account ${env} lives in` });
  }
  return { rows, findings, subjectPrefix: prefix, accounts: accounts.environments };
}
