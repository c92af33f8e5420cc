import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateEngine, type TemplateSet } from '../../src/render/engine.js';
import { precompiledTemplatesModule, templatePaths, type PrecompiledTemplates } from '../../src/render/precompiled-templates.js';
import { defaultTemplates as shippedTemplates, precompiledTemplates } from '../../src/render/shipped-templates.js';
import { sourceTemplates } from '../../src/render/source-templates.js';
import { tempDir } from '../support/render-preset.js';

/** A templates folder with these files. */
function templatesWith(files: Record<string, string>): string {
  const root = tempDir('engine-templates-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The precompiled set of a templates folder, loaded as the bundles load dist/templates.cjs. */
function precompile(root: string): PrecompiledTemplates {
  const file = join(tempDir('engine-precompiled-'), 'templates.cjs');
  writeFileSync(file, precompiledTemplatesModule(root));
  return createRequire(import.meta.url)(file) as PrecompiledTemplates;
}

const sources = {
  'main.tf.hbs': 'name = {{name}}\nquoted = {{hcl name}}\n{{#each items}}\n{{> blocks/item}}\n{{/each}}\n',
  '_partials/blocks/item.txt.hbs': '  item {{this}}\n',
  // The same source as main.tf.hbs (a file two targets share), and folders whose names sort around a `/`.
  'copy/main.tf.hbs': 'name = {{name}}\nquoted = {{hcl name}}\n{{#each items}}\n{{> blocks/item}}\n{{/each}}\n',
  'deep/er/x.yml.hbs': 'x: {{gh "github.sha"}}\n',
  'deep-er/y.hbs': 'y: {{name}}\n',
  'notes.txt': 'not a template',
};
const data = { name: 'demo', items: ['a', 'b'] };
/** Every template of `sources` as a walk of the folder lists them: each folder's entries sorted, folders in place. */
const walked = ['_partials/blocks/item.txt.hbs', 'copy/main.tf.hbs', 'deep/er/x.yml.hbs', 'deep-er/y.hbs', 'main.tf.hbs'];

/** The two sets the render core uses: the sources (this repository) and their precompiled set (the bundles). */
function bothSets(root: string): [string, TemplateSet][] {
  return [
    ['sources', sourceTemplates(root)],
    ['precompiled', precompiledTemplates(precompile(root), 'templates.cjs')],
  ];
}

describe('template engine', () => {
  it('precompiles every template and partial with its path, in the order of a walk; identical sources share a spec', () => {
    // GIVEN templates in nested folders, a partial, two identical sources and a file that is no template
    const root = templatesWith(sources);
    // WHEN the precompiled module is built and loaded
    const set = precompile(root);
    // THEN it lists every .hbs and nothing else, as the sources are walked (not a sort of whole paths: deep-er/ after deep/)
    expect(templatePaths(root)).toEqual(walked);
    expect(Object.keys(set.templates)).toEqual(walked);
    // AND the two identical sources point at one spec, every other template at its own
    expect(set.templates['copy/main.tf.hbs']).toBe(set.templates['main.tf.hbs']);
    expect(set.specs).toHaveLength(walked.length - 1);
    expect(new Set(Object.values(set.templates)).size).toBe(set.specs.length);
  });

  it('renders precompiled templates exactly as it renders their sources, partials and strict mode included', () => {
    const root = templatesWith(sources);
    const [fromSources, precompiled] = bothSets(root).map(([, set]) => new TemplateEngine(set));
    for (const path of walked.filter((p) => !p.startsWith('_partials/'))) expect(precompiled!.render(path, data), path).toBe(fromSources!.render(path, data));
    expect(fromSources!.render('main.tf.hbs', data)).toBe('name = demo\nquoted = "demo"\n  item a\n  item b\n');
    expect(fromSources!.render('deep/er/x.yml.hbs', data)).toBe('x: ${{ github.sha }}\n');
    // strict mode holds for precompiled templates too: a missing field is an error, not an empty string
    for (const engine of [fromSources!, precompiled!]) expect(() => engine.render('main.tf.hbs', { items: [] })).toThrow(/rendering main\.tf\.hbs: "name" not defined/);
  });

  it('renders from a precompiled set with no templates folder at all, as the installed package does', () => {
    // GIVEN a set precompiled from a folder that is then deleted
    const root = templatesWith(sources);
    const set = precompile(root);
    rmSync(root, { recursive: true });
    // WHEN an engine is made over the set (partials registered) and lists and renders
    const engine = new TemplateEngine(precompiledTemplates(set, 'templates.cjs'));
    // THEN everything comes from the set
    expect(engine.list('deep')).toEqual(['deep/er/x.yml.hbs']);
    expect(engine.render('copy/main.tf.hbs', data)).toBe('name = demo\nquoted = "demo"\n  item a\n  item b\n');
  });

  it('lists a folder, one template or nothing alike from the sources and from the precompiled set', () => {
    for (const [name, set] of bothSets(templatesWith(sources))) {
      const engine = new TemplateEngine(set);
      // a folder: its templates (deep/ is not a prefix of deep-er/), in the order of a walk
      expect(engine.list('deep'), name).toEqual(['deep/er/x.yml.hbs']);
      expect(engine.list('copy'), name).toEqual(['copy/main.tf.hbs']);
      // one template: itself
      expect(engine.list('main.tf.hbs'), name).toEqual(['main.tf.hbs']);
      // nothing there: an error naming the path (a rule pointing nowhere is a mistake, not an empty folder)
      expect(() => engine.list('missing'), name).toThrow(/^no template at missing in /);
      expect(() => engine.list('dee'), name).toThrow(/^no template at dee in /);
      expect(() => engine.render('missing.hbs', data), name).toThrow(/missing\.hbs/);
      // names an object's own keys only
      expect(() => engine.list('constructor'), name).toThrow(/^no template at constructor in /);
      expect(() => engine.render('toString', data), name).toThrow(/toString/);
    }
  });

  it('refuses a set compiled by another Handlebars, naming the set and the fix', () => {
    const set = precompile(templatesWith({ 'a.hbs': 'a {{name}}\n' }));
    expect(() => precompiledTemplates({ ...set, handlebars: '0.0.1' }, '/x/dist/templates.cjs')).toThrow(
      /^\/x\/dist\/templates\.cjs was compiled by Handlebars 0\.0\.1, but this build runs 4\.\d+\.\d+: rebuild it \(npx projen compile\)$/,
    );
  });

  it('says the package is incomplete when the bundles\' templates.cjs is missing (here, in src/, there is none)', () => {
    expect(() => shippedTemplates()).toThrow(/src\/render\/templates\.cjs is missing: this package is incomplete/);
  });
});
