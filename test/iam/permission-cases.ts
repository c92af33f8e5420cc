import type { ResolvedOptions } from '../../src/options/index.js';
import { awsRegions } from '../../src/options/aws-regions.js';
import { identityPolicies, type AppliedRole } from './applied-roles.js';
import { accessLevel, expandAction, list, permissionAllows, statementsOf, type PermissionRequest } from './simulator.js';

/** What a role may and may not do, one request per line. */
export interface PermissionCase extends PermissionRequest {
  readonly label: string;
}

/** The tag context of a request on a resource (or creating one) tagged for `app` and `environment`. */
export const tags = (app: string, environment: string, prefix: 'ssm:resourceTag' | 'aws:ResourceTag' | 'aws:RequestTag') => ({
  [`${prefix}/App`]: app,
  [`${prefix}/Environment`]: environment,
});

/** What is wrong with a role's permissions: allowed cases it is denied, denied cases it is allowed. Empty: it holds. */
export async function permissionFindings(role: AppliedRole, allowed: readonly PermissionCase[], denied: readonly PermissionCase[]): Promise<string[]> {
  const findings: string[] = [];
  for (const c of allowed) if (!(await permissionAllows(role.arn, identityPolicies(role), c))) findings.push(`${role.name} cannot ${c.label}`);
  for (const c of denied) if (await permissionAllows(role.arn, identityPolicies(role), c)) findings.push(`${role.name} CAN ${c.label}`);
  return findings;
}

/**
 * Every action pattern in every policy of the roles (trust, inline and attached), and those that name (or, with a
 * wildcard, match) no real action (iam-data): a typo there would grant nothing and fail only in AWS.
 */
export async function actionPatterns(roles: readonly AppliedRole[]): Promise<{ patterns: Set<string>; unknown: string[] }> {
  const patterns = new Set<string>();
  for (const role of roles) {
    for (const policy of [role.trust, ...identityPolicies(role).map((p) => p.policy)]) {
      for (const statement of statementsOf(policy)) for (const action of [...list(statement.Action), ...list(statement.NotAction)]) patterns.add(action);
    }
  }
  const unknown: string[] = [];
  for (const pattern of patterns) if ((await expandAction(pattern)).length === 0) unknown.push(pattern);
  return { patterns, unknown };
}

/** The access level (iam-data: Read, List, Write, …) of every action an Allow statement of the role's policies grants. */
export async function allowedAccessLevels(role: AppliedRole): Promise<Map<string, string>> {
  const levels = new Map<string, string>();
  for (const { policy } of identityPolicies(role)) {
    for (const statement of statementsOf(policy).filter((s) => s.Effect === 'Allow')) {
      for (const pattern of list(statement.Action)) {
        for (const action of await expandAction(pattern)) levels.set(action, await accessLevel(action));
      }
    }
  }
  return levels;
}

/** IAM's quotas, in characters (whitespace not counted): a role's inline policies together, and one managed policy. */
export const policyQuotas = { inline: 10_240, managed: 6_144 } as const;

/**
 * What of the roles' policies would exceed IAM's quotas if the preset had the longest names the options accept (name
 * 32 characters, each environment 20, the longest region): the policies grow with the names in their ARNs, moto does
 * not enforce the quotas, and AWS refuses an oversized policy at apply. Inline policies count per role, together;
 * customer managed ones (AWS managed ones are AWS's) each on its own. `grows`: how much the largest grew, so a test can
 * show the projection projects.
 */
export function projectedPolicySizes(options: Pick<ResolvedOptions, 'name' | 'environments' | 'region'>, roles: readonly AppliedRole[]) {
  const longestRegion = [...awsRegions].sort((x, y) => y.length - x.length)[0]!;
  const project = (text: string) =>
    options.environments
      .reduce((t, env, i) => t.replaceAll(env, String.fromCharCode(97 + i).repeat(20)), text.replaceAll(options.name, 'n'.repeat(32)))
      .replaceAll(options.region, longestRegion);
  const policies = roles.flatMap((role) => [
    { what: `${role.name}'s inline policies`, quota: policyQuotas.inline, text: role.inline.map((p) => JSON.stringify(p.policy)).join('') },
    ...role.attached.filter(({ arn }) => !arn.includes(':aws:policy/')).map(({ arn, policy }) => ({ what: arn, quota: policyQuotas.managed, text: JSON.stringify(policy) })),
  ]);
  const sized = policies.map(({ what, quota, text }) => ({ what, quota, size: project(text).length, now: text.length }));
  const largest = sized.reduce((a, b) => (b.size > a.size ? b : a));
  return { over: sized.filter(({ size, quota }) => size > quota).map(({ what, size, quota }) => `${what}: ${size} > ${quota}`), grows: largest.size - largest.now, count: sized.length };
}
