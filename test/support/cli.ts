import { join } from 'node:path';
import { execa } from 'execa';
import { inject } from 'vitest';

export const repoRoot = join(import.meta.dirname, '..', '..');
/** The installed package (see global-setup.ts): what `npx create-ec2-oidc-pipeline` runs, not the source tree. */
export const installedPackage = inject('installedPackage');
export const bin = join(installedPackage.root, 'bin', 'create-ec2-oidc-pipeline.js');

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
}

/** Runs the real bin the way a user's shell would (no TTY: stdin is a pipe), never throwing on a non-zero exit. */
export function runCli(args: readonly string[], options: RunOptions = {}) {
  return execa(process.execPath, [bin, ...args], { reject: false, stdin: 'pipe', cwd: options.cwd, env: { NO_COLOR: '1', ...options.env } });
}
