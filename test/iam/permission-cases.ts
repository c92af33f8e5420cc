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
