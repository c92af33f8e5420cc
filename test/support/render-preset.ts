import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveOptions } from '../../src/options/index.js';
import { renderRepository } from '../../src/render/render-repository.js';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { presets, testGeneratorVersion, type PresetName } from './presets.js';

export function renderPreset(name: PresetName): RenderedFile[] {
  return renderRepository(resolveOptions({ ...presets[name] }), { generatorVersion: testGeneratorVersion });
}

/** A fresh temporary directory (outside any git work tree, so git behaves as it would for a user). */
export function tempDir(prefix = 'ec2-oidc-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFiles(root: string, files: readonly RenderedFile[]): string {
  for (const file of files) {
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content, { mode: file.mode });
  }
  return root;
}

/** Renders a preset into a new temporary directory and answers its path. */
export function writePreset(name: PresetName): string {
  return writeFiles(tempDir(`ec2-oidc-${name}-`), renderPreset(name));
}
