import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverGithubToken, githubApiUrl, githubHost } from '../../src/github/github-token.js';
import { tempDir } from '../support/render-preset.js';

/** A `gh` on PATH that records its argv and prints a token for `auth token`. */
function fakeGh(token: string): { path: string; log: string } {
  const dir = tempDir('fake-gh-');
  const log = join(dir, 'argv.log');
  writeFileSync(join(dir, 'gh'), `#!/bin/sh\necho "$@" >> '${log}'\n[ "$1 $2" = "auth token" ] && echo '${token}'\n`);
  chmodSync(join(dir, 'gh'), 0o755);
  return { path: dir, log };
}

describe('GitHub token discovery', () => {
  it('prefers GH_TOKEN, then GITHUB_TOKEN', async () => {
    expect(await discoverGithubToken({ GH_TOKEN: 'a', GITHUB_TOKEN: 'b' }, 'https://api.github.com')).toEqual({ value: 'a', source: 'GH_TOKEN' });
    expect(await discoverGithubToken({ GH_TOKEN: ' ', GITHUB_TOKEN: 'b' }, 'https://api.github.com')).toEqual({ value: 'b', source: 'GITHUB_TOKEN' });
  });

  it('falls back to `gh auth token` for the API host, reading the token from stdout', async () => {
    // GIVEN no token variable and a gh on PATH
    const gh = fakeGh('gho_from_gh');
    // WHEN discovered for a GitHub Enterprise Server
    const token = await discoverGithubToken({ PATH: `${gh.path}:/usr/bin:/bin` }, 'https://ghe.example/api/v3');
    // THEN gh gave it, asked for that host
    expect(token).toEqual({ value: 'gho_from_gh', source: 'gh auth token' });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(gh.log, 'utf8').trim()).toBe('auth token --hostname ghe.example');
  });

  it('answers no token when gh is not installed', async () => {
    expect(await discoverGithubToken({ PATH: tempDir('no-gh-') }, 'https://api.github.com')).toBeUndefined();
  });

  it('reads the API from GITHUB_API_URL and knows the web host gh uses', () => {
    expect(githubApiUrl({})).toBe('https://api.github.com');
    expect(githubApiUrl({ GITHUB_API_URL: 'https://ghe.example/api/v3/' })).toBe('https://ghe.example/api/v3');
    expect(githubHost('https://api.github.com')).toBe('github.com');
    expect(githubHost('https://ghe.example/api/v3')).toBe('ghe.example');
  });
});
