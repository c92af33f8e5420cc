import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageName = 'create-ec2-oidc-pipeline';

/** Walks up from this module to the package root, so the same code works from src/, lib/ and a bundle. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === packageName) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${packageName} package root above ${from}`);
    dir = parent;
  }
}

/** The templates' sources: in this repository only (the published package ships them precompiled, in dist/). */
export function templatesDir(): string {
  return join(packageRoot(), 'templates');
}

/** The version of this package: generated repos pin it so `npx projen` renders with the same templates. */
export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return version;
}
