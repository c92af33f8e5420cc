import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  bundleSwaps,
  checkDependencyPatches,
  checkExternals,
  checkOwnPackageJsonReads,
  checkSwaps,
  deferModules,
  forbiddenInputs,
  inlineOwnPackageJsonReads,
  ownPackageJsonReads,
  patchDependencies,
  swapModules,
  thirdPartyNotices,
} from '../../projenrc/bundle.js';
import { tempDir } from '../support/render-preset.js';

/** The guards of projenrc/bundle.ts, each shown failing on a fixture (the real build passes them: see the e2e tests). */

function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const environmentBase = 'yeoman-environment/dist/environment-base.js';
const readsItsVersion = "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const ENVIRONMENT_VERSION = require('../package.json').version;\n";

/** A fake yeoman-environment whose environment-base.js is `code`, bundled through the plugin. */
async function bundleFakeYeoman(code: string) {
  const root = writeTree(tempDir('bundle-fixture-'), {
    'node_modules/yeoman-environment/package.json': '{ "name": "yeoman-environment", "version": "9.9.9", "type": "module" }\n',
    [`node_modules/${environmentBase}`]: code,
    'entry.js': `export { ENVIRONMENT_VERSION } from '${environmentBase}';\n`,
  });
  const replaced = new Map<string, number>();
  const result = await esbuild.build({ absWorkingDir: root, entryPoints: ['entry.js'], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', plugins: [inlineOwnPackageJsonReads(replaced)] });
  return { text: result.outputFiles[0]!.text, replaced };
}

const metafileWith = (inputs: readonly string[]) => ({ inputs: Object.fromEntries(inputs.map((path) => [path, { bytes: 1, imports: [] }])), outputs: {} }) as unknown as esbuild.Metafile;

describe('projenrc/bundle.ts', () => {
  it("inlines yeoman's read of its own package.json, so the bundle runs with no package.json beside it", async () => {
    // GIVEN a module reading ../package.json relative to itself WHEN it is bundled
    const { text, replaced } = await bundleFakeYeoman(readsItsVersion);
    // THEN the read is gone, counted once, and the bundle runs from a folder without that package.json
    expect(text).not.toContain('package.json');
    expect(replaced.get(environmentBase)).toBe(1);
    const out = join(tempDir('bundle-out-'), 'bundle.mjs');
    writeFileSync(out, text);
    expect(((await import(pathToFileURL(out).href)) as { ENVIRONMENT_VERSION: string }).ENVIRONMENT_VERSION).toBe('9.9.9');
  });

  it("fails when the number of yeoman's own package.json reads changes (one moved or gone)", async () => {
    const { replaced } = await bundleFakeYeoman('export const ENVIRONMENT_VERSION = "read elsewhere now";\n');
    expect(() => checkOwnPackageJsonReads(replaced, ownPackageJsonReads.filter((read) => read.file === environmentBase))).toThrow(
      /yeoman's own package\.json reads changed \(expected yeoman-environment\/dist\/environment-base\.js: 1; found yeoman-environment\/dist\/environment-base\.js: 0\)/,
    );
  });

  it('fails on a new read of its own package.json that it does not know how to inline', async () => {
    const added = `${readsItsVersion}import { readFileSync } from 'node:fs';\nexport const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');\n`;
    await expect(bundleFakeYeoman(added)).rejects.toThrow(/environment-base\.js still reads its own package\.json/);
  });

  it('patches a dependency as it is inlined, and fails the build when the patched code is gone or doubled', async () => {
    // GIVEN a package whose code has the text a patch looks for
    const patch = { file: 'slow/index.js', find: 'return lookUp(name);', replace: 'return cache[name] ??= lookUp(name);' };
    const root = writeTree(tempDir('bundle-fixture-'), {
      'node_modules/slow/package.json': '{ "name": "slow", "version": "1.0.0", "type": "module" }\n',
      'node_modules/slow/index.js': 'const cache = {};\nconst lookUp = (name) => name.length;\nexport function find(name) {\n  return lookUp(name);\n}\n',
      'entry.js': "export { find } from 'slow';\n",
    });
    const bundle = async () => {
      const applied = new Map<string, number>();
      const result = await esbuild.build({ absWorkingDir: root, entryPoints: ['entry.js'], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', plugins: [patchDependencies([patch], applied)] });
      return { text: result.outputFiles[0]!.text, applied };
    };
    // WHEN it is bundled THEN the code is patched, counted once, and the check passes
    const patched = await bundle();
    expect(patched.text).toContain('cache[name] ??= lookUp(name)');
    expect(() => checkDependencyPatches(patched.applied, [patch])).not.toThrow();
    // AND once the dependency no longer has that text (an upgrade), the check fails naming the file
    writeFileSync(join(root, 'node_modules/slow/index.js'), 'export function find(name) {\n  return name.length;\n}\n');
    const moved = await bundle();
    expect(() => checkDependencyPatches(moved.applied, [patch])).toThrow(/no longer apply exactly once: slow\/index\.js \(0\)/);
  });

  it('defers a module: its top level runs at the first call of its function, not when the bundle loads', async () => {
    // GIVEN a package whose top level leaves a trace, imported by an entry that calls it only when asked
    const root = writeTree(tempDir('bundle-fixture-'), {
      'node_modules/costly/package.json': '{ "name": "costly", "version": "1.0.0", "type": "module" }\n',
      'node_modules/costly/index.js': "globalThis.costlyLoaded = (globalThis.costlyLoaded ?? 0) + 1;\nexport default function width(text) { return text.length * 2; }\n",
      'entry.js': "import width from 'costly';\nexport const measure = (text) => width(text);\n",
    });
    const bundle = async (entry: string) => {
      const result = await esbuild.build({ absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent', plugins: [deferModules(['costly'])] });
      const out = join(tempDir('bundle-out-'), 'bundle.mjs');
      writeFileSync(out, result.outputFiles[0]!.text);
      return out;
    };
    // WHEN it is bundled with the module deferred and loaded
    const loaded = (await import(pathToFileURL(await bundle('entry.js')).href)) as { measure: (text: string) => number };
    const trace = () => (globalThis as { costlyLoaded?: number }).costlyLoaded;
    // THEN the module ran nothing yet; the first call runs it once and answers as the module does
    expect(trace()).toBeUndefined();
    expect(loaded.measure('abc')).toBe(6);
    expect(loaded.measure('abcd')).toBe(8);
    expect(trace()).toBe(1);
    // AND a named import of a deferred module fails the build rather than reading undefined
    writeFileSync(join(root, 'named.js'), "import { other } from 'costly';\nexport const x = other;\n");
    await expect(bundle('named.js')).rejects.toThrow(/No matching export/);
  });

  it('swaps a module of ours for its bundle version, and fails when the swap no longer happens or a forbidden input is in', async () => {
    // GIVEN a source tree whose entry imports a module that reads files (by its .js name, as src/ does), and its bundle version
    const root = writeTree(tempDir('bundle-fixture-'), {
      'src/entry.ts': "import { templates } from './render/default.js';\nexport const answer = templates();\n",
      'src/render/default.ts': "import { readFileSync } from 'node:fs';\nexport const templates = () => readFileSync('templates/a.hbs', 'utf8');\n",
      'src/render/shipped.ts': "export const templates = () => 'from the bundle';\n",
    });
    const swaps = { 'src/render/default.ts': { with: 'src/render/shipped.ts' } };
    const forbidden = [{ pattern: /^src\/render\/default\.ts$/, why: 'reads templates/' }];
    const bundle = async (entry: string) => {
      const swapped = new Set<string>();
      const result = await esbuild.build({ absWorkingDir: root, entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, logLevel: 'silent', plugins: [swapModules(swaps, root, swapped)] });
      return { text: result.outputFiles[0]!.text, metafile: result.metafile, swapped };
    };
    // WHEN it is bundled THEN the bundle version is in, the original is not, and the check passes
    const swapped = await bundle('src/entry.ts');
    expect(swapped.text).toContain('from the bundle');
    expect(swapped.text).not.toContain('readFileSync');
    expect(() => checkSwaps('dist/x.js', swapped.metafile, swapped.swapped, swaps, forbidden)).not.toThrow();
    // AND an entry that reaches the module another way (no swap made) fails both ways: swap missed, forbidden input in
    writeFileSync(join(root, 'src/other.ts'), "export { templates } from './render/default.ts';\n");
    const missed = await bundle('src/other.ts');
    expect(() => checkSwaps('dist/x.js', missed.metafile, missed.swapped, swaps, [])).toThrow('dist/x.js no longer imports src/render/default.ts, which the build swaps');
    expect(() => checkSwaps('dist/x.js', missed.metafile, new Set(Object.keys(swaps)), swaps, forbidden)).toThrow('dist/x.js contains src/render/default.ts (reads templates/)');
  });

  it("forbids Handlebars' compiler and the render core's template reading in the bundles, which the real swap leaves out", () => {
    const inputs = ['node_modules/handlebars/dist/cjs/handlebars/compiler/parser.js', 'src/render/default-templates.ts', 'src/render/source-templates.ts'];
    for (const input of inputs) expect(forbiddenInputs.some((f) => f.pattern.test(input)), input).toBe(true);
    for (const input of ['node_modules/handlebars/dist/cjs/handlebars/runtime.js', 'src/render/shipped-templates.ts', 'src/render/engine.ts']) expect(forbiddenInputs.some((f) => f.pattern.test(input)), input).toBe(false);
    expect(bundleSwaps).toHaveProperty(['src/render/default-templates.ts', 'with'], 'src/render/shipped-templates.ts');
  });

  it('fails when a bundle would import a package at run time, built-ins and the allowed peers aside', () => {
    const importing = (...paths: string[]) =>
      ({ inputs: {}, outputs: { 'dist/x.js': { bytes: 1, inputs: {}, exports: [], imports: paths.map((path) => ({ path, kind: 'import-statement', external: true })) } } }) as unknown as esbuild.Metafile;
    expect(() => checkExternals('dist/x.js', importing('node:fs', 'path', 'projen/lib/project.js', 'constructs'), ['projen', 'constructs'])).not.toThrow();
    expect(() => checkExternals('dist/x.js', importing('node:fs', 'supports-color'), [])).toThrow('dist/x.js would import supports-color at run time');
    expect(() => checkExternals('dist/x.js', importing('projenx'), ['projen'])).toThrow(/would import projenx/);
  });

  it('lists each inlined package once with its licence files, found above nameless package.json files', () => {
    const root = writeTree(tempDir('notices-'), {
      'node_modules/ok/package.json': '{ "name": "ok", "version": "1.2.3", "license": "MIT" }\n',
      'node_modules/ok/LICENSE': 'Copyright (c) Ok Authors\n',
      'node_modules/ok/dist/esm/package.json': '{ "type": "module" }\n',
      'node_modules/bare/package.json': '{ "name": "bare", "version": "0.1.0", "license": "ISC" }\n',
    });
    const notices = thirdPartyNotices([metafileWith(['node_modules/ok/dist/esm/a.js', 'node_modules/ok/b.js']), metafileWith(['node_modules/bare/index.js', 'src/ours.ts'])], root);
    expect(notices).toContain('## ok@1.2.3 (MIT)\n\n```\nCopyright (c) Ok Authors\n```\n');
    expect(notices.match(/## ok@/g)).toHaveLength(1);
    expect(notices).toContain('## bare@0.1.0 (ISC)\n\nThe package ships no licence file; its package.json declares ISC.\n');
    expect(notices).toContain('inline the following 2 packages');
  });

  it('fails on an inlined package whose licence is not on the list, or that names none', () => {
    const root = writeTree(tempDir('notices-'), {
      'node_modules/copyleft/package.json': '{ "name": "copyleft", "version": "1.0.0", "license": "GPL-3.0-only" }\n',
      'node_modules/silent/package.json': '{ "name": "silent", "version": "1.0.0" }\n',
      'node_modules/either/package.json': '{ "name": "either", "version": "1.0.0", "license": "(GPL-2.0 OR MIT)" }\n',
    });
    expect(() => thirdPartyNotices([metafileWith(['node_modules/copyleft/index.js'])], root)).toThrow('copyleft@1.0.0 (inlined into dist/) is GPL-3.0-only, not one of MIT');
    expect(() => thirdPartyNotices([metafileWith(['node_modules/silent/index.js'])], root)).toThrow('silent@1.0.0 (inlined into dist/) names no licence');
    expect(thirdPartyNotices([metafileWith(['node_modules/either/index.js'])], root)).toContain('## either@1.0.0 (GPL-2.0 OR MIT)\n');
  });
});
