import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileBase, Project, ProjenrcFile, SampleFile, type IResolver } from 'projen';
import { OptionsError, resolveOptions, type PipelineOptions } from '../options/index.js';
import { MARKER } from '../render/marker.js';
import { renderResolved } from '../render/render.js';
import type { RenderedFile } from '../render/rendered-file.js';

export interface Ec2OidcPipelineProjectOptions extends PipelineOptions {
  /**
   * Where the repository is.
   * @default "."
   */
  readonly outdir?: string;
}

/** A managed file whose bytes come from the render core, unchanged. */
class RenderedManagedFile extends FileBase {
  constructor(
    project: Project,
    private readonly file: RenderedFile,
  ) {
    super(project, file.path, { readonly: true, executable: (file.mode & 0o111) !== 0, marker: false });
  }

  protected synthesizeContent(_resolver: IResolver): string {
    return this.file.content;
  }
}

/** `.projenrc.ts` run by Node's own type stripping: no ts-node, no type-check, so a warm synth takes about a second. */
class NodeProjenrc extends ProjenrcFile {
  readonly filePath = '.projenrc.ts';

  constructor(project: Project) {
    super(project);
    project.defaultTask?.exec(`node ${this.filePath}`);
  }
}

/** Stops projen managing ejected files before its cleanup would delete them as orphans, and hands them over writable. */
function releaseEjected(outdir: string, ejected: readonly string[]) {
  const manifestPath = join(outdir, '.projen', 'files.json');
  if (ejected.length === 0 || !existsSync(manifestPath)) return;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { files: string[] };
  const remaining = manifest.files.filter((f) => !ejected.includes(f));
  if (remaining.length === manifest.files.length) return;
  chmodSync(manifestPath, 0o644);
  writeFileSync(manifestPath, `${JSON.stringify({ ...manifest, files: remaining }, undefined, 2)}\n`);
  for (const path of ejected) {
    const absolute = join(outdir, path);
    if (!existsSync(absolute)) continue;
    const content = readFileSync(absolute, 'utf8');
    chmodSync(absolute, 0o644);
    writeFileSync(absolute, content.split('\n').filter((line) => !line.includes(MARKER)).join('\n'));
  }
}

/**
 * The project type of generated repositories: `.projenrc.ts` instantiates it with the options chosen at scaffold
 * time, and `npx projen` re-renders every managed file through the same render core as the CLI. Sample files (the
 * service, tfvars, README) are written only when absent; ejected files are left alone.
 */
export class Ec2OidcPipelineProject extends Project {
  /** Paths of the files this project manages (rewritten on every synth). */
  readonly managedFiles: readonly string[];

  constructor(options: Ec2OidcPipelineProjectOptions) {
    const { outdir, ...pipelineOptions } = options;
    let resolved;
    try {
      resolved = resolveOptions({ ...pipelineOptions });
    } catch (error) {
      if (error instanceof OptionsError) throw new Error(`Ec2OidcPipelineProject: ${error.message}`);
      throw error;
    }
    super({ name: resolved.name, outdir: outdir ?? '.', projenrcJson: false, commitGenerated: true });
    new NodeProjenrc(this);

    const files = renderResolved(resolved);
    const known = new Set(files.filter((f) => f.owner === 'managed').map((f) => f.path));
    const unknownEject = resolved.eject.filter((path) => !known.has(path));
    if (unknownEject.length > 0) {
      throw new Error(`Ec2OidcPipelineProject: "eject" names ${unknownEject.join(', ')}, which is not a managed file; see .projen/files.json`);
    }
    // The render core owns .gitignore and .gitattributes, so they come out byte-identical from the CLI and from here.
    this.tryRemoveFile('.gitignore');
    this.tryRemoveFile('.gitattributes');

    const ejected = new Set(resolved.eject);
    for (const file of files) {
      if (ejected.has(file.path)) continue;
      if (file.owner === 'managed') new RenderedManagedFile(this, file);
      else new SampleFile(this, file.path, { contents: file.content });
    }
    this.managedFiles = files.filter((f) => f.owner === 'managed' && !ejected.has(f.path)).map((f) => f.path);
    this.ejectedFiles = [...ejected];
  }

  private readonly ejectedFiles: readonly string[];

  preSynthesize(): void {
    super.preSynthesize();
    releaseEjected(this.outdir, this.ejectedFiles);
  }
}
