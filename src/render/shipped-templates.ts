// The bundles' module (bundled with its imports, never the compiler): it imports Handlebars' runtime, and types only.
// projenrc/bundle.ts loads it under Node's type stripping for `precompiledFile`.
import { createRequire } from 'node:module';
import type HandlebarsWithCompiler from 'handlebars';
import runtime from 'handlebars/runtime.js';
import type { TemplateSet } from './engine.js';
import type { PrecompiledTemplates } from './precompiled-templates.js';

// Handlebars' runtime: the full Handlebars without its compiler (nothing here compiles), typed as the full one because
// its runtime.d.ts declares no exports.
const Handlebars = runtime as unknown as typeof HandlebarsWithCompiler;

/** The file the build writes next to the bundles (projenrc/bundle.ts): the package's only copy of the templates. */
export const precompiledFile = 'templates.cjs';

/**
 * A precompiled set (`precompiledFile`) as a template set: listed from its paths, run by Handlebars' runtime alone. It
 * reads no file: the published package ships no templates folder.
 */
export function precompiledTemplates(set: PrecompiledTemplates, origin: string): TemplateSet {
  // The runtime refuses specs of another compiler revision itself, with a message that names no file: name it.
  if (set.handlebars !== Handlebars.VERSION) throw new Error(`${origin} was compiled by Handlebars ${set.handlebars}, but this build runs ${Handlebars.VERSION}: rebuild it (npx projen compile)`);
  const paths = Object.keys(set.templates);
  return {
    origin,
    environment: () => Handlebars.create(),
    list: (folder) => (Object.hasOwn(set.templates, folder) ? [folder] : paths.filter((path) => path.startsWith(`${folder}/`))),
    load(path, environment) {
      const index = Object.hasOwn(set.templates, path) ? set.templates[path] : undefined;
      if (index === undefined) throw new Error(`no template ${path} in ${origin}`);
      return environment.template(set.specs[index]!);
    },
  };
}

/**
 * The render core's templates in the published bundles: projenrc/bundle.ts puts this module in place of
 * default-templates.ts, and `precompiledFile` next to the bundles.
 */
export function defaultTemplates(): TemplateSet {
  const path = `./${precompiledFile}`;
  const require = createRequire(import.meta.url);
  let set: PrecompiledTemplates;
  try {
    set = require(path) as PrecompiledTemplates;
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`${new URL(path, import.meta.url).pathname} is missing: this package is incomplete (its build writes it next to the bundles; reinstall it)`);
  }
  return precompiledTemplates(set, require.resolve(path));
}
