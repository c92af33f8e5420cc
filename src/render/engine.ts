import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';

export type Template = (data: object) => string;

/**
 * How every template and partial is compiled, at build time or at run time: `noEscape` (we render code, not HTML),
 * `strict` (a missing field is an error, not an empty string). Handlebars adds keys to the object it is given: pass
 * a copy.
 */
export const compileOptions: Readonly<CompileOptions> = { noEscape: true, strict: true };

/**
 * Templates compiled when the package is built (projenrc/bundle.ts writes them next to the bundles, as
 * `precompiledFile`), keyed by `templateKey` of their source: a template whose source changed since, or a
 * `templatesDir` of one's own, simply compiles as before, so a stale build never renders stale text.
 */
export interface PrecompiledTemplates {
  /** Handlebars.VERSION and the JSON of `compileOptions` they were compiled with: any other pair is not used. */
  readonly handlebars: string;
  readonly options: string;
  readonly specs: Readonly<Record<string, TemplateSpecification>>;
}

export const precompiledFile = 'templates.cjs';

/** A template's key in the precompiled set: the SHA-256 of its source. */
export function templateKey(source: string): string {
  return createHash('sha256').update(source).digest('base64url');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/**
 * The source of `precompiledFile`: every `.hbs` under `root` (templates and partials, whatever folder they sit in),
 * precompiled with `compileOptions`, as a CommonJS module so the engine loads it synchronously (render is synchronous).
 */
export function precompiledTemplatesModule(root: string): string {
  const specs = new Map<string, string>();
  for (const file of listFiles(root).filter((path) => path.endsWith('.hbs'))) {
    const source = readFileSync(file, 'utf8');
    specs.set(templateKey(source), Handlebars.precompile(source, { ...compileOptions }) as unknown as string);
  }
  const entries = [...specs].map(([key, spec]) => `${JSON.stringify(key)}:${spec}`).join(',\n');
  return `'use strict';\nmodule.exports = { handlebars: ${JSON.stringify(Handlebars.VERSION)}, options: ${JSON.stringify(JSON.stringify(compileOptions))}, specs: {\n${entries}\n} };\n`;
}

let shipped: PrecompiledTemplates | null | undefined;

/**
 * The precompiled set next to this module: dist/templates.cjs beside the bundles. Run from src/ or lib/ there is
 * none, and every template compiles when first rendered.
 */
export function shippedPrecompiledTemplates(): PrecompiledTemplates | undefined {
  if (shipped === undefined) {
    try {
      shipped = createRequire(import.meta.url)(`./${precompiledFile}`) as PrecompiledTemplates;
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      shipped = null;
    }
  }
  return shipped ?? undefined;
}

/** Quotes a value as an HCL literal; `${` and `%{` are escaped so user text is never interpolated by Terraform. */
export function hclLiteral(value: unknown): string {
  // A function replacement: in a replacement string `$$` means one `$`, which would undo the escape.
  if (typeof value === 'string') return JSON.stringify(value).replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(hclLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)} = ${hclLiteral(v)}`).join(', ')} }`;
}

/**
 * A Handlebars environment over one templates folder, with `compileOptions`, partials from `_partials/` by relative
 * path, templates compiled once: taken from the precompiled set when their source is there, else compiled here.
 */
export class TemplateEngine {
  // A field, not a constructor parameter property: projenrc/bundle.ts runs this file under Node's type stripping.
  readonly root: string;
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Template>();
  private readonly precompiled: PrecompiledTemplates['specs'];

  constructor(root: string, precompiled: PrecompiledTemplates | undefined = shippedPrecompiledTemplates()) {
    this.root = root;
    // Compiled by another Handlebars or with other options, they could render differently: compile instead.
    const usable = precompiled?.handlebars === Handlebars.VERSION && precompiled.options === JSON.stringify(compileOptions);
    this.precompiled = usable ? precompiled.specs : {};
    const h = this.handlebars;
    h.registerHelper('json', (value: unknown, indent: unknown) => JSON.stringify(value, undefined, typeof indent === 'number' ? indent : undefined));
    h.registerHelper('hcl', (value: unknown) => hclLiteral(value));
    // GitHub expressions: `{{gh "github.sha"}}` renders `${{ github.sha }}` without fighting Handlebars' own braces.
    h.registerHelper('gh', (expression: unknown) => `\${{ ${String(expression)} }}`);
    h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    h.registerHelper('join', (list: unknown, separator: unknown) => (list as unknown[]).join(typeof separator === 'string' ? separator : ', '));
    // `{{> (targetPartial "workflows/deploy-build")}}` calls `_partials/targets/<this repository's target>/workflows/deploy-build`:
    // shared templates keep the skeleton, each target fills in what differs.
    h.registerHelper('targetPartial', (name: unknown, options: Handlebars.HelperOptions) => {
      const target = (options.data as { root: { target: string } }).root.target;
      return `targets/${target}/${String(name)}`;
    });
    h.registerHelper('indent', function (this: unknown, spaces: unknown, options: Handlebars.HelperOptions) {
      const pad = ' '.repeat(Number(spaces));
      return (options.fn(this) as string).replace(/^(?=.)/gm, pad);
    });
    const partials = join(root, '_partials');
    for (const file of safeList(partials)) {
      if (!file.endsWith('.hbs')) continue;
      // `_partials/scripts/host-deploy.sh.hbs` is `{{> scripts/host-deploy}}`: dots would read as a path in a partial name.
      const name = relative(partials, file).split(sep).join('/').replace(/\.hbs$/, '').replace(/\.[^/]*$/, '');
      h.registerPartial(name, this.compile(readFileSync(file, 'utf8')));
    }
  }

  /** Template paths (POSIX, relative to the root) under `folder`, or `[folder]` if it names one file. */
  list(folder: string): string[] {
    const absolute = join(this.root, folder);
    if (statSync(absolute).isFile()) return [folder];
    return listFiles(absolute).map((file) => relative(this.root, file).split(sep).join('/')).filter((p) => p.endsWith('.hbs'));
  }

  render(templatePath: string, data: object): string {
    let template = this.compiled.get(templatePath);
    if (!template) {
      template = this.compile(readFileSync(join(this.root, templatePath), 'utf8'));
      this.compiled.set(templatePath, template);
    }
    try {
      return template(data);
    } catch (error) {
      throw new Error(`rendering ${templatePath}: ${(error as Error).message}`);
    }
  }

  /** The precompiled template of this source if there is one; else compiled (lazily: on its first render). */
  private compile(source: string): Template {
    const spec = this.precompiled[templateKey(source)];
    return spec ? this.handlebars.template(spec) : this.handlebars.compile(source, { ...compileOptions });
  }
}

function safeList(dir: string): string[] {
  try {
    return listFiles(dir);
  } catch {
    return [];
  }
}
