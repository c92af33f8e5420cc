// Builds what the package ships instead of node_modules (run by the `bundle` task, after `tsc --build`):
//   dist/cli.js    the bin's code (bin/create-ec2-oidc-pipeline.js checks the Node version, then imports it), with
//                  Yeoman, Handlebars, Octokit, execa, zod and yaml inlined: a fresh `npx` installs one package.
//   dist/index.js  the projen project type generated repos import, with the render core inlined and projen and
//                  constructs left external: they are the repo's own devDependencies (our optional peers), and a
//                  second copy of projen would break its `instanceof` checks.
//   dist/*.LEGAL.txt and dist/THIRD-PARTY-NOTICES.md  the licences of everything inlined.
//   dist/templates.cjs  every template under templates/ precompiled by Handlebars, with its path
//                  (src/render/precompiled-templates.ts): the package's only copy of the templates. The bundles render
//                  from it (src/render/shipped-templates.ts, swapped in for default-templates.ts) with Handlebars'
//                  runtime alone: no templates/ folder ships, no template compiles at run time, no compiler is inlined.
// Types ship as lib/**/*.d.ts from tsc.
//
// Why a script and not projen's Bundler (esbuild's CLI): inlining yeoman's package.json reads needs a plugin.
// Run: node projenrc/bundle.ts  (Node's type stripping; type-checked by `npm test` through test/tsconfig.json).
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist');

/**
 * Modules that read their own package.json next to themselves (relative to import.meta.url): once bundled, that
 * path is dist/, so each read is replaced by the package's name and version (all any of them uses), taken from the
 * installed package at build time.
 * A changed count means a yeoman upgrade moved or added such a read: the build fails so someone looks.
 */
export const ownPackageJsonReads: readonly { readonly file: string; readonly code: string }[] = [
  { file: 'yeoman-environment/dist/environment-base.js', code: "require('../package.json')" },
  { file: 'yeoman-environment/dist/module-lookup.js', code: "JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json')).toString())" },
  { file: 'yeoman-generator/dist/generator.js', code: "JSON.parse(readFileSync(pathJoin(_dirname, '../package.json'), 'utf8'))" },
];
/** A package.json read relative to the module itself, as opposed to the user's project (cwd, destinationPath…). */
const selfRelativeRead = /(import\.meta\.(url|dirname)|\b_{0,2}dirname\b|PROJECT_ROOT)[^;\n]*package\.json|['"`]\.\.?\/package\.json['"`]/g;

/** Licences every inlined package must carry (SPDX); anything else stops the build until someone reads it. */
const allowedLicences = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', 'Artistic-2.0', 'Unlicense', 'CC0-1.0']);
/** Packages whose package.json names no licence, with the licence their LICENSE file states (checked by hand). */
const licenceOverrides: Readonly<Record<string, string>> = { 'cli-table@0.3.11': 'MIT' };

/** Records in `replaced` how many times each of ownPackageJsonReads was found. */
export function inlineOwnPackageJsonReads(replaced: Map<string, number>): esbuild.Plugin {
  return {
    name: 'inline-own-package-json-reads',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]yeoman-(environment|generator)[\\/].*\.js$/ }, ({ path }) => {
        // The package's own files, not those of its nested node_modules (esbuild's Go regexps have no lookahead).
        const own = /^(.*[\\/]node_modules[\\/]yeoman-(?:environment|generator))[\\/](?!.*[\\/]node_modules[\\/])/.exec(path);
        if (!own) return undefined;
        const packageDir = own[1]!;
        let contents = readFileSync(path, 'utf8');
        const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
        for (const read of ownPackageJsonReads.filter((r) => path.endsWith(join('node_modules', r.file)))) {
          const count = contents.split(read.code).length - 1;
          replaced.set(read.file, count);
          contents = contents.replaceAll(read.code, `(${JSON.stringify({ name, version })})`);
        }
        const left = contents.match(selfRelativeRead);
        if (left) throw new Error(`${relative(root, path)} still reads its own package.json (${left.join(' | ')}); add the read to ownPackageJsonReads in projenrc/bundle.ts`);
        return { contents, loader: 'js' };
      });
    },
  };
}

/**
 * Optional modules that dependencies `require` inside a try/catch and we do not install (debug's supports-color):
 * left external, the bundle would pick up whatever copy happens to sit in a parent node_modules of the user's.
 */
export function absentOptionalModules(names: readonly string[]): esbuild.Plugin {
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
  return {
    name: 'absent-optional-modules',
    setup(build) {
      build.onResolve({ filter }, ({ path }) => ({ path, namespace: 'absent-optional-module' }));
      build.onLoad({ filter: /.*/, namespace: 'absent-optional-module' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  };
}

/** A change to a dependency's code as it is inlined: `find` must occur exactly once in `file`, or the build fails. */
export interface DependencyPatch {
  /** Path under node_modules. */
  readonly file: string;
  readonly find: string;
  readonly replace: string;
}

/**
 * Fixes in dependencies, applied as they are bundled. Each changes how fast, never what is written.
 * A dependency upgrade that moves the code fails the build, so someone looks again (and drops a fix merged upstream).
 */
export const dependencyPatches: readonly DependencyPatch[] = [
  // Before writing each file, Yeoman's conflicter looks for a .yo-resolve file in every folder up to / and caches the
  // folders that have one but not those that do not: a scaffold of 90 files stat()ed ~600 missing paths, one after
  // the other (6-9% of a scaffold here). Remember the misses too. Our generator writes no .yo-resolve; one the user
  // keeps on disk is still found, as the first lookup of its folder sees it.
  {
    file: '@yeoman/conflicter/dist/yo-resolve.js',
    find: '        catch {\n            // Ignore errors\n        }\n        return undefined;\n',
    replace: '        catch {\n            // Ignore errors\n        }\n        this.groupedYoResolve.set(folder, null);\n        return undefined;\n',
  },
];

/** Applies `patches` (see dependencyPatches); records in `applied` how many times each `find` occurred. */
export function patchDependencies(patches: readonly DependencyPatch[], applied: Map<string, number>): esbuild.Plugin {
  return {
    name: 'patch-dependencies',
    setup(build) {
      for (const patch of patches) {
        const escaped = join('node_modules', patch.file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        build.onLoad({ filter: new RegExp(`[\\\\/]${escaped}$`) }, ({ path }) => {
          const contents = readFileSync(path, 'utf8');
          const count = contents.split(patch.find).length - 1;
          applied.set(patch.file, (applied.get(patch.file) ?? 0) + count);
          return { contents: contents.replace(patch.find, patch.replace), loader: 'js' };
        });
      }
    },
  };
}

/** Fails unless each patch applied exactly once. */
export function checkDependencyPatches(applied: ReadonlyMap<string, number>, patches: readonly DependencyPatch[] = dependencyPatches): void {
  const wrong = patches.filter((patch) => applied.get(patch.file) !== 1);
  if (wrong.length > 0) {
    throw new Error(`dependency patches that no longer apply exactly once: ${wrong.map((patch) => `${patch.file} (${applied.get(patch.file) ?? 0})`).join(', ')}; review dependencyPatches in projenrc/bundle.ts`);
  }
}

/**
 * Modules whose only export is a default function, loaded when it is first called instead of when the bundle starts:
 * their top level costs far more than their code, on a path a non-interactive scaffold never calls. Each value says
 * why; a module that gains another export fails the build (esbuild: no matching export), so nobody gets a silent
 * `undefined`.
 */
export const deferredModules: Readonly<Record<string, string>> = {
  // yeoman-generator's addDependencies resolves versions from the registry with it (we never add dependencies through
  // Yeoman); importing it loads ky, whose top level builds a fetch Request and so loads all of undici (~50 ms).
  'latest-version': 'yeoman-generator: addDependencies only',
  // ora measures spinner lines with it (only on a terminal); its top level builds an Intl.Segmenter and Unicode
  // property regexps such as \p{RGI_Emoji} (~100 ms).
  'string-width': 'ora: spinner lines on a terminal only',
};

/** Replaces each of `names` by a function that loads the real module (esbuild's lazy `require`) on its first call. */
export function deferModules(names: readonly string[]): esbuild.Plugin {
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
  return {
    name: 'defer-modules',
    setup(build) {
      build.onResolve({ filter }, async ({ path, kind, importer, resolveDir, pluginData }) => {
        // build.resolve below comes back here: resolve as usual.
        if ((pluginData as { real?: boolean } | undefined)?.real) return undefined;
        const real = await build.resolve(path, { kind, importer, resolveDir, pluginData: { real: true } });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'deferred-module' };
      });
      // The real module by its path, which this plugin does not match; esbuild turns a `require` of an ES module into
      // a call that runs its top level then.
      build.onLoad({ filter: /.*/, namespace: 'deferred-module' }, ({ path }) => ({
        contents: `let real;\nexport default function deferred(...args) {\n  real ??= require(${JSON.stringify(path)});\n  return real.default.apply(this, args);\n}\n`,
        loader: 'js',
        resolveDir: dirname(path),
      }));
    },
  };
}

/**
 * Modules of ours the bundles replace by another (paths relative to the repository root): the source tree's version
 * works from files beside it, the bundle's from what the build puts next to the bundles. Each value says why.
 */
export const bundleSwaps: Readonly<Record<string, { readonly with: string; readonly why: string }>> = {
  'src/render/default-templates.ts': {
    with: 'src/render/shipped-templates.ts',
    why: 'the bundles render the templates precompiled into dist/templates.cjs: templates/ does not ship, nor does the Handlebars compiler',
  },
};

/** Resolves each module of `swaps` (see bundleSwaps) to its replacement; records in `swapped` each one it replaced. */
export function swapModules(swaps: Readonly<Record<string, { readonly with: string }>>, workingDir: string, swapped: Set<string>): esbuild.Plugin {
  const byPath = new Map(Object.entries(swaps).map(([from, to]) => [join(workingDir, from), join(workingDir, to.with)]));
  return {
    name: 'swap-modules',
    setup(build) {
      // src/ imports its modules by their .js names; tsc and esbuild map them to the .ts files.
      build.onResolve({ filter: /\.js$/ }, ({ path, resolveDir }) => {
        if (!path.startsWith('.')) return undefined;
        const from = join(resolveDir, path.replace(/\.js$/, '.ts'));
        const to = byPath.get(from);
        if (!to) return undefined;
        swapped.add(relative(workingDir, from));
        return { path: to };
      });
    },
  };
}

/**
 * Inputs no bundle may contain: found in a metafile, they mean the swap above did not take, and the bundle would
 * compile templates (or read templates/, which does not ship).
 */
export const forbiddenInputs: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /(^|\/)node_modules\/handlebars\/dist\/cjs\/handlebars\/compiler\//, why: "Handlebars' compiler (the bundles run precompiled templates)" },
  { pattern: /^src\/render\/(default|source)-templates\.ts$/, why: 'the render core reading templates/ (it does not ship)' },
];

/** Fails unless every swap was made, and if a bundle contains any of `forbidden`. */
export function checkSwaps(bundleName: string, metafile: esbuild.Metafile, swapped: ReadonlySet<string>, swaps: Readonly<Record<string, unknown>> = bundleSwaps, forbidden = forbiddenInputs): void {
  const missed = Object.keys(swaps).filter((from) => !swapped.has(from));
  if (missed.length > 0) throw new Error(`${bundleName} no longer imports ${missed.join(', ')}, which the build swaps (bundleSwaps in projenrc/bundle.ts); review the swap`);
  const found = Object.keys(metafile.inputs).flatMap((input) => forbidden.filter((f) => f.pattern.test(input)).map((f) => `${input} (${f.why})`));
  if (found.length > 0) throw new Error(`${bundleName} contains ${found.join(', ')}`);
}

const common: esbuild.BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  outdir,
  write: false,
  metafile: true,
  // Minified, but names are kept: readable stack traces and constructor names some dependencies compare.
  minify: true,
  keepNames: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // projen and constructs are the generated repo's own; nothing else may stay external (checked below).
  external: ['projen', 'projen/*', 'constructs', 'constructs/*'],
  alias: { 'fly-import': join(root, 'projenrc', 'fly-import-stub.ts') },
  // Inlined CommonJS modules `require` Node built-ins, which an ES module has no `require` for. esbuild renames
  // the bundled modules' own top-level `require` constants (yeoman-environment has two) around this one.
  banner: { js: "import { createRequire as __bundleCreateRequire } from 'node:module';\nconst require = __bundleCreateRequire(import.meta.url);" },
  // CommonJS code reading __dirname gets the bundle's directory; yeoman's own ES modules declare a `__dirname`
  // constant, which a banner constant of that name would collide with.
  define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
};

/** Fails unless each of `reads` was replaced exactly once. */
export function checkOwnPackageJsonReads(replaced: ReadonlyMap<string, number>, reads = ownPackageJsonReads): void {
  const expected = reads.map((r) => `${r.file}: 1`).join(', ');
  const actual = reads.map((r) => `${r.file}: ${replaced.get(r.file) ?? 0}`).join(', ');
  if (actual !== expected) throw new Error(`yeoman's own package.json reads changed (expected ${expected}; found ${actual}); review them in projenrc/bundle.ts`);
}

/** Fails if the bundle would import a package (not a Node built-in) other than `allowed` at run time. */
export function checkExternals(bundleName: string, metafile: esbuild.Metafile, allowed: readonly string[]): void {
  for (const output of Object.values(metafile.outputs)) {
    const external = output.imports.filter((i) => i.external && !i.path.startsWith('node:') && !builtinModules.includes(i.path));
    const wrong = external.filter((i) => !allowed.some((name) => i.path === name || i.path.startsWith(`${name}/`)));
    if (wrong.length > 0) throw new Error(`${bundleName} would import ${wrong.map((i) => i.path).join(', ')} at run time, but the package has no dependencies`);
  }
}

async function bundle(entry: 'cli' | 'index', allowedExternals: readonly string[]) {
  const replaced = new Map<string, number>();
  const patched = new Map<string, number>();
  const swapped = new Set<string>();
  const result = await esbuild.build({
    ...common,
    entryPoints: { [entry]: join(root, 'src', `${entry}.ts`) },
    plugins: [
      swapModules(bundleSwaps, root, swapped),
      inlineOwnPackageJsonReads(replaced),
      patchDependencies(dependencyPatches, patched),
      absentOptionalModules(['supports-color']),
      deferModules(Object.keys(deferredModules)),
    ],
  });
  const metafile = result.metafile!;
  checkExternals(`dist/${entry}.js`, metafile, allowedExternals);
  checkSwaps(`dist/${entry}.js`, metafile, swapped);
  return { outputFiles: result.outputFiles!, metafile, replaced, patched };
}

/**
 * THIRD-PARTY-NOTICES.md: every package with a file in the bundles (metafile inputs, relative to `workingDir`), its
 * licence and its licence files. Fails on a package without a licence or with one not in allowedLicences.
 */
export function thirdPartyNotices(metafiles: readonly esbuild.Metafile[], workingDir = root): string {
  const packages = new Map<string, { name: string; version: string; licence: string; texts: string[] }>();
  for (const input of metafiles.flatMap((metafile) => Object.keys(metafile.inputs))) {
    if (!input.includes('node_modules/')) continue;
    // The nearest package.json with a name: folders like dist/esm carry a nameless one ({"type": "module"}).
    let dir = dirname(join(workingDir, input));
    let manifest: { name?: string; version?: string; license?: unknown } = {};
    while (!(existsSync(join(dir, 'package.json')) && (manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).name)) dir = dirname(dir);
    const id = `${manifest.name}@${manifest.version}`;
    if (packages.has(id)) continue;
    const declared = typeof manifest.license === 'string' ? manifest.license : (manifest.license as { type?: string } | undefined)?.type;
    const licence = declared ?? licenceOverrides[id];
    if (!licence) throw new Error(`${id} (inlined into dist/) names no licence; read its files and add it to licenceOverrides in projenrc/bundle.ts`);
    const spdx = licence.replace(/^\(|\)$/g, '').split(' OR ');
    if (!spdx.some((l) => allowedLicences.has(l))) throw new Error(`${id} (inlined into dist/) is ${licence}, not one of ${[...allowedLicences].join(', ')}`);
    const texts = readdirSync(dir)
      .filter((file) => /^(licen[cs]e|copying|notice)/i.test(file))
      .sort()
      .map((file) => readFileSync(join(dir, file), 'utf8').trim());
    packages.set(id, { name: manifest.name!, version: manifest.version!, licence: licence.replace(/^\((.*)\)$/, '$1'), texts });
  }
  const sections = [...packages.values()]
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version))
    .map((p) => `## ${p.name}@${p.version} (${p.licence})\n\n${p.texts.length > 0 ? p.texts.map((t) => `\`\`\`\n${t}\n\`\`\``).join('\n\n') : `The package ships no licence file; its package.json declares ${p.licence}.`}\n`);
  return `# Third-party notices\n\ndist/cli.js and dist/index.js of create-ec2-oidc-pipeline inline the following ${packages.size} packages (licence comments found in their code are in dist/*.LEGAL.txt).\n\n${sections.join('\n')}`;
}

/** Writes through a temporary name and a rename, so a test run reading dist/ concurrently never sees half a file. */
function writeAtomically(path: string, contents: string | Uint8Array) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/**
 * dist/templates.cjs: the templates precompiled by the render core's own module, so that build and run time agree on
 * the compile options and the paths. Minified: the template text is kept as is (string values are not changed).
 */
async function precompiledTemplates(): Promise<{ name: string; contents: string }> {
  // Loaded from their sources by Node's type stripping, which resolves imports literally (src/ imports by .js names):
  // both import only Node built-ins, Handlebars, and types.
  const load = async <T>(file: string) => (await import(pathToFileURL(join(root, 'src', 'render', file)).href)) as T;
  const precompiled = await load<typeof import('../src/render/precompiled-templates.js')>('precompiled-templates.ts');
  const { precompiledFile } = await load<typeof import('../src/render/shipped-templates.js')>('shipped-templates.ts');
  const { code } = await esbuild.transform(precompiled.precompiledTemplatesModule(join(root, 'templates')), { loader: 'js', format: 'cjs', minify: true, target: 'node22', legalComments: 'none' });
  return { name: precompiledFile, contents: `// Generated by projenrc/bundle.ts: templates/ precompiled by Handlebars (src/render/precompiled-templates.ts).\n${code}` };
}

async function main() {
  const started = Date.now();
  const cli = await bundle('cli', []);
  const index = await bundle('index', ['projen', 'constructs']);
  checkOwnPackageJsonReads(cli.replaced);
  checkDependencyPatches(cli.patched);
  const templates = await precompiledTemplates();

  mkdirSync(outdir, { recursive: true });
  const outputs = [...cli.outputFiles, ...index.outputFiles];
  for (const file of outputs) writeAtomically(file.path, file.contents);
  writeAtomically(join(outdir, templates.name), templates.contents);
  writeAtomically(join(outdir, 'THIRD-PARTY-NOTICES.md'), thirdPartyNotices([cli.metafile, index.metafile]));
  // Anything else in dist/ is stale (a renamed entry): it would ship.
  const current = new Set([...outputs.map((file) => basename(file.path)), templates.name, 'THIRD-PARTY-NOTICES.md']);
  for (const stale of readdirSync(outdir).filter((file) => !current.has(file) && !file.endsWith('.tmp'))) rmSync(join(outdir, stale));

  const size = (file: string) => `${(outputs.find((o) => basename(o.path) === file)!.contents.byteLength / 1024 / 1024).toFixed(2)} MB`;
  process.stderr.write(`bundled dist/cli.js (${size('cli.js')}), dist/index.js (${size('index.js')}) and dist/${templates.name} (${(templates.contents.length / 1024 / 1024).toFixed(2)} MB) in ${Date.now() - started} ms\n`);
}

// Run as a script (the `bundle` task); imported by test/bundle for its checks.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
