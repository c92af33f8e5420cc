import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { doctorCommand } from '../../src/doctor/doctor-command.js';
import { runCli } from '../support/cli.js';
import { presetNames } from '../support/presets.js';
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
    // GIVEN a freshly generated repository
    const dir = preset(name);
    // WHEN
    const { code, out, err } = await doctor([dir]);
    // THEN
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out).toMatch(/^WORKFLOW +JOB +WHEN +SUBJECT +ROLE +TRUSTED$/m);
    expect(out).toMatch(/^deploy\.yml +deploy-production +environment production +repo:acme[^ ]*:environment:production +[a-z-]+-production-deploy +yes$/m);
    expect(out).toMatch(/^terraform\.yml +plan-production +pull_request +repo:acme[^ ]*:pull_request +[a-z-]+-plan +yes$/m);
    expect(out).toMatch(/^terraform\.yml +apply-production +environment production +repo:acme[^ ]*:environment:production +[a-z-]+-production-infra +yes$/m);
    expect(out).toMatch(/^ci\.yml +service +- +\(assumes no role\) +- +-$/m);
    expect(out).not.toMatch(/ NO$/m);
    expect(out).toContain('No findings');
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
