import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/** The package as users get it: packed, then installed from its tarball into a folder of its own. */
export interface InstalledPackage {
  /** The tarball `npm pack` wrote. */
  readonly tarball: string;
  /** Where it was installed (`npm install <tarball>`): outside this repository, so nothing resolves from our node_modules. */
  readonly prefix: string;
  /** The installed package's own folder (prefix/node_modules/create-ec2-oidc-pipeline). */
  readonly root: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    installedPackage: InstalledPackage;
  }
}

const npm = (args: readonly string[], cwd: string) =>
  execFileSync('npm', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });

/**
 * The e2e tests run the installed package, never the source tree: `npm pack` runs `prepack` (tsc --build, which the
 * unbundled comparison needs too, then the bundles), and the tarball is installed once per run, shared by every file.
 */
export default function setup(project: TestProject): () => void {
  const root = join(import.meta.dirname, '..', '..');
  const stage = mkdtempSync(join(tmpdir(), 'ec2-oidc-installed-'));
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', stage], root)) as { filename: string }[];
  const tarball = join(stage, packed!.filename);
  const prefix = join(stage, 'install');
  mkdirSync(prefix);
  writeFileSync(join(prefix, 'package.json'), '{ "name": "installed", "private": true }\n');
  npm(['install', '--offline', '--no-package-lock', tarball], prefix);
  project.provide('installedPackage', { tarball, prefix, root: join(prefix, 'node_modules', 'create-ec2-oidc-pipeline') });
  return () => rmSync(stage, { recursive: true, force: true });
}
