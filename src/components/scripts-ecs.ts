import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';
import { ecsServices } from './compute-ecs.js';
import { exampleImage, imagePattern } from './scripts.js';

/** Seconds a deploy waits for every service's rollout to complete when the caller does not say. */
export const defaultRolloutTimeoutSeconds = 900;

/**
 * The ecs target's scripts (POSIX sh): deploy by digest (register a copy of the family's newest revision with the new
 * image, update the service, wait for its rollout), roll back to an earlier revision or commit, and status.
 */
export const ecsScriptsComponent: Component = {
  name: 'scripts',
  files: [{ from: 'scripts', owner: 'managed', ofTarget: true }],
  data: (data: TemplateData) => {
    const services = ecsServices(data).map((service) => ({
      ...service,
      /** POSIX ERE of an image of this service: its repository (in the registry's account, with accounts), by digest. */
      imagePattern: imagePattern(data, service.repository),
      exampleImage: `${service.key}=${exampleImage(data, service.repository)}`,
    }));
    return {
      environmentNames: data.environments.map((env) => env.name).join(', '),
      services,
      serviceNames: services.map((s) => s.key).join(', '),
      defaultRolloutTimeoutSeconds,
      /** The registry's account, with accounts: rollback.sh reads image tags there (null: the caller's own account). */
      registryAccountId: data.accounts.artifactAccountId,
    };
  },
};
