import type { Component } from './component.js';

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
  ],
  data: () => ({
    /** Jobs of ci.yml beyond service, terraform, workflows and scripts (each declared in the target's `workflows/ci-jobs` partial). */
    extraCiJobs: [],
  }),
};
