import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedVersions } from '../../src/render/versions.js';
import { serviceNodeFlags } from '../../src/components/service.js';
import { freePort } from '../support/moto.js';
import { serviceNode, servicePath } from '../support/service-node.js';
import { requireTool } from '../support/tools.js';
import { npm, serviceFiles, writeService } from './service-files.js';

// DESIGN §5.7: the generated service's own tests pass, and the built service keeps its HTTP contract. All of it on
// the Node its image and workflows run (serviceNode(): Node 24), not on the Node that runs these tests.
const commit = '0123456789abcdef0123456789abcdef01234567';

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/**
 * Starts the service as `npm start` and the image do (`node <its V8 flags> dist/server.js`) in `dir`, with only PATH
 * and `env`; `as` runs it through another command (a user switch).
 */
function startServer(dir: string, env: Record<string, string>, as: readonly string[] = []): Server {
  const [command = serviceNode().node, ...args] = [...as, serviceNode().node, ...serviceNodeFlags, 'dist/server.js'];
  const child = spawn(command, args, { cwd: dir, env: { PATH: servicePath(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = Number(env.PORT);
  return { child, base: `http://127.0.0.1:${port}`, port, stdout: () => out, stderr: () => err, exited };
}

async function waitForHealth(server: Server): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`the service exited with ${server.child.exitCode}:\n${server.stdout()}${server.stderr()}`);
    try {
      // Bodies are always read: an unread one keeps its connection busy, and would hold up a later shutdown.
      const response = await fetch(`${server.base}/health`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the service did not answer /health within 15 s:\n${server.stdout()}${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface LogLine {
  readonly reqId?: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** The service's stdout as JSON lines (every line must parse). */
const logLines = (server: Server): LogLine[] =>
  server
    .stdout()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogLine);

/** Logs are written asynchronously: wait until they say what we expect. */
async function waitForLog(server: Server, wanted: (lines: LogLine[]) => boolean, what: string): Promise<LogLine[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lines = logLines(server);
    if (wanted(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`the log never showed ${what}:\n${server.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms).unref())]);
}

/** Files under a directory, at any depth (a compile cache holds one per module). */
const fileCount = (path: string) => readdirSync(path, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;

/** chmod of a directory and everything under it. */
function chmodTree(path: string, directoryMode: number, fileMode: number): void {
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? directoryMode : fileMode);
  chmodSync(path, directoryMode);
}

/** Root ignores file modes: as root, run as nobody to meet a read-only directory as the image's user does. */
function unprivileged(): readonly string[] {
  if (process.getuid?.() !== 0) return [];
  requireTool('setpriv', 'apt-get install -y util-linux');
  return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
}

const postJson = (server: Server, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the generated service (default preset)', () => {
  let dir: string;

  beforeAll(() => {
    // GIVEN the rendered service in a fresh directory, installed from its rendered lock file and built, on its Node
    expect(serviceNode().version).toMatch(new RegExp(`^v${generatedVersions.node}\\.`));
    dir = writeService('default');
    const install = npm(dir, ['ci', '--no-audit', '--no-fund']);
    expect(install.status, `npm ci failed:\n${install.output}`).toBe(0);
    const build = npm(dir, ['run', 'build']);
    expect(build.status, `npm run build failed:\n${build.output}`).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`runs its npm scripts on Node ${generatedVersions.node}, the Node of its image and workflows`, () => {
    // WHEN npm runs a command in the service THEN the node it finds is the service's, not the one running these tests
    const result = npm(dir, ['exec', '--', 'node', '-p', 'process.version']);
    expect(result.status, result.output).toBe(0);
    expect(result.output.trim()).toBe(serviceNode().version);
    expect(serviceNode().version).toMatch(new RegExp(`^v${generatedVersions.node}\\.`));
  });

  it('passes its own tests (npm test)', () => {
    // WHEN its own test script runs
    const result = npm(dir, ['test']);

    // THEN every test file ran and passed
    const testFiles = serviceFiles('default').filter((file) => /^test\/.*\.test\.ts$/.test(file.path)).length;
    expect(result.status, result.output).toBe(0);
    expect(result.output).toMatch(new RegExp(`Test Files\\s+${testFiles} passed \\(${testFiles}\\)`));
    expect(result.output).not.toMatch(/failed|skipped|todo/i);
  });

  it('type-checks its sources and tests (npm run typecheck)', () => {
    const result = npm(dir, ['run', 'typecheck']);
    expect(result.status, result.output).toBe(0);
  });

  it('builds JavaScript for `npm start` (npm run build)', () => {
    // THEN the build emitted the entry point the Dockerfile and `npm start` run, and nothing of the tests
    for (const file of ['server.js', 'app.js', 'config.js', 'errors.js', 'routes/items.js', 'warm-up.js']) expect(existsSync(join(dir, 'dist', file)), file).toBe(true);
    expect(existsSync(join(dir, 'dist/test'))).toBe(false);
  });

  describe('over HTTP (node dist/server.js)', () => {
    let server: Server;

    beforeAll(async () => {
      server = startServer(dir, { PORT: String(await freePort()), HOST: '127.0.0.1', APP_COMMIT: commit, LOG_LEVEL: 'info' });
      await waitForHealth(server);
    }, 30_000);

    afterAll(() => {
      if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    });

    it('answers /health with status ok and the commit it runs', async () => {
      const response = await fetch(`${server.base}/health`);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body).toMatchObject({ status: 'ok', version: '0.1.0', commit });
      expect(typeof body.uptime).toBe('number');
      // The host deploy script looks for this exact text, without a JSON parser.
      expect(await (await fetch(`${server.base}/health`)).text()).toContain(`"commit":"${commit}"`);
    });

    it('answers /ready with the commit it runs (what an asg deploy waits for)', async () => {
      const response = await fetch(`${server.base}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready', commit });
    });

    it('serves a valid OpenAPI 3 document at /openapi.json', async () => {
      const response = await fetch(`${server.base}/openapi.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const spec = await response.json();
      expect(spec.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(spec.info).toMatchObject({ title: 'demo-service', version: '0.1.0' });
      expect(spec.paths['/items'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'price']);
      expect(Object.keys(spec.paths['/items'].post.responses).sort()).toEqual(['201', '422']);
      expect(spec.paths['/items/{id}'].get.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'id', required: true })]);
    });

    it('serves Swagger UI at /docs, with its assets', async () => {
      const page = await fetch(`${server.base}/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('swagger-ui');
      const asset = /href="(\/docs\/static\/[^"]+\.css)"/.exec(html)?.[1];
      expect(asset, 'the page links its stylesheet').toBeDefined();
      const stylesheet = await fetch(`${server.base}${asset}`);
      expect(stylesheet.status).toBe(200);
      expect((await stylesheet.text()).length).toBeGreaterThan(0);
    });

    it('answers an invalid item with 422 in FastAPI shape', async () => {
      const response = await postJson(server, '/items', { name: '', price: 'free' });
      expect(response.status).toBe(422);
      expect(await response.json()).toEqual({
        detail: [
          { loc: ['body', 'name'], msg: 'String should have at least 1 character', type: 'string_too_short' },
          { loc: ['body', 'price'], msg: 'Input should be a valid number', type: 'float_type' },
        ],
      });
    });

    it('creates an item (201), reads it back (200), and answers 404 for a missing one', async () => {
      const created = await postJson(server, '/items', { name: 'widget', price: 3 });
      expect(created.status).toBe(201);
      const item = await created.json();
      expect(item).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'widget', price: 3, tags: [] });

      const read = await fetch(`${server.base}/items/${item.id}`);
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(item);

      const missing = await fetch(`${server.base}/items/${randomUUID()}`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ detail: 'Item not found' });
    });

    it('logs one JSON access line per request, carrying the caller request id, and none for the probes', async () => {
      // GIVEN a request with an x-request-id, after the probes the tests above asked
      await postJson(server, '/items', { name: 'logged', price: 1 }, { 'x-request-id': 'contract-test-42' });

      // THEN stdout is JSON lines, and the request wrote one line once answered, with its id (lines are written in
      // order: had there been a line on arrival, it would be there already)
      const ofRequest = (lines: LogLine[]) => lines.filter((line) => line.reqId === 'contract-test-42');
      const lines = await waitForLog(server, (all) => ofRequest(all).length >= 1, 'the access line of the request');
      expect(ofRequest(lines)).toEqual([
        expect.objectContaining({ msg: 'request completed', method: 'POST', url: '/items', statusCode: 201, responseTime: expect.any(Number), remoteAddress: '127.0.0.1' }),
      ]);
      expect(lines.filter((line) => line.url === '/health' || line.url === '/ready')).toEqual([]);
    });

    it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
      // GIVEN a request the service has received, whose body is still arriving: Node answers `Expect: 100-continue`
      // as it hands the request to the app, so the client's 'continue' says the service has it
      const body = JSON.stringify({ name: 'in-flight', price: 1 });
      let finishBody = () => {};
      let received = () => {};
      const handedOver = new Promise<void>((resolve) => (received = resolve));
      const responded = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/items',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue', 'x-request-id': 'in-flight-1' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.on('continue', () => {
          req.write(body.slice(0, 5));
          received();
        });
        req.flushHeaders();
        finishBody = () => req.end(body.slice(5));
      });
      await withTimeout(handedOver, 5_000, 'the 100 Continue');

      // WHEN the service is told to stop while that request is open, and the body completes afterwards
      server.child.kill('SIGTERM');
      await waitForLog(server, (lines) => lines.some((line) => line.msg.startsWith('shutting down')), 'the shutdown start');
      finishBody();

      // THEN the request still completes, and the process exits 0 within a few seconds, having logged the request
      // and then said so
      const response = await withTimeout(responded, 5_000, 'the in-flight request');
      expect(response.status, response.text).toBe(201);
      const code = await withTimeout(server.exited, 5_000, 'the shutdown').catch((error: Error) => {
        throw new Error(`${error.message}; the service wrote:\n${server.stdout()}${server.stderr()}`);
      });
      expect(code).toBe(0);
      expect(logLines(server).slice(-2)).toEqual([expect.objectContaining({ reqId: 'in-flight-1', statusCode: 201, msg: 'request completed' }), expect.objectContaining({ msg: 'stopped' })]);
    });
  });

  describe("Node's compile cache", () => {
    /** Starts the service, waits for /health, stops it with SIGTERM (exit 0): answers what it wrote on stderr. */
    async function startOnce(env: Record<string, string>, as: readonly string[] = []): Promise<string> {
      const server = startServer(dir, { PORT: String(await freePort()), HOST: '127.0.0.1', ...env }, as);
      await waitForHealth(server);
      server.child.kill('SIGTERM');
      expect(await withTimeout(server.exited, 10_000, 'the shutdown'), server.stderr()).toBe(0);
      return server.stderr();
    }

    /** `node <flags> dist/warm-up.js` as the Dockerfile runs it, filling `cache`. */
    function warmUp(cache: string, as: readonly string[] = []): void {
      const [command = serviceNode().node, ...args] = [...as, serviceNode().node, ...serviceNodeFlags, 'dist/warm-up.js'];
      const result = spawnSync(command, args, { cwd: dir, env: { PATH: servicePath(), NODE_COMPILE_CACHE: cache }, encoding: 'utf8', timeout: 60_000 });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      expect(`${result.stdout}${result.stderr}`).toBe('');
    }

    it('is kept in node_modules/.cache by default, for the next start', async () => {
      // GIVEN no cache WHEN the service starts and stops without NODE_COMPILE_CACHE
      const cache = join(dir, 'node_modules/.cache/node-compile-cache');
      rmSync(cache, { recursive: true, force: true });
      expect(await startOnce({})).toBe('');

      // THEN it left the code of its modules there, its dependencies' too (over a thousand modules today)
      expect(fileCount(cache)).toBeGreaterThan(100);
    });

    it('is filled by dist/warm-up.js, as the image build does, with every module a start loads', async () => {
      // GIVEN a cache filled as the Dockerfile fills it
      const cache = join(dir, 'warmed-cache');
      warmUp(cache);
      const warmed = fileCount(cache);

      // WHEN the service starts and stops with it
      expect(await startOnce({ NODE_COMPILE_CACHE: cache })).toBe('');

      // THEN the start found every module in the cache but its entry point (dist/server.js), the one module it added
      expect(warmed).toBeGreaterThan(100);
      expect(fileCount(cache)).toBe(warmed + 1);
    });

    it('makes dist/warm-up.js fail, saying why, when it cannot be written: the image would ship it empty', () => {
      // GIVEN a cache directory that cannot be created WHEN the warm-up runs
      writeFileSync(join(dir, 'not-a-directory'), '');
      const result = spawnSync(serviceNode().node, ['dist/warm-up.js'], { cwd: dir, env: { PATH: servicePath(), NODE_COMPILE_CACHE: join(dir, 'not-a-directory', 'cache') }, encoding: 'utf8' });

      // THEN it exits 1 with one line naming the variable
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^warm-up: Node compile cache is off: set NODE_COMPILE_CACHE to [^\n]+\n$/);
    });

    it('is an optimization only: a read-only or unusable cache directory changes nothing', async () => {
      // GIVEN a warmed cache that the service's user cannot write, as in the image
      const as = unprivileged();
      const cache = join(dir, 'read-only-cache');
      mkdirSync(cache);
      if (as.length > 0) {
        chmodSync(dir, 0o755);
        chownSync(cache, 65534, 65534);
      }
      warmUp(cache, as);
      const warmed = fileCount(cache);
      chmodTree(cache, 0o555, 0o444);
      try {
        // WHEN the service starts and stops with it THEN it answers, says nothing and exits 0, and the cache is as it was
        expect(await startOnce({ NODE_COMPILE_CACHE: cache }, as)).toBe('');
        expect(fileCount(cache)).toBe(warmed);
      } finally {
        chmodTree(cache, 0o755, 0o644);
      }

      // AND WHEN the cache directory cannot even be created THEN the same
      writeFileSync(join(dir, 'not-a-directory'), '');
      expect(await startOnce({ NODE_COMPILE_CACHE: join(dir, 'not-a-directory', 'cache') })).toBe('');
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses to start with %s=%s: one line on stderr naming it, exit non-zero', async (name, value) => {
    // GIVEN an invalid setting WHEN the service starts
    const server = startServer(dir, { PORT: String(await freePort()), [name]: value });
    const code = await withTimeout(server.exited, 10_000, 'the refusal');

    // THEN it exits non-zero with exactly one line naming the variable, and nothing on stdout
    expect(code).not.toBe(0);
    expect(server.stderr()).toMatch(new RegExp(`^invalid environment: ${name}="${value}": set ${name} to [^\\n]+\\n$`));
    expect(server.stdout()).toBe('');
  });
});
