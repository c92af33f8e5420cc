import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';

/** `arn:aws:ecr:<region>:<account>:repository/<name>`: a repository named literally (a later account cannot look it up). */
export const ecrRepositoryArn = (region: string, accountId: string, repository: string) => `arn:aws:ecr:${region}:${accountId}:repository/${repository}`;

/** `<account>.dkr.ecr.<region>.amazonaws.com`: the registry of an account, as image references start. */
export const ecrRegistry = (region: string, accountId: string) => `${accountId}.dkr.ecr.${region}.amazonaws.com`;

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
      repositoryArn: accountId === null ? null : ecrRepositoryArn(data.region, accountId, data.ecrRepositoryName),
      /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` with accounts; null with one account. */
      repositoryUrl: accountId === null ? null : `${ecrRegistry(data.region, accountId)}/${data.ecrRepositoryName}`,
      /** `<account>.dkr.ecr.<region>.amazonaws.com` with accounts; null with one account. */
      registry: accountId === null ? null : ecrRegistry(data.region, accountId),
    };
  },
};
