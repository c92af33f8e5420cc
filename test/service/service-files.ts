import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import type { PresetName } from '../support/presets.js';
import { renderPreset, tempDir, writeFiles } from '../support/render-preset.js';
import { serviceNode, servicePath } from '../support/service-node.js';
import { requireTool } from '../support/tools.js';

/** The rendered `service/` of a preset, with paths relative to the service folder. */
export function serviceFiles(preset: PresetName): RenderedFile[] {
  return renderPreset(preset)
    .filter((file) => file.path.startsWith('service/'))
    .map((file) => ({ ...file, path: file.path.slice('service/'.length) }));
}

/** Writes a preset's service into a new temporary directory (nothing is cached in the repository tree). */
export function writeService(preset: PresetName): string {
  const files = serviceFiles(preset);
  return writeFiles(tempDir(`ec2-oidc-service-${preset}-`), files);
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** What an npm running on another Node leaves in the environment of the processes it starts, pointing at that Node. */
const outerNpmNode = new Set(['NODE', 'npm_node_execpath', 'npm_config_prefix', 'npm_config_global_prefix', 'npm_config_globalconfig', 'npm_config_local_prefix', 'npm_config_user_agent', 'npm_config_nodedir']);

/**
 * Runs npm in `cwd` against the machine's registry, on the service's Node (`serviceNode()`: npm and every script it
 * runs find that node first on PATH), and answers its exit status and combined output. The user's npm config stays in
 * force, except what would make our result depend on it: lock files always record `resolved`.
 */
export function npm(cwd: string, args: readonly string[], timeoutMs = 300_000): RunResult {
  requireTool('npm', 'install npm (it comes with Node.js), e.g. apt-get install -y npm');
  // The service's own vitest must not take this run's worker variables for its own, and npm must not take the Node of
  // the npm that started these tests for its own (`npm exec` finds `node` in the global prefix's bin first).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV' && !outerNpmNode.has(key)));
  const result = spawnSync('npm', [...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    // Native addons, if any, build against the headers of the Node that runs them.
    env: { ...inherited, PATH: servicePath(), npm_config_nodedir: dirname(serviceNode().bin), NO_COLOR: '1', npm_config_omit_lockfile_registry_resolved: 'false', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The template the service's lock file is rendered from. */
export const lockTemplatePath = join(import.meta.dirname, '../../templates/service/package-lock.json.hbs');
