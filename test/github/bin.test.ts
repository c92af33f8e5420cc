import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimitWaitVariable } from '../../src/github/github-client.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/render-preset.js';
import { requireTool } from '../support/tools.js';
import { FakeGithub } from './support/fake-github.js';

// A fake token, assembled at run time so secret scanners do not flag this file.
const token = ['ghp', 'BINtoken0123456789abcdefSECRETvalue'].join('_');

/**
 * A PATH whose `git` and `gh` record their argv before running: the token must never be an argument of any process
 * the CLI spawns. `gh auth token` prints the token, as the real gh does.
 */
function recordingPath(): { path: string; log: string } {
  requireTool('git', 'apt-get install -y git');
  const dir = tempDir('argv-');
  const log = join(dir, 'argv.log');
  const realGit = execaSyncWhich('git');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "git $*" >> '${log}'\nexec '${realGit}' "$@"\n`);
  writeFileSync(join(dir, 'gh'), `#!/bin/sh\nprintf '%s\\n' "gh $*" >> '${log}'\nif [ "$1 $2" = "auth token" ]; then echo '${token}'; exit 0; fi\nexit 1\n`);
  chmodSync(join(dir, 'git'), 0o755);
  chmodSync(join(dir, 'gh'), 0o755);
  writeFileSync(log, '');
  return { path: `${dir}:${process.env.PATH}`, log };
}

function execaSyncWhich(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(`${command} is not on PATH`);
}

function allText(root: string): string {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

let fake: FakeGithub;
beforeAll(async () => {
  fake = await new FakeGithub({ token, user: { login: 'octo', id: 4242 }, scopes: 'repo, workflow', immutableSubjects: true, privateRepositories: { reviewers: true, branchProtection: true } }).start();
});
afterAll(() => fake.stop());

describe('create-ec2-oidc-pipeline --create-github-repo (the real bin)', () => {
  it('creates and configures the repository with GH_TOKEN and GITHUB_API_URL, and the token appears nowhere', async () => {
    // GIVEN the token in GH_TOKEN, a PATH that records every git and gh argv, and a committer east of UTC
    const cwd = tempDir();
    const { path, log } = recordingPath();
    // WHEN the real bin runs
    const result = await runCli(['svc', '--yes', '--skip-install', '--create-github-repo', '--aws-account-id', '123456789012'], {
      cwd,
      env: { PATH: path, GH_TOKEN: token, GITHUB_TOKEN: '', GITHUB_API_URL: fake.url, [rateLimitWaitVariable]: '2', TZ: 'Asia/Kolkata' },
    });
    // THEN it succeeds and GitHub's main is the local HEAD, dated with its +0530 offset
    expect(result.exitCode, result.stderr).toBe(0);
    const root = join(cwd, 'svc');
    expect((await execa('git', ['log', '-1', '--format=%ai'], { cwd: root })).stdout).toMatch(/\+0530$/);
    const head = (await execa('git', ['rev-parse', 'HEAD'], { cwd: root })).stdout.trim();
    expect(fake.repository('octo/svc')!.refs.get('heads/main')).toBe(head);
    expect(result.stdout).toContain(`pushed the scaffold to main as ${head.slice(0, 7)}, the same commit as local HEAD`);
    // and the token is in no output, no file (.git/config included), no argv of a spawned process
    const argv = readFileSync(log, 'utf8');
    expect(argv).toContain('git commit');
    expect(argv).not.toContain('gh auth token');
    for (const [where, text] of [['stdout', result.stdout], ['stderr', result.stderr], ['files', allText(root)], ['argv', argv]] as const) {
      expect(text, where).not.toContain(token);
    }
    expect(readFileSync(join(root, '.git', 'config'), 'utf8')).toMatch(/url = https:\/\/github\.example\/octo\/svc\.git\n/);
    // every API call carried the token in its Authorization header only
    expect(fake.requests.filter((r) => r.path.includes('svc') || r.path === '/user').every((r) => r.authorization === `token ${token}`)).toBe(true);
  });

  it('takes the token from `gh auth token` when no variable holds one', async () => {
    // GIVEN no GH_TOKEN or GITHUB_TOKEN, and a gh that is signed in
    const cwd = tempDir();
    const { path, log } = recordingPath();
    // WHEN the real bin runs
    const result = await runCli(['from-gh', '--yes', '--skip-install', '--create-github-repo'], {
      cwd,
      env: { PATH: path, GH_TOKEN: '', GITHUB_TOKEN: '', GITHUB_API_URL: fake.url },
    });
    // THEN gh was asked on stdout only, and the repository is configured
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('token from gh auth token');
    const argv = readFileSync(log, 'utf8');
    expect(argv).toMatch(/^gh auth token --hostname 127\.0\.0\.1:\d+$/m);
    expect(argv + result.stdout + result.stderr + allText(join(cwd, 'from-gh'))).not.toContain(token);
    expect(fake.repository('octo/from-gh')!.variables.get('PIPELINE_ENABLED')).toBe('false');
  });

  it('without --create-github-repo, talks to no GitHub at all', async () => {
    const before = fake.requests.length;
    const cwd = tempDir();
    const result = await runCli(['plain', '--yes', '--skip-install', '--github-owner', 'octo', '--github-repo', 'plain'], { cwd, env: { GH_TOKEN: token, GITHUB_API_URL: fake.url } });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(fake.requests.length).toBe(before);
    expect((await execa('git', ['remote'], { cwd: join(cwd, 'plain') })).stdout).toBe('');
  });
});
