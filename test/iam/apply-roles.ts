import type { ResolvedOptions } from '../../src/options/index.js';
import type { PresetName } from '../support/presets.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { applyRoots, prepareForMoto, renderVariant, resolvedVariant } from '../support/terraform.js';
import { readRoles, type AppliedRole } from './applied-roles.js';

/**
 * A preset's roles as applied on one account of moto: only the roles, their policies and what those reference
 * (`environmentTargets`, with -target; the bootstrap's roles module), with create_github_oidc_provider=false (the
 * account has the provider already). Answers the resolved options, the plan role, and each environment's role of a
 * kind (`<name>-<env>-<kind>`), read back with their trust and policies.
 */
export async function applyRoles(
  env: Record<string, string>,
  preset: PresetName,
  { environmentTargets, kinds }: { readonly environmentTargets: readonly string[]; readonly kinds: readonly string[] },
): Promise<{ options: ResolvedOptions; plan: AppliedRole; role: (environment: string, kind: string) => AppliedRole }> {
  const options = resolvedVariant(preset);
  const roots = prepareForMoto(writeFiles(tempDir(`iam-${preset}-`), renderVariant(preset)), options.environments);
  await applyRoots(roots, env, {
    bootstrapArgs: ['-var', 'create_github_oidc_provider=false', '-target=module.github_oidc_roles'],
    environmentArgs: environmentTargets.map((target) => `-target=${target}`),
    concurrentEnvironments: true,
  });
  const names = [`${options.name}-plan`, ...options.environments.flatMap((environment) => kinds.map((kind) => `${options.name}-${environment}-${kind}`))];
  const roles = await readRoles(env, names);
  return { options, plan: roles.get(`${options.name}-plan`)!, role: (environment, kind) => roles.get(`${options.name}-${environment}-${kind}`)! };
}
