// Section 4: the generated service under load, as it runs in production (its `npm start` command, which the image's
// CMD repeats, on the Node its image runs; NODE_ENV=production, the default LOG_LEVEL=info with request logging to a
// file), against a bare node:http server and an Express 5 + zod server with the same two routes (bench/servers/), on
// that same Node. autocannon (its own process) drives GET /health and POST /items on 127.0.0.1 with fixed connections
// and duration, in turns.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/moto.js';
import { serviceNode, servicePath } from '../test/support/service-node.js';
import { scaffoldArgs, tempIn, type BenchContext, type Section } from './support/context.js';
import { describeProfile, summarizeProfiles } from './support/cpu-profile.js';
import { benchEnv, formatMiB, formatMs, formatRatio, median, pairedRatio, rounds, sh, shAsync, timed } from './support/measure.js';
import type { SectionResult, Target } from './support/report.js';

const connections = 50;
const durationSeconds = 3;
const warmupSeconds = 2;
const itemBody = JSON.stringify({ name: 'widget', price: 9.5, tags: ['blue', 'small'] });
const routes = [
  { name: 'GET /health', path: '/health', args: [] as string[] },
  { name: 'POST /items', path: '/items', args: ['-m', 'POST', '-H', 'content-type=application/json', '-b', itemBody] },
] as const;
type Route = (typeof routes)[number];
/** What the generated service loads at start-up, timed one by one to see what its start-up is made of. */
const serviceImports = ['fastify', '@fastify/swagger', '@fastify/swagger-ui', '@fastify/type-provider-typebox', 'pino', 'typebox'];

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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

function start(spec: ServerSpec, port: number, log: string, nodeFlags: readonly string[] = [], env: Record<string, string> = {}): ChildProcess {
  const out = openSync(log, 'a');
  // The servers run on the Node the generated service's image runs (not the one running the bench).
  const child = spawn(serviceNode().node, [...nodeFlags, ...spec.argv], {
    cwd: spec.cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...spec.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
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

/** Median CPU time the server spent per request, in µs: its cost per request, whoever set the pace. */
const cpuPerRequest = (list: readonly LoadRun[]) => median(list.map((r) => (r.serverCpu * durationSeconds * 1e6) / r.requests));

function countLines(path: string): number {
  if (statSync(path).size === 0) return 0;
  let lines = 0;
  for (const byte of readFileSync(path)) if (byte === 10) lines++;
  return lines;
}

/**
 * The comparison servers as plain JavaScript next to a link to this repository's node_modules, so they start and
 * use memory as production JavaScript does: run as .ts, Node would load its type stripper too.
 */
function compileServers(context: BenchContext): string {
  const dir = tempIn(context, 'servers-');
  mkdirSync(join(dir, 'servers'));
  symlinkSync(join(context.root, 'node_modules'), join(dir, 'node_modules'));
  for (const name of ['bare-http', 'express-zod']) {
    const source = readFileSync(join(context.root, 'bench', 'servers', `${name}.ts`), 'utf8');
    writeFileSync(join(dir, 'servers', `${name}.mjs`), stripTypeScriptTypes(source));
  }
  return join(dir, 'servers');
}

/**
 * The node arguments of the service's `npm start` (`node [flags…] dist/server.js`): what the image's CMD runs too
 * (test/service checks that they agree). Run directly, not through npm, so the process measured is the server.
 */
function startArguments(service: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(service, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [command, ...args] = scripts.start.split(/\s+/);
  if (command !== 'node' || args.at(-1) !== 'dist/server.js' || args.some((arg) => /["'$`\\]/.test(arg))) {
    throw new Error(`the service's start script is not \`node [flags…] dist/server.js\`: ${scripts.start}`);
  }
  return args;
}

export const benchService: Section = async (context) => {
  const stage = tempIn(context, 'service-');
  await shAsync(process.execPath, [context.bin, ...scaffoldArgs('svc-app')], stage);
  const service = join(stage, 'svc-app', 'service');
  // npm and the build on the service's Node, as its image and workflows run them.
  const serviceEnv = { ...benchEnv, PATH: servicePath() };
  await shAsync('npm', ['ci'], service, serviceEnv);
  await shAsync('npm', ['run', 'build'], service, serviceEnv);
  const servers = compileServers(context);
  const commit = 'c0ffee'.padEnd(40, '0');
  const specs: ServerSpec[] = [
    { name: 'generated service (Fastify)', argv: startArguments(service), cwd: service, env: { NODE_ENV: 'production', APP_COMMIT: commit } },
    { name: 'bare node:http', argv: [join(servers, 'bare-http.mjs')], cwd: servers, env: { APP_COMMIT: commit } },
    { name: 'Express 5 + zod', argv: [join(servers, 'express-zod.mjs')], cwd: servers, env: { NODE_ENV: 'production', APP_COMMIT: commit } },
  ];
  return () => measure(context, service, specs);
};

async function measure(context: BenchContext, service: string, specs: readonly ServerSpec[]): Promise<SectionResult> {
  const autocannon = join(context.root, 'node_modules', 'autocannon', 'autocannon.js');
  const cannon = (port: number, route: Route, seconds: number) =>
    sh(process.execPath, [autocannon, '-j', '-c', String(connections), '-d', String(seconds), ...route.args, `http://127.0.0.1:${port}${route.path}`], context.root);
  const generated = specs[0]!;
  // Node's compile cache (NODE_COMPILE_CACHE, Node ≥ 22.1), filled by the warm-up round: one way to start faster.
  const compileCache = tempIn(context, 'compile-cache-');
  const cached: ServerSpec = { ...generated, name: 'generated service, NODE_COMPILE_CACHE', env: { ...generated.env, NODE_COMPILE_CACHE: compileCache } };

  context.log(`service: start-up to the first 200 of /health, ${context.runs} rounds`);
  const startup = await rounds(
    [...specs, cached].map((spec) => ({
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
    await sleep(500);
    const rssIdle = Object.fromEntries(running.map((server) => [server.spec.name, memory(server.child.pid!, 'VmRSS')]));
    const load = async (server: Running, route: Route, seconds: number): Promise<LoadRun> => {
      truncateSync(server.log, 0);
      const cpuBefore = cpuMs(server.child.pid!);
      const result = JSON.parse(cannon(server.port, route, seconds)) as {
        requests: { average: number; total: number };
        latency: { p99: number };
        statusCodeStats: Record<string, { count: number }>;
        errors: number;
        timeouts: number;
      };
      const cpuAfter = cpuMs(server.child.pid!);
      // The service's logger writes asynchronously: count its lines after a pause.
      await sleep(100);
      return {
        reqPerSec: result.requests.average,
        p99Ms: result.latency.p99,
        requests: result.requests.total,
        statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count])),
        errors: result.errors + result.timeouts,
        serverCpu: (cpuAfter - cpuBefore) / (seconds * 1000),
        logLinesPerRequest: result.requests.total > 0 ? countLines(server.log) / result.requests.total : 0,
      };
    };

    context.log(`service: warm-up (${warmupSeconds} s per server and route), then RSS`);
    const warmup: Record<string, Record<string, number>> = {};
    for (const server of running) for (const route of routes) warmup[`${route.name} · ${server.spec.name}`] = (await load(server, route, warmupSeconds)).statusCodes;
    const rssAfterWarmup = Object.fromEntries(running.map((server) => [server.spec.name, memory(server.child.pid!, 'VmRSS')]));

    context.log(`service: ${context.runs} rounds of ${connections} connections × ${durationSeconds} s per server and route`);
    const runs = await rounds(
      routes.flatMap((route) => running.map((server) => ({ name: `${route.name} · ${server.spec.name}`, run: () => load(server, route, durationSeconds) }))),
      context.runs,
      0,
    );
    const peakRss = Object.fromEntries(running.map((server) => [server.spec.name, memory(server.child.pid!, 'VmHWM')]));
    await Promise.all(running.map((server) => stop(server.child)));

    context.log('service: where the generated service spends its time (imports, CPU profiles, logging off)');
    const profiles = await profile(context, generated, cannon);
    const imports = Object.fromEntries(
      serviceImports.map((name) => [name, median([0, 1, 2].map(() => timed(() => sh(serviceNode().node, ['--input-type=module', '-e', `await import(${JSON.stringify(name)})`], service))))]),
    );
    const bareNode = median([0, 1, 2].map(() => timed(() => sh(serviceNode().node, ['--input-type=module', '-e', ''], service))));
    return report(context, specs, { startup, warmup, runs, rssIdle, rssAfterWarmup, peakRss, profiles, imports, bareNode });
  } finally {
    for (const server of running) await stop(server.child);
  }
}

interface Profiles {
  readonly byPhase: Record<string, string>;
  /** POST /items req/s with request logging (LOG_LEVEL=info) and without (warn), back to back. */
  readonly logging: { readonly info: number; readonly warn: number };
}

async function profile(context: BenchContext, generated: ServerSpec, cannon: (port: number, route: Route, seconds: number) => string): Promise<Profiles> {
  const byPhase: Record<string, string> = {};
  for (const phase of ['start-up', ...routes.map((r) => r.name)]) {
    const dir = tempIn(context, 'service-profile-');
    const port = await freePort();
    const log = join(dir, 'server.log');
    const child = start(generated, port, log, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    await firstOk(port, child, log, process.hrtime.bigint());
    const route = routes.find((r) => r.name === phase);
    if (route) cannon(port, route, durationSeconds);
    await stop(child);
    const [summary] = summarizeProfiles(dir);
    byPhase[phase] = summary ? describeProfile(summary, 8) : 'no profile written';
  }
  const logging = { info: 0, warn: 0 };
  for (const level of ['info', 'warn'] as const) {
    const port = await freePort();
    const log = join(tempIn(context, 'service-logging-'), 'server.log');
    const child = start(generated, port, log, [], { LOG_LEVEL: level });
    await firstOk(port, child, log, process.hrtime.bigint());
    cannon(port, routes[1], warmupSeconds);
    logging[level] = (JSON.parse(cannon(port, routes[1], durationSeconds)) as { requests: { average: number } }).requests.average;
    await stop(child);
  }
  return { byPhase, logging };
}

interface Measured {
  readonly startup: Record<string, number[]>;
  /** Status codes of each warm-up run, by route · server: the POSTs that created items (201) happen there. */
  readonly warmup: Record<string, Record<string, number>>;
  readonly runs: Record<string, LoadRun[]>;
  readonly rssIdle: Record<string, number>;
  readonly rssAfterWarmup: Record<string, number>;
  readonly peakRss: Record<string, number>;
  readonly profiles: Profiles;
  readonly imports: Record<string, number>;
  readonly bareNode: number;
}

function report(context: BenchContext, specs: readonly ServerSpec[], measured: Measured): SectionResult {
  const { startup, warmup, runs, rssIdle, rssAfterWarmup, peakRss, profiles, imports, bareNode } = measured;
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
    ['route · server', 'req/s (median)', 'p99 latency', 'server CPU', 'CPU per request', 'log lines/req', 'status codes (all runs)', 'errors'],
    ...Object.entries(runs).map(([name, list]) => [
      name,
      Math.round(median(list.map((r) => r.reqPerSec))).toLocaleString('en-US'),
      `${median(list.map((r) => r.p99Ms)).toFixed(1)} ms`,
      `${Math.round(median(list.map((r) => r.serverCpu)) * 100)}%`,
      `${Math.round(cpuPerRequest(list))} µs`,
      median(list.map((r) => r.logLinesPerRequest)).toFixed(2),
      codes(list),
      String(list.reduce((sum, r) => sum + r.errors, 0)),
    ]),
  ];
  const perRequestNote = (route: string) =>
    `per request it spent ${Math.round(cpuPerRequest(series(route, generated)))} µs of CPU, bare node:http ${Math.round(cpuPerRequest(series(route, bare)))} µs, Express ${Math.round(cpuPerRequest(series(route, express)))} µs`;
  const ratios = routes.map((route) => ({
    route: route.name,
    toBare: pairedRatio(rps(route.name, generated), rps(route.name, bare)),
    toExpress: pairedRatio(rps(route.name, generated), rps(route.name, express)),
  }));
  const startupGenerated = median(startup[generated]!);
  const startupCached = median(startup[`generated service, NODE_COMPILE_CACHE`]!);
  const rssGenerated = rssAfterWarmup[generated]!;
  const loggingShare = profiles.logging.info / profiles.logging.warn;
  const cpuNote = (route: string) => {
    const share = median(series(route, generated).map((r) => r.serverCpu));
    return share < 0.9
      ? `the service used ${Math.round(share * 100)}% of a core, so the client or the machine set part of the pace`
      : `the service used ${Math.round(share * 100)}% of a core`;
  };
  const routeNote = (route: string) =>
    route === 'POST /items'
      ? ` Request logging (${median(series(route, generated).map((r) => r.logLinesPerRequest)).toFixed(0)} line per POST) alone: ${formatRatio(loggingShare)} of the req/s with LOG_LEVEL=warn (one back-to-back pair).`
      : '';
  const importList = Object.entries(imports)
    .map(([name, ms]) => `${name} ${formatMs(ms)}`)
    .join(', ');
  const targets: Target[] = [
    ...ratios.flatMap(({ route, toBare, toExpress }) => [
      {
        what: `${route} req/s vs bare node:http`,
        target: '≥ 0.75×',
        measured: formatRatio(toBare),
        met: toBare >= 0.75,
        miss: `${formatRatio(toBare)}, ${Math.round((1 - toBare / 0.75) * 100)}% short; ${cpuNote(route)}; ${perRequestNote(route)}.${routeNote(route)} Profile under this load: ${profiles.byPhase[route]}.`,
      },
      {
        what: `${route} req/s vs Express 5 + zod`,
        target: '≥ 4×',
        measured: formatRatio(toExpress),
        met: toExpress >= 4,
        miss: `${formatRatio(toExpress)}, ${Math.round((1 - toExpress / 4) * 100)}% short; ${cpuNote(route)}; ${perRequestNote(route)}.${routeNote(route)} Profile under this load: ${profiles.byPhase[route]}.`,
      },
    ]),
    {
      what: 'start-up to the first 200 (median)',
      target: '≤ 0.5 s',
      measured: formatMs(startupGenerated),
      met: startupGenerated <= 500,
      miss:
        `${formatMs(startupGenerated - 500)} over. A fresh Node importing one dependency (Node alone: ${formatMs(bareNode)}): ${importList}. ` +
        `With NODE_COMPILE_CACHE warm: ${formatMs(startupCached)}. Profile: ${profiles.byPhase['start-up']}.`,
    },
    {
      what: 'RSS after warm-up',
      target: '≤ 100 MiB',
      measured: formatMiB(rssGenerated),
      met: rssGenerated <= 100 * 1024 * 1024,
      miss: `${formatMiB(rssGenerated - 100 * 1024 * 1024)} over; idle after start-up it held ${formatMiB(rssIdle[generated]!)}, bare node:http ${formatMiB(rssAfterWarmup[bare]!)} after the same warm-up.`,
    },
  ];
  return {
    id: 'service',
    title: '4. Generated service',
    method:
      `The scaffolded service/ after \`npm ci\` and \`npm run build\`, run on Node ${serviceNode().version} (the Node of its image) as its ` +
      `\`npm start\` and its image's CMD run it (\`node ${specs[0]!.argv.join(' ')}\`), with NODE_ENV=production and the ` +
      'default LOG_LEVEL (info: each POST /items logs its access line; /health logs only warnings) to a file. bench/servers/bare-http.ts ' +
      'and bench/servers/express-zod.ts (run as plain JavaScript, on the same Node) answer the same two routes with the same validation ' +
      'and the same store (the latest 1,000 items, the oldest forgotten first, so every POST creates an item), and log nothing. ' +
      `autocannon runs in its own process with ${connections} connections, no pipelining, ${durationSeconds} s per run, after a ` +
      `${warmupSeconds} s warm-up per server and route; ${context.runs} rounds in turn, ratios paired per round. Start-up is from ` +
      `spawn to the first 200 of /health, median of ${context.runs} in turns after a warm-up. RSS is VmRSS after the warm-up; the peak is VmHWM at the end.`,
    tables: [
      loadTable,
      [
        ['generated service ÷', ...routes.map((r) => r.name)],
        ['bare node:http (req/s, paired)', ...ratios.map((r) => formatRatio(r.toBare))],
        ['Express 5 + zod (req/s, paired)', ...ratios.map((r) => formatRatio(r.toExpress))],
      ],
      [
        ['server', 'start-up to first 200 (median)', 'RSS idle', 'RSS after warm-up', 'peak RSS'],
        ...specs.map((s) => [s.name, formatMs(median(startup[s.name]!)), formatMiB(rssIdle[s.name]!), formatMiB(rssAfterWarmup[s.name]!), formatMiB(peakRss[s.name]!)]),
        ['generated service, NODE_COMPILE_CACHE warm', formatMs(startupCached), '', '', ''],
      ],
    ],
    targets,
    notes: [
      "Every POST creates an item: the stores keep the latest 1,000, as the generated service's does, forgetting the oldest " +
        `first. Status codes of the warm-up runs: ${Object.entries(warmup)
          .filter(([name]) => name.startsWith('POST'))
          .map(([name, statusCodes]) => `${name.replace('POST /items · ', '')} ${Object.entries(statusCodes).map(([code, count]) => `${code}: ${count}`).join(', ')}`)
          .join('; ')}.`,
      `The load generator shares this machine's ${cpus().length} cores with the server: "server CPU" is how much of one core the server used; well under 100% means the client or the machine, not the server, set the pace.`,
      `Request logging: POST /items with LOG_LEVEL=info made ${formatRatio(loggingShare)} of the req/s it made with LOG_LEVEL=warn (one back-to-back pair of ${durationSeconds} s runs).`,
      `Start-up: a fresh Node importing one dependency of the service takes (medians of 3; Node alone: ${formatMs(bareNode)}): ${importList}. With Node's compile cache warm (NODE_COMPILE_CACHE) the service answers after ${formatMs(startupCached)} (median).`,
      `CPU profiles of the generated service (\`node --cpu-prof ${specs[0]!.argv.join(' ')}\`):\n${Object.entries(profiles.byPhase)
        .map(([phase, text]) => `  - ${phase}: ${text}`)
        .join('\n')}`,
    ],
    data: { connections, durationSeconds, ...measured, ratios },
  };
}
