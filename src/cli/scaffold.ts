import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { resolveOptions } from '../options/index.js';
import { renderRepository } from '../render/render-repository.js';
import { UsageError, type ParsedArgs } from './args.js';
import { readGitRemote } from './git-remote.js';
import { directoryInWords, displayPath, nextSteps } from './next-steps.js';
import { commitFirstVersion, existingEntries, installService, listEntries, printDryRunFiles, resolveFlagsOnly, writeScaffold, type Io } from './scaffold-steps.js';

export type { Io } from './scaffold-steps.js';

/**
 * parse → validate → (prompt → confirm) → write → install → git → next steps. Bad input is found before anything
 * touches the disk: the target directory is not even created. With --create-github-repo, see scaffoldWithGithub.
 */
export async function scaffold(args: ParsedArgs, io: Io): Promise<number> {
  if (!args.directory) throw new UsageError('missing <directory>: where to create the repository, e.g. create-ec2-oidc-pipeline my-service');
  if (args.github) {
    // Loaded only here: Octokit and the GitHub steps are for --create-github-repo alone.
    const { scaffoldWithGithub } = await import('./scaffold-with-github.js');
    return scaffoldWithGithub(args, args.github, io);
  }
  const directory = resolve(io.cwd, args.directory);
  const interactive = io.interactive && !args.yes;
  // The origin remote only supplies defaults for the GitHub owner and repository: no need to run git when both are given.
  const needsRemote = args.flags.githubOwner === undefined || args.flags.githubRepo === undefined;
  const gitRemote = needsRemote ? ((await readGitRemote(existsSync(directory) ? directory : io.cwd)) ?? undefined) : undefined;
  const context = { directory: basename(directory), gitRemote };

  // Every flag is checked before any prompt, so a typo fails fast even in interactive runs.
  const preflight = resolveFlagsOnly(args.flags, context, interactive);
  const entries = existingEntries(directory);
  if (entries.length > 0 && !interactive && !args.force && !args.dryRun) {
    throw new UsageError(`${displayPath(io.cwd, directory)} is not empty (${listEntries(entries)}); choose an empty directory, or pass --force to overwrite`);
  }

  if (args.dryRun) {
    printDryRunFiles(io, directory, renderRepository(preflight ?? resolveOptions(args.flags, context)));
    return 0;
  }

  const where = displayPath(io.cwd, directory);
  const confirmation = { say: io.out, question: (files: number) => `Write ${files} files to ${directoryInWords(where)}?` };
  const written = await writeScaffold(directory, { flags: args.flags, context, interactive, confirmation }, args.force);
  if (!written) return 1;
  if (!args.skipInstall && !(await installService(directory, io))) return 1;
  const committed = !args.skipGit && (await commitFirstVersion(directory, io));
  io.out(nextSteps(written.options, where, { committed }));
  return 0;
}
