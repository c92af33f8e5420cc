import { parseReviewer } from './github-args.js';
import { call, read, type GithubContext, type GithubRepository } from './github-context.js';
import { explainFailure, GithubError, githubMessage, httpStatus } from './github-error.js';
import { mainBranch } from './push-scaffold.js';

/** A required reviewer as the environments API takes it. */
export interface Reviewer {
  readonly type: 'User' | 'Team';
  readonly id: number;
  /** As given on the command line, for messages. */
  readonly name: string;
}

/** Resolves `--reviewers` to ids. Runs before anything is created, so a typo costs nothing. */
export async function resolveReviewers(ctx: GithubContext, names: readonly string[]): Promise<Reviewer[]> {
  const reviewers: Reviewer[] = [];
  for (const name of names) {
    const reviewer = parseReviewer(name);
    if (reviewer.kind === 'user') {
      const user = await read(ctx, `read the user ${reviewer.login}`, () => ctx.octokit.rest.users.getByUsername({ username: reviewer.login }));
      if (!user) throw new GithubError(`--reviewers: "${name}" is not a GitHub user`);
      reviewers.push({ type: 'User', id: user.id, name });
    } else {
      const team = await read(ctx, `read the team ${name}`, () => ctx.octokit.rest.teams.getByName({ org: reviewer.org, team_slug: reviewer.slug }));
      if (!team) throw new GithubError(`--reviewers: team "${name}" does not exist, or the token cannot see it (a classic token needs read:org)`);
      reviewers.push({ type: 'Team', id: team.id, name });
    }
  }
  return reviewers;
}

/** Deployments only from branches matching the environment's own policies (below: `main`), not "any protected branch". */
export const deploymentBranchPolicy = { protected_branches: false, custom_branch_policies: true } as const;

/** The PUT body; `reviewers` only when there are any, since plans without the feature refuse the field itself. */
export function environmentBody(reviewers: readonly Pick<Reviewer, 'type' | 'id'>[]) {
  return {
    deployment_branch_policy: deploymentBranchPolicy,
    ...(reviewers.length > 0 ? { reviewers: reviewers.map(({ type, id }) => ({ type, id })) } : {}),
  };
}

export const branchPolicyBody = { name: mainBranch, type: 'branch' } as const;

interface EnvironmentAnswer {
  readonly deployment_branch_policy?: { readonly protected_branches: boolean; readonly custom_branch_policies: boolean } | null;
  readonly protection_rules?: readonly { readonly type: string; readonly reviewers?: readonly { readonly type?: string; readonly reviewer?: { readonly id?: number } | null }[] }[];
}

function currentReviewers(environment: EnvironmentAnswer): Pick<Reviewer, 'type' | 'id'>[] {
  const rule = environment.protection_rules?.find((r) => r.type === 'required_reviewers');
  return (rule?.reviewers ?? [])
    .filter((r) => (r.type === 'User' || r.type === 'Team') && typeof r.reviewer?.id === 'number')
    .map((r) => ({ type: r.type as Reviewer['type'], id: r.reviewer!.id! }));
}

/**
 * Step 4: every environment exists before any workflow names it (a job naming a missing environment creates it
 * unprotected), deploys from `main` only, and has the required reviewers. What the plan cannot enforce is returned,
 * in plain words, instead of failing: the pipeline stays disabled either way.
 */
export async function ensureEnvironments(ctx: GithubContext, repository: GithubRepository, environments: readonly string[], reviewers: readonly Reviewer[]): Promise<string[]> {
  const { owner, name, fullName } = repository;
  const limitations: string[] = [];
  for (const environment of environments) {
    const path = { owner, repo: name, environment_name: environment };
    const existing = (await read(ctx, `read the environment ${environment}`, () => ctx.octokit.rest.repos.getEnvironment(path))) as EnvironmentAnswer | undefined;
    const policyOk = existing?.deployment_branch_policy?.custom_branch_policies === true && existing.deployment_branch_policy.protected_branches === false;
    const present = existing ? currentReviewers(existing) : [];
    const missing = reviewers.filter((r) => !present.some((p) => p.type === r.type && p.id === r.id));
    let branchPolicy = true;
    if (!existing || !policyOk || missing.length > 0) {
      const put = (who: readonly Pick<Reviewer, 'type' | 'id'>[]) =>
        ctx.octokit.rest.repos.createOrUpdateEnvironment({ ...path, ...environmentBody(who) } as Parameters<typeof ctx.octokit.rest.repos.createOrUpdateEnvironment>[0]);
      try {
        await put([...present, ...missing]);
      } catch (error) {
        if (httpStatus(error) !== 422) throw explainFailure(error, `create the environment ${environment} in ${fullName}`, ctx);
        if (missing.length === 0) {
          limitations.push(`environment ${environment} has no deployment branch policy: GitHub said "${githubMessage(error)}" (deployment branches need a public repository, or GitHub Pro/Team/Enterprise for a private one)`);
          branchPolicy = false;
        } else {
          limitations.push(
            `environment ${environment}: required reviewers (${missing.map((r) => r.name).join(', ')}) are NOT enforced: GitHub said "${githubMessage(error)}" ` +
              '(on private repositories required reviewers need GitHub Enterprise; on Free, Pro and Team only public repositories have them; reviewers also need access to the repository)',
          );
          if (!existing || !policyOk) {
            try {
              await put(present);
            } catch (retry) {
              if (httpStatus(retry) !== 422) throw explainFailure(retry, `create the environment ${environment} in ${fullName}`, ctx);
              limitations.push(`environment ${environment} has no deployment branch policy: GitHub said "${githubMessage(retry)}"`);
              branchPolicy = false;
            }
          }
        }
      }
    }
    if (branchPolicy) await ensureMainOnly(ctx, repository, environment);
    const enforced = reviewers.length > 0 && !limitations.some((l) => l.startsWith(`environment ${environment}: required reviewers`));
    ctx.say(`GitHub: environment ${environment}: ${branchPolicy ? `deploys from ${mainBranch} only` : 'NO branch policy'}${enforced ? `; required reviewers: ${reviewers.map((r) => r.name).join(', ')}` : ''}`);
  }
  return limitations;
}

async function ensureMainOnly(ctx: GithubContext, repository: GithubRepository, environment: string): Promise<void> {
  const path = { owner: repository.owner, repo: repository.name, environment_name: environment };
  const list = await call(ctx, `list the deployment branches of ${environment}`, () => ctx.octokit.rest.repos.listDeploymentBranchPolicies({ ...path, per_page: 100 }));
  const isMain = (p: { name?: string; type?: string }) => p.name === mainBranch && (p.type ?? 'branch') === 'branch';
  if (!list.branch_policies.some(isMain)) {
    await call(ctx, `allow deployments from ${mainBranch} to ${environment}`, () => ctx.octokit.rest.repos.createDeploymentBranchPolicy({ ...path, ...branchPolicyBody }));
  }
  const others = list.branch_policies.filter((p) => !isMain(p)).map((p) => `${p.type ?? 'branch'} ${p.name}`);
  if (others.length > 0) ctx.say(`GitHub: note: environment ${environment} also allows ${others.join(', ')}; left as it is — remove them unless you mean them`);
}
