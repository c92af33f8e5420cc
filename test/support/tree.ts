import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `root` but git's own, by relative path: its bytes (as text) and permission bits. */
export function readTree(root: string): Map<string, { readonly content: string; readonly mode: number }> {
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !relative(root, path).startsWith('.git/'))
    .sort();
  return new Map(files.map((path) => [relative(root, path), { content: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777 }]));
}
