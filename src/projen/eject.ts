import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARKER } from '../render/marker.js';

/** Where projen lists the files it owns; its cleanup deletes every listed file that is no longer generated. */
export const FILE_MANIFEST = '.projen/files.json';

const markerLines = new Set([`# ${MARKER}`, `// ${MARKER}`, `<!-- ${MARKER} -->`]);

/** Takes projen's marker out of a managed file's content (the inverse of the render core's `addMarker`). */
export function removeMarker(path: string, content: string): string {
  if (path.endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      return content; // hand-broken JSON: handed over as it is, marker and all, rather than failing the synth
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || (value as Record<string, unknown>)['//'] !== MARKER) return content;
    const { '//': _marker, ...rest } = value as Record<string, unknown>;
    return `${JSON.stringify(rest, undefined, 2)}\n`;
  }
  const lines = content.split('\n');
  const at = lines.findIndex((line) => markerLines.has(line));
  if (at === -1) return content;
  lines.splice(at, 1);
  return lines.join('\n');
}

/** The paths projen owned at the last synth, or none when the repository has never been synthesized. */
export function readManifest(outdir: string): string[] {
  const path = join(outdir, FILE_MANIFEST);
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { files?: string[] }).files ?? [];
}

export interface EjectPlan {
  /** Managed files of this version to hand over (entries naming a folder are expanded to its managed files). */
  readonly paths: readonly string[];
  /** Entries that cannot be ejected, each with the reason, for one error message. */
  readonly problems: readonly string[];
}

/**
 * Resolves the `eject` option against what this version renders. An entry names a managed file or a folder of managed
 * files. An entry this version no longer renders is accepted while it is on disk: it was ejected before an upgrade
 * dropped its template (so an old entry never breaks an upgrade), or the user keeps a file the upgrade would delete.
 */
export function planEject(requested: readonly string[], managed: readonly string[], sample: readonly string[], outdir: string): EjectPlan {
  const owned = readManifest(outdir);
  const under = (entry: string) => (path: string) => path === entry || path.startsWith(`${entry}/`);
  const paths = new Set<string>();
  const problems: string[] = [];
  for (const entry of requested.map((path) => path.replace(/^(\.\/)+/, '').replace(/\/+$/, ''))) {
    const matches = managed.filter(under(entry));
    if (entry === '' || entry === '.') {
      problems.push(`"${entry}" names the whole repository; to stop using projen altogether, run npx projen eject`);
    } else if (under('.projen')(entry)) {
      problems.push(`${entry} is projen's own bookkeeping and cannot be ejected`);
    } else if (matches.length > 0) {
      matches.forEach((path) => paths.add(path));
    } else if (sample.some(under(entry))) {
      problems.push(`${entry} is a sample file (or a folder of them): it is yours already and npx projen never rewrites it`);
    } else if (existsSync(join(outdir, entry))) {
      owned.filter(under(entry)).forEach((path) => paths.add(path));
    } else {
      problems.push(`${entry} is not a managed file of this version; managed files are listed in ${FILE_MANIFEST}`);
    }
  }
  return { paths: [...paths].sort(), problems };
}

/**
 * Hands ejected files over before projen's cleanup runs: drops them from the manifest (else cleanup deletes them as
 * orphans), takes the marker out and makes them writable. Files already handed over are never touched again.
 */
export function releaseEjected(outdir: string, ejected: readonly string[]): void {
  const manifestPath = join(outdir, FILE_MANIFEST);
  if (ejected.length === 0 || !existsSync(manifestPath)) return;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown> & { files: string[] };
  const releasing = ejected.filter((path) => manifest.files.includes(path));
  if (releasing.length === 0) return;
  chmodSync(manifestPath, 0o644);
  writeFileSync(manifestPath, `${JSON.stringify({ ...manifest, files: manifest.files.filter((f) => !releasing.includes(f)) }, undefined, 2)}\n`);
  for (const path of releasing) {
    const absolute = join(outdir, path);
    if (!existsSync(absolute)) continue;
    const mode = statSync(absolute).mode;
    chmodSync(absolute, (mode & 0o111) !== 0 ? 0o755 : 0o644);
    writeFileSync(absolute, removeMarker(path, readFileSync(absolute, 'utf8')));
  }
}
