import { describe, expect, it } from 'vitest';
import { ciWorkflowPath, requiredChecks } from '../../src/github/required-checks.js';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { renderPreset } from '../support/render-preset.js';

const ci = (content: string): RenderedFile[] => [{ path: ciWorkflowPath, content, mode: 0o644, owner: 'managed' }];

describe('status checks main requires', () => {
  it('requires the check of a job named ci (its name, or its id)', () => {
    expect(requiredChecks(ci('jobs:\n  lint: {runs-on: x}\n  ci:\n    name: CI\n    needs: [lint]\n'))).toEqual(['CI']);
    expect(requiredChecks(ci('jobs:\n  ci: {runs-on: x}\n'))).toEqual(['ci']);
  });

  it('otherwise requires every job that reports one fixed check (not matrices, not computed names)', () => {
    const workflow = 'jobs:\n  service: {name: "service (test)"}\n  lint: {}\n  matrix: {strategy: {matrix: {a: [1, 2]}}}\n  computed: {name: "x ${{ github.ref }}"}\n';
    expect(requiredChecks(ci(workflow))).toEqual(['service (test)', 'lint']);
  });

  it('requires nothing when no ci.yml is rendered (a required check that never reports would block every merge)', () => {
    expect(requiredChecks([])).toEqual([]);
  });

  it('names checks the rendered ci.yml really has', () => {
    // GIVEN the scaffold's own ci.yml WHEN read THEN each required check is a job name in it
    const files = renderPreset('default');
    const content = files.find((f) => f.path === ciWorkflowPath)?.content ?? '';
    const checks = requiredChecks(files);
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) expect(content).toMatch(new RegExp(`^    name: ${check.replace(/[()]/g, '\\$&')}$|^  ${check}:$`, 'm'));
  });
});
