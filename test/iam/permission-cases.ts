import { identityPolicies, type AppliedRole } from './applied-roles.js';
import { permissionAllows, type PermissionRequest } from './simulator.js';

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
