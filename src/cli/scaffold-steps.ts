import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { createEnv } from 'yeoman-environment';
import AppGenerator, { type AppGeneratorOptions, type RawOptions } from '../generator/app-generator.js';
import { OptionsError, resolveOptions, type DefaultContext, type PipelineOptions, type ResolvedOptions } from '../options/index.js';
import type { RenderedFile } from '../render/rendered-file.js';
import { UsageError } from './args.js';
import { scaffoldCommitMessage } from './earlier-scaffold.js';

export interface Io {
  readonly cwd: string;
  readonly interactive: boolean;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Where the GitHub token and API URL are read from; process.env when absent. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Entries that make a directory "not empty"; a bare `.git` (a fresh clone) does not. */
export function existingEntries(directory: string): string[] {
  if (!existsSync(directory)) return [];
  if (!statSync(directory).isDirectory()) throw new UsageError(`${directory} exists and is not a directory; choose another path`);
  return readdirSync(directory).filter((entry) => entry !== '.git');
}

export const listEntries = (entries: readonly string[]) => `${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}`;

export async function insideGitWorkTree(directory: string): Promise<boolean> {
  const probe = existsSync(directory) ? directory : resolve(directory, '..');
  const result = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: probe, reject: false });
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * Validates the given flags; without prompts to come, also that nothing required is missing — except `pending`
 * keys, which are filled later (the owner of a repository `--create-github-repo` creates comes from GitHub).
 */
export function resolveFlagsOnly(flags: RawOptions, context: DefaultContext, interactive: boolean, pending: readonly (keyof PipelineOptions)[] = []): ResolvedOptions | undefined {
  // Interactive runs check only the values given: missing ones will be asked for.
  const given = interactive ? Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) : flags;
  try {
    return resolveOptions(given, context);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    const wrong = error.problems.filter((p) => (interactive ? p.key in given : !(pending.includes(p.key) && given[p.key] === undefined)));
    if (wrong.length > 0) throw new OptionsError(wrong);
    return undefined;
  }
}

const formatSize = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`);

export function printDryRunFiles(io: Io, directory: string, files: readonly RenderedFile[]): void {
  io.out(`Dry run: would write ${files.length} files to ${directory} (nothing written)`);
  for (const file of files) {
    const exists = existsSync(resolve(directory, file.path));
    io.out(`  ${file.path}  ${formatSize(Buffer.byteLength(file.content))}${exists ? '  (exists)' : ''}`);
  }
}

export interface Written {
  readonly options: ResolvedOptions;
  readonly files: readonly RenderedFile[];
}

/** Prompts for what flags did not give and writes the files through Yeoman (whose conflicter guards existing files). */
export async function writeScaffold(directory: string, settings: Omit<AppGeneratorOptions, 'onWritten'>, force: boolean): Promise<Written | undefined> {
  let written: Written | undefined;
  // skipInstall: Yeoman would run `npm install` at the root; we install the service ourselves, and only it.
  const env = createEnv({ cwd: directory, force, skipInstall: true, skipCache: true, skipLocalCache: true });
  env.register(AppGenerator as never, { namespace: 'create-ec2-oidc-pipeline:app' });
  await env.run(['create-ec2-oidc-pipeline:app'], { settings: { ...settings, onWritten: (options, files) => (written = { options, files }) } satisfies AppGeneratorOptions } as never);
  return written;
}

/** npm install in service/; answers whether it worked (its output is shown when it did not). */
export async function installService(directory: string, io: Io): Promise<boolean> {
  io.out('Installing the service dependencies (npm install in service/)…');
  const install = await execa('npm', ['install', '--no-fund', '--no-audit'], { cwd: resolve(directory, 'service'), reject: false, all: true });
  if (install.exitCode === 0) return true;
  io.err(install.all ?? '');
  io.err('npm install failed in service/; the repository is written. Fix the error above and run npm install there.');
  return false;
}

/**
 * `git init` and the first commit; answers whether it made them (not inside another work tree). `unsigned`:
 * `--create-github-repo` rebuilds this commit through the API, which reproduces an unsigned commit byte for byte, so a
 * configured `commit.gpgsign` is turned off for it.
 */
export async function commitFirstVersion(directory: string, io: Io, { unsigned = false } = {}): Promise<boolean> {
  if ((await insideGitWorkTree(resolve(directory, '..'))) || existsSync(resolve(directory, '.git'))) {
    io.out('The directory is inside an existing git repository: review the files and commit them yourself.');
    return false;
  }
  const git = (args: string[], env: Record<string, string> = {}) => execa('git', args, { cwd: directory, env });
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['add', '--all']);
  const identity = await execa('git', ['config', 'user.email'], { cwd: directory, reject: false });
  // Without a configured identity git refuses to commit; say who made it rather than failing the scaffold.
  const fallback: Record<string, string> = identity.exitCode === 0 && identity.stdout.trim() !== ''
    ? {}
    : { GIT_AUTHOR_NAME: 'create-ec2-oidc-pipeline', GIT_AUTHOR_EMAIL: 'create-ec2-oidc-pipeline@localhost', GIT_COMMITTER_NAME: 'create-ec2-oidc-pipeline', GIT_COMMITTER_EMAIL: 'create-ec2-oidc-pipeline@localhost' };
  await git(['commit', '--quiet', '--no-verify', ...(unsigned ? ['--no-gpg-sign'] : []), '--message', scaffoldCommitMessage], fallback);
  return true;
}
