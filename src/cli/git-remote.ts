import { execa } from 'execa';

/** `https://github.com/acme/demo.git`, `git@github.com:acme/demo.git`, `ssh://git@host/acme/demo` → acme/demo */
export function parseGitRemote(url: string): { owner: string; repo: string } | undefined {
  const match = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@\s]+@[^:\s]+:)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  if (!match) return undefined;
  return { owner: match[1]!, repo: match[2]! };
}

/** Owner and repo of the `origin` remote of the git work tree at `cwd`, if there is one. */
export async function readGitRemote(cwd: string): Promise<{ owner: string; repo: string } | undefined> {
  const result = await execa('git', ['remote', 'get-url', 'origin'], { cwd, reject: false });
  return result.exitCode === 0 ? parseGitRemote(result.stdout) : undefined;
}
