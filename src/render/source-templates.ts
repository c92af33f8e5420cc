import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { TemplateSet } from './engine.js';
import { compileOptions, templatePaths } from './precompiled-templates.js';

/**
 * A templates folder compiled from source, each template when first rendered: the render core of this repository
 * (src/, lib/: tests, the unbundled build). The published bundles never compile; they carry the set precompiled from
 * the same folder (src/render/shipped-templates.ts), and test/bundle proves both render every preset alike.
 */
export function sourceTemplates(root: string): TemplateSet {
  return {
    origin: root,
    environment: () => Handlebars.create(),
    list(folder) {
      const absolute = join(root, folder);
      const stat = statSync(absolute, { throwIfNoEntry: false });
      if (!stat) return [];
      if (stat.isFile()) return [folder];
      return templatePaths(absolute).map((path) => `${folder}/${path}`);
    },
    load: (path, environment) => environment.compile(readFileSync(join(root, path), 'utf8'), { ...compileOptions }),
  };
}
