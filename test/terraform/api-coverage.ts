import type { ExpectStatic } from 'vitest';
import { join } from 'node:path';
import { identityPolicies, readRoles, type AppliedRole } from '../iam/applied-roles.js';
import { grantedActions } from '../iam/simulator.js';
import { apiCalls } from '../support/terraform.js';

/**
 * What the plan role and an environment's infra role must grant, checked on real Terraform runs of that environment:
 * every API action its re-plan called (the plan jobs, and a CI apply's refresh, never stop on AccessDenied), and of
 * what its first apply called, everything but the IAM writes (which by design only an administrator's apply makes:
 * the infra role cannot change identities). Action level; test/iam simulates the resource-level scoping. Takes the
 * test's own `expect` (concurrent tests).
 */
export async function expectRolesCoverRuns(
  expect: ExpectStatic,
  environment: string,
  roles: { readonly plan: AppliedRole; readonly infra: AppliedRole },
  logs: { readonly plan: string; readonly apply: string },
  /** Fewest distinct actions the re-plan must have called (a root applied in part calls fewer), so the check is not empty. */
  minCalls = 20,
): Promise<void> {
  const planGrants = await grantedActions(identityPolicies(roles.plan));
  const infraGrants = await grantedActions(identityPolicies(roles.infra));
  const called = apiCalls(logs.plan);
  called.delete('sts:GetCallerIdentity'); // needs no permission
  expect(called.size).toBeGreaterThan(minCalls);
  expect([...called].filter((action) => !planGrants.has(action.toLowerCase())), `plan role, ${environment}`).toEqual([]);
  expect([...called].filter((action) => !infraGrants.has(action.toLowerCase())), `infra role, ${environment}`).toEqual([]);
  const applied = apiCalls(logs.apply);
  applied.delete('sts:GetCallerIdentity');
  const identityWrites = [...applied].filter((action) => /^iam:(?!Get|List)/.test(action));
  expect(identityWrites.length).toBeGreaterThan(0);
  expect(identityWrites.filter((action) => infraGrants.has(action.toLowerCase())), `infra role, ${environment}`).toEqual([]);
  expect(
    [...applied].filter((action) => !identityWrites.includes(action) && !infraGrants.has(action.toLowerCase())),
    `infra role, apply of ${environment}`,
  ).toEqual([]);
}

/**
 * `expectRolesCoverRuns` for every environment of one account: its plan role and each environment's infra role, read
 * back, against the re-plan log of each environment root (`planLogs[i]` for `roots[i]`, the bootstrap first) and the
 * `apply-log.json` its first apply wrote.
 */
export async function expectRolesCoverEnvironments(
  expect: ExpectStatic,
  env: Record<string, string>,
  name: string,
  environments: readonly string[],
  roots: readonly string[],
  planLogs: readonly string[],
): Promise<void> {
  const roles = await readRoles(env, [`${name}-plan`, ...environments.map((environment) => `${name}-${environment}-infra`)]);
  for (const [i, environment] of environments.entries()) {
    const infra = roles.get(`${name}-${environment}-infra`)!;
    await expectRolesCoverRuns(expect, environment, { plan: roles.get(`${name}-plan`)!, infra }, { plan: planLogs[i + 1]!, apply: join(roots[i + 1]!, 'apply-log.json') });
  }
}
