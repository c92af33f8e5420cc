import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The e2e tests run the real bin, which runs the compiled lib/: compile first, so tests never see a stale build. */
export default function setup(): void {
  const root = join(import.meta.dirname, '..', '..');
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--build'], { cwd: root, stdio: 'inherit' });
}
