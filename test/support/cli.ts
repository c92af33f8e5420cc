import { join } from 'node:path';
import { execa } from 'execa';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const bin = join(repoRoot, 'bin', 'create-ec2-oidc-pipeline.js');

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
}

/** Runs the real bin the way a user's shell would (no TTY: stdin is a pipe), never throwing on a non-zero exit. */
export function runCli(args: readonly string[], options: RunOptions = {}) {
  return execa(process.execPath, [bin, ...args], { reject: false, stdin: 'pipe', cwd: options.cwd, env: { NO_COLOR: '1', ...options.env } });
}
