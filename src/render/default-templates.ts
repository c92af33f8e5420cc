import type { TemplateSet } from './engine.js';
import { sourceTemplates } from './source-templates.js';
import { templatesDir } from './templates-dir.js';

/**
 * The render core's templates: in this repository, templates/ compiled from source. The published bundles have this
 * module replaced by shipped-templates.ts (projenrc/bundle.ts): the templates precompiled at build time, so the
 * package ships them once and no compiler.
 */
export function defaultTemplates(): TemplateSet {
  return sourceTemplates(templatesDir());
}
