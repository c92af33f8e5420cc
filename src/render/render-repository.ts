import type { ResolvedOptions } from '../options/index.js';
import { projenBookkeeping } from './projen-bookkeeping.js';
import { renderResolved, type RenderContext } from './render.js';
import type { RenderedFile } from './rendered-file.js';

/** Everything the CLI writes for a new repository: the render core's files plus projen's bookkeeping for them. */
export function renderRepository(options: ResolvedOptions, context: RenderContext = {}): RenderedFile[] {
  const files = renderResolved(options, context);
  return [...files, ...projenBookkeeping(files)].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
