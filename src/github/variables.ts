import { call, read, type GithubContext, type GithubRepository } from './github-context.js';

export interface RepositoryVariable {
  readonly name: string;
  readonly value: string;
  /** Set only when missing: the operator owns it afterwards (PIPELINE_ENABLED is turned on by hand after `terraform apply`). */
  readonly onlyIfMissing: boolean;
}

/** Step 5's variables; role ARNs are not among them, the workflows build them from AWS_ACCOUNT_ID and the role names. */
export function repositoryVariables(region: string, awsAccountId: string | undefined): RepositoryVariable[] {
  return [
    { name: 'AWS_REGION', value: region, onlyIfMissing: false },
    { name: 'PIPELINE_ENABLED', value: 'false', onlyIfMissing: true },
    ...(awsAccountId ? [{ name: 'AWS_ACCOUNT_ID', value: awsAccountId, onlyIfMissing: false }] : []),
  ];
}

/** Step 5: repository variables the workflows read, each read first and written only when missing or different. */
export async function ensureVariables(ctx: GithubContext, repository: GithubRepository, variables: readonly RepositoryVariable[]): Promise<void> {
  const { owner, name: repo, fullName } = repository;
  const final: string[] = [];
  for (const variable of variables) {
    const { name, value } = variable;
    const existing = await read(ctx, `read the variable ${name} of ${fullName}`, () => ctx.octokit.rest.actions.getRepoVariable({ owner, repo, name }));
    if (!existing) {
      await call(ctx, `set the variable ${name} of ${fullName}`, () => ctx.octokit.rest.actions.createRepoVariable({ owner, repo, name, value }));
    } else if (existing.value !== value) {
      if (variable.onlyIfMissing) {
        final.push(`${name}=${existing.value} (left as it was)`);
        continue;
      }
      await call(ctx, `update the variable ${name} of ${fullName}`, () => ctx.octokit.rest.actions.updateRepoVariable({ owner, repo, name, value }));
    }
    final.push(`${name}=${value}`);
  }
  ctx.say(`GitHub: variables ${final.join(', ')}`);
}

/** A variable of one GitHub environment: a job running in that environment reads it before the repository's. */
export interface EnvironmentVariable {
  readonly environment: string;
  readonly name: string;
  readonly value: string;
}

/**
 * With environments in separate accounts (option accounts): each environment's own AWS_ACCOUNT_ID, which its jobs
 * build role ARNs from. Empty with one account (then AWS_ACCOUNT_ID is a repository variable).
 */
export function environmentVariables(environments: readonly string[], accounts: Readonly<Record<string, string>>): EnvironmentVariable[] {
  return environments.filter((environment) => accounts[environment] !== undefined).map((environment) => ({ environment, name: 'AWS_ACCOUNT_ID', value: accounts[environment]! }));
}

/**
 * Step 5, with accounts: each environment's variables, read first and written only when missing or different. The
 * environments exist already (step 4), as the API needs.
 */
export async function ensureEnvironmentVariables(ctx: GithubContext, repository: GithubRepository, variables: readonly EnvironmentVariable[]): Promise<void> {
  if (variables.length === 0) return;
  const { owner, name: repo, fullName } = repository;
  const final: string[] = [];
  for (const { environment, name, value } of variables) {
    const path = { owner, repo, environment_name: environment, name };
    const existing = await read(ctx, `read the variable ${name} of the environment ${environment} of ${fullName}`, () => ctx.octokit.rest.actions.getEnvironmentVariable(path));
    if (!existing) {
      await call(ctx, `set the variable ${name} of the environment ${environment} of ${fullName}`, () => ctx.octokit.rest.actions.createEnvironmentVariable({ ...path, value }));
    } else if (existing.value !== value) {
      await call(ctx, `update the variable ${name} of the environment ${environment} of ${fullName}`, () => ctx.octokit.rest.actions.updateEnvironmentVariable({ ...path, value }));
    }
    final.push(`${environment}: ${name}=${value}`);
  }
  ctx.say(`GitHub: environment variables ${final.join(', ')}`);
}
