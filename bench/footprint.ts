// What a user downloads and waits for: the bundled package (what we publish) against the unbundled build (lib/ with
// its dependencies installed from the registry, as shipped before the bundle).
// Usage: node bench/footprint.ts [--runs N]
//   Packs both, then for each: packed size, `npm install <tarball>` into an empty folder (installed size, package
//   count, install time), the first run of the installed bin (the done-when scaffold), its median over N more runs,
//   and `npx --yes <tarball> --version` with an empty npm cache (install and first run, as `npx` does it).
// The unbundled variant needs the npm registry. Prints a table, then one JSON line for the benchmark suite.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 5) || 5;
const doneWhen = ['demo', '--yes', '--name', 'demo', '--github-owner', 'acme', '--github-repo', 'demo', '--region', 'eu-west-1', '--environments', 'production', '--skip-install', '--skip-git'];

const baseEnv: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const sh = (command: string, argv: readonly string[], cwd: string, env = baseEnv) => execFileSync(command, argv, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function treeBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

function pack(dir: string, destination: string): string {
  const [result] = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', destination], dir)) as { filename: string }[];
  return join(destination, result!.filename);
}

/** This package as it shipped before the bundle: lib/ and templates, the bundled packages as dependencies. */
function unbundledPackage(stage: string): string {
  const dir = join(stage, 'unbundled');
  for (const path of ['templates', 'README.md', 'LICENSE']) cpSync(join(root, path), join(dir, path), { recursive: true });
  cpSync(join(root, 'lib'), join(dir, 'lib'), { recursive: true });
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'create-ec2-oidc-pipeline.js'), readFileSync(join(root, 'bin', 'create-ec2-oidc-pipeline.js'), 'utf8').replace("'../dist/cli.js'", "'../lib/cli.js'"));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown> & { devDependencies: Record<string, string>; scripts?: unknown };
  const inlined = ['yeoman-generator', 'yeoman-environment', 'handlebars', '@octokit/rest', 'execa', 'zod', 'yaml'];
  const { scripts: _scripts, devDependencies, ...rest } = manifest;
  const unbundled = { ...rest, main: 'lib/index.js', files: ['bin', 'lib', 'templates', 'README.md', 'LICENSE'], dependencies: Object.fromEntries(inlined.map((name) => [name, devDependencies[name]!])) };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(unbundled, undefined, 2)}\n`);
  // Its own folder: both tarballs are named create-ec2-oidc-pipeline-<version>.tgz.
  return pack(dir, dir);
}

interface Footprint {
  readonly variant: string;
  readonly packedBytes: number;
  readonly installedBytes: number;
  readonly packages: number;
  readonly installMs: number;
  readonly firstRunMs: number;
  readonly warmRunMs: number;
  readonly npxColdMs: number;
}

function measure(variant: string, tarball: string, stage: string): Footprint {
  const prefix = join(stage, `${variant}-install`);
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), '{ "name": "footprint", "private": true }\n');
  const installMs = timed(() => sh('npm', ['install', '--omit=dev', tarball], prefix));
  const packages = sh('npm', ['ls', '--all', '--omit=dev', '--parseable'], prefix).trim().split('\n').length - 1;
  const bin = join(prefix, 'node_modules', 'create-ec2-oidc-pipeline', 'bin', 'create-ec2-oidc-pipeline.js');
  const scaffold = () => {
    const cwd = mkdtempSync(join(stage, `${variant}-run-`));
    sh(process.execPath, [bin, ...doneWhen], cwd);
  };
  const firstRunMs = timed(scaffold);
  const warmRunMs = median(Array.from({ length: runs }, () => timed(scaffold)));
  const cache = join(stage, `${variant}-npm-cache`);
  const npxColdMs = timed(() => sh('npx', ['--yes', `--package=${tarball}`, 'create-ec2-oidc-pipeline', '--version'], stage, { ...baseEnv, npm_config_cache: cache }));
  return { variant, packedBytes: statSync(tarball).size, installedBytes: treeBytes(join(prefix, 'node_modules')), packages, installMs, firstRunMs, warmRunMs, npxColdMs };
}

const stage = mkdtempSync(join(tmpdir(), 'bench-footprint-'));
try {
  process.stderr.write(`packing both variants in ${stage} (npm pack builds lib/ and dist/)…\n`);
  const bundled = pack(root, mkdtempSync(join(stage, 'bundled-')));
  const unbundled = unbundledPackage(stage);
  process.stderr.write('installing and running the bundled package…\n');
  const results = [measure('bundled', bundled, stage)];
  process.stderr.write('installing and running the unbundled build (from the npm registry)…\n');
  results.push(measure('unbundled', unbundled, stage));

  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [
    ['', ...results.map((r) => r.variant)],
    ['packed', ...results.map((r) => mb(r.packedBytes))],
    ['installed', ...results.map((r) => mb(r.installedBytes))],
    ['packages', ...results.map((r) => String(r.packages))],
    ['npm install <tgz>', ...results.map((r) => s(r.installMs))],
    ['first run (scaffold)', ...results.map((r) => s(r.firstRunMs))],
    [`median of ${runs} more`, ...results.map((r) => s(r.warmRunMs))],
    ['npx --version, empty cache', ...results.map((r) => s(r.npxColdMs))],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}\n`);
  process.stdout.write(`${JSON.stringify({ benchmark: 'footprint', node: process.version, runs, results })}\n`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
