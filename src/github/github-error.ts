import type { TokenSource } from './github-token.js';

/** A GitHub step that cannot go on; the message is one line that says what happened and what to do. */
export class GithubError extends Error {
  override name = 'GithubError';

  /** `retryable`: the same call may well work later (5xx, network, rate limit), nothing needs fixing first. */
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** What `--create-github-repo` needs from a token, named in every 401/403. */
export const tokenPermissions =
  'a classic token with the scopes repo and workflow (plus read:org for team reviewers), or a fine-grained token with ' +
  'repository permissions Administration, Contents, Workflows and Variables: read and write, and Actions: read';

/** The parts of an Octokit RequestError we read; network failures have no response. */
interface HttpFailure {
  readonly status?: number;
  readonly message?: string;
  readonly response?: { readonly headers?: Readonly<Record<string, string | number | undefined>>; readonly data?: unknown };
}

/** The HTTP status GitHub answered, or undefined when no answer came (network). */
export function httpStatus(error: unknown): number | undefined {
  const failure = error as HttpFailure;
  return failure?.response ? failure.status : undefined;
}

export function responseHeader(error: unknown, name: string): string | undefined {
  const value = (error as HttpFailure)?.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** GitHub's own words: `message`, then the `errors[].message` of a 422, on one line. */
export function githubMessage(error: unknown): string {
  const data = (error as HttpFailure)?.response?.data as { message?: unknown; errors?: unknown } | string | undefined;
  if (typeof data === 'string' && data.trim()) return oneLine(data);
  if (data && typeof data === 'object') {
    const details = Array.isArray(data.errors)
      ? data.errors.map((e) => (typeof e === 'string' ? e : ((e as { message?: string; code?: string })?.message ?? (e as { code?: string })?.code))).filter(Boolean)
      : [];
    const message = typeof data.message === 'string' ? data.message : '';
    return oneLine([message, ...details].filter(Boolean).join(': ')) || 'no message';
  }
  return oneLine((error as HttpFailure)?.message ?? String(error));
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

export interface FailureContext {
  readonly apiUrl: string;
  readonly tokenSource: TokenSource;
}

/** Messages that replace the generic one for a status, where the caller knows what it means. */
export interface SpecialCases {
  readonly 403?: string;
  readonly 404?: string;
  readonly 409?: string;
  readonly 422?: string;
}

/**
 * Turns a failed API call into one line: what we tried, what GitHub said, and what to do. The token never appears:
 * it is named by where it came from.
 */
export function explainFailure(error: unknown, action: string, context: FailureContext, special: SpecialCases = {}): GithubError {
  if (error instanceof GithubError) return error;
  const status = httpStatus(error);
  const said = githubMessage(error);
  if (status === undefined) {
    return new GithubError(`cannot reach ${context.apiUrl} to ${action} (${said}); check the network, a proxy, or GITHUB_API_URL`, true);
  }
  const override = special[status as keyof SpecialCases];
  if (override) return new GithubError(`${override} (${status}: ${said})`);
  switch (status) {
    case 401:
      return new GithubError(`GitHub rejected the token from ${context.tokenSource} (401: ${said}) trying to ${action}; it is wrong, expired or revoked — use ${tokenPermissions}`);
    case 403:
    case 404: {
      const accepted = responseHeader(error, 'x-accepted-oauth-scopes');
      const has = responseHeader(error, 'x-oauth-scopes');
      const scopes = [accepted ? `this call accepts the scopes ${accepted}` : '', has !== undefined ? `the token has ${has || 'no scopes'}` : ''].filter(Boolean).join('; ');
      const why = status === 404 ? 'not found, or the token cannot see it' : 'not allowed';
      return new GithubError(`cannot ${action}: ${why} (${status}: ${said})${scopes ? `; ${scopes}` : ''}; the token from ${context.tokenSource} needs ${tokenPermissions}`);
    }
    default:
      if (status >= 500) return new GithubError(`GitHub answered ${status} (${said}) trying to ${action}`, true);
      return new GithubError(`GitHub refused to ${action} (${status}: ${said})`);
  }
}
