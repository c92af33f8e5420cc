// The floor the generated service is compared with: node:http alone, with the service's two benchmarked routes and
// the same answers: GET /health, and POST /items validated by hand against the service's ItemCreate schema, 422 with
// FastAPI's `detail` items, the same bounded in-memory store (the latest 1,000 items: the oldest is forgotten first).
// No framework, no request log.
// Run: PORT=… HOST=… node bench/servers/bare-http.ts
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';

interface Detail {
  readonly loc: (string | number)[];
  readonly msg: string;
  readonly type: string;
}

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const commit = process.env.APP_COMMIT ?? 'unknown';
const maxItems = 1000;
const bodyLimit = 1024 * 1024;
const store = new Map<string, { id: string; name: string; price: number; tags: string[] }>();

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

function checkString(value: unknown, loc: (string | number)[], max: number, detail: Detail[]): void {
  if (typeof value !== 'string') detail.push({ loc, msg: 'Input should be a valid string', type: 'string_type' });
  else if (value.length < 1) detail.push({ loc, msg: 'String should have at least 1 character', type: 'string_too_short' });
  else if (value.length > max) detail.push({ loc, msg: `String should have at most ${max} characters`, type: 'string_too_long' });
}

/** The service's ItemCreate: name 1-100 characters, price a number ≥ 0, tags at most 20 strings of 1-50. */
function validate(body: unknown): Detail[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', type: 'model_attributes_type' }];
  }
  const { name, price, tags } = body as Record<string, unknown>;
  const detail: Detail[] = [];
  if (name === undefined) detail.push({ loc: ['body', 'name'], msg: 'Field required', type: 'missing' });
  else checkString(name, ['body', 'name'], 100, detail);
  if (price === undefined) detail.push({ loc: ['body', 'price'], msg: 'Field required', type: 'missing' });
  else if (typeof price !== 'number' || !Number.isFinite(price)) detail.push({ loc: ['body', 'price'], msg: 'Input should be a valid number', type: 'float_type' });
  else if (price < 0) detail.push({ loc: ['body', 'price'], msg: 'Input should be greater than or equal to 0', type: 'greater_than_equal' });
  if (tags !== undefined) {
    if (!Array.isArray(tags)) detail.push({ loc: ['body', 'tags'], msg: 'Input should be a valid list', type: 'list_type' });
    else if (tags.length > 20) detail.push({ loc: ['body', 'tags'], msg: 'List should have at most 20 items', type: 'too_long' });
    else tags.forEach((tag, index) => checkString(tag, ['body', 'tags', index], 50, detail));
  }
  return detail;
}

const server = createServer((request, response) => {
  const path = request.url?.split('?')[0];
  if (request.method === 'GET' && path === '/health') {
    send(response, 200, { status: 'ok', version: '0.1.0', commit, uptime: Math.round(process.uptime() * 1000) / 1000 });
    return;
  }
  if (request.method !== 'POST' || path !== '/items') {
    send(response, 404, { detail: 'Not Found' });
    return;
  }
  if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) {
    send(response, 415, { detail: 'Unsupported Media Type' });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > bodyLimit) {
      send(response, 413, { detail: 'Request body is too large' });
      request.destroy();
    } else chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > bodyLimit) return;
    const text = Buffer.concat(chunks).toString('utf8');
    if (text === '') return send(response, 422, { detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return send(response, 422, { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
    }
    const detail = validate(body);
    if (detail.length > 0) return send(response, 422, { detail });
    const { name, price, tags = [] } = body as { name: string; price: number; tags?: string[] };
    const item = { id: randomUUID(), name, price, tags };
    if (store.size >= maxItems) store.delete(store.keys().next().value!);
    store.set(item.id, item);
    send(response, 201, item);
  });
});

server.listen(port, host);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
