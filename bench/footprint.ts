// Section 2: what a user downloads and waits for. The bundled package (what we publish) against the unbundled build
// (lib/ with its dependencies installed from the registry, as shipped before the bundle) and create-vite.
// For each: packed size, `npm install <tarball>` into an empty folder (installed size, package count, install time),
// the first scaffold by the installed bin, warm scaffolds in turns with the others, and a first `npx` with an empty npm
// cache (install and scaffold, as a user's first `npx create-…` does it). The unbundled build needs the npm registry.
import { builtinModules } from 'node:module';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scaffoldArgs, tempIn, type BenchContext, type Section } from './support/context.js';
import { benchEnv, formatMB, formatMs, formatRatio, median, pairedRatio, rounds, sh, timed, treeBytes } from './support/measure.js';
import { anchors, binPath, installInto, pack, packageCount } from './support/packages.js';
import type { SectionResult } from './support/report.js';

/** Packages lib/ imports at run time (the bundle inlines them), projen and constructs aside: the generated repo's own. */
function runtimeImports(lib: string): string[] {
  const names = new Set<string>();
  for (const entry of readdirSync(lib, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const code = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    // tsc writes one import or export per line: `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`.
    const specifiers = code.matchAll(/^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm);
    for (const match of specifiers) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      if (name !== 'projen' && name !== 'constructs') names.add(name);
    }
  }
  return [...names].sort();
}

/** This package as it shipped before the bundle: lib/ and templates, what the bundle inlines as dependencies. */
function unbundledPackage(context: BenchContext): Promise<string> {
  const dir = tempIn(context, 'unbundled-');
  for (const path of ['templates', 'README.md', 'LICENSE', 'lib']) cpSync(join(context.root, path), join(dir, path), { recursive: true });
  mkdirSync(join(dir, 'bin'));
  const bin = readFileSync(join(context.root, 'bin', 'create-ec2-oidc-pipeline.js'), 'utf8');
  if (!bin.includes("'../dist/cli.js'")) throw new Error("bin/create-ec2-oidc-pipeline.js no longer imports '../dist/cli.js': update bench/footprint.ts");
  writeFileSync(join(dir, 'bin', 'create-ec2-oidc-pipeline.js'), bin.replace("'../dist/cli.js'", "'../lib/cli.js'"));
  const manifest = JSON.parse(readFileSync(join(context.root, 'package.json'), 'utf8')) as Record<string, unknown> & { devDependencies: Record<string, string> };
  const { scripts: _scripts, devDependencies, ...rest } = manifest;
  const dependencies = Object.fromEntries(
    runtimeImports(join(dir, 'lib')).map((name) => {
      const version = devDependencies[name];
      if (!version) throw new Error(`lib/ imports ${name}, which is not a devDependency of this package`);
      return [name, version];
    }),
  );
  const unbundled = { ...rest, main: 'lib/index.js', files: ['bin', 'lib', 'templates', 'README.md', 'LICENSE'], dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(unbundled, undefined, 2)}\n`);
  return pack(dir, context.stage, 'unbundled-pack-');
}

interface Candidate {
  readonly name: string;
  readonly tarball: string;
  readonly packageName: string;
  readonly binName: string;
  readonly args: readonly string[];
}

interface Footprint {
  readonly name: string;
  readonly packedBytes: number;
  readonly installedBytes: number;
  readonly packages: number;
  readonly installMs: number;
  readonly firstRunMs: number;
  readonly npxColdMs: number;
  readonly bin: string;
}

async function install(context: BenchContext, candidate: Candidate): Promise<Footprint> {
  const prefix = tempIn(context, 'footprint-install-');
  const installStart = process.hrtime.bigint();
  await installInto(prefix, [candidate.tarball]);
  const installMs = Number(process.hrtime.bigint() - installStart) / 1e6;
  const bin = binPath(prefix, candidate.packageName, candidate.binName);
  const firstRunMs = timed(() => sh(process.execPath, [bin, ...candidate.args], tempIn(context, 'footprint-first-')));
  const cache = tempIn(context, 'footprint-npm-cache-');
  const npxColdMs = timed(() =>
    sh('npx', ['--yes', `--package=${candidate.tarball}`, candidate.binName, ...candidate.args], tempIn(context, 'footprint-npx-'), { ...benchEnv, npm_config_cache: cache }),
  );
  rmSync(cache, { recursive: true, force: true });
  return {
    name: candidate.name,
    packedBytes: statSync(candidate.tarball).size,
    installedBytes: treeBytes(join(prefix, 'node_modules')),
    packages: packageCount(prefix),
    installMs,
    firstRunMs,
    npxColdMs,
    bin,
  };
}

export const benchFootprint: Section = async (context) => {
  const ours = { packageName: 'create-ec2-oidc-pipeline', binName: 'create-ec2-oidc-pipeline', args: scaffoldArgs('demo') };
  const [unbundled, createVite] = await Promise.all([unbundledPackage(context), pack(anchors.createVite, context.stage, 'create-vite-pack-')]);
  const candidates: Candidate[] = [
    { name: 'bundled (published)', tarball: context.tarball, ...ours },
    { name: 'unbundled build', tarball: unbundled, ...ours },
    {
      name: anchors.createVite,
      tarball: createVite,
      packageName: 'create-vite',
      binName: 'create-vite',
      args: ['vite-app', '--template', 'vanilla-ts', '--no-interactive', '--no-immediate'],
    },
  ];
  return async (): Promise<SectionResult> => {
    const footprints: Footprint[] = [];
    for (const candidate of candidates) {
      context.log(`footprint: installing and running ${candidate.name}`);
      footprints.push(await install(context, candidate));
    }
    context.log(`footprint: ${context.runs} rounds of warm scaffolds by each installed bin`);
    const warm = await rounds(
      candidates.map((candidate, i) => ({ name: candidate.name, run: () => timed(() => sh(process.execPath, [footprints[i]!.bin, ...candidate.args], tempIn(context, 'footprint-warm-'))) })),
      context.runs,
    );
    const [bundled, unbundledBuild] = footprints as [Footprint, Footprint, Footprint];
    const warmRatio = pairedRatio(warm[bundled.name]!, warm[unbundledBuild.name]!);
    const row = (label: string, cell: (f: Footprint) => string) => [label, ...footprints.map(cell)];
    return {
      id: 'footprint',
      title: '2. Install footprint',
      method:
        'Each tarball (ours from `npm pack`, the unbundled build packed from lib/ with the packages the bundle inlines as ' +
        `dependencies, ${anchors.createVite} from the registry) is installed with \`npm install --omit=dev\` into an empty folder. ` +
        'Installed size is the bytes of the files under node_modules; packages counts `npm ls --all --omit=dev`. The install, the ' +
        'first run and the first `npx --yes --package=<tarball>` (empty npm cache: install and scaffold) are one sample each; ' +
        `warm scaffolds are medians of ${context.runs} rounds in turn after a warm-up.`,
      tables: [
        [
          ['', ...footprints.map((f) => f.name)],
          row('packed (npm pack)', (f) => formatMB(f.packedBytes)),
          row('installed (node_modules)', (f) => formatMB(f.installedBytes)),
          row('packages installed', (f) => String(f.packages)),
          row('npm install <tarball>', (f) => formatMs(f.installMs)),
          row('first run after install (scaffold)', (f) => formatMs(f.firstRunMs)),
          row(`warm scaffold, median of ${context.runs}`, (f) => formatMs(median(warm[f.name]!))),
          row('first npx run, empty npm cache', (f) => formatMs(f.npxColdMs)),
        ],
      ],
      targets: [
        { what: 'installed size', target: '≤ 50 MB', measured: formatMB(bundled.installedBytes), met: bundled.installedBytes <= 50e6 },
        { what: 'installed size (issue 7: the bundle)', target: '≤ 5 MB', measured: formatMB(bundled.installedBytes), met: bundled.installedBytes <= 5e6 },
        { what: 'packages installed', target: '≤ 150', measured: String(bundled.packages), met: bundled.packages <= 150 },
        { what: 'packages installed (issue 7: the bundle)', target: '≤ 3', measured: String(bundled.packages), met: bundled.packages <= 3 },
        { what: 'first npx run, empty cache', target: '≤ 10 s', measured: formatMs(bundled.npxColdMs), met: bundled.npxColdMs <= 10_000 },
      ].map((target) => ({ ...target, miss: `${target.measured} against ${target.target}` })),
      notes: [
        `The unbundled build installs ${formatRatio(unbundledBuild.installedBytes / bundled.installedBytes)} the bytes and ${unbundledBuild.packages} packages where the bundle installs ${bundled.packages}; its first npx run takes ${formatRatio(unbundledBuild.npxColdMs / bundled.npxColdMs)} as long. Warm, the bundle scaffolds in ${formatRatio(warmRatio)} the time of the unbundled build (paired).`,
      ],
      data: { footprints: footprints.map(({ bin: _bin, ...f }) => f), warm, warmRatio },
    };
  };
};
