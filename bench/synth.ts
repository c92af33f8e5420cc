// Warm `npx projen` in a generated repository: the command users run after every option change and upgrade.
// Usage: node bench/synth.ts [--runs N] [--compare]
//   Builds lib/, packs this package, scaffolds a repository with the real bin, installs the tarball there (never a
//   link: that loads a second projen), then times warm synths. --compare also times .projenrc.ts under tsx and under
//   ts-node with type-checking (projen's default runner) to confirm the choice of `node .projenrc.ts`.
// Prints a table, then one JSON line for the benchmark suite. Self-contained: Node's type stripping runs it as is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Sample {
  readonly name: string;
  readonly command: string;
  readonly ms: readonly number[];
}

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 10) || 10;
const compare = args.includes('--compare');

const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const sh = (command: string, argv: readonly string[], cwd: string) => execFileSync(command, argv, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function time(name: string, command: string, argv: readonly string[], cwd: string, warmups = 1): Sample {
  for (let i = 0; i < warmups; i++) sh(command, argv, cwd);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    sh(command, argv, cwd);
    ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { name, command: [command, ...argv].join(' '), ms };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const stage = mkdtempSync(join(tmpdir(), 'bench-synth-'));
try {
  process.stderr.write(`setting up in ${stage} (build, pack, scaffold, npm install)…\n`);
  sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], root);
  const [packed] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', stage], root)) as { filename: string }[];
  sh(process.execPath, [join(root, 'bin/create-ec2-oidc-pipeline.js'), 'bench-app', '--yes', '--github-owner', 'acme', '--github-repo', 'bench-app', '--skip-install', '--skip-git'], stage);
  const repo = join(stage, 'bench-app');
  sh('npm', ['install', '--no-save', '--no-package-lock', join(stage, packed!.filename)], repo);

  const samples: Sample[] = [
    time('npx projen (warm)', 'npx', ['projen'], repo),
    time('node .projenrc.ts (the default task alone)', process.execPath, ['.projenrc.ts'], repo),
  ];
  if (compare) {
    process.stderr.write('installing tsx, ts-node and TypeScript 5.9 (ts-node needs its compiler API) for --compare…\n');
    sh('npm', ['install', '--no-save', '--no-package-lock', 'tsx', 'ts-node', 'typescript@~5.9.3', '@types/node@22'], repo);
    samples.push(time('tsx .projenrc.ts', 'npx', ['tsx', '.projenrc.ts'], repo));
    // projen's default runner: ts-node with type-checking (under "type": "module" it needs the ESM loader).
    samples.push(time('ts-node/esm, type-checked', process.execPath, ['--loader', 'ts-node/esm', '.projenrc.ts'], repo));
  }

  const line = (cells: readonly string[]) => `${cells[0]!.padEnd(46)}${cells.slice(1).map((c) => c.padStart(10)).join('')}`;
  console.log(line(['', 'median ms', 'min ms', 'max ms']));
  for (const sample of samples) {
    console.log(line([sample.name, median(sample.ms).toFixed(0), Math.min(...sample.ms).toFixed(0), Math.max(...sample.ms).toFixed(0)]));
  }
  console.log(
    JSON.stringify({
      benchmark: 'synth',
      node: process.versions.node,
      runs,
      results: samples.map((s) => ({ name: s.name, command: s.command, medianMs: Math.round(median(s.ms)), minMs: Math.round(Math.min(...s.ms)), maxMs: Math.round(Math.max(...s.ms)) })),
    }),
  );
} finally {
  rmSync(stage, { recursive: true, force: true });
}
