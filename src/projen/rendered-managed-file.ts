import { FileBase, type IResolver } from 'projen/lib/file.js';
import type { Project } from 'projen/lib/project.js';
import type { RenderedFile } from '../render/rendered-file.js';
import { removeMarker } from './eject.js';

/**
 * A managed file whose bytes come from the render core unchanged (the render core already placed projen's marker
 * where the format allows a comment), so the CLI and `npx projen` write the same bytes. Read-only, like every
 * projen file, and listed in `.projen/files.json`.
 */
export class RenderedManagedFile extends FileBase {
  constructor(
    project: Project,
    private readonly file: RenderedFile,
  ) {
    super(project, file.path, { readonly: true, executable: (file.mode & 0o111) !== 0, marker: false });
  }

  protected synthesizeContent(_resolver: IResolver): string {
    // `npx projen eject` hands every file over: no marker must claim projen still owns it.
    return this.project.ejected ? removeMarker(this.file.path, this.file.content) : this.file.content;
  }
}
