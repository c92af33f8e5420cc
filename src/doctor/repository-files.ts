import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The files doctor reads, by POSIX path relative to the repository root. */
export type RepositoryFiles = ReadonlyMap<string, string>;

export const workflowsDir = '.github/workflows';

export const isWorkflowPath = (path: string) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path);

/** Names of the environment roots (`terraform/environments/<name>/…`) present in the files. */
export function terraformEnvironments(files: RepositoryFiles): string[] {
  const names = new Set<string>();
  for (const path of files.keys()) {
    const match = /^terraform\/environments\/([^/]+)\/[^/]+\.tf$/.exec(path);
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * Reads the workflows and the Terraform doctor checks (every `.tf` file up to three folders under terraform/) from
 * a repository on disk.
 */
export function readRepositoryFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const add = (relative: string) => {
    const absolute = join(root, relative);
    if (isFile(absolute)) files.set(relative, readFileSync(absolute, 'utf8'));
  };
  for (const name of listDir(join(root, workflowsDir))) if (/\.ya?ml$/.test(name)) add(`${workflowsDir}/${name}`);
  const walk = (relative: string, depth: number) => {
    for (const name of listDir(join(root, relative))) {
      const child = `${relative}/${name}`;
      if (name.endsWith('.tf')) add(child);
      else if (depth > 0 && !name.startsWith('.')) walk(child, depth - 1);
    }
  };
  walk('terraform', 2);
  return files;
}
