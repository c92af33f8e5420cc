/** Versions the generated repository pins, in one place (bumped together, reviewed through the snapshots). */
export const generatedVersions = {
  /** Node.js major of the service image and of the workflows. */
  node: '22',
  /** Minimum Node.js for `npx projen` in the generated repo (native TypeScript type stripping). */
  nodeEngine: '>=22.18.0',
  projen: '0.103.25',
  constructs: '^10.5.0',
  /** Terraform: 1.10 brought S3 native state locking (`use_lockfile`). */
  terraformRequired: '>= 1.10',
  terraformCli: '1.11.4',
  awsProvider: '>= 5.100, < 7.0',
} as const;
