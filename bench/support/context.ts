import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { SectionResult } from './report.js';

/** What every section gets from the suite's one setup (bench/run.ts). */
export interface BenchContext {
  /** This repository. */
  readonly root: string;
  /** A temporary folder for everything the run creates; removed at the end. */
  readonly stage: string;
  /** Measured rounds per comparison (after a warm-up round). */
  readonly runs: number;
  /** This package, packed by `npm pack` (its prepack builds lib/ and the bundles). */
  readonly tarball: string;
  /** Where that tarball is installed as users get it, and its bin. */
  readonly installed: string;
  readonly bin: string;
  /** A prefix with the alternatives (create-vite, projen) installed from the registry. */
  readonly anchors: string;
  /** Extra flags given to `npm run bench` (such as --compare for synth). */
  readonly flags: ReadonlySet<string>;
  log(message: string): void;
  /** Registers work for the end of the run, failed or not (such as stopping a server a section started). */
  defer(cleanup: () => void | Promise<void>): void;
}

/**
 * A benchmark section: prepares (installs, builds, servers) without blocking, so the suite prepares every section side
 * by side, then answers the measurement, which the suite runs alone, one section after the other.
 */
export type Section = (context: BenchContext) => Promise<() => Promise<SectionResult>>;

export const tempIn = (context: BenchContext, prefix: string) => mkdtempSync(join(context.stage, prefix));

/** The arguments of a non-interactive scaffold of the full ec2 repository, as issue 6 names them. */
export const scaffoldArgs = (directory: string, name = directory) => [
  directory,
  '--yes',
  '--name',
  name,
  '--github-owner',
  'acme',
  '--github-repo',
  name,
  '--skip-install',
  '--skip-git',
];
