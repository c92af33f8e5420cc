// `npm run bench`: this package side by side with the tools users would pick instead, in one run (issue 6).
// Usage: npm run bench [-- [SECTION…] [--runs N] [--compare]]
//   SECTION: scaffold, footprint, synth, service, deploy, deploy-ecs, deploy-asg (default: all). Only a run of every
//   section writes bench/RESULTS.md; a partial run prints its tables. --compare adds tsx and ts-node to the synth section.
// Setup, once: `npm pack` (which builds), the tarball installed into a temporary prefix, create-vite and projen
// installed from the registry into another. Nothing here is asserted by the test suite: targets are reported.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDeployAsg } from './deploy-asg.js';
import { benchDeployEcs } from './deploy-ecs.js';
import { benchDeploy } from './deploy.js';
import { benchFootprint } from './footprint.js';
import { benchScaffold } from './scaffold.js';
import { benchService } from './service.js';
import { benchSynth } from './synth.js';
import type { BenchContext } from './support/context.js';
import { describeMachine, loadAverage } from './support/machine.js';
import { formatMs, sh } from './support/measure.js';
import { anchors, binPath, installInto, pack } from './support/packages.js';
import { markdownTable, targetsTable, textTable, type SectionResult } from './support/report.js';

const sections = {
  scaffold: benchScaffold,
  footprint: benchFootprint,
  synth: benchSynth,
  service: benchService,
  deploy: benchDeploy,
  'deploy-ecs': benchDeployEcs,
  'deploy-asg': benchDeployAsg,
} as const;
type SectionId = keyof typeof sections;

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got: ${args[runsAt + 1]}`);
const named = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--runs');
const unknown = named.filter((name) => !(name in sections));
if (unknown.length > 0) throw new Error(`unknown section ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`);
const chosen = (named.length > 0 ? named : Object.keys(sections)) as SectionId[];
const complete = chosen.length === Object.keys(sections).length;

const started = Date.now();
const machine = describeMachine();
const npmVersion = sh('npm', ['--version'], root).trim();
const loadAtStart = loadAverage();
const log = (message: string) => process.stderr.write(`[${formatMs(Date.now() - started).padStart(7)}] ${message}\n`);
const stage = mkdtempSync(join(tmpdir(), 'bench-'));

interface Outcome {
  readonly id: SectionId;
  readonly result?: SectionResult;
  readonly error?: string;
  readonly ms: number;
}

const outcomes: Outcome[] = [];
const deferred: (() => void | Promise<void>)[] = [];
const failure = (caught: unknown) => (caught instanceof Error ? (caught.stack ?? caught.message) : String(caught));
try {
  log(`setup in ${stage}: npm pack (builds lib/ and dist/) and the tarball installed; ${anchors.createVite} and ${anchors.projen} installed`);
  const anchorPrefix = join(stage, 'anchors');
  const [tarball] = await Promise.all([pack(root, stage, 'package-'), installInto(anchorPrefix, [anchors.createVite, anchors.projen, anchors.constructs])]);
  const installed = join(stage, 'installed');
  await installInto(installed, [tarball]);
  const context: BenchContext = {
    root,
    stage,
    runs,
    tarball,
    installed,
    bin: binPath(installed, 'create-ec2-oidc-pipeline'),
    anchors: anchorPrefix,
    flags: new Set(args.filter((arg) => arg.startsWith('--') && arg !== '--runs')),
    log,
    defer: (cleanup) => deferred.push(cleanup),
  };
  // Installs, builds and servers of every section at once; then each measurement runs alone.
  log(`preparing ${chosen.join(', ')} side by side`);
  const prepared = await Promise.allSettled(chosen.map((id) => sections[id](context)));
  for (const [index, id] of chosen.entries()) {
    const preparation = prepared[index]!;
    const start = Date.now();
    let result: SectionResult | undefined;
    let error: string | undefined;
    try {
      if (preparation.status === 'rejected') throw preparation.reason;
      log(`${id}: measuring`);
      result = await preparation.value();
    } catch (caught) {
      // One failing section must not hide the others' figures; the run still fails at the end.
      error = failure(caught);
      log(`${id} FAILED: ${error}`);
    }
    const ms = Date.now() - start;
    outcomes.push({ id, result, error, ms });
    if (result) {
      process.stdout.write(`\n== ${result.title} (${formatMs(ms)})\n`);
      for (const table of [...result.tables, targetsTable(result.targets)]) process.stdout.write(`${textTable(table)}\n\n`);
      for (const note of result.notes) process.stdout.write(`${note}\n`);
    }
  }
} catch (caught) {
  log(`setup FAILED: ${failure(caught)}`);
  process.exitCode = 1;
} finally {
  for (const cleanup of deferred.reverse()) await cleanup();
  rmSync(stage, { recursive: true, force: true });
}

const totalMs = Date.now() - started;
const loadAtEnd = loadAverage();
const failed = outcomes.filter((o) => o.error);
process.stdout.write(`\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}\n`);
process.stdout.write(`load average (1, 5, 15 min): ${loadAtStart} at start, ${loadAtEnd} at end; total ${formatMs(totalMs)}\n`);
process.stdout.write(`${JSON.stringify({ benchmark: 'suite', machine, loadAtStart, loadAtEnd, totalMs, runs, sections: outcomes.map((o) => ({ id: o.id, ms: o.ms, error: o.error, data: o.result?.data })) })}\n`);

if (complete && outcomes.length === chosen.length) {
  writeFileSync(join(root, 'bench', 'RESULTS.md'), resultsMarkdown());
  log('wrote bench/RESULTS.md');
} else {
  log('not all sections ran: bench/RESULTS.md is left as it was');
}
if (failed.length > 0) {
  log(`failed: ${failed.map((o) => o.id).join(', ')}`);
  process.exitCode = 1;
}

function resultsMarkdown(): string {
  const missed = outcomes.flatMap((o) => (o.result?.targets ?? []).filter((t) => !t.met).map((t) => ({ section: o.result!.title, target: t })));
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (bench/run.ts); do not edit by hand. Targets come from issue 6 (issue 7 for the bundle,',
    'issue 12 for the scaffold) and are reported, never asserted.',
    '',
    `- Date: ${new Date(started).toISOString().slice(0, 16).replace('T', ' ')} UTC; the whole run took ${formatMs(totalMs)}.`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB of memory; ${machine.os}.`,
    `- Node ${machine.node}, npm ${npmVersion}.`,
    `- Load average (1, 5, 15 min): ${loadAtStart} at the start, ${loadAtEnd} at the end.`,
    `- ${runs} measured rounds per comparison after one warm-up round; the variants of a comparison run in turns (A, B, A, B…) and`,
    '  ratios are medians of the per-round ratios.',
    '',
    'This machine is shared with other work and is noisy: absolute times move by tens of percent from one run to the next,',
    'so read the paired ratios first, and compare absolute figures only within one run.',
    '',
    '## Targets',
    '',
    markdownTable(targetsTable(outcomes.flatMap((o) => o.result?.targets ?? []))),
    '',
  ];
  if (missed.length > 0) {
    lines.push('### Missed: by how much, and what dominates', '');
    for (const { section, target } of missed) lines.push(`- **${target.what}** (${section}): ${target.miss ?? target.measured}`);
    lines.push('');
  }
  for (const outcome of outcomes) {
    if (outcome.error || !outcome.result) {
      lines.push(`## ${outcome.id}: FAILED`, '', '```', outcome.error ?? 'no result', '```', '');
      continue;
    }
    const result = outcome.result;
    lines.push(`## ${result.title}`, '', `${result.method} (Section time: ${formatMs(outcome.ms)}.)`, '');
    for (const table of result.tables) lines.push(markdownTable(table), '');
    for (const note of result.notes) lines.push(note, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
