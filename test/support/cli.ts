import { join } from 'node:path';
import { execa, type Options } from 'execa';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const bin = join(repoRoot, 'bin', 'create-ec2-oidc-pipeline.js');

/** Runs the real bin the way a user's shell would (no TTY: stdin is a pipe), never throwing on a non-zero exit. */
export function runCli(args: readonly string[], options: Options = {}) {
  return execa(process.execPath, [bin, ...args], { reject: false, stdin: 'pipe', ...options, env: { NO_COLOR: '1', ...options.env } });
}
