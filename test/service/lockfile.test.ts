import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceVersions } from '../../src/components/service-versions.js';
import { generatedVersions } from '../../src/render/versions.js';
import { presetNames } from '../support/presets.js';
import { lockTemplatePath, npm, serviceFiles, writeService } from './service-files.js';

// After a bump in service-versions.ts: `UPDATE_SERVICE_LOCKFILE=1 npx vitest run test/service/lockfile.test.ts`
// re-resolves the lock file from scratch and rewrites its template (review the diff like a snapshot).
const updateCommand = 'UPDATE_SERVICE_LOCKFILE=1 npx vitest run test/service/lockfile.test.ts';
const update = process.env.UPDATE_SERVICE_LOCKFILE === '1';

/**
 * A lock file of the default preset as a template: only the service's name and the Node engine (both copied from
 * package.json) depend on the options or on shared versions.
 */
function toTemplate(lock: string, serviceName: string): string {
  const parsed = JSON.parse(lock) as { name: string; packages: Record<string, { name?: string; engines?: { node?: string } }> };
  const root = parsed.packages['']!;
  expect(parsed.name).toBe(serviceName);
  expect(root.name).toBe(serviceName);
  expect(root.engines?.node).toBe(generatedVersions.serviceNodeEngine);
  expect(lock, 'a lock file with "{{" cannot be a Handlebars template as it is').not.toContain('{{');
  parsed.name = root.name = '@@SERVICE_NAME@@';
  root.engines!.node = '@@NODE_ENGINE@@';
  return `${JSON.stringify(parsed, undefined, 2)}\n`
    .replaceAll('"@@SERVICE_NAME@@"', '"{{name}}-service"')
    .replace('"@@NODE_ENGINE@@"', '"{{versions.serviceNodeEngine}}"');
}

describe('service/package-lock.json', () => {
  const dir = writeService('default');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is exactly what npm resolves for the rendered package.json', () => {
    // GIVEN the default preset's rendered service, with its rendered lock file
    const lockPath = join(dir, 'package-lock.json');
    const serviceName = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name;
    const rendered = existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : undefined;
    if (update) rmSync(lockPath, { force: true });
    else expect(rendered, `${lockTemplatePath} is missing: create it with ${updateCommand}`).toBeDefined();

    // WHEN npm brings the lock file in line with package.json (without installing anything)
    const result = npm(dir, ['install', '--package-lock-only', '--ignore-scripts']);
    expect(result.status, result.output).toBe(0);
    const resolved = readFileSync(lockPath, 'utf8');

    if (update) {
      const template = toTemplate(resolved, serviceName);
      expect(template.replaceAll('{{name}}-service', serviceName).replace('{{versions.serviceNodeEngine}}', generatedVersions.serviceNodeEngine)).toBe(resolved);
      writeFileSync(lockTemplatePath, template);
      return;
    }
    // THEN it changed nothing: `npm ci` in CI and in the Dockerfile installs these exact versions
    expect(resolved, `the lock file template is out of date: run ${updateCommand}`).toBe(rendered);
  });

  it.each(presetNames)('names the service and pins the versions of service-versions.ts (preset %s)', (preset) => {
    // GIVEN a preset's rendered package.json and lock file
    const files = serviceFiles(preset);
    const read = (path: string) => JSON.parse(files.find((file) => file.path === path)!.content);
    const manifest = read('package.json');
    const lock = read('package-lock.json');

    // THEN both carry the service's name, and the lock's root pins exactly the versions of the one map
    expect(lock.name).toBe(manifest.name);
    expect(lock.packages[''].name).toBe(manifest.name);
    expect(manifest.dependencies).toEqual(serviceVersions.dependencies);
    expect(manifest.devDependencies).toEqual(serviceVersions.devDependencies);
    expect(lock.packages[''].dependencies).toEqual(serviceVersions.dependencies);
    expect(lock.packages[''].devDependencies).toEqual(serviceVersions.devDependencies);
    for (const [name, version] of Object.entries({ ...serviceVersions.dependencies, ...serviceVersions.devDependencies })) {
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version);
    }
  });
});
