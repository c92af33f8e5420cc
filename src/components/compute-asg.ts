import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';
import { manualApplyTargets } from './terraform-apply.js';

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
  ],
  data: (data: TemplateData) => ({
    /** What the service is deployed to, in words (the service's package.json says it). */
    runsOn: 'an EC2 Auto Scaling group',
    /** asg has no frontend service. */
    hasFrontend: false,
    /** terraform.yml applies on pushes to main (after its plan), as for ec2. */
    manualApply: manualApplyTargets.includes('asg'),
    /** The event condition of terraform.yml's apply jobs, and what it means in words. */
    applyEvent: "github.event_name == 'push'",
    /** The same, shortest, for a list of the workflows' conditions. */
    applyEventShort: 'pushes',
    applyEventWords: 'pushes to main',
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
    releaseBucketPrefix: `${data.name}-releases-`,
    deregistrationDelaySeconds,
    /** Per environment: the parameter the launch template resolves the AMI from (the bake job writes it). */
    amiParameters: Object.fromEntries(data.environments.map((env) => [env.name, `/${data.name}/${env.name}/ami-id`])),
  }),
};
