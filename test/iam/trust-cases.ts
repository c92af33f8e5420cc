import type { ResolvedOptions } from '../../src/options/index.js';
import type { AppliedRole } from './applied-roles.js';
import { trustAllows, type WebIdentity } from './simulator.js';

/** The GitHub OIDC provider of an account: every account that hosts an environment has its own. */
export const githubProviderOf = (accountId: string) => `arn:aws:iam::${accountId}:oidc-provider/token.actions.githubusercontent.com`;

export const account = '123456789012';
export const githubProvider = githubProviderOf(account);
const audience = 'sts.amazonaws.com';

export interface TrustCase {
  readonly label: string;
  readonly token: WebIdentity;
}

export interface TrustMatrix {
  readonly intended: readonly TrustCase[];
  readonly hostile: readonly TrustCase[];
}

/** `repo:OWNER/REPO`, or `repo:OWNER@ID/REPO@ID` with immutable subjects: written here independently of the generator. */
export function subjectPrefix(options: ResolvedOptions): string {
  const { githubOwner: owner, githubRepo: repo, githubOwnerId: ownerId, githubRepoId: repoId } = options;
  return ownerId && repoId ? `repo:${owner}@${ownerId}/${repo}@${repoId}` : `repo:${owner}/${repo}`;
}

/**
 * The tokens a role must accept (its own subjects) and at least a dozen it must refuse: forks, look-alike owners and
 * repositories (prefix and suffix), other branches and tags, other environments, pull requests for roles that write,
 * case variants, near-miss subjects, a wrong or missing audience, another account's provider, another provider.
 */
export function trustMatrix(options: ResolvedOptions, role: { kind: 'plan' | 'deploy' | 'infra'; environment?: string }, provider = githubProvider): TrustMatrix {
  const token = (sub: string | undefined, overrides: Partial<WebIdentity> = {}): WebIdentity => ({
    provider,
    aud: audience,
    ...(sub === undefined ? {} : { sub }),
    ...overrides,
  });
  const roleAccount = provider.split(':')[4]!;
  const prefix = subjectPrefix(options);
  const { githubOwner: owner, githubRepo: repo, githubOwnerId: ownerId, githubRepoId: repoId } = options;
  const ownerPart = ownerId ? `${owner}@${ownerId}` : owner;
  const repoPart = repoId ? `${repo}@${repoId}` : repo;
  const withOwner = (o: string) => `repo:${o}/${repoPart}`;
  const withRepo = (r: string) => `repo:${ownerPart}/${r}`;

  const suffixes = role.kind === 'plan' ? [':pull_request', ':ref:refs/heads/main'] : [`:environment:${role.environment!}`];
  const intendedSubjects = suffixes.map((suffix) => `${prefix}${suffix}`);
  const suffix = suffixes[suffixes.length - 1]!;
  const own = intendedSubjects[intendedSubjects.length - 1]!;

  const hostile: TrustCase[] = [
    { label: 'a fork', token: token(`${withOwner('evil')}${suffix}`) },
    { label: 'a fork, from its pull request', token: token(`${withOwner('evil')}:pull_request`) },
    { label: 'a look-alike owner (suffix)', token: token(`${withOwner(`${ownerPart}-evil`)}${suffix}`) },
    { label: 'a look-alike owner (prefix)', token: token(`${withOwner(`evil${ownerPart}`)}${suffix}`) },
    { label: 'a look-alike repository (suffix)', token: token(`${withRepo(`${repoPart}-fork`)}${suffix}`) },
    { label: 'a look-alike repository (prefix)', token: token(`${withRepo(`x${repoPart}`)}${suffix}`) },
    { label: 'another branch', token: token(`${prefix}:ref:refs/heads/feature`) },
    { label: 'a branch named like main', token: token(`${prefix}:ref:refs/heads/main-hotfix`) },
    { label: 'a tag', token: token(`${prefix}:ref:refs/tags/v1.0.0`) },
    { label: 'the owner in upper case', token: token(`${withOwner(ownerPart.toUpperCase())}${suffix}`) },
    { label: 'the whole subject in upper case', token: token(own.toUpperCase()) },
    { label: 'its subject with something appended', token: token(`${own}:x`) },
    { label: 'its subject with a character missing', token: token(own.slice(0, -1)) },
    { label: 'its subject, for another audience', token: token(own, { aud: 'https://github.com/' + owner }) },
    { label: 'its subject, for a look-alike audience', token: token(own, { aud: `${audience}.evil.example` }) },
    { label: 'its subject, with no audience', token: { provider, sub: own } },
    { label: 'no subject at all', token: token(undefined) },
    { label: 'its subject, from another account’s provider', token: token(own, { provider: 'arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com' }) },
    { label: 'its subject, from another provider in this account', token: token(own, { provider: `arn:aws:iam::${roleAccount}:oidc-provider/gitlab.com` }) },
    { label: 'a workflow-level environment job of a reusable workflow elsewhere', token: token(`repo:evil/shared-workflows${suffix}`) },
  ];
  if (ownerId && repoId) {
    // A repository created under the same names after this one was deleted or renamed presents name-based subjects.
    hostile.push({ label: 'the same names without the immutable ids', token: token(`repo:${owner}/${repo}${suffix}`) });
    hostile.push({ label: 'another owner id', token: token(`repo:${owner}@${ownerId}1/${repoPart}${suffix}`) });
  }
  if (role.kind === 'plan') {
    for (const environment of options.environments) {
      hostile.push({ label: `a job in environment ${environment}`, token: token(`${prefix}:environment:${environment}`) });
    }
  } else {
    const env = role.environment!;
    hostile.push(
      { label: 'a pull request (must never reach a role that can write)', token: token(`${prefix}:pull_request`) },
      { label: 'main without the environment', token: token(`${prefix}:ref:refs/heads/main`) },
      { label: 'the environment name capitalised', token: token(`${prefix}:environment:${env[0]!.toUpperCase()}${env.slice(1)}`) },
      { label: 'a look-alike environment (suffix)', token: token(`${prefix}:environment:${env}-eu`) },
      { label: 'a look-alike environment (a prefix of it)', token: token(`${prefix}:environment:${env.slice(0, -1)}`) },
    );
    for (const other of options.environments.filter((e) => e !== env)) {
      hostile.push({ label: `another environment (${other})`, token: token(`${prefix}:environment:${other}`) });
    }
  }
  return {
    intended: intendedSubjects.map((sub) => ({ label: `its own subject ${sub}`, token: token(sub) })),
    hostile,
  };
}

/** What is wrong with a role's trust: intended tokens it refuses, hostile ones it accepts. Empty: it holds. */
export function trustFindings(role: AppliedRole, matrix: TrustMatrix): string[] {
  return [
    ...matrix.intended.filter((c) => !trustAllows(role.trust, role.arn, c.token)).map((c) => `${role.name} refuses ${c.label}`),
    ...matrix.hostile
      .filter((c) => trustAllows(role.trust, role.arn, c.token))
      .map((c) => `${role.name} accepts ${c.label} (sub ${c.token.sub ?? '(none)'}, aud ${c.token.aud ?? '(none)'}, ${c.token.provider})`),
  ];
}

/**
 * Findings of every GitHub-assumed role of a scaffold of one account, as applied: the plan role and each environment's
 * deploy and infra roles against their matrices (each with at least 12 hostile tokens), and their one-hour sessions.
 * Empty when each accepts exactly its intended subjects.
 */
export function appliedTrustFindings(
  options: ResolvedOptions,
  plan: AppliedRole,
  environments: Readonly<Record<string, { readonly deploy: AppliedRole; readonly infra: AppliedRole }>>,
): string[] {
  const found: string[] = [];
  const check = (role: AppliedRole, matrix: TrustMatrix) => {
    if (matrix.hostile.length < 12) found.push(`${role.name}: only ${matrix.hostile.length} hostile tokens tried`);
    if (role.maxSessionDuration !== 3600) found.push(`${role.name}: sessions of ${role.maxSessionDuration} s`);
    found.push(...trustFindings(role, matrix));
  };
  check(plan, trustMatrix(options, { kind: 'plan' }));
  for (const env of options.environments) {
    for (const kind of ['deploy', 'infra'] as const) check(environments[env]![kind], trustMatrix(options, { kind, environment: env }));
  }
  return found;
}
