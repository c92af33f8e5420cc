import type { TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';
import { ecsServices } from './compute-ecs.js';

/** Seconds a deploy waits for every service's rollout to complete when the caller does not say. */
export const defaultRolloutTimeoutSeconds = 900;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
      /** POSIX ERE of an image of this service: its repository (any account: images may come from another), by digest. */
      imagePattern: `^[0-9]{12}${escapeRegExp(`.dkr.ecr.${data.region}.amazonaws.com/${service.repository}`)}@sha256:[0-9a-f]{64}$`,
      exampleImage: `${service.key}=123456789012.dkr.ecr.${data.region}.amazonaws.com/${service.repository}@sha256:<64 hex>`,
    }));
    return {
      environmentNames: data.environments.map((env) => env.name).join(', '),
      services,
      serviceNames: services.map((s) => s.key).join(', '),
      defaultRolloutTimeoutSeconds,
    };
  },
};
