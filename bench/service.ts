// Section 4: the generated service under load, as it runs in production (`node dist/server.js`, NODE_ENV=production,
// the default LOG_LEVEL=info with request logging to a file), against a bare node:http server and an Express 5 + zod
// server with the same two routes (bench/servers/). autocannon (its own process) drives GET /health and POST /items
// on 127.0.0.1 with fixed connections and duration, in turns.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/moto.js';
import { scaffoldArgs, tempIn, type BenchContext } from './support/context.js';
import { describeProfile, summarizeProfiles } from './support/cpu-profile.js';
import { formatMiB, formatMs, formatRatio, median, pairedRatio, rounds, sh } from './support/measure.js';
import type { SectionResult, Target } from './support/report.js';

const connections = 50;
const durationSeconds = 5;
const warmupSeconds = 3;
const itemBody = JSON.stringify({ name: 'widget', price: 9.5, tags: ['blue', 'small'] });
const routes = [
  { name: 'GET /health', path: '/health', args: [] as string[] },
  { name: 'POST /items', path: '/items', args: ['-m', 'POST', '-H', 'content-type=application/json', '-b', itemBody] },
] as const;

interface ServerSpec {
  readonly name: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

interface Running {
  readonly spec: ServerSpec;
  readonly child: ChildProcess;
  readonly port: number;
  readonly log: string;
}

interface LoadRun {
  readonly reqPerSec: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly statusCodes: Record<string, number>;
  readonly errors: number;
  /** The server's CPU time over the run, as a share of one core. */
  readonly serverCpu: number;
  /** Lines the server logged per request (the generated service logs to its file; the others log nothing). */
  readonly logLinesPerRequest: number;
}

const ticksPerSecond = Number(sh('getconf', ['CLK_TCK'], '/'));

/** User plus system CPU time of a process so far, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** A line of /proc/<pid>/status in bytes (VmRSS: resident now; VmHWM: the peak). */
function memory(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  if (!line) throw new Error(`no ${field} for process ${pid}`);
  return Number(line[1]) * 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function start(spec: ServerSpec, port: number, log: string, nodeFlags: readonly string[] = []): ChildProcess {
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, [...nodeFlags, ...spec.argv], {
    cwd: spec.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...spec.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  return child;
}

/** Polls GET /health until it answers 200; answers the ms since `since` (process.hrtime.bigint()). */
async function firstOk(port: number, child: ChildProcess, log: string, since: bigint): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before answering:\n${readFileSync(log, 'utf8').slice(-4000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return Number(process.hrtime.bigint() - since) / 1e6;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no 200 from /health on port ${port} within 30 s:\n${readFileSync(log, 'utf8').slice(-4000)}`);
    await sleep(2);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function countLines(path: string): number {
  if (statSync(path).size === 0) return 0;
  const text = readFileSync(path);
  let lines = 0;
  for (const byte of text) if (byte === 10) lines++;
  return lines;
}

export async function benchService(context: BenchContext): Promise<SectionResult> {
  context.log('service: scaffolding, npm ci and npm run build in service/');
  const stage = tempIn(context, 'service-');
  sh(process.execPath, [context.bin, ...scaffoldArgs('svc-app')], stage);
  const service = join(stage, 'svc-app', 'service');
  sh('npm', ['ci'], service);
  sh('npm', ['run', 'build'], service);
  const autocannon = join(context.root, 'node_modules', 'autocannon', 'autocannon.js');
  const commit = 'c0ffee'.padEnd(40, '0');
  const specs: ServerSpec[] = [
    { name: 'generated service (Fastify)', argv: ['dist/server.js'], cwd: service, env: { NODE_ENV: 'production', APP_COMMIT: commit } },
    { name: 'bare node:http', argv: [join(context.root, 'bench', 'servers', 'bare-http.ts')], cwd: context.root, env: { APP_COMMIT: commit } },
    { name: 'Express 5 + zod', argv: [join(context.root, 'bench', 'servers', 'express-zod.ts')], cwd: context.root, env: { NODE_ENV: 'production', APP_COMMIT: commit } },
  ];

  context.log(`service: start-up to the first 200 of /health, ${context.runs} rounds`);
  const startup = await rounds(
    specs.map((spec) => ({
      name: spec.name,
      run: async () => {
        const port = await freePort();
        const log = join(tempIn(context, 'startup-'), 'server.log');
        const since = process.hrtime.bigint();
        const child = start(spec, port, log);
        try {
          return await firstOk(port, child, log, since);
        } finally {
          await stop(child);
        }
      },
    })),
    context.runs,
  );

  const running: Running[] = [];
  try {
    for (const spec of specs) {
      const port = await freePort();
      const log = join(tempIn(context, 'load-'), 'server.log');
      const child = start(spec, port, log);
      running.push({ spec, child, port, log });
      await firstOk(port, child, log, process.hrtime.bigint());
    }
    const load = (server: Running, route: (typeof routes)[number], seconds: number): Omit<LoadRun, 'logLinesPerRequest'> => {
      truncateSync(server.log, 0);
      const cpuBefore = cpuMs(server.child.pid!);
      const output = sh(process.execPath, [autocannon, '-j', '-c', String(connections), '-d', String(seconds), ...route.args, `http://127.0.0.1:${server.port}${route.path}`], context.root);
      const cpuAfter = cpuMs(server.child.pid!);
      const result = JSON.parse(output) as {
        requests: { average: number; total: number };
        latency: { p99: number };
        statusCodeStats: Record<string, { count: number }>;
        errors: number;
        timeouts: number;
      };
      return {
        reqPerSec: result.requests.average,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count])),
        errors: result.errors + result.timeouts,
        serverCpu: (cpuAfter - cpuBefore) / (seconds * 1000),
      };
    };

    context.log(`service: warm-up (${warmupSeconds} s per server and route), then RSS`);
    for (const server of running) for (const route of routes) load(server, route, warmupSeconds);
    const rssAfterWarmup = Object.fromEntries(running.map((server) => [server.spec.name, memory(server.child.pid!, 'VmRSS')]));

    context.log(`service: ${context.runs} rounds of ${connections} connections × ${durationSeconds} s per server and route`);
    const variants = routes.flatMap((route) =>
      running.map((server) => ({
        name: `${route.name} · ${server.spec.name}`,
        run: async () => {
          const run = load(server, route, durationSeconds);
          // The service's logger writes asynchronously: count its lines after a pause.
          await sleep(100);
          return { ...run, logLinesPerRequest: run.requests > 0 ? countLines(server.log) / run.requests : 0 };
        },
      })),
    );
    const runs = await rounds(variants, context.runs, 0);
    const peakRss = Object.fromEntries(running.map((server) => [server.spec.name, memory(server.child.pid!, 'VmHWM')]));

    // Where the generated service spends its CPU under each route's load, and at start-up.
    context.log('service: CPU profiles of the generated service (start-up, then each route under load)');
    const profiles: Record<string, string> = {};
    const generated = specs[0]!;
    for (const phase of ['start-up', ...routes.map((r) => r.name)]) {
      const dir = tempIn(context, 'service-profile-');
      const port = await freePort();
      const log = join(dir, 'server.log');
      const child = start(generated, port, log, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      await firstOk(port, child, log, process.hrtime.bigint());
      const route = routes.find((r) => r.name === phase);
      if (route) sh(process.execPath, [autocannon, '-j', '-c', String(connections), '-d', String(warmupSeconds), ...route.args, `http://127.0.0.1:${port}${route.path}`], context.root);
      await stop(child);
      const [profile] = summarizeProfiles(dir);
      profiles[phase] = profile ? describeProfile(profile, 6) : 'no profile written';
    }

    return report(context, specs, startup, runs, rssAfterWarmup, peakRss, profiles);
  } finally {
    for (const server of running) await stop(server.child);
  }
}

function report(
  context: BenchContext,
  specs: readonly ServerSpec[],
  startup: Record<string, number[]>,
  runs: Record<string, LoadRun[]>,
  rssAfterWarmup: Record<string, number>,
  peakRss: Record<string, number>,
  profiles: Record<string, string>,
): SectionResult {
  const [generated, bare, express] = specs.map((s) => s.name) as [string, string, string];
  const series = (route: string, server: string) => runs[`${route} · ${server}`]!;
  const rps = (route: string, server: string) => series(route, server).map((r) => r.reqPerSec);
  const codes = (list: readonly LoadRun[]) => {
    const total: Record<string, number> = {};
    for (const run of list) for (const [code, count] of Object.entries(run.statusCodes)) total[code] = (total[code] ?? 0) + count;
    return Object.entries(total)
      .map(([code, count]) => `${code}: ${count}`)
      .join(', ');
  };
  const loadTable = [
    ['route · server', 'req/s (median)', 'p99 latency', 'server CPU', 'log lines/req', 'status codes (all runs)', 'errors'],
    ...Object.entries(runs).map(([name, list]) => [
      name,
      Math.round(median(list.map((r) => r.reqPerSec))).toLocaleString('en-US'),
      `${median(list.map((r) => r.p99Ms)).toFixed(1)} ms`,
      `${Math.round(median(list.map((r) => r.serverCpu)) * 100)}%`,
      median(list.map((r) => r.logLinesPerRequest)).toFixed(2),
      codes(list),
      String(list.reduce((sum, r) => sum + r.errors, 0)),
    ]),
  ];
  const ratios = routes.map((route) => ({
    route: route.name,
    toBare: pairedRatio(rps(route.name, generated), rps(route.name, bare)),
    toExpress: pairedRatio(rps(route.name, generated), rps(route.name, express)),
  }));
  const startupGenerated = median(startup[generated]!);
  const rssGenerated = rssAfterWarmup[generated]!;
  const cpuNote = (route: string) => {
    const share = median(series(route, generated).map((r) => r.serverCpu));
    return share < 0.9 ? `the service used ${Math.round(share * 100)}% of a core, so it was not the only limit (autocannon shares the 2 cores)` : `the service used ${Math.round(share * 100)}% of a core`;
  };
  const targets: Target[] = [
    ...ratios.flatMap(({ route, toBare, toExpress }) => [
      {
        what: `${route} req/s vs bare node:http`,
        target: '≥ 0.75×',
        measured: formatRatio(toBare),
        met: toBare >= 0.75,
        miss: `${formatRatio(toBare)}, ${Math.round((1 - toBare / 0.75) * 100)}% below the target; ${cpuNote(route)}. Profile under this load: ${profiles[route]}.`,
      },
      {
        what: `${route} req/s vs Express 5 + zod`,
        target: '≥ 4×',
        measured: formatRatio(toExpress),
        met: toExpress >= 4,
        miss: `${formatRatio(toExpress)}, ${Math.round((1 - toExpress / 4) * 100)}% below the target; ${cpuNote(route)}. Profile under this load: ${profiles[route]}.`,
      },
    ]),
    { what: 'start-up to the first 200 (median)', target: '≤ 0.5 s', measured: formatMs(startupGenerated), met: startupGenerated <= 500, miss: `${formatMs(startupGenerated - 500)} over. Profile: ${profiles['start-up']}.` },
    { what: 'RSS after warm-up', target: '≤ 100 MiB', measured: formatMiB(rssGenerated), met: rssGenerated <= 100 * 1024 * 1024, miss: `${formatMiB(rssGenerated - 100 * 1024 * 1024)} over.` },
  ];
  return {
    id: 'service',
    title: '4. Generated service',
    method:
      'The scaffolded service/ after `npm ci` and `npm run build`, run as `node dist/server.js` with NODE_ENV=production and the ' +
      'default LOG_LEVEL (info: POST /items logs its request lines, /health logs only warnings) to a file; bench/servers/bare-http.ts ' +
      'and bench/servers/express-zod.ts answer the same two routes with the same validation and store, and log nothing. ' +
      `autocannon runs in its own process with ${connections} connections, no pipelining, ${durationSeconds} s per run, after a ` +
      `${warmupSeconds} s warm-up per server and route; ${context.runs} rounds in turn, ratios paired per round. Start-up is from ` +
      `spawn to the first 200 of /health, median of ${context.runs}. RSS is VmRSS after the warm-up; the peak is VmHWM at the end.`,
    tables: [
      loadTable,
      [
        ['generated service ÷', ...routes.map((r) => r.name)],
        ['bare node:http (req/s, paired)', ...ratios.map((r) => formatRatio(r.toBare))],
        ['Express 5 + zod (req/s, paired)', ...ratios.map((r) => formatRatio(r.toExpress))],
      ],
      [
        ['server', 'start-up to first 200 (median)', 'RSS after warm-up', 'peak RSS'],
        ...specs.map((s) => [s.name, formatMs(median(startup[s.name]!)), formatMiB(rssAfterWarmup[s.name]!), formatMiB(peakRss[s.name]!)]),
      ],
    ],
    targets,
    notes: [
      'The store holds 1,000 items, as the generated service\'s does: after the first 1,000 POSTs of a server\'s life every POST ' +
        'answers 507, so POST /items measures body parsing, validation and an error reply far more than item creation.',
      `The load generator shares this machine's ${cpus().length} cores with the server: "server CPU" shows how much of one core the server used; well under 100% means the client or the machine, not the server, set the pace.`,
      `CPU profiles of the generated service (\`node --cpu-prof dist/server.js\`):\n${Object.entries(profiles).map(([phase, text]) => `  - ${phase}: ${text}`).join('\n')}`,
    ],
    data: { connections, durationSeconds, startup, runs, ratios, rssAfterWarmup, peakRss, profiles },
  };
}
