import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import Handlebars from 'handlebars';

export type Template = (data: object) => string;

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

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/**
 * A Handlebars environment over one templates folder: `noEscape` (we render code, not HTML), `strict` (a missing
 * field is an error, not an empty string), partials from `_partials/` by relative path, templates compiled once.
 */
export class TemplateEngine {
  private readonly handlebars = Handlebars.create();
  private readonly compiled = new Map<string, Template>();

  constructor(readonly root: string) {
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
      h.registerPartial(name, readFileSync(file, 'utf8'));
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
      const source = readFileSync(join(this.root, templatePath), 'utf8');
      template = this.handlebars.compile(source, { noEscape: true, strict: true });
      this.compiled.set(templatePath, template);
    }
    try {
      return template(data);
    } catch (error) {
      throw new Error(`rendering ${templatePath}: ${(error as Error).message}`);
    }
  }
}

function safeList(dir: string): string[] {
  try {
    return listFiles(dir);
  } catch {
    return [];
  }
}
