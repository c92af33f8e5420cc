/** Versions the generated repository pins, in one place (bumped together, reviewed through the snapshots). */
export const generatedVersions = {
  /** Node.js major of the service image and of the workflows: the active LTS (22 leaves maintenance in April 2027). */
  node: '24',
  /** The service's `engines`: Node 24 from its first LTS release on, what its image and CI run. */
  serviceNodeEngine: '>=24.11.0',
  /**
   * Minimum Node.js for `npx projen` and `doctor` in the generated repo (native TypeScript type stripping): this
   * package's own minimum, which still runs on Node 22.
   */
  nodeEngine: '>=22.18.0',
  projen: '0.103.25',
  constructs: '^10.5.0',
  /** Terraform: 1.10 brought S3 native state locking (`use_lockfile`). */
  terraformRequired: '>= 1.10',
  terraformCli: '1.11.4',
  awsProvider: '>= 5.100, < 7.0',
} as const;
