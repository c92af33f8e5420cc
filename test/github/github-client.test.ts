import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGithubClient, rateLimitWait } from '../../src/github/github-client.js';
import { GithubError } from '../../src/github/github-error.js';
import { FakeGithub } from './support/fake-github.js';

const token = 'ghp_client_test_token';
let fake: FakeGithub;
beforeAll(async () => {
  fake = await new FakeGithub({ token, user: { login: 'octo', id: 1 } }).start();
});
afterAll(() => fake.stop());

const failure = (status: number, headers: Record<string, string>, message = 'limited') => ({ status, message, response: { headers, data: { message } } });

describe('GitHub client rate limits', () => {
  it('reads how long to wait from retry-after, x-ratelimit-reset, or a secondary limit message', () => {
    const now = 1_800_000_000_000;
    expect(rateLimitWait(failure(429, { 'retry-after': '7' }), now)).toBe(7);
    expect(rateLimitWait(failure(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }), now)).toBe(42);
    expect(rateLimitWait(failure(403, {}, 'You have exceeded a secondary rate limit.'), now)).toBe(60);
    expect(rateLimitWait(failure(403, {}, 'Resource not accessible by personal access token'), now)).toBeUndefined();
    expect(rateLimitWait(failure(500, { 'retry-after': '1' }), now)).toBeUndefined();
  });

  it('waits out a 429 and retries, saying so', async () => {
    // GIVEN the next /user answers 429 with retry-after 0
    fake.failNext('GET', /^\/user$/, 429, { headers: { 'retry-after': '0' }, message: 'too many requests' });
    const said: string[] = [];
    const octokit = createGithubClient({ token, apiUrl: fake.url, userAgent: 'test', say: (l) => said.push(l), maxWaitSeconds: 5 });
    // WHEN called THEN it succeeds on the retry and said it waited
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe('octo');
    expect(said.join('\n')).toMatch(/rate limit reached on GET \/user; waiting 0 s/);
  });

  it('waits for x-ratelimit-reset when the primary limit is exhausted', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    fake.failNext('GET', /^\/user$/, 403, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, message: 'API rate limit exceeded for user ID 1.' });
    const started = Date.now();
    const octokit = createGithubClient({ token, apiUrl: fake.url, userAgent: 'test', say: () => {}, maxWaitSeconds: 5 });
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe('octo');
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('fails with one line when the wait exceeds the cap', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    fake.failNext('GET', /^\/user$/, 403, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, message: 'API rate limit exceeded for user ID 1.' });
    const octokit = createGithubClient({ token, apiUrl: fake.url, userAgent: 'test', say: () => {}, maxWaitSeconds: 2 });
    const error = await octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GithubError);
    expect((error as Error).message).toMatch(/^GitHub's rate limit stops GET \/user until about \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(403: API rate limit exceeded/);
    expect((error as Error).message).not.toContain('\n');
  });
});
