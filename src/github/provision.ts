import type { RenderedFile } from '../render/rendered-file.js';
import { ensureBranchProtection } from './branch-protection.js';
import type { GithubSession } from './connect-github.js';
import { ensureEnvironments, resolveReviewers, type Reviewer } from './environments.js';
import { ensureRepository } from './ensure-repository.js';
import type { GithubArgs } from './github-args.js';
import { read, type GithubRepository } from './github-context.js';
import { githubHost } from './github-token.js';
import { pushScaffold, setOrigin } from './push-scaffold.js';
import { requiredChecks } from './required-checks.js';
import { isGithubCloud, readSubjectFormat, type SubjectFormat } from './subject-format.js';
import { ensureEnvironmentVariables, ensureVariables, environmentVariables, repositoryVariables } from './variables.js';

/** What steps 1–2 learned: the repository, the subjects its tokens carry, and the reviewers' ids. */
export interface PreparedRepository {
  readonly repository: GithubRepository;
  readonly subjects: SubjectFormat;
  readonly reviewers: readonly Reviewer[];
}

/**
 * Steps 1–2, before anything is rendered: reviewers resolved (a typo fails before anything exists), the repository
 * created or found to hold only what we create, and its OIDC subject format read so trust policies match it.
 */
export async function prepareRepository(session: GithubSession, args: GithubArgs, name: string, ourCommit?: string): Promise<PreparedRepository> {
  const { ctx } = session;
  const reviewers = await resolveReviewers(ctx, args.reviewers);
  const owner = args.org ?? session.login;
  const repository = await ensureRepository(ctx, { owner, isOrganization: args.org !== undefined, name, visibility: args.visibility, ourCommit });
  const subjects = await readSubjectFormat(ctx, repository);
  return { repository, subjects, reviewers };
}

export interface FinishInput {
  readonly directory: string;
  readonly environments: readonly string[];
  readonly region: string;
  readonly awsAccountId?: string;
  /** Option accounts: each environment's AWS_ACCOUNT_ID, set as that environment's variable. */
  readonly accounts: Readonly<Record<string, string>>;
  /** The rendered files; ci.yml names the status checks `main` requires. */
  readonly files: readonly RenderedFile[];
}

export interface FinishedRepository {
  /** What the plan could not enforce, in plain words; the pipeline stays disabled. */
  readonly limitations: readonly string[];
}

/** `gh … --repo` argument: OWNER/REPO on github.com, HOST/OWNER/REPO on GitHub Enterprise Server. */
export function ghRepoArgument(apiUrl: string, repository: GithubRepository): string {
  return isGithubCloud(apiUrl) ? repository.fullName : `${githubHost(apiUrl)}/${repository.fullName}`;
}

/**
 * Steps 3–6, once the scaffold is committed locally: push, environments, variables (the repository's, then each
 * environment's when environments live in separate accounts), branch protection.
 */
export async function finishRepository(session: GithubSession, prepared: PreparedRepository, input: FinishInput): Promise<FinishedRepository> {
  const { ctx } = session;
  const { repository, reviewers } = prepared;
  const pushed = await pushScaffold(ctx, repository, input.directory);
  await setOrigin(ctx, repository, input.directory, pushed.sha);
  const limitations = await ensureEnvironments(ctx, repository, input.environments, reviewers);
  await ensureVariables(ctx, repository, repositoryVariables(input.region, input.awsAccountId));
  await ensureEnvironmentVariables(ctx, repository, environmentVariables(input.environments, input.accounts));
  limitations.push(...(await ensureBranchProtection(ctx, repository, requiredChecks(input.files), reviewers.length > 0 ? 1 : 0)));
  return { limitations };
}

/** What a dry run reads (never writes): the reviewers' ids and whether the repository exists. */
export async function inspectRepository(session: GithubSession, args: GithubArgs, name: string): Promise<{ owner: string; exists: boolean; reviewers: readonly Reviewer[] }> {
  const { ctx } = session;
  const reviewers = await resolveReviewers(ctx, args.reviewers);
  const owner = args.org ?? session.login;
  const existing = await read(ctx, `read ${owner}/${name}`, () => ctx.octokit.rest.repos.get({ owner, repo: name }));
  return { owner, exists: existing !== undefined, reviewers };
}
