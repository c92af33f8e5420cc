import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { precompiledTemplatesModule, TemplateEngine, templateKey, type PrecompiledTemplates } from '../../src/render/engine.js';
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

/** The precompiled set of a templates folder, loaded as the engine loads dist/templates.cjs. */
function precompile(root: string): PrecompiledTemplates {
  const file = join(tempDir('engine-precompiled-'), 'templates.cjs');
  writeFileSync(file, precompiledTemplatesModule(root));
  return createRequire(import.meta.url)(file) as PrecompiledTemplates;
}

const sources = {
  'main.tf.hbs': 'name = {{name}}\nquoted = {{hcl name}}\n{{#each items}}\n{{> blocks/item}}\n{{/each}}\n',
  '_partials/blocks/item.txt.hbs': '  item {{this}}\n',
};
const data = { name: 'demo', items: ['a', 'b'] };

describe('template engine', () => {
  it('precompiles every template and partial, in any folder, keyed by its source', () => {
    // GIVEN templates in nested folders and a partial WHEN the precompiled module is built and loaded
    const root = templatesWith({ ...sources, 'deep/er/x.yml.hbs': 'x: {{gh "github.sha"}}\n', 'notes.txt': 'not a template' });
    const set = precompile(root);
    // THEN each .hbs has a spec under the key of its source, and nothing else does
    const keys = [sources['main.tf.hbs'], sources['_partials/blocks/item.txt.hbs'], 'x: {{gh "github.sha"}}\n'].map(templateKey);
    expect(Object.keys(set.specs).sort()).toEqual(keys.sort());
  });

  it('renders precompiled templates exactly as it renders their sources', () => {
    const root = templatesWith(sources);
    const compiled = new TemplateEngine(root, undefined);
    const precompiled = new TemplateEngine(root, precompile(root));
    expect(precompiled.render('main.tf.hbs', data)).toBe(compiled.render('main.tf.hbs', data));
    expect(compiled.render('main.tf.hbs', data)).toBe('name = demo\nquoted = "demo"\n  item a\n  item b\n');
    // strict mode holds for precompiled templates too: a missing field is an error, not an empty string
    expect(() => precompiled.render('main.tf.hbs', { items: [] })).toThrow(/rendering main\.tf\.hbs: "name" not defined/);
  });

  it('takes a template and a partial from the precompiled set when their source matches, and compiles them when it does not', () => {
    // GIVEN a set whose specs, under the keys of our sources, render other text (a stand-in to see which one is used)
    const root = templatesWith(sources);
    const other = precompile(templatesWith({ 'a.hbs': 'FROM THE SET {{name}}\n{{> blocks/item}}', 'b.hbs': '  set item {{name}}\n' }));
    const [main, item] = [templateKey('FROM THE SET {{name}}\n{{> blocks/item}}'), templateKey('  set item {{name}}\n')];
    const set = { ...other, specs: { [templateKey(sources['main.tf.hbs'])]: other.specs[main]!, [templateKey(sources['_partials/blocks/item.txt.hbs'])]: other.specs[item]! } };
    // WHEN the engine renders the template
    // THEN both come from the set
    expect(new TemplateEngine(root, set).render('main.tf.hbs', { name: 'demo', items: [] })).toBe('FROM THE SET demo\n  set item demo\n');
    // AND a template edited since the set was built compiles from its source
    writeFileSync(join(root, 'main.tf.hbs'), 'edited {{name}}\n');
    expect(new TemplateEngine(root, set).render('main.tf.hbs', data)).toBe('edited demo\n');
  });

  it('ignores a set compiled by another Handlebars or with other options', () => {
    const root = templatesWith({ 'a.hbs': 'source {{name}}\n' });
    const set = precompile(templatesWith({ 'b.hbs': 'set {{name}}\n' }));
    const specs = { [templateKey('source {{name}}\n')]: set.specs[templateKey('set {{name}}\n')]! };
    expect(new TemplateEngine(root, { ...set, specs }).render('a.hbs', data)).toBe('set demo\n');
    expect(new TemplateEngine(root, { ...set, specs, handlebars: '0.0.1' }).render('a.hbs', data)).toBe('source demo\n');
    expect(new TemplateEngine(root, { ...set, specs, options: '{"noEscape":true}' }).render('a.hbs', data)).toBe('source demo\n');
  });
});
