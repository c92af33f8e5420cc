import { packageVersion } from '../render/templates-dir.js';
import { createGithubClient, maxRateLimitWait } from './github-client.js';
import type { GithubContext } from './github-context.js';
import { explainFailure, GithubError, tokenPermissions } from './github-error.js';
import { githubApiUrl, type Env, type GithubToken } from './github-token.js';

export interface GithubSession {
  readonly ctx: GithubContext;
  /** The token's user: owner of the repository unless --github-org names an organization. */
  readonly login: string;
}

const satisfies = (have: readonly string[], scope: string) =>
  have.includes(scope) || (scope === 'read:org' && (have.includes('write:org') || have.includes('admin:org')));

/**
 * Builds the client and reads the token's user. A classic token lists its scopes in `x-oauth-scopes`: missing ones
 * fail here, before anything is created. Fine-grained tokens do not list permissions; their 403s name them later.
 */
export async function connectGithub(token: GithubToken, env: Env, say: (line: string) => void, teamReviewers: boolean): Promise<GithubSession> {
  const apiUrl = githubApiUrl(env);
  const octokit = createGithubClient({
    token: token.value,
    apiUrl,
    userAgent: `create-ec2-oidc-pipeline/${packageVersion()}`,
    say,
    maxWaitSeconds: maxRateLimitWait(env),
  });
  const ctx: GithubContext = { octokit, say, apiUrl, tokenSource: token.source };
  let response;
  try {
    response = await octokit.rest.users.getAuthenticated();
  } catch (error) {
    throw explainFailure(error, "read the token's user", ctx);
  }
  const listed = response.headers['x-oauth-scopes'];
  if (listed !== undefined) {
    const have = String(listed).split(',').map((s) => s.trim()).filter(Boolean);
    const missing = ['repo', 'workflow', ...(teamReviewers ? ['read:org'] : [])].filter((scope) => !satisfies(have, scope));
    if (missing.length > 0) {
      throw new GithubError(
        `the token from ${token.source} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has ${have.join(', ') || 'none'}); --create-github-repo needs ${tokenPermissions}`,
      );
    }
  }
  say(`GitHub: signed in as ${response.data.login} (token from ${token.source}) at ${apiUrl}`);
  return { ctx, login: response.data.login };
}
