import { execa } from 'execa';
import { isGithubInitialCommit } from './ensure-repository.js';
import { call, read, type GithubContext, type GithubRepository } from './github-context.js';
import { GithubError } from './github-error.js';
import { readLocalBlob, readLocalCommit, readLocalTree } from './local-commit.js';

export const mainBranch = 'main';

export interface PushResult {
  readonly sha: string;
  /** Objects and refs this run wrote (zero on a re-run that found them). */
  readonly written: { blobs: number; trees: number; commit: boolean; ref: boolean };
}

/** Checks that GitHub stored an object under the SHA git computed locally; anything else would be a different commit. */
function expectSha(kind: string, expected: string, actual: string): void {
  if (actual !== expected) throw new GithubError(`GitHub stored the scaffold's ${kind} as ${actual}, not ${expected} as git did; main was not moved`);
}

/** A repository without any commit (created elsewhere, without auto_init) gets GitHub's usual first commit, so the Git Data API works. */
async function ensureFirstCommit(ctx: GithubContext, repository: GithubRepository): Promise<void> {
  const { owner, name } = repository;
  const branches = await call(ctx, `list the branches of ${repository.fullName}`, () => ctx.octokit.rest.repos.listBranches({ owner, repo: name, per_page: 100 }));
  if (branches.length > 0) return;
  await call(ctx, `give the empty ${repository.fullName} a first commit`, () =>
    ctx.octokit.rest.repos.createOrUpdateFileContents({ owner, repo: name, path: 'README.md', message: 'Initial commit', content: Buffer.from(`# ${name}\n`).toString('base64') }),
  );
}

/**
 * Step 3: the local HEAD (the scaffold's only commit) becomes `main` on GitHub, object by object — blobs, trees,
 * commit, ref — each read first, so a re-run writes only what is missing. Git objects are addressed by content, so
 * the same tree, parents, people, dates and message give the same commit SHA as local HEAD; every SHA is checked.
 */
export async function pushScaffold(ctx: GithubContext, repository: GithubRepository, directory: string): Promise<PushResult> {
  const { owner, name, fullName } = repository;
  const local = await readLocalCommit(directory);
  if (local.parents.length > 0) throw new GithubError(`HEAD of ${directory} has parents; only the scaffold's first commit is pushed — push later commits with git`);
  await ensureFirstCommit(ctx, repository);
  const written = { blobs: 0, trees: 0, commit: false, ref: false };
  const getRef = () => read(ctx, `read ${mainBranch} of ${fullName}`, () => ctx.octokit.rest.git.getRef({ owner, repo: name, ref: `heads/${mainBranch}` }));
  const remoteMain = (await getRef())?.object.sha;
  if (remoteMain !== local.sha) {
    const seen = new Set<string>();
    const ensureBlob = async (sha: string) => {
      if (seen.has(sha)) return;
      seen.add(sha);
      if (await read(ctx, `read blob ${sha.slice(0, 7)}`, () => ctx.octokit.rest.git.getBlob({ owner, repo: name, file_sha: sha }))) return;
      const content = (await readLocalBlob(directory, sha)).toString('base64');
      const blob = await call(ctx, `upload a file of the scaffold to ${fullName}`, () => ctx.octokit.rest.git.createBlob({ owner, repo: name, content, encoding: 'base64' }));
      expectSha('blob', sha, blob.sha);
      written.blobs += 1;
    };
    const ensureTree = async (sha: string): Promise<void> => {
      if (seen.has(sha)) return;
      seen.add(sha);
      if (await read(ctx, `read tree ${sha.slice(0, 7)}`, () => ctx.octokit.rest.git.getTree({ owner, repo: name, tree_sha: sha }))) return;
      const entries = await readLocalTree(directory, sha);
      for (const entry of entries) {
        if (entry.type === 'tree') await ensureTree(entry.sha);
        else if (entry.type === 'blob') await ensureBlob(entry.sha);
        else throw new GithubError(`the scaffold holds a submodule (${entry.name}); the API push does not carry submodules`);
      }
      const tree = entries.map((entry) => ({ path: entry.name, mode: entry.mode as '100644', type: entry.type as 'blob', sha: entry.sha }));
      const created = await call(ctx, `create a tree of the scaffold in ${fullName}`, () => ctx.octokit.rest.git.createTree({ owner, repo: name, tree }));
      expectSha('tree', sha, created.sha);
      written.trees += 1;
    };
    if (!(await read(ctx, `read commit ${local.sha.slice(0, 7)}`, () => ctx.octokit.rest.git.getCommit({ owner, repo: name, commit_sha: local.sha })))) {
      await ensureTree(local.tree);
      const { message, tree, author, committer } = local;
      const commit = await call(ctx, `create the scaffold's commit in ${fullName}`, () =>
        ctx.octokit.rest.git.createCommit({ owner, repo: name, message, tree, parents: [], author, committer }),
      );
      expectSha('commit', local.sha, commit.sha);
      written.commit = true;
    }
    // Re-read right before the forced move: only GitHub's first commit may be replaced.
    const current = (await getRef())?.object.sha;
    if (current === undefined) {
      await call(ctx, `create ${mainBranch} in ${fullName}`, () => ctx.octokit.rest.git.createRef({ owner, repo: name, ref: `refs/heads/${mainBranch}`, sha: local.sha }));
    } else if (current !== local.sha) {
      if (!(await isGithubInitialCommit(ctx, repository, current))) {
        throw new GithubError(`${mainBranch} of ${fullName} moved to ${current.slice(0, 7)} while this command ran; it is not overwritten`);
      }
      await call(ctx, `point ${mainBranch} of ${fullName} at the scaffold`, () =>
        ctx.octokit.rest.git.updateRef({ owner, repo: name, ref: `heads/${mainBranch}`, sha: local.sha, force: true }),
      );
    }
    written.ref = true;
  }
  await ensureDefaultBranch(ctx, repository);
  ctx.say(
    written.ref
      ? `GitHub: pushed the scaffold to ${mainBranch} as ${local.sha.slice(0, 7)}, the same commit as local HEAD (${written.blobs} blobs, ${written.trees} trees uploaded)`
      : `GitHub: ${mainBranch} of ${fullName} already is the scaffold's commit ${local.sha.slice(0, 7)}`,
  );
  return { sha: local.sha, written };
}

/** `main` is the default branch (workflows, branch policies and protection name it), and GitHub's first branch is gone. */
async function ensureDefaultBranch(ctx: GithubContext, repository: GithubRepository): Promise<void> {
  const { owner, name, fullName } = repository;
  const current = await call(ctx, `read ${fullName}`, () => ctx.octokit.rest.repos.get({ owner, repo: name }));
  if (current.default_branch !== mainBranch) {
    await call(ctx, `make ${mainBranch} the default branch of ${fullName}`, () => ctx.octokit.rest.repos.update({ owner, repo: name, default_branch: mainBranch }));
  }
  const branches = await call(ctx, `list the branches of ${fullName}`, () => ctx.octokit.rest.repos.listBranches({ owner, repo: name, per_page: 100 }));
  for (const branch of branches) {
    if (branch.name === mainBranch || !(await isGithubInitialCommit(ctx, repository, branch.commit.sha))) continue;
    await call(ctx, `delete GitHub's first branch ${branch.name} of ${fullName}`, () => ctx.octokit.rest.git.deleteRef({ owner, repo: name, ref: `heads/${branch.name}` }));
  }
}

/** Sets `origin` to the clone URL without credentials and records that `main` is pushed, so `git push` just works. */
export async function setOrigin(ctx: GithubContext, repository: GithubRepository, directory: string, sha: string): Promise<void> {
  const url = new URL(repository.cloneUrl);
  url.username = '';
  url.password = '';
  const cloneUrl = url.toString();
  const git = (args: string[]) => execa('git', args, { cwd: directory, reject: false });
  const current = await git(['remote', 'get-url', 'origin']);
  if (current.exitCode !== 0) {
    await execa('git', ['remote', 'add', 'origin', cloneUrl], { cwd: directory });
  } else if (current.stdout.trim() !== cloneUrl) {
    ctx.say(`GitHub: note: origin is ${current.stdout.trim()}, not ${cloneUrl}; left as it is`);
    return;
  }
  await execa('git', ['update-ref', `refs/remotes/origin/${mainBranch}`, sha], { cwd: directory });
  await execa('git', ['branch', '--quiet', `--set-upstream-to=origin/${mainBranch}`, mainBranch], { cwd: directory });
  ctx.say(`GitHub: origin is ${cloneUrl}`);
}
