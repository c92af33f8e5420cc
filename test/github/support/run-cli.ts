import { main } from '../../../src/cli/main.js';
import { rateLimitWaitVariable } from '../../../src/github/github-client.js';
import type { FakeGithub } from './fake-github.js';

export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process against the fake (faster than the bin, same code): the token and API URL come
 * through the environment exactly as from a shell.
 */
export async function runCliInProcess(fake: FakeGithub, args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await main(args, {
    cwd,
    interactive: false,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, GH_TOKEN: fake.options.token, GITHUB_API_URL: fake.url, [rateLimitWaitVariable]: '3', ...env },
  });
  return { exitCode, stdout: out.join('\n'), stderr: err.join('\n') };
}
