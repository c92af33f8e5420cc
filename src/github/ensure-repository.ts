import { call, read, toRepository, type GithubContext, type GithubRepository } from './github-context.js';
import { GithubError } from './github-error.js';

export interface RepositoryRequest {
  /** The organization, or the token's user. */
  readonly owner: string;
  readonly isOrganization: boolean;
  readonly name: string;
  readonly visibility: 'private' | 'public';
  /** Local HEAD of a scaffold from an earlier run: a branch pointing at it is ours. */
  readonly ourCommit?: string;
}

/**
 * The create call's body. `auto_init` gives the repository a first commit: the Git Data API answers 409 on a
 * repository without one, and the scaffold's commit replaces it.
 */
export function createRepositoryBody(request: Pick<RepositoryRequest, 'name' | 'visibility'>) {
  return { name: request.name, private: request.visibility === 'private', auto_init: true };
}

/** GitHub's `auto_init` commit: no parent, and a tree holding only README.md. Replacing it loses nothing. */
export async function isGithubInitialCommit(ctx: GithubContext, repository: GithubRepository, sha: string): Promise<boolean> {
  const { owner, name } = repository;
  const commit = await call(ctx, `read commit ${sha.slice(0, 7)} of ${repository.fullName}`, () => ctx.octokit.rest.git.getCommit({ owner, repo: name, commit_sha: sha }));
  if (commit.parents.length > 0) return false;
  const tree = await call(ctx, `read the tree of commit ${sha.slice(0, 7)}`, () => ctx.octokit.rest.git.getTree({ owner, repo: name, tree_sha: commit.tree.sha }));
  return tree.tree.length === 1 && tree.tree[0]!.path === 'README.md' && tree.tree[0]!.type === 'blob';
}

/** Describes the first branch holding something we did not create, or undefined when every branch is ours. */
async function foreignContent(ctx: GithubContext, repository: GithubRepository, ourCommit: string | undefined): Promise<string | undefined> {
  const { owner, name } = repository;
  const branches = await call(ctx, `list the branches of ${repository.fullName}`, () => ctx.octokit.rest.repos.listBranches({ owner, repo: name, per_page: 100 }));
  for (const branch of branches) {
    if (branch.commit.sha === ourCommit) continue;
    if (await isGithubInitialCommit(ctx, repository, branch.commit.sha)) continue;
    return `branch ${branch.name} is at ${branch.commit.sha.slice(0, 7)}`;
  }
  return undefined;
}

/**
 * Step 1: the repository exists, created by us or holding nothing but GitHub's first commit and our scaffold. A
 * repository with anything else is refused, never overwritten.
 */
export async function ensureRepository(ctx: GithubContext, request: RepositoryRequest): Promise<GithubRepository> {
  const { owner, name } = request;
  const full = `${owner}/${name}`;
  const existing = await read(ctx, `read ${full}`, () => ctx.octokit.rest.repos.get({ owner, repo: name }));
  if (!existing) {
    const body = createRepositoryBody(request);
    const created = await call(
      ctx,
      `create the repository ${full}`,
      () => (request.isOrganization ? ctx.octokit.rest.repos.createInOrg({ org: owner, ...body }) : ctx.octokit.rest.repos.createForAuthenticatedUser(body)),
      {
        404: request.isOrganization ? `organization "${owner}" does not exist, or the token may not create repositories in it; check --github-org` : undefined,
        422: `cannot create ${full}: the name is taken (the repository exists but the token cannot see it, or GitHub reserves the name); choose another --github-repo`,
      },
    );
    const repository = toRepository(created);
    ctx.say(`GitHub: created ${repository.fullName} (${request.visibility}): ${repository.htmlUrl}`);
    return repository;
  }
  const repository = toRepository(existing);
  if (repository.fullName.toLowerCase() !== full.toLowerCase()) {
    throw new GithubError(`${full} was renamed or transferred to ${repository.fullName}; pass the owner and name of the repository to create`);
  }
  const foreign = await foreignContent(ctx, repository, request.ourCommit);
  if (foreign) {
    throw new GithubError(
      `${repository.fullName} already exists with content this command did not create (${foreign}); it is never overwritten — choose another --github-repo, or move that repository away`,
    );
  }
  ctx.say(`GitHub: ${repository.fullName} exists and holds nothing but what this command creates; continuing`);
  if (repository.private !== (request.visibility === 'private')) {
    ctx.say(`GitHub: note: ${repository.fullName} is ${repository.private ? 'private' : 'public'}, not ${request.visibility}; its visibility is left as it is`);
  }
  return repository;
}
