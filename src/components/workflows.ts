import type { Component } from './component.js';
import { actionlintRelease, actionPins, pinnedUses, type ActionName } from './action-pins.js';

/** The GitHub Actions workflows and Dependabot: CI always on; deploy and terraform touch AWS only once enabled. */
export const workflowsComponent: Component = {
  name: 'workflows',
  files: [{ from: '_github', owner: 'managed' }],
  data: (base) => ({
    /** `{{workflows.uses.checkout}}` → `actions/checkout@<sha> # v7.0.1` */
    uses: Object.fromEntries((Object.keys(actionPins) as ActionName[]).map((name) => [name, pinnedUses(name)])),
    actionlint: actionlintRelease,
    // Build natively: emulating arm64 under QEMU on an x86_64 runner is several times slower.
    buildRunner: base.architecture === 'arm64' ? 'ubuntu-24.04-arm' : 'ubuntu-24.04',
    /** The job condition that keeps a job out of AWS until the operator enables the pipeline. */
    enabled: `vars.${base.pipelineEnabledVariable} == 'true'`,
    /** The AWS account id, as a GitHub expression: role ARNs are built from it at run time. */
    accountId: `\${{ vars.${base.accountIdVariable} }}`,
    /**
     * Where images are pushed: with one account, its id from the repository variable at run time; with accounts, the
     * first environment's account, written literally, because later environments' jobs read their own account's
     * variable and still deploy from the first environment's registry.
     */
    imageRepository: base.accounts.artifactAccountId
      ? `${base.accounts.artifactAccountId}.dkr.ecr.${base.region}.amazonaws.com/${base.ecrRepositoryName}`
      : `\${{ vars.${base.accountIdVariable} }}.dkr.ecr.${base.region}.amazonaws.com/${base.ecrRepositoryName}`,
    /**
     * The account of each environment's plan role, by environment: plan jobs run without a GitHub environment, so they
     * cannot read an environment's AWS_ACCOUNT_ID; with accounts it is written literally (one account: the variable).
     */
    planAccount: Object.fromEntries(base.environments.map((env) => [env.name, env.accountId ?? `\${{ vars.${base.accountIdVariable} }}`])),
    /** Every Terraform root CI formats and validates: the bootstrap first, then each environment. */
    terraformRoots: ['terraform/bootstrap', ...base.environments.map((env) => `terraform/environments/${env.name}`)],
  }),
};
