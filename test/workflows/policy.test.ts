import { describe, expect, it } from 'vitest';
import { checkRepository } from '../../src/doctor/repository-check.js';
import { readTrust } from '../../src/doctor/trust-reader.js';
import { analyzeWorkflow, enableVariable } from '../../src/doctor/workflow-analysis.js';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { withEdit } from '../doctor/fixture-repo.js';
import { resolveOptions } from '../../src/options/index.js';
import { templateData } from '../../src/render/template-data.js';
import { manualApplyTargets } from '../../src/components/terraform-apply.js';
import { presetNames, presets, testGeneratorVersion } from '../support/presets.js';
import { renderPreset } from '../support/render-preset.js';

// Issue 3 §4: the rendered workflows checked with the same code `doctor` runs (src/doctor), never a second copy.

const asFiles = (rendered: readonly RenderedFile[]) => new Map(rendered.map((file) => [file.path, file.content]));
const workflowPaths = (files: ReadonlyMap<string, string>) => [...files.keys()].filter((p) => p.startsWith('.github/workflows/'));
const jobsOf = (files: ReadonlyMap<string, string>) => workflowPaths(files).flatMap((path) => analyzeWorkflow(path, files.get(path)!).jobs);

describe.each(presetNames)('workflow policy, preset %s', (preset) => {
  const files = asFiles(renderPreset(preset));
  const cloudJobs = jobsOf(files).filter((job) => job.assumes.length > 0);

  it('renders the three workflows, and cloud jobs in deploy.yml and terraform.yml only', () => {
    expect(workflowPaths(files).sort()).toEqual(['.github/workflows/ci.yml', '.github/workflows/deploy.yml', '.github/workflows/terraform.yml']);
    expect(new Set(cloudJobs.map((job) => job.file))).toEqual(new Set(['.github/workflows/deploy.yml', '.github/workflows/terraform.yml']));
  });

  it('gives id-token: write, at job level, to exactly the jobs that assume a role', () => {
    for (const job of jobsOf(files)) expect(job.idTokenWrite && job.hasJobPermissions && !job.writeAll, `${job.file} ${job.id}`).toBe(job.assumes.length > 0);
  });

  it("guards every job that assumes a role with vars.PIPELINE_ENABLED == 'true'", () => {
    // doctor's switch is the one the templates render
    expect(enableVariable).toBe(templateData(resolveOptions({ ...presets[preset] }), testGeneratorVersion).pipelineEnabledVariable);
    for (const job of cloudJobs) expect(job.guarded, `${job.file} ${job.id}`).toBe(true);
  });

  it('pins every action to a full commit SHA and never runs on pull_request_target', () => {
    for (const path of workflowPaths(files)) {
      const text = files.get(path)!;
      expect(analyzeWorkflow(path, text).findings, path).toEqual([]);
      expect(text, path).not.toContain('pull_request_target');
      for (const [, ref] of text.matchAll(/uses:\s*(\S+)/g)) expect(ref, path).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
    }
  });

  it('has each job present only subjects its role trusts, and no finding at all', () => {
    // WHEN
    const report = checkRepository(files);
    // THEN
    expect(report.findings).toEqual([]);
    const roleRows = report.rows.filter((row) => row.role !== null);
    expect(roleRows.length).toBeGreaterThan(0);
    for (const row of roleRows) expect(row.trusted, `${row.workflow} ${row.job} ${row.subject}`).toBe(true);
  });

  it('runs deploy and apply jobs in their environment with its roles, and plans with the plan role on pull_request and main', () => {
    // GIVEN the names every component shares (src/components/README.md)
    const data = templateData(resolveOptions({ ...presets[preset] }), testGeneratorVersion);
    const expected = data.environments.flatMap((env) => [
      ['deploy.yml', `deploy-${env.name}`, env.subject, env.deployRoleName],
      ['terraform.yml', `plan-${env.name}`, data.plan.subjects[0], data.plan.roleName],
      ['terraform.yml', `plan-${env.name}`, data.plan.subjects[1], data.plan.roleName],
      ['terraform.yml', `apply-${env.name}`, env.subject, env.infraRoleName],
      // a manual "Run Terraform Apply" plans again, from main only
      ...(manualApplyTargets.includes(data.target) ? [['terraform.yml', `plan-${env.name}`, data.plan.subjects[1], data.plan.roleName]] : []),
    ]);
    // WHEN
    const rows = checkRepository(files).rows.filter((row) => row.role !== null);
    // THEN
    const key = (row: readonly unknown[]) => row.join(' ');
    expect(rows.map((row) => [row.workflow, row.job, row.subject, row.role]).map(key).sort()).toEqual(expected.map(key).sort());
    expect(data.plan.subjects).toEqual([`${data.github.subjectPrefix}:pull_request`, `${data.github.subjectPrefix}:ref:refs/heads/main`]);
  });

  it('lets no role that can write trust a pull_request subject', () => {
    const { roles } = readTrust(files);
    expect(roles.filter((r) => r.canWrite).length).toBeGreaterThan(0);
    for (const role of roles.filter((r) => r.canWrite)) {
      expect(role.subjects, role.name).not.toBeNull();
      for (const subject of role.subjects!) expect(subject, role.name).not.toMatch(/:pull_request$/);
    }
  });
});

describe('broken variants are caught (preset ecs)', () => {
  const files = asFiles(renderPreset('ecs'));
  const findings = (broken: Map<string, string>) => checkRepository(broken).findings.map((f) => `${f.file}${f.job ? ` ${f.job}` : ''}: ${f.message}`);

  it('a manual run whose plan job is not pinned to main presents any branch, which the plan role does not trust', () => {
    expect(findings(files)).toEqual([]);
    const broken = withEdit(files, '.github/workflows/terraform.yml', (t) => t.replace("(github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main')", "github.event_name == 'workflow_dispatch'"));
    expect(findings(broken)).toEqual([expect.stringMatching(/terraform.yml plan-production: can run on workflow_dispatch from any branch/)]);
  });
});

describe('broken variants are caught (preset default)', () => {
  const files = asFiles(renderPreset('default'));
  const deploy = '.github/workflows/deploy.yml';
  const terraform = '.github/workflows/terraform.yml';
  const environmentRoot = 'terraform/environments/production/main.tf';
  const findings = (broken: Map<string, string>) => checkRepository(broken).findings.map((f) => `${f.file}${f.job ? ` ${f.job}` : ''}: ${f.message}`);

  it('the clean render has no finding (the baseline every variant breaks)', () => {
    expect(findings(files)).toEqual([]);
  });

  it('a deploy job without environment: presents the ref subject, which the deploy role does not trust', () => {
    const broken = withEdit(files, deploy, (t) => t.replace(/\n {4}environment: production\n/, '\n'));
    expect(findings(broken)).toEqual([
      expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: presents repo:acme\/demo:ref:refs\/heads\/main \(push, if: github.ref\), which role demo-production-deploy does not trust \(it trusts repo:acme\/demo:environment:production\)$/),
      expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: presents repo:acme\/demo:ref:refs\/heads\/main \(workflow_dispatch, if: github.ref\)/),
    ]);
  });

  it('a role trusting the wrong environment', () => {
    const broken = withEdit(files, environmentRoot, (t) => t.replace(/(deploy_role\s*=\s*\{[^}]*)environment:production/, '$1environment:staging'));
    expect(findings(broken)).toEqual([
      expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: presents repo:acme\/demo:environment:production \(environment production\), which role demo-production-deploy does not trust \(it trusts repo:acme\/demo:environment:staging\)$/),
    ]);
  });

  it('a missing id-token: write', () => {
    const broken = withEdit(files, deploy, (t) => t.replace('      id-token: write\n', ''));
    expect(findings(broken)).toEqual([expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: assumes a role but its permissions lack id-token: write/)]);
  });

  it('an unpinned action', () => {
    const broken = withEdit(files, terraform, (t) => t.replace(/hashicorp\/setup-terraform@[0-9a-f]{40}/, 'hashicorp/setup-terraform@v3'));
    expect(findings(broken)).toEqual([expect.stringMatching(/^\.github\/workflows\/terraform.yml plan-production: uses hashicorp\/setup-terraform@v3: pin it to a full 40-character commit SHA/)]);
  });

  it('a cloud job without the enable switch', () => {
    const broken = withEdit(files, deploy, (t) => t.replace(/(deploy-production:\n[^]*?if: )vars\.PIPELINE_ENABLED == 'true' && /, '$1'));
    expect(findings(broken)).toEqual([expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: touches AWS without the switch/)]);
  });

  it('a write role that trusts pull requests', () => {
    const broken = withEdit(files, environmentRoot, (t) => t.replace(/(infra_role\s*=\s*\{[^}]*subjects\s*=\s*\[)/, '$1"repo:acme/demo:pull_request", '));
    expect(findings(broken)).toEqual([expect.stringMatching(/^terraform\/environments\/production\/main.tf: role demo-production-infra can change things and trusts "repo:acme\/demo:pull_request"/)]);
  });

  it('a plan job that can be started from any branch', () => {
    const broken = withEdit(files, terraform, (t) => t.replace('\non:\n', '\non:\n  workflow_dispatch:\n'));
    expect(findings(broken)).toEqual([
      expect.stringMatching(/^\.github\/workflows\/terraform.yml plan-production: can run on workflow_dispatch from any branch and then presents repo:acme\/demo:ref:refs\/heads\/<any branch>, which role demo-plan cannot trust/),
    ]);
  });

  it('a job in an environment Terraform does not know', () => {
    const broken = withEdit(files, deploy, (t) => t.replace('environment: production', 'environment: prod'));
    expect(findings(broken)).toEqual([
      expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: runs in GitHub environment "prod", which has no terraform\/environments\/prod/),
      expect.stringMatching(/^\.github\/workflows\/deploy.yml deploy-production: presents repo:acme\/demo:environment:prod \(environment prod\), which role demo-production-deploy does not trust/),
    ]);
  });

  it('pull_request_target', () => {
    const broken = withEdit(files, terraform, (t) => t.replace('\n  pull_request:\n', '\n  pull_request_target:\n'));
    expect(findings(broken)).toEqual(expect.arrayContaining([expect.stringMatching(/^\.github\/workflows\/terraform.yml: runs on pull_request_target/)]));
  });

  it('a trust policy matching the subject with StringLike', () => {
    const module = 'terraform/modules/github-oidc-roles/main.tf';
    const broken = withEdit(files, module, (t) => t.replace(/"StringEquals"(\s*\n\s*variable\s*=\s*"token\.actions\.githubusercontent\.com:sub")/, '"StringLike"$1'));
    expect(findings(broken)).toEqual([expect.stringMatching(/^terraform\/modules\/github-oidc-roles\/main.tf: matches token.actions.githubusercontent.com:sub with StringLike/)]);
  });
});
