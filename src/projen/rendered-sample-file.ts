import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Component } from 'projen/lib/component.js';
import type { Project } from 'projen/lib/project.js';
import type { RenderedFile } from '../render/rendered-file.js';

/**
 * A sample file: written once, then the user's. Like projen's `SampleFile` it never overwrites, but it is also not
 * written again when the repository was already offered it (listed in `.projen/samples.json`): a service file the
 * user deleted or renamed must not come back on the next `npx projen` and break their build. It keeps the rendered
 * mode (scripts stay executable) and may be empty.
 */
export class RenderedSampleFile extends Component {
  constructor(
    project: Project,
    private readonly file: RenderedFile,
    private readonly offeredBefore: boolean,
  ) {
    super(project, `RenderedSampleFile@${file.path}`);
  }

  synthesize(): void {
    const absolute = join(this.project.outdir, this.file.path);
    if (this.offeredBefore || existsSync(absolute)) return;
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, this.file.content);
    chmodSync(absolute, this.file.mode);
  }
}
