import { Octokit } from '@octokit/rest';
import { GithubError, githubMessage, httpStatus, responseHeader } from './github-error.js';
import type { Env } from './github-token.js';

/** Environment variable capping one rate-limit wait, in seconds (tests set it small). */
export const rateLimitWaitVariable = 'CREATE_EC2_OIDC_PIPELINE_RATE_LIMIT_MAX_WAIT';
const defaultMaxWaitSeconds = 300;
const maxAttempts = 5;

export function maxRateLimitWait(env: Env): number {
  const value = Number(env[rateLimitWaitVariable]);
  return env[rateLimitWaitVariable] !== undefined && Number.isFinite(value) && value >= 0 ? value : defaultMaxWaitSeconds;
}

/**
 * Seconds to wait before retrying a rate-limited call, or undefined when the failure is not a rate limit. GitHub
 * answers 429, or 403 with `retry-after` (secondary limits) or `x-ratelimit-remaining: 0` plus `x-ratelimit-reset`
 * (primary limit, epoch seconds); a secondary limit without a header means "wait at least a minute".
 */
export function rateLimitWait(error: unknown, nowMs: number): number | undefined {
  const status = httpStatus(error);
  if (status !== 429 && status !== 403) return undefined;
  const retryAfter = responseHeader(error, 'retry-after');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter);
  const reset = responseHeader(error, 'x-ratelimit-reset');
  if (responseHeader(error, 'x-ratelimit-remaining') === '0' && reset !== undefined && /^\d+$/.test(reset)) {
    return Math.max(0, Math.ceil(Number(reset) - nowMs / 1000));
  }
  if (status === 429 || /rate limit/i.test(githubMessage(error))) return 60;
  return undefined;
}

export interface GithubClientOptions {
  readonly token: string;
  readonly apiUrl: string;
  readonly userAgent: string;
  /** Progress lines, e.g. "waiting for the rate limit". */
  readonly say: (line: string) => void;
  /** The longest single wait for a rate limit; a longer one fails with the time to come back. */
  readonly maxWaitSeconds: number;
  /** Tests may inject fetch; by default Node's. */
  readonly fetch?: typeof globalThis.fetch;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real @octokit/rest client, silent, which waits out rate limits (within the cap) and retries. */
export function createGithubClient(options: GithubClientOptions): Octokit {
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: options.userAgent,
    log: { debug: () => {}, info: () => {}, warn: (message: string) => options.say(`GitHub: ${message}`), error: () => {} },
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  octokit.hook.wrap('request', async (request, endpoint) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await request(endpoint);
      } catch (error) {
        const wait = rateLimitWait(error, Date.now());
        if (wait === undefined) throw error;
        const call = `${endpoint.method} ${endpoint.url}`;
        if (wait > options.maxWaitSeconds || attempt >= maxAttempts) {
          const until = new Date(Date.now() + wait * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
          throw new GithubError(
            `GitHub's rate limit stops ${call} until about ${until} (${httpStatus(error)}: ${githubMessage(error)}); ${
              attempt >= maxAttempts ? `still limited after ${maxAttempts} attempts` : `waiting longer than ${options.maxWaitSeconds} s is not done here (${rateLimitWaitVariable})`
            }`,
            true,
          );
        }
        options.say(`GitHub: rate limit reached on ${call}; waiting ${wait} s before retrying (attempt ${attempt + 1} of ${maxAttempts})`);
        await sleep(wait * 1000);
      }
    }
  });
  return octokit;
}
