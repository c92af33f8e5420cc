import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presetNames } from '../support/presets.js';
import { renderPreset } from '../support/render-preset.js';

const snapshotRoot = join(import.meta.dirname, '__snapshots__');

function listSnapshots(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listSnapshots(path) : [path];
    });
  } catch {
    return [];
  }
}

describe.each(presetNames)('preset %s', (preset) => {
  const files = renderPreset(preset);

  it('renders the expected file list, owners and modes', () => {
    expect(files.map((f) => `${f.path}  ${f.owner}  ${f.mode.toString(8)}`)).toMatchSnapshot();
  });

  it.each(files.map((f) => [f.path, f] as const))('renders %s', async (path, file) => {
    await expect(file.content).toMatchFileSnapshot(join(snapshotRoot, preset, `${path}.snap`));
  });

  it('has no snapshot left over from a file it no longer renders', () => {
    // GIVEN the per-file snapshots on disk WHEN compared with what is rendered THEN none is stale.
    const onDisk = listSnapshots(join(snapshotRoot, preset)).map((p) => relative(join(snapshotRoot, preset), p).replace(/\.snap$/, ''));
    const stale = onDisk.filter((p) => !files.some((f) => f.path === p));
    expect(stale).toEqual([]);
  });
});
