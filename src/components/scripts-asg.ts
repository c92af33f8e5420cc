import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';
import { defaultHealthTimeoutSeconds, maxHealthTimeoutSeconds } from './scripts.js';

/** Releases a host keeps for instant rollbacks (the running one and the ones before it). */
export const releasesToKeep = 3;

/** Baked images the bake job keeps per environment (older ones are deregistered with their snapshots). */
export const imagesToKeep = 3;

/**
 * The asg target's scripts (POSIX sh): the CI-side orchestrator and its helpers under `scripts/`, the release build,
 * the bake, and the host side (`scripts/host/deploy.sh`, the body of the deploy document and of the boot script, and
 * `scripts/host/boot.sh`, the user data).
 */
export const asgScriptsComponent: Component = {
  name: 'scripts',
  files: [{ from: 'scripts', owner: 'managed', ofTarget: true }],
  data: (data: TemplateData) => ({
    environmentNames: data.environments.map((env) => env.name).join(', '),
    /** What `select_environment` sets for each environment: the names its Terraform created. */
    environments: data.environments.map((env) => ({
      name: env.name,
      document: env.ssmDocumentName,
      lkgParameter: env.lastKnownGoodParameter,
      group: `${data.name}-${env.name}`,
      amiParameter: `/${data.name}/${env.name}/ami-id`,
    })),
    /** The system user the service runs as, and owns its releases. */
    appUser: data.name,
    /** Where a host keeps `releases/<commit>` and the `current` link (overridable with DEPLOY_APP_DIR). */
    appDir: `/opt/${data.name}`,
    releasesToKeep,
    imagesToKeep,
    defaultHealthTimeoutSeconds,
    maxHealthTimeoutSeconds,
    batchSize: data.options.batchSize ?? 1,
    releaseBucketPrefix: `${data.name}-releases-`,
    /** With accounts: the one release bucket, the first environment's account's (its hosts download from no other). */
    releaseBucketName: data.accounts.artifactAccountId ? `${data.name}-releases-${data.accounts.artifactAccountId}` : null,
  }),
};
