import { MARKER } from './marker.js';
import type { RenderedFile } from './rendered-file.js';

/** The sample files a repository was already offered, so `npx projen` writes each sample once (see src/projen). */
export const SAMPLE_MANIFEST = '.projen/samples.json';

/**
 * projen's own files for a fresh repository, byte for byte what `npx projen` writes for Ec2OidcPipelineProject
 * (test/projen proves it against the real projen for every preset). The CLI writes them so that the first commit
 * already is what a synth produces: `npx projen` needs `.projen/tasks.json` to run at all, `.projen/files.json` tells
 * it which files it owns (without it, its legacy cleanup deletes every file carrying the marker), and
 * `.projen/samples.json` says which sample files were already written. `.projen/deps.json` is listed but never
 * written: the repository has no projen-managed dependencies, and projen omits the empty file.
 */
export function projenBookkeeping(files: readonly RenderedFile[]): RenderedFile[] {
  const projenFiles = ['.projen/deps.json', '.projen/files.json', SAMPLE_MANIFEST, '.projen/tasks.json'];
  // projen orders its file list with localeCompare (README.md after outputs.tf), not by code unit.
  const managed = [...files.filter((f) => f.owner === 'managed').map((f) => f.path), ...projenFiles].sort((a, b) => a.localeCompare(b));
  const samples = files.filter((f) => f.owner === 'sample').map((f) => f.path).sort();
  const json = (value: object) => `${JSON.stringify({ ...value, '//': MARKER }, undefined, 2)}\n`;
  const task = (name: string, description: string, extra: object = {}) => ({ name, description, ...extra });
  const tasks = {
    manifestVersion: 3,
    tasks: {
      build: task('build', 'Full release build', {
        steps: ['default', 'pre-compile', 'compile', 'post-compile', 'test', 'package'].map((spawn) => ({ spawn })),
      }),
      compile: task('compile', 'Only compile'),
      default: task('default', 'Synthesize project files', { steps: [{ exec: 'node .projenrc.ts' }] }),
      eject: task('eject', 'Remove projen from the project', { env: { PROJEN_EJECTING: 'true' }, steps: [{ spawn: 'default' }] }),
      package: task('package', 'Creates the distribution package'),
      'post-compile': task('post-compile', 'Runs after successful compilation'),
      'pre-compile': task('pre-compile', 'Prepare the project for compilation'),
      test: task('test', 'Run tests'),
    },
  };
  return [
    { path: '.projen/files.json', content: json({ files: managed }), mode: 0o644, owner: 'managed' },
    { path: SAMPLE_MANIFEST, content: json({ files: samples }), mode: 0o644, owner: 'managed' },
    { path: '.projen/tasks.json', content: json(tasks), mode: 0o644, owner: 'managed' },
  ];
}
