/**
 * Exact versions of the generated service's npm dependencies, in one place. `templates/service/package-lock.json.hbs`
 * is resolved against exactly these: after a bump, regenerate it with
 * `UPDATE_SERVICE_LOCKFILE=1 npx vitest run test/service/lockfile.test.ts` (test/service proves the two agree by
 * running `npm ci` on the rendered service, under the service's Node).
 */
export const serviceVersions = {
  dependencies: {
    '@fastify/swagger': '9.9.3',
    '@fastify/swagger-ui': '6.1.3',
    '@fastify/type-provider-typebox': '6.3.0',
    fastify: '5.12.8',
    // Direct only for `pino.destination({ sync: false })`: the same version fastify resolves, so it is not installed twice.
    pino: '10.4.0',
    // The TypeBox line @fastify/type-provider-typebox 6 expects as its peer.
    typebox: '1.4.3',
  },
  devDependencies: {
    // The types of the Node line the service runs on (versions.node).
    '@types/node': '24.19.4',
    // 5.9, not 7: the service's build and type checks use the same compiler line as this package.
    typescript: '5.9.3',
    vitest: '5.1.1',
  },
} as const;
