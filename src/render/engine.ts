import type Handlebars from 'handlebars';

export type Template = (data: object) => string;

/**
 * Where an engine's templates come from: templates/ compiled from source (src/render/source-templates.ts, in this
 * repository) or the set precompiled at build time (src/render/shipped-templates.ts, in the published bundles, which
 * carry no compiler and no templates folder). Paths are POSIX, relative to the templates root.
 */
export interface TemplateSet {
  /** What the set is, for error messages. */
  readonly origin: string;
  /** A fresh Handlebars environment that runs this set's templates (the runtime alone, for a precompiled set). */
  environment(): typeof Handlebars;
  /** The templates under `folder` in the order a walk of the folder lists them, `[folder]` if it is one, or none. */
  list(folder: string): string[];
  /** The template at `path`, for an `environment()` of this set; throws if there is none. */
  load(path: string, environment: typeof Handlebars): Template;
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
 * A Handlebars environment over one template set: our helpers, partials from `_partials/` by relative path, templates
 * loaded once.
 */
export class TemplateEngine {
  readonly templates: TemplateSet;
  private readonly handlebars: typeof Handlebars;
  private readonly loaded = new Map<string, Template>();

  constructor(templates: TemplateSet) {
    this.templates = templates;
    const h = (this.handlebars = templates.environment());
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
    for (const path of templates.list('_partials')) {
      // `_partials/scripts/host-deploy.sh.hbs` is `{{> scripts/host-deploy}}`: dots would read as a path in a partial name.
      const name = path.slice('_partials/'.length).replace(/\.hbs$/, '').replace(/\.[^/]*$/, '');
      h.registerPartial(name, templates.load(path, h));
    }
  }

  /** Template paths (POSIX, relative to the root) under `folder`, or `[folder]` if it names one template. */
  list(folder: string): string[] {
    const paths = this.templates.list(folder);
    if (paths.length === 0) throw new Error(`no template at ${folder} in ${this.templates.origin}`);
    return paths;
  }

  render(templatePath: string, data: object): string {
    let template = this.loaded.get(templatePath);
    if (!template) {
      template = this.templates.load(templatePath, this.handlebars);
      this.loaded.set(templatePath, template);
    }
    try {
      return template(data);
    } catch (error) {
      throw new Error(`rendering ${templatePath}: ${(error as Error).message}`);
    }
  }
}
