import type { TemplateData } from '../render/template-data.js';
import { accountsOnlyDocs } from './accounts-docs.js';
import type { Component, FileRule } from './component.js';
import { instanceRoleName } from './compute-ec2.js';
import { applyTrigger } from './terraform-apply.js';

/** Seconds an instance drained from the target group keeps finishing its requests (the target group's setting). */
export const deregistrationDelaySeconds = 30;

/**
 * The asg target's own modules: the fleet (launch template, Auto Scaling group, instance role, AMI parameter), the
 * release bucket the bootstrap creates, and the deploy document with its last-known-good parameter (`ssm-deploy`, the
 * ec2 target's module with this target's document). Shared templates read what differs from `{{compute.…}}`.
 */
export const asgComputeComponent: Component = {
  name: 'compute',
  files: [
    { from: 'terraform/modules/asg-fleet', owner: 'managed' },
    { from: 'terraform/modules/release-bucket', owner: 'managed' },
    { from: 'terraform/modules/ssm-deploy', owner: 'managed' },
    // Only where environments live in separate accounts: a single-account scaffold renders what it always did.
    ...accountsOnlyDocs.asg.map((page): FileRule => ({ from: `docs/${page}`, owner: 'managed', ofTarget: true, when: (data) => data.accounts.enabled })),
  ],
  data: (data: TemplateData) => asgComputeData(data),
};

/**
 * The asg target's data. With accounts, the release bucket is the first environment's account's; the environments of
 * later accounts read it there: their instance roles download releases (boot and deploy), their deploy roles read a
 * release's checksum. Role ARNs and the bucket's name are literal: the bucket policy names the roles before they exist,
 * and a later account cannot look the bucket up.
 */
function asgComputeData(data: TemplateData) {
  const readers = data.accounts.crossAccountEnvironments;
  const releaseBucketPrefix = `${data.name}-releases-`;
  const artifactAccount = data.accounts.artifactAccountId;
  /** The release bucket by name: literal with accounts (the artifact account's), else null (each root reads its account's). */
  const releaseBucketName = artifactAccount ? `${releaseBucketPrefix}${artifactAccount}` : null;
  return {
    /** What the service is deployed to, in words (the service's package.json says it). */
    runsOn: 'an EC2 Auto Scaling group',
    /** asg has no frontend service. */
    hasFrontend: false,
    /** terraform.yml applies on pushes to main (after its plan), as for ec2. */
    ...applyTrigger('asg'),
    /** What the first environment's deploy job does besides deploying (deploy.yml's header). */
    firstDeployAlso: 'builds and uploads the release',
    /** ci.yml's `release` job (in the target's `workflows/ci-jobs` partial): the archive built twice must be identical. */
    extraCiJobs: ['release'],
    /** What else the workflows build from AWS_ACCOUNT_ID, besides role ARNs (docs/runbook.md). */
    accountIdAlsoBuilds: 'the release bucket\'s name',
    artifactNoun: 'release',
    lastKnownGoodDescription:
      'Release (`<commit> <sha256>`) last ready on every instance of this environment: what new instances boot and a rollback returns to',
    lastKnownGoodParameterDescription:
      'SSM parameter holding the last release that was ready on every instance, as `<commit> <sha256>` (written by the deploy scripts, read by booting instances).',
    /** The release bucket is `<releaseBucketPrefix><account id>` (bucket names are global). */
    releaseBucketPrefix,
    releaseBucketName,
    releaseBucketArn: releaseBucketName ? `arn:aws:s3:::${releaseBucketName}` : null,
    /** The bucket in the runbook's commands: `$ACCOUNT_ID` as its first command sets it (with accounts, written out). */
    releaseBucketShell: releaseBucketName ?? `${releaseBucketPrefix}$ACCOUNT_ID`,
    /** The bucket in the workflows: the artifact account's literally with accounts (a later job's AWS_ACCOUNT_ID is its own). */
    workflowReleaseBucket: releaseBucketName ?? `${releaseBucketPrefix}\${{ vars.${data.accountIdVariable} }}`,
    /** What holds the artifacts every environment deploys, as the docs name it (shared docs partials say it). */
    artifactStore: `the release bucket \`${releaseBucketName ?? `${releaseBucketPrefix}<account id>`}\``,
    crossAccountReaders: readers.length > 0,
    crossAccountPullRoleArns: readers.map((env) => `arn:aws:iam::${env.accountId}:role/${instanceRoleName(data, env)}`),
    crossAccountDescribeRoleArns: readers.map((env) => `arn:aws:iam::${env.accountId}:role/${env.deployRoleName}`),
    deregistrationDelaySeconds,
    /** Per environment: the parameter the launch template resolves the AMI from (the bake job writes it). */
    amiParameters: Object.fromEntries(data.environments.map((env) => [env.name, `/${data.name}/${env.name}/ami-id`])),
  };
}
