import { components as componentsOf } from '../components/targets.js';
import { templateSource, type FileRule } from '../components/component.js';
import { resolveOptions, type PipelineOptions, type ResolvedOptions } from '../options/index.js';
import { defaultTemplates } from './default-templates.js';
import { TemplateEngine } from './engine.js';
import { addMarker } from './marker.js';
import type { RenderedFile } from './rendered-file.js';
import { templateData, type TemplateData } from './template-data.js';
import { packageVersion } from './templates-dir.js';

export interface RenderContext {
  /** Version of this package recorded in the generated repo; defaults to the installed one. */
  readonly generatorVersion?: string;
}

/** The engine over the package's templates, made on the first render (its partials compile or load then). */
let packageEngine: TemplateEngine | undefined;

/**
 * `terraform/environments/__environment__/main.tf.hbs` → `terraform/environments/production/main.tf`;
 * `_targets/ec2/scripts/deploy.sh.hbs` → `scripts/deploy.sh` (a target's own version of a file every target has).
 */
export function outputPath(templatePath: string, environment?: string): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .replace(/^_targets\/[^/]+\//, '')
    .split('/')
    .map((segment) => {
      if (segment === '__environment__') {
        if (!environment) throw new Error(`${templatePath} has __environment__ in its path but its rule is not perEnvironment`);
        return environment;
      }
      return /^_[^_]/.test(segment) ? `.${segment.slice(1)}` : segment;
    })
    .join('/');
}

const isExecutable = (path: string) => path.endsWith('.sh');

/**
 * The render core: resolved options in, the repository's files out, sorted by path. Pure: no clock, no randomness,
 * no writes; the same options and package version give the same bytes.
 */
export function renderResolved(options: ResolvedOptions, context: RenderContext = {}): RenderedFile[] {
  const engine = (packageEngine ??= new TemplateEngine(defaultTemplates()));
  const base = templateData(options, context.generatorVersion ?? packageVersion());
  const components = componentsOf(options.target);
  const data: Record<string, unknown> = { ...base };
  for (const component of components) {
    if (component.data) data[component.name] = component.data(base);
  }
  const files = new Map<string, RenderedFile>();
  const emit = (rule: FileRule, templatePath: string, scope: object, environment?: string) => {
    const path = outputPath(templatePath, environment);
    if (files.has(path)) throw new Error(`two templates render ${path}`);
    const rendered = engine.render(templatePath, scope);
    const content = rule.owner === 'managed' ? addMarker(path, rendered) : rendered;
    files.set(path, { path, content, mode: isExecutable(path) ? 0o755 : 0o644, owner: rule.owner });
  };
  for (const component of components) {
    for (const rule of component.files) {
      if (rule.when && !rule.when(base)) continue;
      const folder = templateSource(rule, options.target);
      const excluded = new Set((rule.exclude ?? []).map((path) => `${folder}/${path}`));
      for (const templatePath of engine.list(folder).filter((path) => !excluded.has(path))) {
        if (rule.perEnvironment) {
          for (const environment of base.environments) emit(rule, templatePath, { ...data, environment }, environment.name);
        } else {
          emit(rule, templatePath, data);
        }
      }
    }
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Validates raw options (throws `OptionsError`) and renders them. */
export function render(options: PipelineOptions, context: RenderContext = {}): RenderedFile[] {
  return renderResolved(resolveOptions({ ...options }), context);
}

export type { TemplateData };
