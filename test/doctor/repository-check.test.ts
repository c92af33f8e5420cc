import { describe, expect, it } from 'vitest';
import { checkRepository } from '../../src/doctor/repository-check.js';
import { fixtureRepo, fixtureSubjectPrefix, withEdit } from './fixture-repo.js';

const deploy = '.github/workflows/deploy.yml';
const plan = '.github/workflows/terraform.yml';
const findings = (files: Map<string, string>) => checkRepository(files).findings.map((f) => `${f.job ?? '-'}: ${f.message}`);

describe('checkRepository', () => {
  it('reports, per job, each subject, the role and whether the role trusts it', () => {
    // GIVEN the clean fixture
    // WHEN
    const report = checkRepository(fixtureRepo());
    // THEN
    expect(report.findings).toEqual([]);
    expect(report.subjectPrefix).toBe(fixtureSubjectPrefix);
    expect(report.rows.map((r) => [r.workflow, r.job, r.because, r.subject, r.role, r.trusted])).toEqual([
      ['deploy.yml', 'deploy-production', 'environment production', 'repo:acme/demo:environment:production', 'demo-production-deploy', true],
      ['terraform.yml', 'plan', 'pull_request', 'repo:acme/demo:pull_request', 'demo-plan', true],
      ['terraform.yml', 'plan', 'push to main', 'repo:acme/demo:ref:refs/heads/main', 'demo-plan', true],
    ]);
  });

  it('flags a role that no github_oidc_roles module declares', () => {
    const files = withEdit(fixtureRepo(), deploy, (t) => t.replace('role/demo-production-deploy', 'role/demo-production-admin'));
    expect(findings(files)).toEqual(['deploy-production: assumes role demo-production-admin, which no module "github_oidc_roles" in terraform/ declares']);
  });

  it('flags a role known only at run time, and AWS credentials without a role', () => {
    const runtime = withEdit(fixtureRepo(), deploy, (t) => t.replace(/role-to-assume: .*/, 'role-to-assume: ${{ vars.DEPLOY_ROLE_ARN }}'));
    expect(findings(runtime)).toEqual([expect.stringMatching(/^deploy-production: assumes "\$\{\{ vars.DEPLOY_ROLE_ARN \}\}", a role known only at run time/)]);
    const keys = withEdit(fixtureRepo(), deploy, (t) => t.replace(/role-to-assume: .*/, 'aws-access-key-id: ${{ secrets.KEY }}'));
    expect(findings(keys)).toEqual(['deploy-production: configures AWS credentials without role-to-assume: use OIDC and a role, never stored keys']);
  });

  it('flags a role-assuming job without job-level permissions, and one with write-all', () => {
    const none = withEdit(fixtureRepo(), deploy, (t) => t.replace('    permissions:\n      contents: read\n      id-token: write\n', ''));
    expect(findings(none)).toEqual([expect.stringMatching(/^deploy-production: assumes a role but sets no job-level permissions/)]);
    const all = withEdit(fixtureRepo(), deploy, (t) => t.replace('    permissions:\n      contents: read\n      id-token: write\n', '    permissions: write-all\n'));
    expect(findings(all)).toEqual([expect.stringMatching(/^deploy-production: has permissions: write-all/)]);
  });

  it('flags id-token: write on a job that assumes no role', () => {
    const files = new Map(fixtureRepo()).set(
      '.github/workflows/ci.yml',
      'on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    permissions:\n      id-token: write\n    steps:\n      - run: npm test\n',
    );
    expect(findings(files)).toEqual(['test: has id-token: write but assumes no role: remove it']);
  });

  it('flags roles that trust different repositories', () => {
    const files = withEdit(fixtureRepo(), 'terraform/environments/production/main.tf', (t) => t.replace(/deploy_role = \{([^}]*)repo:acme\/demo:/, 'deploy_role = {$1repo:acme/other:'));
    expect(findings(files)).toEqual([
      expect.stringMatching(/^-: the roles trust subjects of more than one repository \(repo:acme\/demo, repo:acme\/other\)/),
      expect.stringMatching(/^deploy-production: presents repo:acme\/demo:environment:production \(environment production\), which role demo-production-deploy does not trust \(it trusts repo:acme\/other:environment:production\)/),
    ]);
  });

  it('shows a job that can never run, and checks nothing it would present', () => {
    const files = withEdit(fixtureRepo(), plan, (t) => t.replace("if: vars.PIPELINE_ENABLED == 'true'", "if: vars.PIPELINE_ENABLED == 'true' && github.event_name == 'schedule'"));
    const report = checkRepository(files);
    expect(report.findings).toEqual([]);
    expect(report.rows.filter((r) => r.job === 'plan').map((r) => r.subject)).toEqual(['(never runs)']);
  });
});
