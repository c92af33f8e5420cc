import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { doctorCommand } from '../../src/doctor/doctor-command.js';
import { runCli } from '../support/cli.js';
import { resolveOptions } from '../../src/options/index.js';
import { hasAccounts, presetNames, presets } from '../support/presets.js';
import { tempDir, writePreset } from '../support/render-preset.js';

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function preset(name: (typeof presetNames)[number]): string {
  const dir = writePreset(name);
  created.push(dir);
  return dir;
}

/** Rewrites one file of a written repository; the edit must change it, or the "broken" repo would not be broken. */
function edit(root: string, path: string, change: (text: string) => string): void {
  const file = join(root, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`editing ${path} changed nothing`);
  writeFileSync(file, after);
}

async function doctor(argv: string[], cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await doctorCommand(parseCliArgs(['doctor', ...argv]), { cwd, interactive: false, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err };
}

describe('doctor', () => {
  it.each(presetNames)('exits 0 on preset %s and prints, per job, the subject, the role and the verdict', async (name) => {
    // GIVEN a freshly generated repository, and the environment it promotes to last
    const dir = preset(name);
    const env = resolveOptions({ ...presets[name] }).environments.at(-1)!;
    // With accounts, an ACCOUNT column sits between the role and the verdict
    const account = hasAccounts(presets[name]) ? ' +[0-9]{12}' : '';
    // WHEN
    const { code, out, err } = await doctor([dir]);
    // THEN
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^WORKFLOW +JOB +WHEN +SUBJECT +ROLE +${account ? 'ACCOUNT +' : ''}TRUSTED$`, 'm'));
    expect(out).toMatch(new RegExp(`^deploy\\.yml +deploy-${env} +environment ${env} +repo:acme[^ ]*:environment:${env} +[a-z-]+-${env}-deploy${account} +yes$`, 'm'));
    expect(out).toMatch(new RegExp(`^terraform\\.yml +plan-${env} +pull_request +repo:acme[^ ]*:pull_request +[a-z-]+-plan${account} +yes$`, 'm'));
    expect(out).toMatch(new RegExp(`^terraform\\.yml +apply-${env} +environment ${env} +repo:acme[^ ]*:environment:${env} +[a-z-]+-${env}-infra${account} +yes$`, 'm'));
    expect(out).toMatch(new RegExp(`^ci\\.yml +service +- +\\(assumes no role\\) +-${account ? ' +-' : ''} +-$`, 'm'));
    expect(out).not.toMatch(/ NO$/m);
    expect(out).toContain('No findings');
  });

  it('puts each job of a repository with accounts in its environment\'s account, and says what GitHub must hold', async () => {
    // GIVEN the two-account preset: dev in 111111111111, prod in 222222222222
    const dir = preset('multi-account');
    // WHEN
    const { code, out } = await doctor([dir]);
    // THEN every role is assumed in the account of the environment the job acts on, plan jobs included
    expect(code).toBe(0);
    for (const [env, account] of [['dev', '111111111111'], ['prod', '222222222222']]) {
      expect(out).toMatch(new RegExp(`^deploy\\.yml +deploy-${env} +environment ${env} +\\S+ +ledger-${env}-deploy +${account} +yes$`, 'm'));
      expect(out).toMatch(new RegExp(`^terraform\\.yml +plan-${env} +push to main +\\S+ +ledger-plan +${account} +yes$`, 'm'));
      expect(out).toMatch(new RegExp(`^terraform\\.yml +apply-${env} +environment ${env} +\\S+ +ledger-${env}-infra +${account} +yes$`, 'm'));
    }
    expect(out).toContain("Nor that each GitHub environment's variable AWS_ACCOUNT_ID holds its account: dev=111111111111, prod=222222222222.");
  });

  it('exits 1 when a job would assume its role in another account than its environment names', async () => {
    // GIVEN the two-account preset broken four ways
    const dir = preset('multi-account');
    edit(dir, '.github/workflows/terraform.yml', (t) =>
      t
        .replace('role-to-assume: arn:aws:iam::222222222222:role/ledger-plan', 'role-to-assume: arn:aws:iam::111111111111:role/ledger-plan') // plan-prod in dev's account
        .replace(/(plan-dev:\n[^]*?role-to-assume: arn:aws:iam::)111111111111/, '$1${{ vars.AWS_ACCOUNT_ID }}'), // plan-dev reads the repository variable
    );
    edit(dir, '.github/workflows/deploy.yml', (t) => t.replace('role/ledger-prod-deploy', 'role/ledger-dev-deploy')); // prod's job, dev's role
    edit(dir, 'terraform/environments/prod/versions.tf', (t) => t.replace('allowed_account_ids = ["222222222222"]', 'allowed_account_ids = ["222222222222", "333333333333"]'));
    // WHEN
    const { code, out } = await doctor([dir]);
    // THEN each is named, with the fix
    expect(code).toBe(1);
    const findings = out.slice(out.indexOf(' findings:')).split('\n').filter((line) => line.startsWith('  '));
    expect(findings).toEqual(
      expect.arrayContaining([
        '  terraform/environments/prod/versions.tf: allows several accounts (222222222222, 333333333333): an environment lives in one account; name it alone in allowed_account_ids',
        "  .github/workflows/terraform.yml, job plan-dev: builds its role ARN from vars.AWS_ACCOUNT_ID but runs without an environment, so it reads the repository's variable, one account for all environments: write dev's account, 111111111111, in the ARN",
      ]),
    );
    expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^ {2}\.github\/workflows\/deploy\.yml, job deploy-prod: presents \S+:environment:prod \(environment prod\), which role ledger-dev-deploy does not trust/)]));
    // AND with prod's account readable again, the misplaced plan role is named
    edit(dir, 'terraform/environments/prod/versions.tf', (t) => t.replace(', "333333333333"', ''));
    const again = await doctor([dir]);
    expect(again.out).toContain(
      '  .github/workflows/terraform.yml, job plan-prod: assumes ledger-plan in account 111111111111, but prod lives in account 222222222222 (terraform/environments/prod)',
    );
    expect(again.out).toContain('  .github/workflows/deploy.yml, job deploy-prod: assumes ledger-dev-deploy in account 222222222222, but ledger-dev-deploy is created in account 111111111111 only (terraform/environments/dev/main.tf)');
  });

  it('exits 1 when one environment names its account and another does not', async () => {
    const dir = preset('multi-account');
    edit(dir, 'terraform/environments/dev/versions.tf', (t) => t.replace(/\n *allowed_account_ids = \["111111111111"\]/, ''));
    const { code, out } = await doctor([dir]);
    expect(code).toBe(1);
    expect(out).toContain('  terraform/environments/dev/versions.tf: names no account (allowed_account_ids) while other environments do: name the account dev lives in');
  });

  it('reads the current directory when no directory is given', async () => {
    const dir = preset('default');
    const { code, out } = await doctor([], dir);
    expect(code).toBe(0);
    expect(out).toContain(`doctor: ${dir}`);
  });

  it('exits 1 and names each finding on a broken repository', async () => {
    // GIVEN a generated repository broken five ways
    const dir = preset('multi-env');
    edit(dir, '.github/workflows/deploy.yml', (t) =>
      t
        .replace('      id-token: write\n', '') // staging deploy: no id-token
        .replace(/(deploy-staging:\n[^]*?)actions\/checkout@[0-9a-f]{40}/, '$1actions/checkout@v4') // unpinned
        .replace('environment: production', 'environment: prod'), // not a Terraform environment
    );
    edit(dir, '.github/workflows/terraform.yml', (t) => t.replace(/(plan-staging:\n[^]*?if: )vars\.PIPELINE_ENABLED == 'true' && /, '$1')); // unguarded
    edit(dir, 'terraform/environments/production/main.tf', (t) => t.replace(/(infra_role\s*=\s*\{[^}]*)environment:production/, '$1environment:staging')); // wrong env
    // WHEN
    const { code, out } = await doctor([dir]);
    // THEN
    expect(code).toBe(1);
    expect(out).toMatch(/^deploy\.yml +deploy-production +environment prod +\S+:environment:prod +shop-api-production-deploy +NO$/m);
    expect(out).toMatch(/^terraform\.yml +apply-production +environment production +\S+:environment:production +shop-api-production-infra +NO$/m);
    const findings = out.slice(out.indexOf(' findings:')).split('\n').filter((line) => line.startsWith('  '));
    expect(findings).toEqual([
      expect.stringMatching(/^ {2}\.github\/workflows\/deploy.yml, job deploy-staging: uses actions\/checkout@v4: pin it/),
      expect.stringMatching(/^ {2}\.github\/workflows\/deploy.yml, job deploy-staging: assumes a role but its permissions lack id-token: write/),
      expect.stringMatching(/^ {2}\.github\/workflows\/deploy.yml, job deploy-production: runs in GitHub environment "prod", which has no terraform\/environments\/prod/),
      expect.stringMatching(/^ {2}\.github\/workflows\/deploy.yml, job deploy-production: presents \S+:environment:prod \(environment prod\), which role shop-api-production-deploy does not trust/),
      expect.stringMatching(/^ {2}\.github\/workflows\/terraform.yml, job plan-staging: touches AWS without the switch/),
      expect.stringMatching(/^ {2}\.github\/workflows\/terraform.yml, job apply-production: presents \S+:environment:production \(environment production\), which role shop-api-production-infra does not trust/),
    ]);
    expect(out).toContain('6 findings:');
  });

  it('exits 1 with "cannot read trust" when a role\'s subjects are not literal', async () => {
    const dir = preset('default');
    edit(dir, 'terraform/environments/production/main.tf', (t) => t.replace(/(deploy_role\s*=\s*\{[^}]*subjects\s*=\s*)\[[^\]]*\]/, '$1var.deploy_subjects'));
    const { code, out } = await doctor([dir]);
    expect(code).toBe(1);
    expect(out).toMatch(/cannot read trust for role demo-production-deploy/);
    expect(out).toMatch(/^deploy\.yml +deploy-production +environment production +\S+ +demo-production-deploy +\?$/m);
  });

  it('exits 2 with one line when the directory does not exist', async () => {
    const missing = join(tempDir(), 'nope');
    const { code, out, err } = await doctor([missing]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toEqual([`create-ec2-oidc-pipeline doctor: ${missing} does not exist; pass the generated repository's directory`]);
  });

  it('exits 2 with one line on a directory that is not a generated repository', async () => {
    // GIVEN a repository with workflows but no Terraform, and a plain file
    const dir = tempDir();
    created.push(dir);
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, '.github', 'workflows', 'ci.yml'), 'on: push\njobs: {}\n');
    writeFileSync(join(dir, 'file.txt'), 'x');
    // WHEN / THEN
    const notGenerated = await doctor([dir]);
    expect(notGenerated.code).toBe(2);
    expect(notGenerated.err).toEqual([expect.stringMatching(/is not a repository generated by create-ec2-oidc-pipeline \(needs \.github\/workflows\/\*\.yml and terraform\/\)$/)]);
    const file = await doctor([join(dir, 'file.txt')]);
    expect(file.code).toBe(2);
    expect(file.err).toEqual([expect.stringMatching(/is not a directory/)]);
  });
});

describe('doctor through the real bin', () => {
  it('exits 0 on a generated repository, 1 on a broken one, 2 on a missing directory', async () => {
    // GIVEN a generated repository
    const dir = preset('default');
    // WHEN / THEN: clean
    const clean = await runCli(['doctor', dir]);
    expect(clean.stderr).toBe('');
    expect(clean.exitCode).toBe(0);
    expect(String(clean.stdout)).toMatch(/^deploy\.yml +deploy-production +environment production +repo:acme\/demo:environment:production +demo-production-deploy +yes$/m);
    // broken: the deploy job loses its environment, so it presents the main branch's subject
    edit(dir, '.github/workflows/deploy.yml', (t) => t.replace('    environment: production\n', ''));
    const broken = await runCli(['doctor', dir]);
    expect(broken.exitCode).toBe(1);
    expect(String(broken.stdout)).toMatch(/^deploy\.yml +deploy-production +push, if: github\.ref +repo:acme\/demo:ref:refs\/heads\/main +demo-production-deploy +NO$/m);
    // missing
    const missing = await runCli(['doctor', join(dir, 'missing')]);
    expect(missing.exitCode).toBe(2);
    expect(String(missing.stderr).trim().split('\n')).toHaveLength(1);
    expect(missing.stdout).toBe('');
  });
});
