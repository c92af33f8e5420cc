import { invalid, validateGithubOwner, type Validator } from '../options/index.js';

/** What `--create-github-repo` and its companion flags asked for, validated. */
export interface GithubArgs {
  readonly visibility: 'private' | 'public';
  /** Organization that owns the repository; without it, the token's user does. */
  readonly org?: string;
  /** Required reviewers of every environment: user logins, or `org/team-slug`. */
  readonly reviewers: readonly string[];
  /** Written to the AWS_ACCOUNT_ID repository variable; without it the variable is left for the operator to set. */
  readonly awsAccountId?: string;
}

/** GitHub accepts at most six users or teams as required reviewers of an environment. */
export const maxReviewers = 6;

const teamSlug = /^[a-z0-9](?:[a-z0-9_-]{0,98}[a-z0-9])?$/;

/** A reviewer as given: `alice` (a user) or `acme/platform` (a team of an organization). */
export type ReviewerName = { readonly kind: 'user'; readonly login: string } | { readonly kind: 'team'; readonly org: string; readonly slug: string };

export function parseReviewer(value: string): ReviewerName {
  const [first, second] = value.split('/');
  return second === undefined ? { kind: 'user', login: first! } : { kind: 'team', org: first!, slug: second };
}

/** Validator of `--reviewers`: true, or what is wrong and how to write it. */
export const reviewerProblem: Validator<readonly string[]> = (values) => {
  if (values.length === 0) return invalid('needs at least one user or org/team', 'alice,acme/platform');
  if (values.length > maxReviewers) return `lists ${values.length} reviewers; GitHub accepts at most ${maxReviewers} per environment`;
  const seen = new Set<string>();
  for (const value of values) {
    if (value.split('/').length > 2) return `"${value}" is neither a user nor org/team`;
    const reviewer = parseReviewer(value);
    const login = reviewer.kind === 'user' ? reviewer.login : reviewer.org;
    if (validateGithubOwner(login) !== true || (reviewer.kind === 'team' && !teamSlug.test(reviewer.slug))) {
      return `"${value}" is neither a GitHub user (alice) nor an organization's team (acme/platform, the team's slug)`;
    }
    if (seen.has(value.toLowerCase())) return `lists "${value}" twice`;
    seen.add(value.toLowerCase());
  }
  return true;
};
