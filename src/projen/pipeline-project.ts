import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// Deep imports: projen's index loads every project type (~300 ms of each synth); the version is pinned exactly.
import { JsonFile } from 'projen/lib/json.js';
import { Project } from 'projen/lib/project.js';
import { OptionsError, resolveOptions, type PipelineOptions, type ResolvedOptions } from '../options/index.js';
import { SAMPLE_MANIFEST } from '../render/projen-bookkeeping.js';
import { renderResolved } from '../render/render.js';
import { planEject, releaseEjected } from './eject.js';
import { NodeProjenrc } from './node-projenrc.js';
import { optionsErrorMessage } from './options-error-message.js';
import { RenderedManagedFile } from './rendered-managed-file.js';
import { RenderedSampleFile } from './rendered-sample-file.js';

/**
 * Options of `Ec2OidcPipelineProject`: the CLI's option table (`PipelineOptions`), plus where the repository is. Every
 * other option's default is the CLI's; the three below have none here.
 */
export interface Ec2OidcPipelineProjectOptions extends PipelineOptions {
  /**
   * Service name: names the AWS resources, IAM roles, tags and the container.
   * @default - none: required. Never guessed from the directory, so renaming a checkout renames nothing in AWS.
   */
  readonly name: string;
  /**
   * GitHub user or organization that owns the repository; part of every OIDC trust subject.
   * @default - none: required. Never read from the git remote, so a fork's synth cannot retarget the trust policies.
   */
  readonly githubOwner: string;
  /**
   * GitHub repository name; part of every OIDC trust subject.
   * @default - none: required (see `githubOwner`).
   */
  readonly githubRepo: string;
  /**
   * The repository's root directory.
   * @default "."
   */
  readonly outdir?: string;
}

function resolve(options: Ec2OidcPipelineProjectOptions): { outdir?: string; resolved: ResolvedOptions } {
  const { outdir, ...pipelineOptions } = options;
  try {
    return { outdir, resolved: resolveOptions({ ...pipelineOptions }) };
  } catch (error) {
    if (error instanceof OptionsError) throw new Error(optionsErrorMessage(error));
    throw error;
  }
}

function readSampleManifest(outdir: string): ReadonlySet<string> {
  const path = join(outdir, SAMPLE_MANIFEST);
  if (!existsSync(path)) return new Set();
  return new Set((JSON.parse(readFileSync(path, 'utf8')) as { files?: string[] }).files ?? []);
}

/**
 * The project type of generated repositories: `.projenrc.ts` instantiates it with the options chosen at scaffold
 * time, and `npx projen` re-renders every managed file through the same render core as the CLI. Managed files are
 * rewritten on every synth (and deleted once no version renders them); sample files are written once and then belong
 * to the user; ejected files are handed over and never touched again.
 */
export class Ec2OidcPipelineProject extends Project {
  /** Paths of the files this project manages (rewritten on every synth), sorted. */
  readonly managedFiles: readonly string[];
  /** Paths of the sample files (written once, then the user's), sorted. */
  readonly sampleFiles: readonly string[];
  /** Managed files handed over through the `eject` option, sorted. */
  readonly ejectedFiles: readonly string[];

  constructor(options: Ec2OidcPipelineProjectOptions) {
    const { outdir, resolved } = resolve(options);
    super({ name: resolved.name, outdir, projenrcJson: false, commitGenerated: true });
    new NodeProjenrc(this);
    // The render core owns .gitignore and .gitattributes, so they come out byte-identical from the CLI and from here.
    this.tryRemoveFile('.gitignore');
    this.tryRemoveFile('.gitattributes');

    const files = renderResolved(resolved);
    const managed = files.filter((f) => f.owner === 'managed').map((f) => f.path);
    const sample = files.filter((f) => f.owner === 'sample').map((f) => f.path);
    const eject = planEject(resolved.eject, managed, sample, this.outdir);
    if (eject.problems.length > 0) {
      throw new Error(`Ec2OidcPipelineProject: invalid "eject" in .projenrc.ts:\n${eject.problems.map((p) => `  ${p}`).join('\n')}`);
    }

    const ejected = new Set(eject.paths);
    const offered = readSampleManifest(this.outdir);
    for (const file of files) {
      if (ejected.has(file.path)) continue;
      if (file.owner === 'managed') new RenderedManagedFile(this, file);
      else new RenderedSampleFile(this, file, offered.has(file.path));
    }
    // `npx projen eject` leaves projen behind: no bookkeeping of ours either.
    if (!this.ejected) new JsonFile(this, SAMPLE_MANIFEST, { obj: { files: sample }, committed: true });
    this.managedFiles = managed.filter((path) => !ejected.has(path));
    this.sampleFiles = sample;
    this.ejectedFiles = eject.paths;
  }

  preSynthesize(): void {
    super.preSynthesize();
    // Before projen's cleanup, which would delete ejected files as orphans.
    releaseEjected(this.outdir, this.ejectedFiles);
  }
}
