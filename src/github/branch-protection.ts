import { type GithubContext, type GithubRepository } from './github-context.js';
import { explainFailure, githubMessage, httpStatus } from './github-error.js';
import { mainBranch } from './push-scaffold.js';

/** Pull requests required (approvals only when there are reviewers to give them), the CI checks required, admins included. */
export function protectionBody(checks: readonly string[], approvals: number) {
  return {
    required_status_checks: checks.length > 0 ? { strict: true, contexts: [...checks] } : null,
    enforce_admins: true,
    required_pull_request_reviews: { dismiss_stale_reviews: true, required_approving_review_count: approvals },
    restrictions: null,
    allow_force_pushes: false,
    allow_deletions: false,
  };
}

interface ProtectionAnswer {
  readonly required_status_checks?: { readonly contexts?: readonly string[]; readonly checks?: readonly { readonly context: string }[] } | null;
  readonly required_pull_request_reviews?: { readonly required_approving_review_count?: number } | null;
  readonly enforce_admins?: { readonly enabled?: boolean } | null;
}

/** GitHub's answer for a plan without protected branches on private repositories ("Upgrade to GitHub Pro…"). */
const planLimit = (error: unknown) => httpStatus(error) === 403 && /upgrade|github pro|plan/i.test(githubMessage(error));

/**
 * Step 6: `main` takes changes through pull requests whose CI passed. Existing protection is kept and only
 * extended. Returns what the plan cannot enforce, in plain words.
 */
export async function ensureBranchProtection(ctx: GithubContext, repository: GithubRepository, checks: readonly string[], approvals: number): Promise<string[]> {
  const { owner, name: repo, fullName } = repository;
  const path = { owner, repo, branch: mainBranch };
  const limitation = (error: unknown) =>
    `${mainBranch} is NOT protected: GitHub said "${githubMessage(error)}" (protected branches on private repositories need GitHub Pro, Team or Enterprise)`;
  let existing: ProtectionAnswer | undefined;
  try {
    existing = (await ctx.octokit.rest.repos.getBranchProtection(path)).data as ProtectionAnswer;
  } catch (error) {
    if (planLimit(error)) return [limitation(error)];
    if (httpStatus(error) !== 404) throw explainFailure(error, `read the protection of ${mainBranch} in ${fullName}`, ctx);
  }
  const present = [...(existing?.required_status_checks?.contexts ?? []), ...(existing?.required_status_checks?.checks ?? []).map((c) => c.context)];
  const wanted = [...new Set([...present, ...checks])];
  const presentApprovals = existing?.required_pull_request_reviews?.required_approving_review_count ?? -1;
  const satisfied =
    existing !== undefined &&
    checks.every((c) => present.includes(c)) &&
    presentApprovals >= approvals &&
    existing.enforce_admins?.enabled === true;
  if (!satisfied) {
    try {
      await ctx.octokit.rest.repos.updateBranchProtection({ ...path, ...protectionBody(wanted, Math.max(approvals, presentApprovals)) });
    } catch (error) {
      if (planLimit(error)) return [limitation(error)];
      throw explainFailure(error, `protect ${mainBranch} of ${fullName}`, ctx);
    }
  }
  const checkText = wanted.length > 0 ? `status checks ${wanted.map((c) => `"${c}"`).join(', ')} required` : 'no status check required (the scaffold renders no ci.yml)';
  ctx.say(`GitHub: ${mainBranch} is protected: pull request required${approvals > 0 ? ` with ${approvals} approval` : ''}, ${checkText}, admins included`);
  return [];
}
