import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceNodeFlags } from '../../src/components/service.js';
import { generatedVersions } from '../../src/render/versions.js';
import { presetNames } from '../support/presets.js';
import { serviceFiles } from './service-files.js';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Dockerfile instructions by stage: comments dropped, `\` continuations joined. No Docker engine here to build it. */
function stages(dockerfile: string): Stage[] {
  const logical = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      const [, from = '', name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
      result.push({ from, name, instructions: [] });
    } else {
      expect(result.length, `${keyword} before the first FROM`).toBeGreaterThan(0);
      result.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return result;
}

describe.each(presetNames)('service/Dockerfile (preset %s)', (preset) => {
  const files = serviceFiles(preset);
  const dockerfile = files.find((file) => file.path === 'Dockerfile')!.content;
  const [build, runtime, ...more] = stages(dockerfile);
  const all = (stage: Stage | undefined, keyword: string) => (stage?.instructions ?? []).filter((i) => i.keyword === keyword);

  it('builds in one stage and runs in another, both on the pinned Node alpine image', () => {
    expect(more).toEqual([]);
    expect(build?.name).toBe('build');
    expect(build?.from).toBe(`node:${generatedVersions.node}-alpine`);
    expect(runtime?.from).toBe(`node:${generatedVersions.node}-alpine`);
  });

  it('installs exactly the lock file with npm ci, builds, and keeps production dependencies only', () => {
    const runs = all(build, 'RUN').map((i) => i.args);
    expect(runs.some((run) => /(^|\s)npm ci(\s|$)/.test(run))).toBe(true);
    expect(runs.some((run) => /npm run build/.test(run))).toBe(true);
    expect(runs.some((run) => /npm prune --omit=dev/.test(run))).toBe(true);
    // Nothing is installed in the runtime stage: it only copies the build stage's output.
    expect(all(runtime, 'RUN')).toEqual([]);
    expect(all(runtime, 'COPY').every((i) => i.args.startsWith('--from=build '))).toBe(true);
  });

  it('copies only files the service has', () => {
    const paths = new Set(files.map((file) => file.path));
    for (const copy of all(build, 'COPY')) {
      const sources = copy.args.split(/\s+/).filter((arg) => !arg.startsWith('--')).slice(0, -1);
      for (const source of sources) expect(paths.has(source) || [...paths].some((path) => path.startsWith(`${source}/`)), source).toBe(true);
    }
  });

  it('runs as a non-root user, checks /health, and starts node directly', () => {
    const users = all(runtime, 'USER').map((i) => i.args);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const keywords = runtime!.instructions.map((i) => i.keyword);
    expect(keywords.indexOf('USER')).toBeLessThan(keywords.indexOf('CMD'));
    const [healthcheck] = all(runtime, 'HEALTHCHECK');
    expect(healthcheck?.args).toMatch(/CMD wget -q -O \/dev\/null "http:\/\/127\.0\.0\.1:\$\{PORT\}\/health"/);
    expect(all(runtime, 'ENV').map((i) => i.args).join(' ')).toMatch(/PORT=8000/);
    expect(all(runtime, 'EXPOSE').map((i) => i.args)).toEqual(['8000']);
    // Exec form: node is PID 1 and receives docker stop's SIGTERM itself; with the service's V8 flags.
    expect(all(runtime, 'CMD').map((i) => JSON.parse(i.args))).toEqual([['node', ...serviceNodeFlags, 'dist/server.js']]);
  });

  it("ships Node's compile cache, filled at build time by the user the service runs as, read-only", () => {
    // The runtime reads the cache from where the build stage's warm-up wrote it
    const cache = /(?:^|\s)NODE_COMPILE_CACHE=(\S+)/.exec(all(runtime, 'ENV').map((i) => i.args).join(' '))?.[1];
    expect(cache).toMatch(/^\//);
    // With the CMD's V8 flags: Node keeps one cache per set of flags, and would not use one made with others
    const warmUp = build!.instructions.findIndex((i) => i.keyword === 'RUN' && i.args === `NODE_COMPILE_CACHE=${cache} node ${serviceNodeFlags.join(' ')} dist/warm-up.js`);
    expect(warmUp, 'the build stage runs the warm-up into that directory, with the flags of the CMD').toBeGreaterThan(-1);
    // Node keeps one cache per user id: the warm-up runs as the runtime's user
    const warmUpUser = build!.instructions.slice(0, warmUp).filter((i) => i.keyword === 'USER').at(-1)?.args;
    expect(warmUpUser).toBe(all(runtime, 'USER')[0]?.args);
    // Copied like the code (owned by root, so read-only to that user), to the same path
    const [workdir] = all(runtime, 'WORKDIR').map((i) => i.args);
    const copies = all(runtime, 'COPY').map((i) => i.args.split(/\s+/));
    expect(copies.some(([from, source, target]) => from === '--from=build' && source === cache && posix.join(workdir ?? '/', target ?? '') === cache)).toBe(true);
    expect(all(runtime, 'COPY').every((i) => !i.args.includes('--chown'))).toBe(true);
  });

  it('records the commit it was built from for /health', () => {
    expect(all(runtime, 'ARG').map((i) => i.args)).toContain('APP_COMMIT=unknown');
    expect(all(runtime, 'ENV').map((i) => i.args)).toContain('APP_COMMIT=${APP_COMMIT}');
  });

  it('keeps dependencies, build output and secrets out of the build context', () => {
    const ignored = files.find((file) => file.path === '.dockerignore')!.content.split('\n');
    for (const entry of ['node_modules', 'dist', '.env', '.env.*']) expect(ignored).toContain(entry);
  });
});
