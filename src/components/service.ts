import type { Component } from './component.js';
import { serviceVersions } from './service-versions.js';

/** A JSON object nested one level deep in package.json: every line after the first indented by two spaces. */
function nestedJson(value: object): string {
  return JSON.stringify(value, undefined, 2).replace(/\n/g, '\n  ');
}

/**
 * The V8 flags the service runs with, everywhere it runs in production: the image's CMD, the image build's warm-up
 * (Node keeps a compile cache per set of flags, so they must match) and `npm start`. Sized for a small instance.
 * Measured on Node 24 after the warm-up of bench/service.ts: resident memory 117-143 MiB without them,
 * 91-100 MiB with them; POST /items throughput within the noise of paired runs (0.98× of the default).
 * - `--max-semi-space-size=2`: V8 grows the young generation to 32 MiB under load; a request's garbage dies young
 *   whatever its size, so 2 MiB semi-spaces collect it as well, more often, for less memory.
 * - `--no-maglev`: V8's mid-tier compiler kept ~20 MiB more after a warm-up (the memory it compiled with, on
 *   background threads); hot code is still optimized by Turbofan. A V8 flag, not a Node one: a Node major that drops
 *   it fails the image build's warm-up, which runs with the same flags.
 */
export const serviceNodeFlags = ['--max-semi-space-size=2', '--no-maglev'] as const;

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
    nodeFlags: serviceNodeFlags.join(' '),
    // The Dockerfile's exec-form CMD: a JSON array, spaced as people write it.
    serverCommand: `[${['node', ...serviceNodeFlags, 'dist/server.js'].map((arg) => JSON.stringify(arg)).join(', ')}]`,
  }),
};
