import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';

/** Seconds the new container may take to answer `/health` when the caller does not say (the document's default too). */
export const defaultHealthTimeoutSeconds = 120;

/**
 * Largest health timeout the scripts accept: a host run is pull + health wait + rollback health wait, and must end well
 * inside the deploy document's step timeout (1800 s), or SSM kills it halfway through a rollback.
 */
export const maxHealthTimeoutSeconds = 600;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * POSIX ERE of an image the scripts accept: a repository of this app (ec2: its one repository) in the deployment
 * region, in the first environment's account with accounts (any account without: the scripts cannot know it), by
 * digest only. ec2's deploy document's `allowedPattern` says the same (with the account id filled in by Terraform);
 * checking it here too turns a typo into a usage error before anything is sent.
 */
export function imagePattern(data: Pick<TemplateData, 'accounts' | 'region' | 'ecrRepositoryName'>, repository = data.ecrRepositoryName): string {
  // With accounts the registry is the first environment's account, whichever environment deploys.
  const account = data.accounts.artifactAccountId ?? '[0-9]{12}';
  return `^${account}${escapeRegExp(`.dkr.ecr.${data.region}.amazonaws.com/${repository}`)}@sha256:[0-9a-f]{64}$`;
}

/** An example image reference of a repository (ec2: its one) for usage texts. */
export function exampleImage(data: Pick<TemplateData, 'accounts' | 'region' | 'ecrRepositoryName'>, repository = data.ecrRepositoryName): string {
  return `${data.accounts.artifactAccountId ?? '123456789012'}.dkr.ecr.${data.region}.amazonaws.com/${repository}@sha256:<64 hex>`;
}

/**
 * The generated repo's deploy scripts (POSIX sh): the CI-side orchestrator and its helpers under `scripts/`, and the
 * host-side deploy (`scripts/host/deploy.sh`, the same partial the SSM deploy document embeds).
 */
export const scriptsComponent: Component = {
  name: 'scripts',
  files: [{ from: 'scripts', owner: 'managed', ofTarget: true }],
  data: (data) => ({
    /** `production` or `staging, production`: for usage texts. */
    environmentNames: data.environments.map((env) => env.name).join(', '),
    imagePattern: imagePattern(data),
    /** An example image reference for usage texts. */
    exampleImage: exampleImage(data),
    /** Where the host keeps `current`, `previous` and `history` (overridable with DEPLOY_STATE_DIR). */
    stateDir: `/var/lib/${data.name}`,
    defaultHealthTimeoutSeconds,
    maxHealthTimeoutSeconds,
  }),
};
