import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/options/index.js';
import { renderRepository } from '../../src/render/render-repository.js';
import { packageVersion } from '../../src/render/templates-dir.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/render-preset.js';

/** The "done when" command. */
const doneWhen = ['--yes', '--name', 'demo', '--github-owner', 'acme', '--github-repo', 'demo', '--region', 'eu-west-1', '--environments', 'production', '--skip-install', '--skip-git'];

function listTree(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((path) => !path.startsWith('.git/'))
    .sort();
}

describe('create-ec2-oidc-pipeline (the real bin, no TTY)', () => {
  it('renders the full tree with --yes, byte for byte what the render core produces', async () => {
    // GIVEN an empty temp dir WHEN the done-when command runs
    const cwd = tempDir();
    const result = await runCli(['demo', ...doneWhen], { cwd });
    // THEN it succeeds and writes exactly the rendered files, with their modes
    expect(result.exitCode, result.stderr).toBe(0);
    const expected = renderRepository(resolveOptions({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo', region: 'eu-west-1', environments: ['production'] }));
    const root = join(cwd, 'demo');
    expect(listTree(root)).toEqual(expected.map((f) => f.path).sort());
    for (const file of expected) {
      expect(readFileSync(join(root, file.path), 'utf8'), file.path).toBe(file.content);
      expect(statSync(join(root, file.path)).mode & 0o777, file.path).toBe(file.mode);
    }
    expect(result.stdout).toContain('Next steps');
    expect(result.stdout).toContain('terraform -chdir=demo/terraform/bootstrap init');
    expect(result.stdout).toContain('PIPELINE_ENABLED');
    // The CLI installs the service itself: Yeoman's root install, and its notice about skipping it, stay silent
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/package manager install|package\.json were detected/);
  });

  it('names a directory outside the current one by its absolute path, quoted for the shell where needed', async () => {
    // GIVEN a target beside the current directory, with a space in its path
    const cwd = tempDir();
    mkdirSync(join(cwd, 'here'));
    const target = join(cwd, 'my services', 'demo');
    // WHEN the CLI runs from the other directory
    const result = await runCli([target, ...doneWhen], { cwd: join(cwd, 'here') });
    // THEN the next steps can be pasted from where the user is
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Created demo in ${target}.`);
    expect(result.stdout).toContain(`terraform -chdir='${target}/terraform/bootstrap' init`);
  });

  it('is deterministic: the same options give the same bytes', async () => {
    const [a, b] = [tempDir(), tempDir()];
    await runCli(['demo', ...doneWhen], { cwd: a });
    await runCli(['demo', ...doneWhen], { cwd: b });
    const files = listTree(join(a, 'demo'));
    expect(files).toEqual(listTree(join(b, 'demo')));
    for (const path of files) expect(readFileSync(join(a, 'demo', path)), path).toEqual(readFileSync(join(b, 'demo', path)));
  });

  it('initializes git with one commit and a clean tree unless --skip-git', async () => {
    const cwd = tempDir();
    const result = await runCli(['svc', '--yes', '--github-owner', 'acme', '--github-repo', 'svc', '--skip-install'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const root = join(cwd, 'svc');
    const log = await execa('git', ['log', '--format=%s'], { cwd: root });
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
    expect((await execa('git', ['status', '--porcelain'], { cwd: root })).stdout).toBe('');
    expect((await execa('git', ['branch', '--show-current'], { cwd: root })).stdout).toBe('main');
    // the name defaults to the directory's base name
    expect(readFileSync(join(root, 'package.json'), 'utf8')).toContain('"name": "svc"');
  });

  const badInputs: [string, string[], RegExp][] = [
    ['an upper-case name', ['--name', 'My_App'], /^create-ec2-oidc-pipeline: --name: .*lowercase/],
    ['a name over 32 characters', ['--name', 'a'.repeat(33)], /--name: must be at most 32 characters/],
    ['a region that does not exist', ['--region', 'mars-east-1'], /--region: "mars-east-1" is not an AWS region id/],
    ['a GovCloud region', ['--region', 'us-gov-west-1'], /--region: .*GovCloud/],
    ['an invalid GitHub owner', ['--github-owner=-acme'], /--github-owner: "-acme" is not a GitHub user or organization name/],
    ['a flag without its value', ['--region'], /Option '--region <value>' argument missing; see --help/],
    ['an invalid repository name', ['--github-repo', 'my repo'], /--github-repo: "my repo" is not a GitHub repository name/],
    ['an invalid environment', ['--environments', 'Prod'], /--environments: "Prod" is not a usable environment name/],
    ['a duplicated environment', ['--environments', 'prod,prod'], /--environments: lists "prod" twice/],
    ['an invalid instance type', ['--instance-type', 'large'], /--instance-type: "large" is not an EC2 instance type/],
    ['an account id that is not 12 digits', ['--environments', 'dev,prod', '--accounts', 'dev=1111,prod=222222222222'], /--accounts: gives dev "1111", which is not an AWS account id/],
    ['accounts not covering every environment', ['--environments', 'dev,prod', '--accounts', 'dev=111111111111'], /--accounts: names no account for prod/],
    ['accounts that are not name=value pairs', ['--accounts', '111111111111'], /--accounts: "111111111111" is not a name=value pair/],
    ['an unknown target', ['--target', 'lambda'], /--target: must be one of ec2/],
    ['only one of the immutable ids', ['--github-owner-id', '123'], /--github-repo-id: is needed too/],
    ['an unknown flag', ['--colour', 'blue'], /Unknown option '--colour'/],
    ['a fleet whose maximum is below its minimum', ['--target', 'asg', '--min-size', '5', '--max-size', '3'], /--max-size: \(3\) is smaller than the minimum size \(5\)/],
    ['a fleet starting outside its bounds', ['--target', 'asg', '--desired-size', '9'], /--desired-size: \(9\) must be between the minimum size \(2\) and the maximum size \(4\)/],
    ['a deploy batch of no instance', ['--target', 'asg', '--batch-size', '0'], /--batch-size: must be a whole number of instances from 1 to 100 \(got 0\)/],
    ['a fleet size for the ec2 target', ['--min-size', '2'], /--min-size: applies to target asg or eks only, not ec2/],
  ];

  it.each(badInputs)('rejects %s: one line, exit 2, nothing written', async (_case, flags, message) => {
    const cwd = tempDir();
    const result = await runCli(['demo', '--yes', '--github-owner', 'acme', '--github-repo', 'demo', ...flags], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
  });

  it('says the name came from the directory when that name is not a valid one', async () => {
    // GIVEN a directory named as people name folders WHEN no --name is given
    const cwd = tempDir();
    const result = await runCli(['My_Service', '--yes', '--github-owner', 'acme', '--github-repo', 'demo'], { cwd });
    // THEN one line says where the bad value came from and how to choose another, and nothing is written
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^create-ec2-oidc-pipeline: --name: .*\(got "My_Service"\).*; that is its default, the directory's name: pass --name to choose a valid one$/m);
    expect(existsSync(join(cwd, 'My_Service'))).toBe(false);
    // AND WHEN --name is given THEN the directory's name is fine as it is
    expect((await runCli(['My_Service', '--yes', '--name', 'my-service', '--github-owner', 'acme', '--github-repo', 'demo', '--skip-git', '--skip-install'], { cwd })).exitCode).toBe(0);
  });

  it('asks for the GitHub owner when there is no git remote to read it from', async () => {
    const cwd = tempDir();
    const result = await runCli(['demo', '--yes', '--github-repo', 'demo'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim()).toBe(
      'create-ec2-oidc-pipeline: --github-owner: is required (there is no GitHub git remote to read it from); pass it, e.g. --github-owner acme',
    );
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
  });

  it("names the GitHub repository after the directory, else after the service, when no flag or remote names it", async () => {
    // GIVEN no --github-repo and no git remote WHEN the directory's name is a repository name THEN it is the name
    const cwd = tempDir();
    const plain = await runCli(['shop', '--yes', '--github-owner', 'acme', '--skip-install', '--skip-git'], { cwd });
    expect(plain.exitCode, plain.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'shop', '.projenrc.ts'), 'utf8')).toContain('"githubRepo": "shop"');
    // WHEN it is not one (a space) THEN the service name is
    const spaced = await runCli(['my shop', '--yes', '--name', 'shop-api', '--github-owner', 'acme', '--skip-install', '--skip-git'], { cwd });
    expect(spaced.exitCode, spaced.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'my shop', '.projenrc.ts'), 'utf8')).toContain('"githubRepo": "shop-api"');
  });

  it('takes the GitHub owner and repository from the git remote', async () => {
    const cwd = tempDir();
    await execa('git', ['init', '--quiet'], { cwd });
    await execa('git', ['remote', 'add', 'origin', 'git@github.com:octo-org/from-remote.git'], { cwd });
    const result = await runCli(['svc', '--yes', '--skip-install', '--skip-git'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'svc', '.projenrc.ts'), 'utf8')).toMatch(/"githubOwner": "octo-org",\s+"githubRepo": "from-remote"/);
  });

  it('rejects a missing directory argument and a second positional', async () => {
    const cwd = tempDir();
    const none = await runCli(['--yes'], { cwd });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/missing <directory>/);
    const two = await runCli(['a', 'b', '--yes'], { cwd });
    expect(two.exitCode).toBe(2);
    expect(two.stderr).toMatch(/expected one directory/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses an existing non-empty directory without --force, and leaves it untouched', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'demo'));
    writeFileSync(join(cwd, 'demo', 'README.md'), 'mine\n');
    const result = await runCli(['demo', ...doneWhen], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/demo is not empty \(README\.md\); choose an empty directory, or pass --force to overwrite/);
    expect(readdirSync(join(cwd, 'demo'))).toEqual(['README.md']);
    expect(readFileSync(join(cwd, 'demo', 'README.md'), 'utf8')).toBe('mine\n');
  });

  it('overwrites an existing directory with --force', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'demo'));
    writeFileSync(join(cwd, 'demo', 'README.md'), 'mine\n');
    const result = await runCli(['demo', ...doneWhen, '--force'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'demo', 'README.md'), 'utf8')).not.toBe('mine\n');
  });

  it('accepts a fresh clone: a directory holding only .git is empty', async () => {
    const cwd = tempDir();
    await execa('git', ['init', '--quiet', 'demo'], { cwd });
    const result = await runCli(['demo', ...doneWhen], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it('--dry-run prints every file with its size and writes nothing', async () => {
    const cwd = tempDir();
    const result = await runCli(['demo', ...doneWhen, '--dry-run'], { cwd });
    expect(result.exitCode, result.stderr).toBe(0);
    const files = renderRepository(resolveOptions({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo', region: 'eu-west-1' }));
    expect(result.stdout).toContain(`would write ${files.length} files`);
    for (const file of files) expect(result.stdout).toContain(`  ${file.path}  `);
    expect(result.stdout).toMatch(/\.projenrc\.ts {2}\d+(\.\d)? (B|KiB)/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--help lists every flag of the option table and of the CLI; --version prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.exitCode).toBe(0);
    for (const flag of ['--yes', '--name', '--target', '--region', '--github-owner', '--github-repo', '--environments', '--instance-type', '--skip-install', '--skip-git', '--dry-run', '--force', '--help', '--version']) {
      expect(help.stdout).toContain(flag);
    }
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toBe(packageVersion());
  });

  it("turns on Node's compile cache, in the OS temp folder, so later runs reuse the compiled bundle", async () => {
    // GIVEN a temp folder of its own (os.tmpdir() follows TMPDIR) and no NODE_COMPILE_CACHE
    const tmp = tempDir();
    // WHEN the bin runs
    const result = await runCli(['--version'], { env: { TMPDIR: tmp, NODE_COMPILE_CACHE: '' } });
    // THEN the cache Node keeps there holds the code it compiled (Node writes it only when the bin asks for it)
    expect(result.exitCode, result.stderr).toBe(0);
    const cache = join(tmp, 'node-compile-cache');
    expect(existsSync(cache) ? readdirSync(cache, { recursive: true }).length : 0).toBeGreaterThan(0);
  });

  it('on a Node.js older than 22.18, prints which version is needed in one line and exits 1', async () => {
    // The machine's own Node 20 (or any old node found on PATH) runs the bin.
    const old = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find((path) => existsSync(path));
    expect(old, 'an old node binary is needed for this test (these machines ship Node 20 at /usr/bin/node)').toBeDefined();
    const { stdout: version } = await execa(old!, ['--version']);
    expect(Number(version.slice(1).split('.')[0]), `${old} is ${version}, not older than 22`).toBeLessThan(22);
    const result = await execa(old!, [join(import.meta.dirname, '..', '..', 'bin', 'create-ec2-oidc-pipeline.js'), 'demo', '--yes'], { reject: false, cwd: tempDir() });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toMatch(/^create-ec2-oidc-pipeline needs Node\.js >= 22\.18 \(this is 20\.[\d.]+\); install Node\.js 22 LTS or newer\.$/);
  });
});
