import { describe, expect, it } from 'vitest';
import { analyzeWorkflow, isPinned, roleAccountOf, roleNameOf } from '../../src/doctor/workflow-analysis.js';

const assume = (role: string) => `
      - uses: aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1
        with:
          role-to-assume: ${role}
          aws-region: us-east-1`;

/** A workflow with the given triggers and one job (`job`) with the given extra keys, assuming `role`. */
function workflow(on: string, jobKeys: string, role = 'arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/demo-plan'): string {
  return `on:\n${on}\njobs:\n  job:\n    runs-on: ubuntu-24.04\n${jobKeys}\n    steps:${assume(role)}\n`;
}

const subjectsOf = (text: string) => analyzeWorkflow('.github/workflows/w.yml', text).jobs.map((j) => j.subjects.map((s) => `${s.suffix}${s.exact ? '' : ' (not exact)'}`));

describe('the OIDC subject a job presents', () => {
  it('is the environment subject whenever the job names an environment, whatever the trigger', () => {
    expect(subjectsOf(workflow('  pull_request:\n  push:\n    branches: [main]', '    environment: production'))).toEqual([[':environment:production']]);
    expect(subjectsOf(workflow('  push:', '    environment:\n      name: staging\n      url: https://example.com'))).toEqual([[':environment:staging']]);
  });

  it('is pull_request on pull requests and the branch ref on pushes to listed branches', () => {
    expect(subjectsOf(workflow('  pull_request:\n  push:\n    branches: [main, release]', ''))).toEqual([[':pull_request', ':ref:refs/heads/main', ':ref:refs/heads/release']]);
  });

  it('cannot be exact for pushes to any branch, branch globs or tags, or for workflow_dispatch', () => {
    expect(subjectsOf(workflow('  push:', ''))).toEqual([[':ref:refs/heads/<any branch> (not exact)', ':ref:refs/tags/<any tag> (not exact)']]);
    expect(subjectsOf(workflow("  push:\n    branches: ['release/*']", ''))).toEqual([[':ref:refs/heads/<any branch> (not exact)']]);
    expect(subjectsOf(workflow('  push:\n    tags: [v1]', ''))).toEqual([[':ref:refs/tags/<any tag> (not exact)']]);
    expect(subjectsOf(workflow('  workflow_dispatch:', ''))).toEqual([[':ref:refs/heads/<any branch> (not exact)']]);
  });

  it("is pinned to a branch by the job's if: github.ref, which also keeps pull requests out", () => {
    const guarded = "    if: vars.PIPELINE_ENABLED == 'true' && github.ref == 'refs/heads/main'";
    expect(subjectsOf(workflow('  pull_request:\n  workflow_dispatch:\n  push:', guarded))).toEqual([[':ref:refs/heads/main', ':ref:refs/heads/main']]);
  });

  it('follows an if: that switches on the event, each operand naming its own event and guard', () => {
    // GIVEN plan jobs started by pull requests, pushes to main, and by hand from main only
    const on = '  pull_request:\n  push:\n    branches: [main]\n  workflow_dispatch:';
    const perEvent =
      "    if: vars.PIPELINE_ENABLED == 'true' && (github.event_name == 'push' || (github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main') || (github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository))";
    // THEN the manual run presents main only
    expect(subjectsOf(workflow(on, perEvent))).toEqual([[':pull_request', ':ref:refs/heads/main', ':ref:refs/heads/main']]);
    // AND an operand that names no event makes it no switch: the manual run may come from any branch
    const loose = "    if: github.event_name == 'push' || (github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main') || github.event.pull_request.head.repo.full_name == github.repository";
    expect(subjectsOf(workflow(on, loose))).toEqual([[':pull_request', ':ref:refs/heads/main', ':ref:refs/heads/<any branch> (not exact)']]);
    // AND an event the switch does not name does not run the job
    expect(subjectsOf(workflow(`${on}\n  schedule:\n    - cron: '0 0 * * *'`, perEvent))).toEqual([[':pull_request', ':ref:refs/heads/main', ':ref:refs/heads/main']]);
  });

  it("is limited to the events the job's if: github.event_name allows", () => {
    expect(subjectsOf(workflow('  pull_request:\n  push:\n    branches: [main]', "    if: github.event_name == 'push'"))).toEqual([[':ref:refs/heads/main']]);
  });

  it('follows the on: forms a string and a list', () => {
    expect(subjectsOf('on: pull_request\njobs:\n  job:\n    runs-on: x\n    steps: []\n')).toEqual([[':pull_request']]);
    expect(subjectsOf('on: [pull_request, schedule]\njobs:\n  job:\n    runs-on: x\n    steps: []\n')).toEqual([[':pull_request', ':ref:refs/heads/main']]);
  });

  it('expands a literal matrix into one job per combination, environment and role included', () => {
    const text = workflow(
      '  push:\n    branches: [main]',
      '    strategy:\n      matrix:\n        env: [staging, production]\n    environment: ${{ matrix.env }}',
      'arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/demo-${{ matrix.env }}-deploy',
    );
    const jobs = analyzeWorkflow('.github/workflows/w.yml', text).jobs;
    expect(jobs.map((j) => [j.label, j.environment, j.assumes[0]?.roleName])).toEqual([
      ['job (env=staging)', 'staging', 'demo-staging-deploy'],
      ['job (env=production)', 'production', 'demo-production-deploy'],
    ]);
  });

  it('expands an include-only matrix, and leaves a matrix it cannot enumerate unresolved', () => {
    const include = workflow('  push:\n    branches: [main]', '    strategy:\n      matrix:\n        include: [{ env: staging }, { env: production }]\n    environment: ${{ matrix.env }}');
    expect(analyzeWorkflow('w.yml', include).jobs.map((j) => j.environment)).toEqual(['staging', 'production']);
    const mixed = workflow('  push:\n    branches: [main]', '    strategy:\n      matrix:\n        env: [staging]\n        exclude: [{ env: staging }]\n    environment: ${{ matrix.env }}');
    expect(analyzeWorkflow('w.yml', mixed).jobs.map((j) => j.unresolvedEnvironment)).toEqual(['${{ matrix.env }}']);
  });

  it('leaves an environment it cannot evaluate unresolved', () => {
    const jobs = analyzeWorkflow('.github/workflows/w.yml', workflow('  push:', '    environment: ${{ inputs.target }}')).jobs;
    expect(jobs[0]).toMatchObject({ environment: null, unresolvedEnvironment: '${{ inputs.target }}' });
  });
});

describe('what a job does', () => {
  it('reads permissions, the enable guard and the role assumed', () => {
    const job = analyzeWorkflow(
      '.github/workflows/w.yml',
      workflow('  push:\n    branches: [main]', "    if: ${{ vars.PIPELINE_ENABLED == 'true' && !cancelled() }}\n    permissions:\n      id-token: write"),
    ).jobs[0]!;
    expect(job).toMatchObject({ guarded: true, idTokenWrite: true, hasJobPermissions: true, writeAll: false });
    expect(job.assumes).toEqual([{ raw: 'arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/demo-plan', roleName: 'demo-plan', account: { kind: 'variable', name: 'AWS_ACCOUNT_ID' } }]);
  });

  it('does not count a guard under || or a comparison with another value', () => {
    for (const condition of ["vars.PIPELINE_ENABLED == 'true' || github.event_name == 'push'", "vars.PIPELINE_ENABLED == 'false'", "vars.PIPELINE_ENABLED != ''"]) {
      const job = analyzeWorkflow('.github/workflows/w.yml', workflow('  push:', `    if: ${condition}`)).jobs[0]!;
      expect(job.guarded, condition).toBe(false);
    }
  });

  it('reports unpinned actions, pull_request_target and a workflow-wide id-token grant', () => {
    const text = `on:
  pull_request_target:
permissions:
  id-token: write
jobs:
  job:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@11bd719
      - uses: docker://alpine:3
      - uses: ./.github/actions/local
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
  reusable:
    uses: acme/workflows/.github/workflows/x.yml@main
`;
    const findings = analyzeWorkflow('.github/workflows/w.yml', text).findings.map((f) => `${f.job ?? '-'}: ${f.message}`);
    expect(findings).toEqual([
      expect.stringMatching(/^-: runs on pull_request_target/),
      expect.stringMatching(/^-: grants id-token: write to every job at workflow level/),
      expect.stringMatching(/^job: uses actions\/checkout@v4: pin it/),
      expect.stringMatching(/^job: uses actions\/checkout@11bd719: pin it/),
      expect.stringMatching(/^job: uses docker:\/\/alpine:3: pin it/),
      expect.stringMatching(/^reusable: uses acme\/workflows\/.github\/workflows\/x.yml@main: pin it/),
    ]);
  });

  it('reports a file that is not YAML or not a workflow', () => {
    expect(analyzeWorkflow('w.yml', 'on: [\n').findings[0]?.message).toMatch(/^is not valid YAML/);
    expect(analyzeWorkflow('w.yml', 'name: x\n').findings[0]?.message).toMatch(/^has no jobs/);
  });
});

describe('helpers', () => {
  it('roleAccountOf reads the account of a role ARN: literal, a variable, or an expression doctor cannot tell', () => {
    expect(roleAccountOf('arn:aws:iam::111111111111:role/demo-plan')).toEqual({ kind: 'literal', id: '111111111111' });
    expect(roleAccountOf('arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/demo-plan')).toEqual({ kind: 'variable', name: 'AWS_ACCOUNT_ID' });
    expect(roleAccountOf('arn:aws:iam::${{ secrets.ACCOUNT }}:role/demo-plan')).toEqual({ kind: 'expression', text: '${{ secrets.ACCOUNT }}' });
    expect(roleAccountOf('arn:aws:iam::12345:role/demo-plan')).toEqual({ kind: 'expression', text: '12345' });
    expect(roleAccountOf('demo-plan')).toBeNull();
  });

  it('roleNameOf reads ARNs (with paths and expressions for the account) and bare names', () => {
    expect(roleNameOf('arn:aws:iam::${{ vars.AWS_ACCOUNT_ID }}:role/demo-plan')).toBe('demo-plan');
    expect(roleNameOf('arn:aws:iam::123456789012:role/ci/demo-plan')).toBe('demo-plan');
    expect(roleNameOf('demo-plan')).toBe('demo-plan');
    expect(roleNameOf('${{ vars.ROLE_ARN }}')).toBeNull();
    expect(roleNameOf('arn:aws:iam::1:role/${{ vars.ROLE }}')).toBeNull();
  });

  it('isPinned accepts full SHAs, local actions and images by digest only', () => {
    expect(isPinned('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683')).toBe(true);
    expect(isPinned('github/codeql-action/init@11bd71901bbe5b1630ceea73d27597364c9af683')).toBe(true);
    expect(isPinned(`docker://alpine@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isPinned('./local')).toBe(true);
    expect(isPinned('actions/checkout@v4.2.2')).toBe(false);
    expect(isPinned('actions/checkout@11BD71901BBE5B1630CEEA73D27597364C9AF683')).toBe(false);
  });
});
