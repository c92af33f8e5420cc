import type { Component } from './component.js';
import { serviceVersions } from './service-versions.js';

/** A JSON object nested one level deep in package.json: every line after the first indented by two spaces. */
function nestedJson(value: object): string {
  return JSON.stringify(value, undefined, 2).replace(/\n/g, '\n  ');
}

/**
 * The FastAPI-style Node service (`service/`): Fastify + TypeBox, its tests, Dockerfile and lock file. Every file is
 * a sample: the user owns the application code after the scaffold, and Dependabot bumps its dependencies.
 */
export const serviceComponent: Component = {
  name: 'service',
  files: [{ from: 'service', owner: 'sample' }],
  data: () => ({
    dependencies: nestedJson(serviceVersions.dependencies),
    devDependencies: nestedJson(serviceVersions.devDependencies),
  }),
};
