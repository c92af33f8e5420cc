// Run by projenrc/bundle.ts under Node's type stripping, which resolves imports literally (src/ imports by .js names):
// this module imports only Node built-ins and Handlebars.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';

/**
 * How every template and partial is compiled, at build time or from source: `noEscape` (we render code, not HTML),
 * `strict` (a missing field is an error, not an empty string). Handlebars adds keys to the object it is given: pass
 * a copy.
 */
export const compileOptions: Readonly<CompileOptions> = { noEscape: true, strict: true };

/**
 * dist/templates.cjs as loaded (shipped-templates.ts): everything the engine needs to render without a templates
 * folder, which the package does not ship (each template once, compiled, instead of twice). Output modes come from
 * paths (render.ts), so there are none to carry; partials are the templates under `_partials/`.
 */
export interface PrecompiledTemplates {
  /** Handlebars.VERSION and the JSON of `compileOptions` they were compiled with. */
  readonly handlebars: string;
  readonly options: string;
  /**
   * Every `.hbs` under templates/ (POSIX path relative to it, partials included) in the order a walk of the folder
   * lists them, each with the index of its spec in `specs`: identical sources (a file two targets share) share one.
   */
  readonly templates: Readonly<Record<string, number>>;
  readonly specs: readonly TemplateSpecification[];
}

/** Every `.hbs` under `root` (POSIX, relative to it): each folder's entries sorted by name, folders walked in place. */
export function templatePaths(root: string, dir: string = root): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return templatePaths(root, path);
      return path.endsWith('.hbs') ? [relative(root, path).split(sep).join('/')] : [];
    });
}

/**
 * The source of dist/templates.cjs: every `.hbs` under `root` (templates and partials, whatever folder they sit in)
 * precompiled with `compileOptions`, and its path, as a CommonJS module so the engine loads it synchronously (render
 * is synchronous).
 */
export function precompiledTemplatesModule(root: string): string {
  const indexOfSource = new Map<string, number>();
  const specs: string[] = [];
  const templates: [string, number][] = [];
  for (const path of templatePaths(root)) {
    const source = readFileSync(join(root, path), 'utf8');
    let index = indexOfSource.get(source);
    if (index === undefined) {
      index = specs.push(Handlebars.precompile(source, { ...compileOptions }) as unknown as string) - 1;
      indexOfSource.set(source, index);
    }
    templates.push([path, index]);
  }
  const paths = templates.map(([path, index]) => `${JSON.stringify(path)}:${index}`).join(',\n');
  return `'use strict';\nmodule.exports = { handlebars: ${JSON.stringify(Handlebars.VERSION)}, options: ${JSON.stringify(JSON.stringify(compileOptions))},\ntemplates: {\n${paths}\n},\nspecs: [\n${specs.join(',\n')}\n] };\n`;
}
