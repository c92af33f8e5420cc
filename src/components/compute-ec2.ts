import type { EnvironmentData, TemplateData } from '../render/template-data.js';
import type { Component, FileRule } from './component.js';
import { accountsOnlyDocs } from './accounts-docs.js';
import { applyTrigger } from './terraform-apply.js';

/** ec2-app names the instance role (and its profile) `<name>-<env>-instance`. */
export const instanceRoleName = (data: Pick<TemplateData, 'name'>, env: Pick<EnvironmentData, 'name'>) => `${data.name}-${env.name}-instance`;

/**
 * The ec2 target's own modules: one instance with an instance profile, run through SSM (`ec2-app`), and the deploy
 * document with its last-known-good parameter that the deploy role may run and write (`ssm-deploy`). Every target has
 * one component named `compute`: shared templates read what differs between targets from `{{compute.…}}`.
 */
export const ec2ComputeComponent: Component = {
  name: 'compute',
  files: [
    { from: 'terraform/modules/ec2-app', owner: 'managed' },
    { from: 'terraform/modules/ssm-deploy', owner: 'managed' },
    // Only where environments live in separate accounts: a single-account scaffold renders what it always did.
    ...accountsOnlyDocs.ec2.map((page): FileRule => ({ from: `docs/${page}`, owner: 'managed', ofTarget: true, when: (data) => data.accounts.enabled })),
  ],
  data: (data) => {
    // With accounts: environments outside the registry's account pull there with their instance role, and their deploy
    // role reads image tags (rollback.sh finds an image's commit from them). Role ARNs are literal: the registry's
    // repository policy names them before the roles exist.
    const readers = data.accounts.crossAccountEnvironments;
    return {
      /** What the service is deployed to, in words (the service's package.json says it). */
      runsOn: 'EC2',
      /** ec2 has no frontend service. */
      hasFrontend: false,
      ...applyTrigger('ec2'),
      /** What the first environment's deploy job does besides deploying (deploy.yml's header). */
      firstDeployAlso: 'builds and pushes the image',
      /** Jobs of ci.yml beyond service, terraform, workflows and scripts (each declared in the target's `workflows/ci-jobs` partial). */
      extraCiJobs: [],
      /** What holds the artifacts every environment deploys, as the docs name it (shared docs partials say it). */
      artifactStore: `the ECR repository \`${data.ecrRepositoryName}\``,
      crossAccountReaders: readers.length > 0,
      /** Who reads the registry from other accounts, and why, as the bootstrap's comment lines say it. */
      crossAccountReadersComment: [
        "Environments in other accounts read it there: each one's instance role pulls, its deploy role reads image tags",
        "(a rollback finds an image's commit from them). Nothing else of those accounts gets anything.",
      ],
      crossAccountPullRoleArns: readers.map((env) => `arn:aws:iam::${env.accountId}:role/${instanceRoleName(data, env)}`),
      crossAccountDescribeRoleArns: readers.map((env) => `arn:aws:iam::${env.accountId}:role/${env.deployRoleName}`),
      /** What else the workflows build from AWS_ACCOUNT_ID, besides role ARNs (docs/runbook.md). */
      accountIdAlsoBuilds: 'the image repository',
      /** What the deploy ships, in docs and module descriptions. */
      artifactNoun: 'image',
      lastKnownGoodDescription: 'Image (by digest) last healthy on every instance of this environment: what a rollback returns to',
      lastKnownGoodParameterDescription:
        'SSM parameter holding the digest of the last image that was healthy on every instance (written by the deploy scripts).',
    };
  },
};
