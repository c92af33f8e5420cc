import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  connectGithub,
  discoverGithubToken,
  finishRepository,
  formatPlannedCall,
  githubApiUrl,
  GithubError,
  ghRepoArgument,
  inspectRepository,
  plannedCalls,
  prepareRepository,
  redactError,
  redactOutput,
  tokenPermissions,
  type GithubArgs,
  type PreparedRepository,
} from '../github/index.js';
import { resolveOptions } from '../options/index.js';
import { renderRepository } from '../render/render-repository.js';
import { UsageError, type ParsedArgs } from './args.js';
import { differingFile, earlierScaffold } from './earlier-scaffold.js';
import { directoryInWords, displayPath, nextSteps } from './next-steps.js';
import {
  commitFirstVersion,
  existingEntries,
  insideGitWorkTree,
  installService,
  listEntries,
  printDryRunFiles,
  resolveFlagsOnly,
  writeScaffold,
  type Io,
  type Written,
} from './scaffold-steps.js';

/** Flag combinations that cannot work with --create-github-repo: one line each, before anything happens. */
function checkFlags(args: ParsedArgs, github: GithubArgs): void {
  if (args.skipGit) throw new UsageError('--skip-git: --create-github-repo pushes the scaffold as its first commit; drop --skip-git');
  if (args.force) throw new UsageError('--force: --create-github-repo never overwrites; use an empty directory (or the one an earlier run left, to resume)');
  for (const [key, flag] of [['githubOwnerId', 'github-owner-id'], ['githubRepoId', 'github-repo-id']] as const) {
    if (args.flags[key] !== undefined) throw new UsageError(`--${flag}: with --create-github-repo the ids are read from GitHub; drop --${flag}`);
  }
  if (github.awsAccountId && args.flags.accounts !== undefined) {
    throw new UsageError("--aws-account-id: with --accounts, each environment's AWS_ACCOUNT_ID comes from --accounts (as an environment variable); drop --aws-account-id");
  }
  const owner = args.flags.githubOwner;
  if (typeof owner === 'string' && github.org && owner.toLowerCase() !== github.org.toLowerCase()) {
    throw new UsageError(`--github-owner ${owner} and --github-org ${github.org} disagree; with --create-github-repo, --github-org names the owner`);
  }
}

/** The options that name the repository as GitHub reported it: its subjects are what the trust policies pin. */
function subjectFlags(subjects: PreparedRepository['subjects']) {
  return { githubOwner: subjects.owner, githubRepo: subjects.repo, ...(subjects.ids ? { githubOwnerId: subjects.ids.ownerId, githubRepoId: subjects.ids.repoId } : {}) };
}

/**
 * parse → validate → token → (prompt → confirm) → GitHub steps 1–2 (repository, OIDC subject format) → render and write with those
 * subjects → install → commit → GitHub steps 3–6 (push, environments, variables, branch protection) → next steps.
 * Re-running after a failure resumes: the scaffold an earlier run committed is reused, and every GitHub step reads
 * before it writes.
 */
export async function scaffoldWithGithub(args: ParsedArgs, github: GithubArgs, given: Io): Promise<number> {
  const directory = resolve(given.cwd, args.directory!);
  const where = displayPath(given.cwd, directory);
  const interactive = given.interactive && !args.yes;
  checkFlags(args, github);
  // The repository is named by --github-repo, else after the directory; its owner is --github-org or the token's user.
  const repoName = typeof args.flags.githubRepo === 'string' ? args.flags.githubRepo : basename(directory);
  const context = { directory: basename(directory) };
  const baseFlags = { ...args.flags, githubRepo: repoName, ...(github.org ? { githubOwner: github.org } : {}) };
  resolveFlagsOnly(baseFlags, context, interactive, ['githubOwner']);
  const entries = existingEntries(directory);
  const earlier = entries.length > 0 ? await earlierScaffold(directory) : undefined;
  if (entries.length > 0 && !earlier) {
    throw new UsageError(`${where} is not empty (${listEntries(entries)}); --create-github-repo needs an empty directory, or the scaffold an earlier run left there`);
  }
  if (!earlier && existsSync(join(directory, '.git'))) {
    throw new UsageError(`${where} is already a git repository; --create-github-repo makes the scaffold's first commit itself: use an empty directory`);
  }
  if (!earlier && (await insideGitWorkTree(resolve(directory, '..')))) {
    throw new UsageError(`${where} is inside a git repository; --create-github-repo makes the scaffold a repository of its own: choose a directory outside it`);
  }

  const env = given.env ?? process.env;
  const token = await discoverGithubToken(env, githubApiUrl(env));
  if (!token) throw new UsageError(`--create-github-repo needs a GitHub token: set GH_TOKEN or GITHUB_TOKEN, or sign in with \`gh auth login\`; it needs ${tokenPermissions}`);
  const io = redactOutput(given, token.value);
  let written = earlier !== undefined;
  try {
    const session = await connectGithub(token, env, io.out, github.reviewers.some((r) => r.includes('/')));
    const owner = github.org ?? session.login;
    if (typeof args.flags.githubOwner === 'string' && args.flags.githubOwner.toLowerCase() !== owner.toLowerCase()) {
      throw new UsageError(`--github-owner ${args.flags.githubOwner} is not the token's user ${owner}; for an organization pass --github-org ${args.flags.githubOwner}`);
    }

    if (args.dryRun) {
      const options = resolveOptions({ ...baseFlags, githubOwner: owner }, context);
      const files = renderRepository(options);
      const found = await inspectRepository(session, github, repoName);
      io.out('Dry run: GitHub writes a real run would make (only reads were made; nothing is created or changed):');
      if (found.exists) io.out(`  ${owner}/${repoName} exists: a real run first checks it holds nothing but GitHub's first commit or this scaffold (refusing otherwise), and writes only what is missing`);
      const calls = plannedCalls({ owner, isOrganization: github.org !== undefined, name: repoName, visibility: github.visibility, repositoryExists: found.exists, files, environments: options.environments, reviewers: found.reviewers, region: options.region, awsAccountId: github.awsAccountId, accounts: options.accounts ?? {} });
      for (const call of calls) io.out(`  ${formatPlannedCall(call)}`);
      io.out('  (the trust policies are rendered after GitHub reports the repository\'s OIDC subject format: names, or immutable ids)');
      printDryRunFiles(io, directory, files);
      return 0;
    }

    let prepared: PreparedRepository | undefined;
    let result: Written;
    if (earlier) {
      prepared = await prepareRepository(session, github, repoName, earlier);
      const options = resolveOptions({ ...baseFlags, ...subjectFlags(prepared.subjects) }, context);
      const files = renderRepository(options);
      const differs = await differingFile(directory, earlier, files);
      if (differs) throw new UsageError(`${where} holds the scaffold of an earlier run, but its ${differs} differs from what these flags render; pass the same flags as that run, or use an empty directory`);
      io.out(`Resuming: ${where} holds the scaffold an earlier run committed (${earlier.slice(0, 7)}); it is not written again`);
      result = { options, files };
    } else {
      // Asked and confirmed before GitHub is touched; the repository is created once the answer is yes, and the files
      // are rendered with the subjects GitHub then reports for it.
      const confirmation = {
        say: io.out,
        question: (files: number) => `Create the ${github.visibility} GitHub repository ${owner}/${repoName}, write ${files} files to ${directoryInWords(where)} and push them?`,
      };
      const prepare = async () => {
        prepared = await prepareRepository(session, github, repoName);
        return subjectFlags(prepared.subjects);
      };
      const out = await writeScaffold(directory, { flags: { ...baseFlags, githubOwner: owner }, context, interactive, confirmation, prepare }, false);
      if (!out || !prepared) return 1;
      written = true;
      result = out;
      if (!args.skipInstall && !(await installService(directory, io))) {
        io.err(`GitHub: ${prepared.repository.fullName} holds nothing of the scaffold yet; once npm install works, remove ${where} and run the same command again (or pass --skip-install)`);
        return 1;
      }
      await commitFirstVersion(directory, io, { unsigned: true });
    }
    const { repository } = prepared;

    const finished = await finishRepository(session, prepared, {
      directory,
      environments: result.options.environments,
      region: result.options.region,
      awsAccountId: github.awsAccountId,
      accounts: result.options.accounts ?? {},
      files: result.files,
    });
    for (const limitation of finished.limitations) io.err(`GitHub: NOT enforced: ${limitation}`);
    if (finished.limitations.length > 0) {
      io.err('GitHub: the pipeline stays disabled (PIPELINE_ENABLED=false); enable it only once you accept or fix what is not enforced above');
    }
    io.out(nextSteps(result.options, where, { committed: true, github: { url: repository.htmlUrl, repoArgument: ghRepoArgument(session.ctx.apiUrl, repository), accountIdSet: github.awsAccountId !== undefined || Object.keys(result.options.accounts ?? {}).length > 0 } }));
    return 0;
  } catch (error) {
    if (error instanceof GithubError) {
      const local = written
        ? `the scaffold in ${where} is kept; run the same command again to finish`
        : `nothing was written locally${error.retryable ? '; run the same command again' : ''}`;
      throw new GithubError(`${error.message}; ${local}`, error.retryable);
    }
    throw redactError(error, token.value);
  }
}
