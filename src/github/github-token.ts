import { execa } from 'execa';

export type Env = Readonly<Record<string, string | undefined>>;

export const defaultApiUrl = 'https://api.github.com';

/** The REST API root: GITHUB_API_URL (GitHub Enterprise Server: `https://HOST/api/v3`), else github.com's. */
export function githubApiUrl(env: Env): string {
  const url = env.GITHUB_API_URL?.trim();
  return (url ? url : defaultApiUrl).replace(/\/+$/, '');
}

/** The host `gh` stores the login under: api.github.com → github.com; https://ghe.example/api/v3 → ghe.example. */
export function githubHost(apiUrl: string): string {
  const host = new URL(apiUrl).host;
  return host === 'api.github.com' ? 'github.com' : host.replace(/^api\./, '');
}

export type TokenSource = 'GH_TOKEN' | 'GITHUB_TOKEN' | 'gh auth token';

export interface GithubToken {
  readonly value: string;
  /** Where it came from; named in messages instead of the token itself. */
  readonly source: TokenSource;
}

/**
 * GH_TOKEN, then GITHUB_TOKEN, then `gh auth token` when gh is installed. gh prints the token on stdout, so it never
 * appears in an argument list.
 */
export async function discoverGithubToken(env: Env, apiUrl: string): Promise<GithubToken | undefined> {
  for (const name of ['GH_TOKEN', 'GITHUB_TOKEN'] as const) {
    const value = env[name]?.trim();
    if (value) return { value, source: name };
  }
  const gh = await execa('gh', ['auth', 'token', '--hostname', githubHost(apiUrl)], {
    env: { ...env },
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: 15_000,
  });
  // Not installed (ENOENT), not logged in, or no token for this host: there is no token from gh.
  const value = gh.exitCode === 0 ? gh.stdout.trim() : '';
  return value ? { value, source: 'gh auth token' } : undefined;
}
