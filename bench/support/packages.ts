import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh, shAsync } from './measure.js';

/** The alternatives, pinned so results compare across runs of the benchmark. */
export const anchors = { createVite: 'create-vite@9.3.0', projen: 'projen@0.103.25', constructs: 'constructs@10.5.0' } as const;

/**
 * `npm pack` of a package folder (its prepack runs) or a registry spec, into a fresh folder under `stage`: both of our
 * tarballs are named create-ec2-oidc-pipeline-<version>.tgz.
 */
export async function pack(what: string, stage: string, prefix = 'pack-'): Promise<string> {
  const destination = mkdtempSync(join(stage, prefix));
  const [result] = JSON.parse(await shAsync('npm', ['pack', '--json', '--pack-destination', destination, what], stage)) as { filename: string }[];
  return join(destination, result!.filename);
}

/** An empty npm project at `prefix` with `specs` (tarballs or name@version) installed as production dependencies. */
export async function installInto(prefix: string, specs: readonly string[]): Promise<void> {
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{ "name": "bench-install", "private": true }\n');
  await shAsync('npm', ['install', '--omit=dev', '--no-package-lock', ...specs], prefix);
}

/** The file a package's bin runs, as installed under `prefix`. */
export function binPath(prefix: string, packageName: string, binName = packageName): string {
  const root = join(prefix, 'node_modules', packageName);
  const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  const file = typeof bin === 'string' ? bin : bin[binName];
  if (!file) throw new Error(`${packageName} has no bin named ${binName}`);
  return join(root, file);
}

/** Packages in a production install, the root project not counted. */
export function packageCount(prefix: string): number {
  return sh('npm', ['ls', '--all', '--omit=dev', '--parseable'], prefix).trim().split('\n').length - 1;
}
