import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/moto.js';
import { npm, serviceFiles, writeService } from './service-files.js';

// DESIGN §5.7: the generated service's own tests pass, and the built service keeps its HTTP contract.
const commit = '0123456789abcdef0123456789abcdef01234567';

interface Server {
  readonly child: ChildProcess;
  readonly base: string;
  readonly port: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

function startServer(dir: string, env: Record<string, string>): Server {
  const child = spawn(process.execPath, ['dist/server.js'], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
      if ((await fetch(`${server.base}/health`)).ok) return;
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

const postJson = (server: Server, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the generated service (default preset)', () => {
  let dir: string;

  beforeAll(() => {
    // GIVEN the rendered service in a fresh directory, installed from its rendered lock file and built
    dir = writeService('default');
    const install = npm(dir, ['ci', '--no-audit', '--no-fund']);
    expect(install.status, `npm ci failed:\n${install.output}`).toBe(0);
    const build = npm(dir, ['run', 'build']);
    expect(build.status, `npm run build failed:\n${build.output}`).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
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
    for (const file of ['server.js', 'app.js', 'config.js', 'errors.js', 'routes/items.js']) expect(existsSync(join(dir, 'dist', file)), file).toBe(true);
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

    it('answers /ready', async () => {
      const response = await fetch(`${server.base}/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ready' });
    });

    it('serves a valid OpenAPI 3 document at /openapi.json', async () => {
      const response = await fetch(`${server.base}/openapi.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const spec = await response.json();
      expect(spec.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(spec.info).toMatchObject({ title: 'demo-service', version: '0.1.0' });
      expect(spec.paths['/items'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'price']);
      expect(Object.keys(spec.paths['/items'].post.responses).sort()).toEqual(['201', '422', '507']);
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
      expect((await fetch(`${server.base}${asset}`)).status).toBe(200);
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

    it('logs JSON lines carrying the caller request id', async () => {
      // GIVEN a request with an x-request-id
      await postJson(server, '/items', { name: 'logged', price: 1 }, { 'x-request-id': 'contract-test-42' });

      // THEN stdout is JSON lines, and the request is logged when received and when completed, with its id
      const ofRequest = (lines: LogLine[]) => lines.filter((line) => line.reqId === 'contract-test-42').map((line) => line.msg);
      const lines = await waitForLog(server, (all) => ofRequest(all).length >= 2, 'both lines of the request');
      expect(ofRequest(lines)).toEqual(['incoming request', 'request completed']);
    });

    it('finishes an in-flight request on SIGTERM, then exits 0', async () => {
      // GIVEN a request the service has received, whose body is still arriving
      const body = JSON.stringify({ name: 'in-flight', price: 1 });
      let finishBody = () => {};
      const responded = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/items',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'in-flight-1' },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 5));
        finishBody = () => req.end(body.slice(5));
      });
      await waitForLog(server, (lines) => lines.some((line) => line.reqId === 'in-flight-1'), 'the in-flight request arrive');

      // WHEN the service is told to stop while that request is open, and the body completes afterwards
      server.child.kill('SIGTERM');
      await waitForLog(server, (lines) => lines.some((line) => line.msg.startsWith('shutting down')), 'the shutdown start');
      finishBody();

      // THEN the request still completes, and the process exits 0 within a few seconds, having said so
      const response = await withTimeout(responded, 5_000, 'the in-flight request');
      expect(response.status, response.text).toBe(201);
      expect(await withTimeout(server.exited, 5_000, 'the shutdown')).toBe(0);
      expect(logLines(server).at(-1)?.msg).toBe('stopped');
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
