import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { createEnv } from 'yeoman-environment';
import AppGenerator, { type AppGeneratorOptions } from '../generator/app-generator.js';
import { resolveOptions, type ResolvedOptions } from '../options/index.js';
import { renderRepository } from '../render/render-repository.js';
import type { RenderedFile } from '../render/rendered-file.js';
import { UsageError, type ParsedArgs } from './args.js';
import { readGitRemote } from './git-remote.js';
import { nextSteps } from './next-steps.js';

export interface Io {
  readonly cwd: string;
  readonly interactive: boolean;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Entries that make a directory "not empty"; a bare `.git` (a fresh clone) does not. */
function existingEntries(directory: string): string[] {
  if (!existsSync(directory)) return [];
  if (!statSync(directory).isDirectory()) throw new UsageError(`${directory} exists and is not a directory; choose another path`);
  return readdirSync(directory).filter((entry) => entry !== '.git');
}

async function insideGitWorkTree(directory: string): Promise<boolean> {
  const probe = existsSync(directory) ? directory : resolve(directory, '..');
  const result = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: probe, reject: false });
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

const formatSize = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

/**
 * parse → validate → (prompt) → write → install → git → next steps. Bad input is found before anything touches
 * the disk: the target directory is not even created.
 */
export async function scaffold(args: ParsedArgs, io: Io): Promise<number> {
  if (!args.directory) throw new UsageError('missing <directory>: where to create the repository, e.g. create-ec2-oidc-pipeline my-service');
  const directory = resolve(io.cwd, args.directory);
  const interactive = io.interactive && !args.yes;
  const gitRemote = (await readGitRemote(existsSync(directory) ? directory : io.cwd)) ?? undefined;
  const context = { directory: basename(directory), gitRemote };

  // Every flag is checked before any prompt, so a typo fails fast even in interactive runs.
  const preflight = resolveFlagsOnly(args, context, interactive);
  const entries = existingEntries(directory);
  if (entries.length > 0 && !interactive && !args.force && !args.dryRun) {
    throw new UsageError(`${relative(io.cwd, directory) || '.'} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose an empty directory, or pass --force to overwrite`);
  }

  if (args.dryRun) {
    const options = preflight ?? resolveOptions(args.flags, context);
    const files = renderRepository(options);
    io.out(`Dry run: would write ${files.length} files to ${directory} (nothing written)`);
    for (const file of files) {
      const exists = existsSync(resolve(directory, file.path));
      io.out(`  ${file.path}  ${formatSize(Buffer.byteLength(file.content))}${exists ? '  (exists)' : ''}`);
    }
    return 0;
  }

  let written: { options: ResolvedOptions; files: readonly RenderedFile[] } | undefined;
  const settings: AppGeneratorOptions = {
    flags: args.flags,
    context,
    interactive,
    onWritten: (options, files) => (written = { options, files }),
  };
  // skipInstall: Yeoman would run `npm install` at the root; we install the service ourselves, and only it.
  const env = createEnv({ cwd: directory, force: args.force, skipInstall: true, skipCache: true, skipLocalCache: true });
  env.register(AppGenerator as never, { namespace: 'create-ec2-oidc-pipeline:app' });
  await env.run(['create-ec2-oidc-pipeline:app'], { settings } as never);
  if (!written) return 1;

  if (!args.skipInstall) {
    io.out('Installing the service dependencies (npm install in service/)…');
    const install = await execa('npm', ['install', '--no-fund', '--no-audit'], { cwd: resolve(directory, 'service'), reject: false, all: true });
    if (install.exitCode !== 0) {
      io.err(install.all ?? '');
      io.err('npm install failed in service/; the repository is written. Fix the error above and run npm install there.');
      return 1;
    }
  }
  if (!args.skipGit) await commitFirstVersion(directory, io);
  io.out(nextSteps(written.options, relative(io.cwd, directory) || '.'));
  return 0;
}

/** Validates the given flags; without prompts to come, also that nothing required is missing. */
function resolveFlagsOnly(args: ParsedArgs, context: Parameters<typeof resolveOptions>[1], interactive: boolean): ResolvedOptions | undefined {
  if (!interactive) return resolveOptions(args.flags, context);
  // Only the values given: missing ones will be asked for.
  const given = Object.fromEntries(Object.entries(args.flags).filter(([, v]) => v !== undefined));
  try {
    return resolveOptions(given, context);
  } catch (error) {
    const problems = (error as { problems?: { key: string; message: string }[] }).problems;
    const wrong = problems?.filter((p) => p.key in given);
    if (wrong && wrong.length > 0) throw error;
    return undefined;
  }
}

async function commitFirstVersion(directory: string, io: Io): Promise<void> {
  if (await insideGitWorkTree(resolve(directory, '..')) || existsSync(resolve(directory, '.git'))) {
    io.out('The directory is inside an existing git repository: review the files and commit them yourself.');
    return;
  }
  const git = (args: string[], env: Record<string, string> = {}) => execa('git', args, { cwd: directory, env });
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['add', '--all']);
  const identity = await execa('git', ['config', 'user.email'], { cwd: directory, reject: false });
  // Without a configured identity git refuses to commit; say who made it rather than failing the scaffold.
  const fallback: Record<string, string> = identity.exitCode === 0 && identity.stdout.trim() !== ''
    ? {}
    : { GIT_AUTHOR_NAME: 'create-ec2-oidc-pipeline', GIT_AUTHOR_EMAIL: 'create-ec2-oidc-pipeline@localhost', GIT_COMMITTER_NAME: 'create-ec2-oidc-pipeline', GIT_COMMITTER_EMAIL: 'create-ec2-oidc-pipeline@localhost' };
  await git(['commit', '--quiet', '--no-verify', '--message', 'Scaffold with create-ec2-oidc-pipeline'], fallback);
}
