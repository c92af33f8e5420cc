import { describe, expect, it } from 'vitest';
import { serviceComponent, serviceNodeFlags } from '../../src/components/service.js';
import { serviceVersions } from '../../src/components/service-versions.js';
import { generatedVersions } from '../../src/render/versions.js';
import { presetNames } from '../support/presets.js';
import { renderPreset } from '../support/render-preset.js';
import { serviceFiles } from './service-files.js';

const expectedFiles = [
  '.dockerignore',
  'Dockerfile',
  'README.md',
  'package-lock.json',
  'package.json',
  'src/app.ts',
  'src/config.ts',
  'src/errors.ts',
  'src/routes/docs.ts',
  'src/routes/health.ts',
  'src/routes/items.ts',
  'src/server.ts',
  'src/warm-up.ts',
  'test/base-path.test.ts',
  'test/config.test.ts',
  'test/docs.test.ts',
  'test/errors.test.ts',
  'test/health.test.ts',
  'test/items.test.ts',
  'test/logging.test.ts',
  'test/test-app.ts',
  'tsconfig.build.json',
  'tsconfig.json',
];

describe('serviceComponent', () => {
  it('declares one folder of sample files', () => {
    // The user owns the service after the scaffold: `npx projen` must never rewrite it.
    expect(serviceComponent.files).toEqual([{ from: 'service', owner: 'sample' }]);
  });

  it.each(presetNames)('renders the whole service as sample files (preset %s)', (preset) => {
    // GIVEN a preset WHEN the repository renders
    const service = renderPreset(preset).filter((file) => file.path.startsWith('service/'));

    // THEN the service has exactly its files, all samples, none executable
    expect(service.map((file) => file.path.slice('service/'.length))).toEqual(expectedFiles);
    for (const file of service) expect({ path: file.path, owner: file.owner, mode: file.mode }).toEqual({ path: file.path, owner: 'sample', mode: 0o644 });
  });

  it.each(presetNames)('renders package.json from the one versions map (preset %s)', (preset) => {
    // GIVEN a preset's rendered package.json
    const manifest = JSON.parse(serviceFiles(preset).find((file) => file.path === 'package.json')!.content);

    // THEN it is an ESM package for the service's Node (24), with the scripts CI and the Dockerfile run, and exact versions
    expect(manifest).toMatchObject({
      private: true,
      type: 'module',
      engines: { node: generatedVersions.serviceNodeEngine },
      scripts: { test: 'vitest run', build: 'tsc -p tsconfig.build.json', start: `node ${serviceNodeFlags.join(' ')} dist/server.js`, typecheck: 'tsc' },
      dependencies: serviceVersions.dependencies,
      devDependencies: serviceVersions.devDependencies,
    });
    for (const version of Object.values({ ...manifest.dependencies, ...manifest.devDependencies })) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("types the service with the Node line it runs on, and asks for that line's LTS in engines", () => {
    expect(serviceVersions.devDependencies['@types/node'].split('.')[0]).toBe(generatedVersions.node);
    expect(generatedVersions.serviceNodeEngine).toMatch(new RegExp(`^>=${generatedVersions.node}\\.\\d+\\.\\d+$`));
  });

  it('names the service after the project', () => {
    expect(JSON.parse(serviceFiles('default').find((file) => file.path === 'package.json')!.content).name).toBe('demo-service');
    expect(JSON.parse(serviceFiles('multi-env').find((file) => file.path === 'package.json')!.content).name).toBe('shop-api-service');
  });
});
