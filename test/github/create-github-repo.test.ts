import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { requiredChecks } from '../../src/github/required-checks.js';
import { resolveOptions } from '../../src/options/index.js';
import { renderRepository } from '../../src/render/render-repository.js';
import { tempDir } from '../support/render-preset.js';
import { FakeGithub, type FakeGithubOptions } from './support/fake-github.js';
import { runCliInProcess, type CliRun } from './support/run-cli.js';

// A fake token, assembled at run time so secret scanners do not flag this file.
const token = ['ghp', 'TESTtoken0123456789abcdefSECRETvalue'].join('_');
const base = ['demo', '--yes', '--skip-install', '--create-github-repo'];

const fakes: FakeGithub[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

/** A GitHub where the token's user is octo (id 4242), alice is another user, nimbus an organization with a team. */
async function github(options: Partial<FakeGithubOptions> = {}): Promise<FakeGithub> {
  const fake = await new FakeGithub({
    token,
    user: { login: 'octo', id: 4242 },
    otherUsers: [{ login: 'alice', id: 7 }],
    organizations: [{ login: 'nimbus', id: 9000, teams: [{ slug: 'platform', id: 31 }] }],
    scopes: 'repo, workflow',
    immutableSubjects: true,
    privateRepositories: { reviewers: true, branchProtection: true },
    ...options,
  }).start();
  fakes.push(fake);
  return fake;
}

const headOf = async (root: string) => (await execa('git', ['rev-parse', 'HEAD'], { cwd: root })).stdout.trim();

/** Successful writes that repeat an earlier one exactly: a resumed run must make none. */
function duplicateWrites(fake: FakeGithub): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const write of fake.writes.filter((w) => w.status < 300)) {
    const key = `${write.method} ${write.path} ${JSON.stringify(write.body)}`;
    if (seen.has(key)) duplicates.push(key);
    seen.add(key);
  }
  return duplicates;
}

/** Every file under root, .git included, as text: the token must be in none of them. */
function allText(root: string): string {
  if (!existsSync(root)) return '';
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

/** The finished state: remote main is local HEAD, environments, variables, protection and origin are set. */
async function expectConfigured(fake: FakeGithub, fullName: string, root: string, expected: { region?: string; accountId?: string; environments?: string[] } = {}) {
  const repo = fake.repository(fullName)!;
  expect(repo.refs.get('heads/main')).toBe(await headOf(root));
  expect([...repo.refs.keys()]).toEqual(['heads/main']);
  expect(repo.default_branch).toBe('main');
  for (const environment of expected.environments ?? ['production']) {
    const env = repo.environments.get(environment);
    expect(env?.deployment_branch_policy, environment).toEqual({ protected_branches: false, custom_branch_policies: true });
    expect(env?.policies.map((p) => `${p.type}:${p.name}`), environment).toEqual(['branch:main']);
  }
  expect(repo.variables.get('AWS_REGION')).toBe(expected.region ?? 'us-east-1');
  expect(repo.variables.get('PIPELINE_ENABLED')).toBe('false');
  expect(repo.variables.get('AWS_ACCOUNT_ID')).toBe(expected.accountId);
  expect(repo.protection).toBeDefined();
  expect((await execa('git', ['remote', 'get-url', 'origin'], { cwd: root })).stdout).toBe(`https://github.example/${fullName}.git`);
  expect((await execa('git', ['status', '--short', '--branch'], { cwd: root })).stdout).toBe('## main...origin/main');
}

const oneLine = (run: CliRun) => {
  expect(run.stderr.split('\n')).toHaveLength(1);
  return run.stderr;
};

describe('--create-github-repo against a stateful fake GitHub', () => {
  it('creates the repository, pushes the scaffold as the same commit as local HEAD, and configures it', async () => {
    // GIVEN a GitHub with nothing for octo/demo, and an empty working directory
    const fake = await github();
    const cwd = tempDir();
    // WHEN the scaffold is created with the repository
    const run = await runCliInProcess(fake, [...base, '--region', 'eu-west-1', '--environments', 'staging,production', '--aws-account-id', '123456789012'], cwd);
    // THEN it succeeds, the remote main is the local commit, and the repository is configured
    expect(run.exitCode, run.stderr).toBe(0);
    const root = join(cwd, 'demo');
    await expectConfigured(fake, 'octo/demo', root, { region: 'eu-west-1', accountId: '123456789012', environments: ['staging', 'production'] });
    const repo = fake.repository('octo/demo')!;
    expect(repo.private).toBe(true);
    // the pushed tree is exactly the files git committed
    const committed = (await execa('git', ['ls-files'], { cwd: root })).stdout.split('\n').sort();
    expect([...fake.files('octo/demo').keys()].sort()).toEqual(committed);
    // branch protection requires what ci.yml actually reports, and a pull request
    const files = renderRepository(resolveOptions({ name: 'demo', githubOwner: 'octo', githubRepo: 'demo', githubOwnerId: '4242', githubRepoId: String(repo.id), region: 'eu-west-1', environments: ['staging', 'production'] }));
    expect(requiredChecks(files).length).toBeGreaterThan(0);
    expect((repo.protection!.required_status_checks as { contexts: string[] }).contexts).toEqual(requiredChecks(files));
    expect(repo.protection!.required_pull_request_reviews).toMatchObject({ required_approving_review_count: 0 });
    // the order: repository and subject format first, environments before any variable, protection last
    const order = fake.requests.map((r) => `${r.method} ${r.path}`);
    const index = (pattern: RegExp) => order.findIndex((line) => pattern.test(line));
    expect(index(/^POST \/user\/repos$/)).toBeLessThan(index(/oidc\/customization\/sub$/));
    expect(index(/oidc\/customization\/sub$/)).toBeLessThan(index(/^POST .*\/git\/blobs$/));
    expect(index(/^PATCH .*\/git\/refs\/heads\/main$/)).toBeLessThan(index(/^PUT .*\/environments\/staging$/));
    expect(index(/^POST .*\/actions\/variables$/)).toBeLessThan(index(/^PUT .*\/branches\/main\/protection$/));
    // and the token is nowhere: not in output, not in any file, not in .git/config
    expect(run.stdout + run.stderr + allText(root)).not.toContain(token);
    expect(readFileSync(join(root, '.git', 'config'), 'utf8')).toContain('url = https://github.example/octo/demo.git');
  });

  it('renders trust policies with the immutable subjects the repository presents', async () => {
    // GIVEN a GitHub whose new repositories present repo:OWNER@ID/REPO@ID subjects
    const fake = await github({ immutableSubjects: true });
    const cwd = tempDir();
    // WHEN created in the organization, spelled in another case than GitHub's
    const run = await runCliInProcess(fake, [...base, '--github-org', 'NIMBUS'], cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    // THEN every trust subject pushed to GitHub carries GitHub's spelling and both ids, and none uses names only
    const repo = fake.repository('nimbus/demo')!;
    const prefix = `repo:nimbus@9000/demo@${repo.id}`;
    expect(repo.oidc.sub_claim_prefix).toBe(prefix);
    const pushed = fake.files('nimbus/demo');
    expect(pushed.get('terraform/environments/production/main.tf')).toContain(`subjects = ["${prefix}:environment:production"]`);
    expect(pushed.get('terraform/bootstrap/main.tf')).toContain(`"${prefix}:pull_request"`);
    expect(pushed.get('terraform/bootstrap/main.tf')).toContain(`"${prefix}:ref:refs/heads/main"`);
    for (const [path, content] of pushed) expect(content, path).not.toMatch(/repo:nimbus\/demo:|repo:NIMBUS/);
    // and .projenrc.ts pins the ids, so `npx projen` renders the same subjects
    expect(pushed.get('.projenrc.ts')).toContain(`"githubRepoId": "${repo.id}"`);
  });

  it('renders name subjects for a repository whose tokens name it', async () => {
    const fake = await github({ immutableSubjects: false });
    const cwd = tempDir();
    const run = await runCliInProcess(fake, base, cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    const pushed = fake.files('octo/demo');
    expect(pushed.get('terraform/environments/production/main.tf')).toContain('subjects = ["repo:octo/demo:environment:production"]');
    expect(pushed.get('.projenrc.ts')).not.toContain('githubRepoId');
  });

  it('with --accounts, sets AWS_ACCOUNT_ID on each environment (not on the repository), reading before writing', async () => {
    // GIVEN a GitHub with nothing for octo/demo
    const fake = await github();
    const cwd = tempDir();
    const args = [...base, '--environments', 'dev,prod', '--accounts', 'dev=111111111111,prod=222222222222'];
    // WHEN the scaffold is created with environments in two accounts
    const run = await runCliInProcess(fake, args, cwd);
    // THEN each GitHub environment holds its own account, and the repository none (so no job falls back to it)
    expect(run.exitCode, run.stderr).toBe(0);
    await expectConfigured(fake, 'octo/demo', join(cwd, 'demo'), { environments: ['dev', 'prod'] });
    const repo = fake.repository('octo/demo')!;
    expect(Object.fromEntries([...repo.environments].map(([name, env]) => [name, Object.fromEntries(env.variables)]))).toEqual({
      dev: { AWS_ACCOUNT_ID: '111111111111' },
      prod: { AWS_ACCOUNT_ID: '222222222222' },
    });
    expect(run.stdout).toContain('GitHub: environment variables dev: AWS_ACCOUNT_ID=111111111111, prod: AWS_ACCOUNT_ID=222222222222');
    expect(run.stdout).not.toContain('gh variable set AWS_ACCOUNT_ID');
    // AND an environment's variable is written after the environment exists
    const order = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(order.indexOf('PUT /repos/octo/demo/environments/prod')).toBeLessThan(order.indexOf('POST /repos/octo/demo/environments/prod/variables'));
    // AND the pushed scaffold is the two-account one
    expect(fake.files('octo/demo').get('.projenrc.ts')).toContain('"prod": "222222222222"');
    expect(fake.files('octo/demo').get('terraform/environments/prod/versions.tf')).toContain('allowed_account_ids = ["222222222222"]');

    // WHEN someone points prod at another account, and the same command runs again
    repo.environments.get('prod')!.variables.set('AWS_ACCOUNT_ID', '999999999999');
    const writes = fake.writes.length;
    const again = await runCliInProcess(fake, args, cwd);
    // THEN it read every variable and rewrote only prod's
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.writes.slice(writes).map((w) => `${w.method} ${w.path} ${JSON.stringify(w.body)}`)).toEqual([
      'PATCH /repos/octo/demo/environments/prod/variables/AWS_ACCOUNT_ID {"value":"222222222222"}',
    ]);
    expect(repo.environments.get('prod')!.variables.get('AWS_ACCOUNT_ID')).toBe('222222222222');
  });

  it('with --accounts, resumes after an environment variable was set but its answer lost, with no duplicate writes', async () => {
    const fake = await github();
    fake.failNext('POST', /\/environments\/prod\/variables$/, 502, { afterApply: true });
    const cwd = tempDir();
    const args = [...base, '--environments', 'dev,prod', '--accounts', 'dev=111111111111,prod=222222222222'];
    expect((await runCliInProcess(fake, args, cwd)).exitCode).toBe(1);
    const second = await runCliInProcess(fake, args, cwd);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(fake.repository('octo/demo')!.environments.get('prod')!.variables.get('AWS_ACCOUNT_ID')).toBe('222222222222');
    expect(duplicateWrites(fake)).toEqual([]);
  });

  // Each GitHub step failing once, some after GitHub applied the call (the answer was lost), then the same command.
  const failures: [string, string, RegExp, number, boolean][] = [
    ['creating the repository', 'POST', /^\/user\/repos$/, 502, false],
    ['creating the repository (applied, answer lost)', 'POST', /^\/user\/repos$/, 502, true],
    ['reading the OIDC subject format', 'GET', /oidc\/customization\/sub$/, 500, false],
    ['uploading a blob', 'POST', /\/git\/blobs$/, 502, false],
    ['creating a tree (applied)', 'POST', /\/git\/trees$/, 502, true],
    ['creating the commit', 'POST', /\/git\/commits$/, 500, false],
    ['creating the commit (applied)', 'POST', /\/git\/commits$/, 500, true],
    ['moving main (applied)', 'PATCH', /\/git\/refs\/heads\/main$/, 502, true],
    ['creating an environment', 'PUT', /\/environments\/production$/, 500, false],
    ['allowing main to deploy', 'POST', /deployment-branch-policies$/, 502, false],
    ['setting a variable (applied)', 'POST', /\/actions\/variables$/, 500, true],
    ['protecting main', 'PUT', /\/branches\/main\/protection$/, 502, false],
  ];

  it.each(failures)('resumes after a failure while %s, with no duplicate writes', async (_step, method, path, status, afterApply) => {
    // GIVEN a GitHub that fails this call once
    const fake = await github();
    fake.failNext(method, path, status, { afterApply });
    const cwd = tempDir();
    // WHEN the command runs THEN it fails in one line that says what happened and what is kept
    const first = await runCliInProcess(fake, [...base, '--aws-account-id', '123456789012'], cwd);
    expect(first.exitCode).toBe(1);
    expect(oneLine(first)).toMatch(new RegExp(`^create-ec2-oidc-pipeline: GitHub: GitHub answered ${status} .*; (nothing was written locally; run the same command again|the scaffold in demo is kept; run the same command again to finish)$`));
    // WHEN the same command runs again THEN it finishes the job without repeating any write
    const second = await runCliInProcess(fake, [...base, '--aws-account-id', '123456789012'], cwd);
    expect(second.exitCode, second.stderr).toBe(0);
    await expectConfigured(fake, 'octo/demo', join(cwd, 'demo'), { accountId: '123456789012' });
    expect(duplicateWrites(fake)).toEqual([]);
    expect(first.stdout + first.stderr + second.stdout + second.stderr + allText(join(cwd, 'demo'))).not.toContain(token);
  });

  it('is idempotent: a third run writes nothing', async () => {
    const fake = await github();
    const cwd = tempDir();
    expect((await runCliInProcess(fake, base, cwd)).exitCode).toBe(0);
    const writes = fake.writes.length;
    const again = await runCliInProcess(fake, base, cwd);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(fake.writes.slice(writes)).toEqual([]);
    expect(again.stdout).toContain('already is the scaffold');
  });

  it('on a re-run, keeps what belongs to the operator and restores what the flags say', async () => {
    // GIVEN a finished run with a reviewer, after which the operator enabled the pipeline and someone changed the region
    const fake = await github();
    const cwd = tempDir();
    expect((await runCliInProcess(fake, [...base, '--public', '--reviewers', 'alice'], cwd)).exitCode).toBe(0);
    const repo = fake.repository('octo/demo')!;
    repo.variables.set('PIPELINE_ENABLED', 'true');
    repo.variables.set('AWS_REGION', 'us-west-2');
    // WHEN the command runs again, without --reviewers
    const again = await runCliInProcess(fake, [...base, '--public'], cwd);
    // THEN the pipeline stays enabled, the region is the flags' again, and the reviewer is not removed
    expect(again.exitCode, again.stderr).toBe(0);
    expect(repo.variables.get('PIPELINE_ENABLED')).toBe('true');
    expect(repo.variables.get('AWS_REGION')).toBe('us-east-1');
    expect(again.stdout).toContain('PIPELINE_ENABLED=true (left as it was)');
    expect(repo.environments.get('production')!.reviewers).toEqual([{ type: 'User', id: 7 }]);
    expect(fake.writes.filter((w) => w.method === 'PUT' && w.path.endsWith('/environments/production'))).toHaveLength(1);
  });

  it('refuses a repository that already has content, and overwrites nothing', async () => {
    // GIVEN octo/demo exists with someone's commit
    const fake = await github();
    const repo = fake.seedRepository({ login: 'octo', id: 4242 }, 'demo', { files: { 'app.py': 'print("mine")\n' } });
    const before = repo.refs.get('heads/main');
    const cwd = tempDir();
    // WHEN the command targets it
    const run = await runCliInProcess(fake, base, cwd);
    // THEN it refuses in one line, writes nothing remote or local
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/^create-ec2-oidc-pipeline: GitHub: octo\/demo already exists with content this command did not create \(branch main is at [0-9a-f]{7}\); it is never overwritten.*; nothing was written locally$/);
    expect(repo.refs.get('heads/main')).toBe(before);
    expect(fake.writes).toEqual([]);
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
  });

  it('uses an existing empty repository (no commit yet: the Git Data API answers 409 until it has one)', async () => {
    const fake = await github();
    fake.seedRepository({ login: 'octo', id: 4242 }, 'demo');
    const cwd = tempDir();
    const run = await runCliInProcess(fake, base, cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    await expectConfigured(fake, 'octo/demo', join(cwd, 'demo'));
  });

  it('makes main the default branch when the account creates repositories with another one', async () => {
    const fake = await github({ defaultBranch: 'trunk' });
    const cwd = tempDir();
    const run = await runCliInProcess(fake, base, cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    await expectConfigured(fake, 'octo/demo', join(cwd, 'demo'));
  });

  it('reports an organization that does not exist in one line (404)', async () => {
    const fake = await github();
    const run = await runCliInProcess(fake, [...base, '--github-org', 'nope'], tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/^create-ec2-oidc-pipeline: GitHub: organization "nope" does not exist, or the token may not create repositories in it; check --github-org \(404: Not Found\); nothing was written locally$/);
  });

  it('names the missing scopes of a classic token before creating anything', async () => {
    const fake = await github({ scopes: 'public_repo, read:org' });
    const run = await runCliInProcess(fake, base, tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/lacks the scopes repo, workflow \(it has public_repo, read:org\); --create-github-repo needs a classic token with the scopes repo and workflow/);
    expect(fake.writes).toEqual([]);
  });

  it('names the permissions when GitHub answers 403 to a fine-grained token', async () => {
    const fake = await github({ scopes: undefined });
    fake.failNext('POST', /^\/user\/repos$/, 403, { message: 'Resource not accessible by personal access token' });
    const run = await runCliInProcess(fake, base, tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/cannot create the repository octo\/demo: not allowed \(403: Resource not accessible by personal access token\); the token from GH_TOKEN needs .*fine-grained token with repository permissions Administration, Contents, Workflows and Variables/);
  });

  it('reports a rejected token (401) without showing it', async () => {
    const fake = await github();
    const run = await runCliInProcess(fake, base, tempDir(), { GH_TOKEN: 'ghp_wrong_token_value' });
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/GitHub rejected the token from GH_TOKEN \(401: Bad credentials\)/);
    expect(run.stderr).not.toContain('ghp_wrong_token_value');
  });

  it('reports a taken name (422) in one line', async () => {
    const fake = await github();
    fake.failNext('POST', /^\/user\/repos$/, 422, { message: 'Repository creation failed.' });
    const run = await runCliInProcess(fake, base, tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/cannot create octo\/demo: the name is taken .*choose another --github-repo \(422: Repository creation failed\.\)/);
  });

  it('waits out a rate limit and carries on, saying so', async () => {
    // GIVEN a secondary limit on the first blob and an exhausted primary limit on a read, both short
    const fake = await github();
    fake.failNext('POST', /\/git\/blobs$/, 403, { headers: { 'retry-after': '1' }, message: 'You have exceeded a secondary rate limit.' });
    fake.failNext('GET', /\/environments\/production$/, 429, { headers: { 'retry-after': '0' } });
    const cwd = tempDir();
    const run = await runCliInProcess(fake, base, cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/rate limit reached on POST \/repos\/\{owner\}\/\{repo\}\/git\/blobs; waiting 1 s before retrying/);
    await expectConfigured(fake, 'octo/demo', join(cwd, 'demo'));
    expect(duplicateWrites(fake)).toEqual([]);
  });

  it('stops with one line when the rate limit resets later than it waits', async () => {
    const fake = await github();
    const reset = String(Math.ceil(Date.now() / 1000) + 3600);
    fake.failNext('POST', /^\/user\/repos$/, 403, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, message: 'API rate limit exceeded' });
    const run = await runCliInProcess(fake, base, tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/GitHub's rate limit stops POST \/user\/repos until about .*waiting longer than 3 s is not done here.*; nothing was written locally; run the same command again$/);
  });

  it('reports an unreachable API in one line', async () => {
    const fake = await github();
    const run = await runCliInProcess(fake, base, tempDir(), { GITHUB_API_URL: 'http://127.0.0.1:9' });
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/^create-ec2-oidc-pipeline: GitHub: cannot reach http:\/\/127\.0\.0\.1:9 to read the token's user \(.*\); check the network, a proxy, or GITHUB_API_URL; nothing was written locally; run the same command again$/);
  });

  it('says plainly what a private repository on GitHub Free cannot enforce, and leaves the pipeline disabled', async () => {
    // GIVEN a plan without required reviewers or protected branches on private repositories
    const fake = await github({ privateRepositories: { reviewers: false, branchProtection: false } });
    const cwd = tempDir();
    // WHEN created private with reviewers
    const run = await runCliInProcess(fake, [...base, '--reviewers', 'alice'], cwd);
    // THEN it finishes, says what is NOT enforced, and PIPELINE_ENABLED stays false
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/NOT enforced: environment production: required reviewers \(alice\) are NOT enforced: GitHub said "Failed to create the environment protection rule/);
    expect(run.stderr).toMatch(/NOT enforced: main is NOT protected: GitHub said "Upgrade to GitHub Pro/);
    expect(run.stderr).toMatch(/the pipeline stays disabled \(PIPELINE_ENABLED=false\)/);
    const repo = fake.repository('octo/demo')!;
    expect(repo.environments.get('production')).toMatchObject({ deployment_branch_policy: { custom_branch_policies: true }, reviewers: [] });
    expect(repo.variables.get('PIPELINE_ENABLED')).toBe('false');
    // and a second run repeats no successful write
    expect((await runCliInProcess(fake, [...base, '--reviewers', 'alice'], cwd)).exitCode).toBe(0);
    expect(duplicateWrites(fake)).toEqual([]);
  });

  it('requires user and team reviewers and one approval on a public organization repository', async () => {
    // GIVEN a classic token that may read the organization's teams
    const fake = await github({ scopes: 'repo, workflow, read:org' });
    const cwd = tempDir();
    const run = await runCliInProcess(fake, [...base, '--public', '--github-org', 'nimbus', '--reviewers', 'alice,nimbus/platform'], cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    const repo = fake.repository('nimbus/demo')!;
    expect(repo.private).toBe(false);
    expect(repo.environments.get('production')!.reviewers).toEqual([{ type: 'User', id: 7 }, { type: 'Team', id: 31 }]);
    expect(repo.protection!.required_pull_request_reviews).toMatchObject({ required_approving_review_count: 1 });
    expect(run.stdout).toContain('required reviewers: alice, nimbus/platform');
  });

  it('asks for read:org before creating anything when a classic token names team reviewers', async () => {
    const fake = await github({ scopes: 'repo, workflow' });
    const run = await runCliInProcess(fake, [...base, '--github-org', 'nimbus', '--reviewers', 'nimbus/platform'], tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/lacks the scope read:org \(it has repo, workflow\)/);
    expect(fake.writes).toEqual([]);
  });

  it('refuses an unknown reviewer before creating anything', async () => {
    const fake = await github();
    const run = await runCliInProcess(fake, [...base, '--reviewers', 'nobody-here'], tempDir());
    expect(run.exitCode).toBe(1);
    expect(oneLine(run)).toMatch(/--reviewers: "nobody-here" is not a GitHub user; nothing was written locally$/);
    expect(fake.writes).toEqual([]);
  });

  it('tells how to set AWS_ACCOUNT_ID when --aws-account-id is not given', async () => {
    const fake = await github();
    const cwd = tempDir();
    const run = await runCliInProcess(fake, base, cwd);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(fake.repository('octo/demo')!.variables.has('AWS_ACCOUNT_ID')).toBe(false);
    // a line to paste as it is: the account id read from the credentials of the bootstrap, no placeholder
    expect(run.stdout).toMatch(/^ {7}gh variable set AWS_ACCOUNT_ID --body "\$\(aws sts get-caller-identity --query Account --output text\)" --repo 127\.0\.0\.1:\d+\/octo\/demo$/m);
  });

  it('refuses to resume with flags that render a different scaffold', async () => {
    const fake = await github();
    fake.failNext('POST', /\/git\/blobs$/, 502);
    const cwd = tempDir();
    expect((await runCliInProcess(fake, [...base, '--region', 'eu-west-1'], cwd)).exitCode).toBe(1);
    const run = await runCliInProcess(fake, [...base, '--region', 'us-east-2'], cwd);
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(/demo holds the scaffold of an earlier run, but its .* differs from what these flags render/);
  });

  it('--dry-run prints the planned writes, makes only reads, and writes nothing; the plan is what a real run writes', async () => {
    // GIVEN a fresh GitHub
    const fake = await github();
    const cwd = tempDir();
    // WHEN dry-run
    const dry = await runCliInProcess(fake, [...base, '--dry-run', '--environments', 'dev,prod', '--accounts', 'dev=111111111111,prod=222222222222'], cwd);
    // THEN the plan is printed, GitHub saw no write and nothing exists locally
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(fake.writes).toEqual([]);
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
    const planned = dry.stdout
      .split('\n')
      .map((line) => /^ {2}(POST|PUT|PATCH) +(\S+)(?: ×(\d+))?/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .flatMap((m) => Array<string>(Number(m[3] ?? 1)).fill(`${m[1]} ${m[2]}`));
    expect(planned).toContain('POST /user/repos');
    expect(dry.stdout).toContain('POST  /repos/octo/demo/environments/prod/variables {"name":"AWS_ACCOUNT_ID","value":"222222222222"}');
    // WHEN the real run follows THEN its writes are exactly the plan
    const real = await runCliInProcess(fake, [...base, '--environments', 'dev,prod', '--accounts', 'dev=111111111111,prod=222222222222'], cwd);
    expect(real.exitCode, real.stderr).toBe(0);
    expect(fake.writes.map((w) => `${w.method} ${w.path}`).sort()).toEqual(planned.sort());
  });
});

describe('--create-github-repo flags: one line, exit 2, nothing written, GitHub not called', () => {
  const bad: [string, string[], RegExp][] = [
    ['--reviewers without --create-github-repo', ['demo', '--yes', '--reviewers', 'alice'], /--reviewers only applies with --create-github-repo/],
    ['an AWS account id that is not 12 digits', [...base, '--aws-account-id', '1234'], /--aws-account-id: "1234" is not an AWS account id; use the 12 digits/],
    ['--private with --public', [...base, '--private', '--public'], /--private and --public exclude each other/],
    ['an invalid organization', [...base, '--github-org=-acme'], /--github-org: "-acme" is not a GitHub user or organization name/],
    ['a malformed reviewer', [...base, '--reviewers', 'a/b/c'], /--reviewers: "a\/b\/c" is neither a user nor org\/team/],
    ['seven reviewers', [...base, '--reviewers', 'a,b,c,d,e,f,g'], /--reviewers: lists 7 reviewers; GitHub accepts at most 6/],
    ['--skip-git', [...base, '--skip-git'], /--skip-git: --create-github-repo pushes the scaffold/],
    ['immutable ids given by hand', [...base, '--github-owner-id', '1', '--github-repo-id', '2'], /--github-owner-id: with --create-github-repo the ids are read from GitHub/],
    ['an owner that is not the organization', [...base, '--github-owner', 'other', '--github-org', 'nimbus'], /--github-owner other and --github-org nimbus disagree/],
    ['an invalid region', [...base, '--region', 'mars-1'], /--region: "mars-1" is not an AWS region id/],
    [
      '--aws-account-id with --accounts',
      [...base, '--environments', 'dev,prod', '--accounts', 'dev=111111111111,prod=222222222222', '--aws-account-id', '123456789012'],
      /^create-ec2-oidc-pipeline: --aws-account-id: with --accounts, each environment's AWS_ACCOUNT_ID comes from --accounts \(as an environment variable\); drop --aws-account-id$/,
    ],
    ['an environment without its account', [...base, '--environments', 'dev,prod', '--accounts', 'dev=111111111111'], /--accounts: names no account for prod; give every environment its account/],
  ];

  it.each(bad)('rejects %s', async (_case, args, message) => {
    const fake = await github();
    const cwd = tempDir();
    const run = await runCliInProcess(fake, args, cwd);
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(message);
    expect(readdirSync(cwd)).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it('asks for a token when none is found, naming where it looks', async () => {
    const fake = await github();
    const cwd = tempDir();
    const run = await runCliInProcess(fake, base, cwd, { GH_TOKEN: undefined, GITHUB_TOKEN: undefined, PATH: tempDir('no-gh-') });
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(/--create-github-repo needs a GitHub token: set GH_TOKEN or GITHUB_TOKEN, or sign in with `gh auth login`/);
    expect(fake.requests).toEqual([]);
  });

  it('refuses a non-empty directory that is not an earlier scaffold', async () => {
    const fake = await github();
    const cwd = tempDir();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(cwd, 'demo'));
    writeFileSync(join(cwd, 'demo', 'notes.txt'), 'mine');
    const run = await runCliInProcess(fake, base, cwd);
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(/demo is not empty \(notes\.txt\); --create-github-repo needs an empty directory/);
    expect(fake.requests).toEqual([]);
  });

  it('checks a --github-owner without --github-org against the token user', async () => {
    const fake = await github();
    const run = await runCliInProcess(fake, [...base, '--github-owner', 'nimbus'], tempDir());
    expect(run.exitCode).toBe(2);
    expect(oneLine(run)).toMatch(/--github-owner nimbus is not the token's user octo; for an organization pass --github-org nimbus/);
    expect(fake.writes).toEqual([]);
  });
});
