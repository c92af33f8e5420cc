import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../src/options/index.js';
import { presetNamesFor, presets, type PresetName } from '../support/presets.js';
import { renderPreset, tempDir, writeFiles } from '../support/render-preset.js';
import { callRecorders, runScript } from '../support/script-runner.js';
import { requireTool } from '../support/tools.js';

/** An invocation a script must refuse: script, arguments, what its message says. */
export type BadUsage = [script: string, args: string[], message: RegExp];

export interface ScriptContract {
  readonly target: Target;
  /** Every script the target renders, sorted. */
  readonly scripts: readonly string[];
  /** Scripts with a usage text (default: all). */
  readonly withHelp?: readonly string[];
  /** Other shell files shellcheck checks with the scripts (e.g. user data Terraform renders). */
  readonly alsoShellcheck?: readonly string[];
  /** Invocations each script must refuse with exit 2, before any AWS, Docker or host call. */
  readonly badUsage: (preset: PresetName) => BadUsage[];
  /** Valid arguments of deploy.sh after `--environment qa`, so that only the unknown environment is wrong. */
  readonly deployArgs?: readonly string[];
  /** Further checks of the target's own, with the rendered repository's folder. */
  readonly more?: (preset: PresetName, root: () => string) => void;
}

/**
 * The scripts' contract every target keeps: rendered executable, POSIX sh that shellcheck passes, `--help` with usage
 * and exit codes, exit 2 with a message and no call to any tool on bad usage, and the environments of the repository
 * named when another is asked for.
 */
export function describeScriptContract(contract: ScriptContract): void {
  const { target, scripts, withHelp = scripts, alsoShellcheck = [], badUsage, deployArgs = [], more } = contract;
  describe.each(presetNamesFor(target))(`${target} scripts of preset %s`, (preset) => {
    let root: string;

    beforeAll(() => {
      requireTool('shellcheck', 'apt-get install -y shellcheck');
      root = writeFiles(join(tempDir(`${target}-scripts-`), 'repo'), renderPreset(preset));
    });

    it('renders every script, executable', () => {
      const rendered = renderPreset(preset).filter((file) => file.path.startsWith('scripts/'));
      expect(rendered.map((file) => file.path).sort()).toEqual(scripts);
      for (const file of rendered) expect(file.mode, file.path).toBe(0o755);
    });

    it(`passes shellcheck -s sh on every script${alsoShellcheck.length > 0 ? ` and on ${alsoShellcheck.join(', ')}` : ''}`, () => {
      // GIVEN the rendered scripts WHEN shellcheck checks them as POSIX sh (non-zero on any finding, of any severity)
      const run = () => execFileSync('shellcheck', ['-s', 'sh', ...scripts, ...alsoShellcheck], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
      // THEN it reports nothing
      expect(run).not.toThrow();
    });

    it.each(withHelp)('%s --help exits 0 and prints its usage', (script) => {
      const recorders = callRecorders(tempDir(`${target}-scripts-help-`));
      for (const flag of ['--help', '-h']) {
        const result = runScript(join(root, script), [flag], { PATH: `${recorders.bin}:${process.env.PATH}` });
        expect(result.status, result.stderr).toBe(0);
        expect(result.stdout).toMatch(/^Usage: \S+\.sh /);
        expect(result.stdout).toMatch(/Exit codes: 0 /);
      }
      expect(recorders.calls()).toBe('');
    });

    it.each(badUsage(preset))('%s %j exits 2 before any AWS, Docker or host call', (script, args, message) => {
      // GIVEN aws, docker and curl that only record being called
      const recorders = callRecorders(tempDir(`${target}-scripts-usage-`));
      // WHEN the script is called wrongly
      const result = runScript(join(root, script), args, { PATH: `${recorders.bin}:${process.env.PATH}` });
      // THEN it says what is wrong, exits 2, and called nothing
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(2);
      expect(recorders.calls()).toBe('');
    });

    it('names the environments of this preset and nothing else', () => {
      const options = presets[preset];
      const environments: readonly string[] = 'environments' in options ? options.environments : ['production'];
      const result = runScript(join(root, 'scripts/deploy.sh'), ['--environment', 'qa', ...deployArgs]);
      expect(result.stderr).toContain(`this repository deploys to: ${environments.join(', ')}`);
    });

    more?.(preset, () => root);
  });
}
