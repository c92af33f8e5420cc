import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/options/index.js';
import { compileOptions, templatePaths, type PrecompiledTemplates } from '../../src/render/precompiled-templates.js';
import { renderResolved } from '../../src/render/render.js';
import { precompiledFile } from '../../src/render/shipped-templates.js';
import { installedPackage, repoRoot, runCli } from '../support/cli.js';
import { presetNames, presets, testGeneratorVersion } from '../support/presets.js';
import { tempDir } from '../support/render-preset.js';

/** The "done when" command. */
const doneWhen = ['demo', '--yes', '--name', 'demo', '--github-owner', 'acme', '--github-repo', 'demo', '--region', 'eu-west-1', '--environments', 'production', '--skip-install', '--skip-git'];
// Issue 7's budget: 5 MiB, with the ec2, asg, ecs and eks targets (4.79 MiB measured). It holds because each template
// ships once, precompiled into dist/templates.cjs with its path: no templates/ folder (1 MB of sources), and the bundles
// carry Handlebars' runtime without its compiler (100 KB each), as nothing compiles at run time.
const maxInstalledBytes = 5 * 1024 * 1024;

interface TreeFile {
  readonly path: string;
  readonly mode: number;
  readonly content: Buffer;
}

function readTree(root: string): TreeFile[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path: relative(root, path), mode: statSync(path).mode & 0o777, content: readFileSync(path) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

const treeBytes = (root: string) => readTree(root).reduce((sum, file) => sum + file.content.byteLength, 0);

const npm = (args: readonly string[], cwd: string) =>
  execFileSync('npm', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });

const manifest = JSON.parse(readFileSync(join(installedPackage.root, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;

describe('the packed package, installed from its tarball', () => {
  it('installs as one package: nothing to fetch, no runtime dependency tree', () => {
    // GIVEN a fresh folder outside this repository
    const prefix = tempDir('ec2-oidc-install-');
    writeFileSync(join(prefix, 'package.json'), '{ "name": "fresh", "private": true }\n');
    // WHEN the tarball is installed with the registry out of reach (--offline) and without dev dependencies
    npm(['install', '--offline', '--omit=dev', installedPackage.tarball], prefix);
    // THEN the whole runtime tree is the package itself
    const tree = npm(['ls', '--all', '--omit=dev', '--parseable'], prefix).trim().split('\n');
    expect(tree.map((path) => relative(prefix, path))).toEqual(['', join('node_modules', 'create-ec2-oidc-pipeline')]);
    expect(readdirSync(join(prefix, 'node_modules')).filter((entry) => !entry.startsWith('.'))).toEqual(['create-ec2-oidc-pipeline']);
  });

  it('declares no dependencies, and only optional peers (npm 7+ would install required peers: projen is 31 MB)', () => {
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    expect(manifest.bundleDependencies ?? manifest.bundledDependencies).toBeUndefined();
    const peers = Object.keys(manifest.peerDependencies ?? {});
    expect(peers.sort()).toEqual(['constructs', 'projen']);
    for (const peer of peers) expect(manifest.peerDependenciesMeta?.[peer], peer).toEqual({ optional: true });
  });

  it(`takes at most ${maxInstalledBytes / 1024 / 1024} MiB installed`, () => {
    const bytes = treeBytes(join(installedPackage.prefix, 'node_modules'));
    expect(bytes).toBeLessThanOrEqual(maxInstalledBytes);
  });

  it('ships the bundles, the precompiled templates, the generator entry, the type declarations and the licences, and no sources', () => {
    const files = readTree(installedPackage.root).map((file) => file.path);
    expect([...new Set(files.map((path) => path.split('/')[0]))].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'generators', 'lib', 'package.json']);
    expect(files.filter((path) => path.startsWith('dist/')).sort()).toEqual(expect.arrayContaining(['dist/THIRD-PARTY-NOTICES.md', 'dist/cli.js', 'dist/index.js', `dist/${precompiledFile}`]));
    expect(files.filter((path) => path.startsWith('lib/') && !path.endsWith('.d.ts'))).toEqual([]);
    expect(files).toContain(manifest.types);
    expect(files).toContain(manifest.main);
  });

  it('names the licence of every package the CLI imports in THIRD-PARTY-NOTICES.md', () => {
    const notices = readFileSync(join(installedPackage.root, 'dist', 'THIRD-PARTY-NOTICES.md'), 'utf8');
    const ours = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const name of ['yeoman-environment', 'yeoman-generator', 'handlebars', '@octokit/rest', 'execa', 'zod', 'yaml']) {
      expect(ours.devDependencies, `${name} is inlined, so it is a devDependency`).toHaveProperty([name]);
      const { version, license } = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string; license: string };
      expect(notices).toContain(`## ${name}@${version} (${license})\n`);
    }
  });

  it("ships Yeoman's conventional generators/app entry, the same generator class the CLI runs", async () => {
    // GIVEN the installed package WHEN its generators/app entry is imported
    const entry = (await import(pathToFileURL(join(installedPackage.root, 'generators', 'app', 'index.js')).href)) as { default: { name: string; prototype: object } };
    const cli = (await import(pathToFileURL(join(installedPackage.root, 'dist', 'cli.js')).href)) as { AppGenerator: unknown };
    // THEN it is a Yeoman generator with our lifecycle, and the very class the bundle's CLI registers
    expect(entry.default).toBe(cli.AppGenerator);
    expect(Object.getOwnPropertyNames(entry.default.prototype)).toEqual(expect.arrayContaining(['prompting', 'writing', 'end']));
  });

  it('renders exactly the files of the unbundled build (bytes and modes), with the same output', async () => {
    // GIVEN two empty folders
    const [bundled, unbundled] = [tempDir('ec2-oidc-bundled-'), tempDir('ec2-oidc-unbundled-')];
    // WHEN the installed bin and the source tree's compiled lib/cli.js run the done-when command
    const fromBundle = await runCli(doneWhen, { cwd: bundled });
    const runLib = `const { run } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'lib', 'cli.js')).href)}); await run(process.argv.slice(1));`;
    const fromLib = await execa(process.execPath, ['--input-type=module', '--eval', runLib, '--', ...doneWhen], { reject: false, stdin: 'pipe', cwd: unbundled, env: { NO_COLOR: '1' } });
    // THEN both succeed with the same output and write the same tree
    expect(fromLib.exitCode, fromLib.stderr).toBe(0);
    expect(fromBundle.exitCode, fromBundle.stderr).toBe(0);
    expect(fromBundle.stdout).toBe(fromLib.stdout);
    expect(fromBundle.stderr).toBe(fromLib.stderr);
    const [a, b] = [readTree(join(bundled, 'demo')), readTree(join(unbundled, 'demo'))];
    expect(a.map((file) => `${file.path} ${file.mode.toString(8)}`)).toEqual(b.map((file) => `${file.path} ${file.mode.toString(8)}`));
    for (const [index, file] of a.entries()) expect(file.content.equals(b[index]!.content), file.path).toBe(true);
    expect(a.length).toBeGreaterThan(50);
  });

  /** A folder where the package, installed from its tarball, sits next to links to our copies of `links`. */
  function projectWith(links: readonly string[]): string {
    const project = tempDir('ec2-oidc-project-type-');
    writeFileSync(join(project, 'package.json'), '{ "name": "project-type", "private": true, "type": "module" }\n');
    npm(['install', '--offline', '--no-package-lock', installedPackage.tarball], project);
    for (const link of links) {
      mkdirSync(dirname(join(project, 'node_modules', link)), { recursive: true });
      symlinkSync(join(repoRoot, 'node_modules', link), join(project, 'node_modules', link));
    }
    return project;
  }

  it('ships types a strict consumer compiles without skipLibCheck, with nothing but projen and constructs installed', async () => {
    // GIVEN a generated repo's .projenrc.ts next to the installed package, projen, constructs (and a compiler)
    const project = projectWith(['projen', 'constructs', 'typescript', '@types/node']);
    writeFileSync(join(project, '.projenrc.ts'), "import { Ec2OidcPipelineProject } from 'create-ec2-oidc-pipeline';\n\nnew Ec2OidcPipelineProject({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo', environments: ['production'] }).synth();\n");
    // WHEN it is type-checked strictly, declaration files included
    const tsc = await execa(process.execPath, [join(project, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2023', '--types', 'node', '.projenrc.ts'], { cwd: project, reject: false, all: true });
    // THEN it compiles: the shipped .d.ts files import nothing the package does not install (zod, yeoman…)
    expect(tsc.exitCode, tsc.all).toBe(0);
  });

  it('ships every template once, precompiled with its path, and neither templates/ nor a compiler to read them', () => {
    // GIVEN the installed package's precompiled set
    const set = createRequire(import.meta.url)(join(installedPackage.root, 'dist', precompiledFile)) as PrecompiledTemplates;
    // THEN it lists every template and partial of this repository's templates/, in the order the sources are walked
    const sources = templatePaths(join(repoRoot, 'templates'));
    expect(sources.length).toBeGreaterThan(300);
    expect(Object.keys(set.templates)).toEqual(sources);
    // AND each has a spec, compiled by the Handlebars the bundles run, with the render core's options
    for (const [path, index] of Object.entries(set.templates)) expect(set.specs[index], path).toHaveProperty('main');
    expect(set.handlebars).toBe((JSON.parse(readFileSync(join(repoRoot, 'node_modules/handlebars/package.json'), 'utf8')) as { version: string }).version);
    expect(set.options).toBe(JSON.stringify(compileOptions));
    // AND the sources themselves do not ship, nor does Handlebars' compiler (its parser's error message is in neither bundle)
    expect(existsSync(join(installedPackage.root, 'templates'))).toBe(false);
    for (const bundle of ['cli.js', 'index.js']) expect(readFileSync(join(installedPackage.root, 'dist', bundle), 'utf8'), bundle).not.toContain('Parse error on line');
  });

  it('renders every preset from its precompiled templates byte for byte as the source tree does', async () => {
    // GIVEN the bundled render core (dist/index.js, next to dist/templates.cjs), as a generated repo loads it
    const project = projectWith(['projen', 'constructs']);
    const script = `import { renderResolved, resolveOptions } from 'create-ec2-oidc-pipeline';\nconst presets = JSON.parse(process.argv[2]);\nprocess.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(presets).map(([name, options]) => [name, renderResolved(resolveOptions(options), { generatorVersion: ${JSON.stringify(testGeneratorVersion)} })]))));\n`;
    writeFileSync(join(project, 'render.mjs'), script);
    // WHEN it renders every preset
    const bundled = await execa(process.execPath, ['render.mjs', JSON.stringify(presets)], { cwd: project, reject: false, all: true, maxBuffer: 64 * 1024 * 1024 });
    expect(bundled.exitCode, bundled.all).toBe(0);
    const fromBundle = JSON.parse(bundled.stdout) as Record<string, unknown>;
    // THEN each is what the source tree's render core (templates compiled from source) gives
    for (const name of presetNames) expect(fromBundle[name], name).toEqual(JSON.parse(JSON.stringify(renderResolved(resolveOptions({ ...presets[name] }), { generatorVersion: testGeneratorVersion }))));
  });

  it('runs its projen project type from the bundle: a synth over a fresh scaffold changes nothing', async () => {
    // GIVEN a repository scaffolded by the installed bin
    const cwd = tempDir('ec2-oidc-synth-');
    expect((await runCli(doneWhen, { cwd })).exitCode).toBe(0);
    const repo = join(cwd, 'demo');
    const scaffolded = readTree(repo);
    // AND the package installed next to projen and constructs, as in a generated repo's node_modules (links to ours:
    // the registry is not needed, and one copy of each is loaded)
    const project = projectWith(['projen', 'constructs']);
    const options = { name: 'demo', githubOwner: 'acme', githubRepo: 'demo', region: 'eu-west-1', environments: ['production'], outdir: repo };
    writeFileSync(join(project, 'synth.mjs'), `import { Ec2OidcPipelineProject } from 'create-ec2-oidc-pipeline';\nnew Ec2OidcPipelineProject(${JSON.stringify(options)}).synth();\n`);
    // WHEN the project type synthesizes over it
    const synth = await execa(process.execPath, ['synth.mjs'], { cwd: project, reject: false, all: true });
    // THEN it succeeds, and the repository is unchanged
    expect(synth.exitCode, synth.all).toBe(0);
    const synthesized = readTree(repo);
    expect(synthesized.map((file) => file.path)).toEqual(scaffolded.map((file) => file.path));
    for (const [index, file] of synthesized.entries()) expect(file.content.equals(scaffolded[index]!.content), file.path).toBe(true);
  });
});
