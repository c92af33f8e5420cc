import type { Component } from './component.js';

/**
 * The `ecr` module, for targets that ship container images: the bootstrap creates the repository once and every
 * environment deploys from it by digest.
 */
export const imageRegistryComponent: Component = {
  name: 'imageRegistry',
  files: [{ from: 'terraform/modules/ecr', owner: 'managed' }],
};
