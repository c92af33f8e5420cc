import { identityPolicies, type AppliedRole } from './applied-roles.js';
import { permissionAllows, type PermissionRequest } from './simulator.js';

/** What a role may and may not do, one request per line. */
export interface PermissionCase extends PermissionRequest {
  readonly label: string;
}

/** "<role> cannot …" for each allowed case the role's policies refuse, "<role> CAN …" for each denied one they allow. */
export async function permissionFindings(role: AppliedRole, allowed: readonly PermissionCase[], denied: readonly PermissionCase[]): Promise<string[]> {
  const findings: string[] = [];
  for (const c of allowed) if (!(await permissionAllows(role.arn, identityPolicies(role), c))) findings.push(`${role.name} cannot ${c.label}`);
  for (const c of denied) if (await permissionAllows(role.arn, identityPolicies(role), c)) findings.push(`${role.name} CAN ${c.label}`);
  return findings;
}
