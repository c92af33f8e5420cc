// What many would write instead of the generated service: Express 5 with zod, the same two benchmarked routes and the
// same answers as bench/servers/bare-http.ts (GET /health; POST /items validated against the service's ItemCreate,
// 422 with FastAPI-style `detail` items, the same bounded store that forgets its oldest item). No request log.
// Run: PORT=… HOST=… node bench/servers/express-zod.ts
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler } from 'express';
import { z } from 'zod';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const commit = process.env.APP_COMMIT ?? 'unknown';
const maxItems = 1000;

const ItemCreate = z.object({
  name: z.string().min(1).max(100),
  price: z.number().min(0),
  tags: z.array(z.string().min(1).max(50)).max(20).optional(),
});
const store = new Map<string, { id: string; name: string; price: number; tags: string[] }>();

const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '1mb' }));

app.get('/health', (_request, response) => {
  response.json({ status: 'ok', version: '0.1.0', commit, uptime: Math.round(process.uptime() * 1000) / 1000 });
});

app.post('/items', (request, response) => {
  if (!request.is('application/json')) {
    response.status(415).json({ detail: 'Unsupported Media Type' });
    return;
  }
  const parsed = ItemCreate.safeParse(request.body);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => ({ loc: ['body', ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))], msg: issue.message, type: issue.code }));
    response.status(422).json({ detail });
    return;
  }
  const { name, price, tags = [] } = parsed.data;
  const item = { id: randomUUID(), name, price, tags };
  if (store.size >= maxItems) store.delete(store.keys().next().value!);
  store.set(item.id, item);
  response.status(201).json(item);
});

app.use((_request, response) => {
  response.status(404).json({ detail: 'Not Found' });
});

const errors: ErrorRequestHandler = (error: { type?: string; status?: number }, _request, response, _next) => {
  if (error.type === 'entity.parse.failed') {
    response.status(422).json({ detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] });
    return;
  }
  const status = error.status !== undefined && error.status >= 400 && error.status < 600 ? error.status : 500;
  response.status(status).json({ detail: status >= 500 ? 'Internal Server Error' : String((error as Error).message) });
};
app.use(errors);

const server = app.listen(port, host);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
