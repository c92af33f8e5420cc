import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';

/**
 * The `ecr` module, for targets that ship container images: the bootstrap creates the repository once and every
 * environment deploys from it by digest. With accounts, the repository lives in the first environment's account and
 * environments of other accounts read it there: their roots and workflows name it literally.
 */
export const imageRegistryComponent: Component = {
  name: 'imageRegistry',
  files: [{ from: 'terraform/modules/ecr', owner: 'managed' }],
  data: (data: TemplateData) => {
    const accountId = data.accounts.artifactAccountId;
    return {
      /** The registry's account with accounts (the first environment's); null with one account. */
      accountId,
      /** `arn:aws:ecr:<region>:<account>:repository/<name>` with accounts; null with one account (roots look it up). */
      repositoryArn: accountId === null ? null : `arn:aws:ecr:${data.region}:${accountId}:repository/${data.ecrRepositoryName}`,
      /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` with accounts; null with one account. */
      repositoryUrl: accountId === null ? null : `${accountId}.dkr.ecr.${data.region}.amazonaws.com/${data.ecrRepositoryName}`,
    };
  },
};
