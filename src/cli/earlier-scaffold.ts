import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { RenderedFile } from '../render/rendered-file.js';

/** The message of the scaffold's first commit; an earlier run is recognised by it. */
export const scaffoldCommitMessage = 'Scaffold with create-ec2-oidc-pipeline';

/**
 * The SHA of the scaffold commit an earlier run left in `directory` — its only commit, with our message — or
 * undefined. `--create-github-repo` resumes from it instead of writing the files again.
 */
export async function earlierScaffold(directory: string): Promise<string | undefined> {
  if (!existsSync(join(directory, '.git'))) return undefined;
  const git = (args: string[]) => execa('git', args, { cwd: directory, reject: false });
  const head = await git(['rev-list', '--parents', '-n', '1', 'HEAD']);
  if (head.exitCode !== 0) return undefined;
  const [sha, ...parents] = head.stdout.trim().split(' ');
  if (!sha || parents.length > 0) return undefined;
  const message = await git(['log', '-1', '--format=%B', sha]);
  return message.exitCode === 0 && message.stdout.trim() === scaffoldCommitMessage ? sha : undefined;
}

/** The first rendered file whose committed bytes differ from what these options render, or undefined. */
export async function differingFile(directory: string, commit: string, files: readonly RenderedFile[]): Promise<string | undefined> {
  for (const file of files) {
    const committed = await execa('git', ['cat-file', 'blob', `${commit}:${file.path}`], { cwd: directory, reject: false, encoding: 'buffer', stripFinalNewline: false });
    if (committed.exitCode !== 0 || !Buffer.from(committed.stdout).equals(Buffer.from(file.content))) return file.path;
  }
  return undefined;
}
