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
