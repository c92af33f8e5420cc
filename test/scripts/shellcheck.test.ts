import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { presetNamesFor, presets, type PresetName } from '../support/presets.js';
import { renderPreset, tempDir, writeFiles } from '../support/render-preset.js';
import { callRecorders, runScript } from '../support/script-runner.js';
import { requireTool } from '../support/tools.js';

const scripts = ['scripts/deploy.sh', 'scripts/host/deploy.sh', 'scripts/rollback.sh', 'scripts/status.sh', 'scripts/wait-for-command.sh'];

const digest = 'a'.repeat(64);
const commit = '0123456789abcdef0123456789abcdef01234567';

/** Invocations each script must refuse with exit 2, naming the problem, before any AWS or Docker call. */
function badUsage(preset: PresetName): [string, string[], RegExp][] {
  const options = presets[preset];
  const region = 'region' in options ? options.region : 'us-east-1';
  const env = 'environments' in options ? options.environments[0] : 'production';
  // With accounts, images live in the first environment's account only, and the scripts refuse any other.
  const registry = 'accounts' in options ? options.accounts[env as keyof typeof options.accounts] : '123456789012';
  const image = `${registry}.dkr.ecr.${region}.amazonaws.com/${options.name}@sha256:${digest}`;
  const otherAccount: [string, string[], RegExp][] =
    'accounts' in options
      ? [
          ['scripts/deploy.sh', ['--environment', env, '--image', image.replace(registry, '999999999999'), '--commit', commit], /--image must be/],
          ['scripts/host/deploy.sh', ['--image', image.replace(registry, '999999999999'), '--commit', commit], /--image must be/],
        ]
      : [];
  return [
    ...otherAccount,
    ['scripts/deploy.sh', [], /--environment is required/],
    ['scripts/deploy.sh', ['--environment', 'nope', '--image', image, '--commit', commit], /unknown environment "nope"/],
    ['scripts/deploy.sh', ['--environment', env, '--commit', commit], /--image is required/],
    ['scripts/deploy.sh', ['--environment', env, '--image', `${options.name}:latest`, '--commit', commit], /--image must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image.replace(options.name, 'other-app'), '--commit', commit], /--image must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', `${image}\n${image}`, '--commit', commit], /--image must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image], /--commit is required/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--commit', 'HEAD'], /--commit must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--commit', commit, '--timeout', '0'], /--timeout must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--commit', commit, '--timeout', '601'], /--timeout must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--commit', commit, '--region', 'mars'], /not an AWS region/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--commit', commit, '--canary'], /unknown argument: --canary/],
    ['scripts/deploy.sh', ['--environment'], /--environment needs a value/],
    ['scripts/rollback.sh', [], /--environment is required/],
    ['scripts/rollback.sh', ['--environment', 'nope'], /unknown environment/],
    ['scripts/rollback.sh', ['--environment', env, '--image', 'nginx@sha256:1'], /--image must be/],
    ['scripts/rollback.sh', ['--environment', env, '--commit', 'abc'], /--commit must be/],
    ['scripts/rollback.sh', ['--environment', env, '--timeout', 'soon'], /--timeout must be a number/],
    ['scripts/status.sh', [], /--environment is required/],
    ['scripts/status.sh', ['--environment', env, '--commands', '0'], /--commands must be 1-50/],
    ['scripts/status.sh', ['--environment', env, '--verbose'], /unknown argument/],
    ['scripts/wait-for-command.sh', [], /--command-id is required/],
    ['scripts/wait-for-command.sh', ['--command-id', 'abc; rm -rf /'], /not an SSM command id/],
    ['scripts/wait-for-command.sh', ['--command-id', '0a2238e9-9222-40ba-b5fc-948b1471711a', '--timeout', '-1'], /--timeout must be/],
    ['scripts/wait-for-command.sh', ['--command-id', '0a2238e9-9222-40ba-b5fc-948b1471711a', '--instance-ids', 'i-0abc; reboot'], /--instance-ids must be/],
    ['scripts/host/deploy.sh', [], /--image is required/],
    ['scripts/host/deploy.sh', ['--image', image.replace(registry, '12345'), '--commit', commit], /--image must be/],
    ['scripts/host/deploy.sh', ['--image', `${image}'; reboot; '`, '--commit', commit], /--image must be/],
    ['scripts/host/deploy.sh', ['--image', image], /--commit is required/],
    ['scripts/host/deploy.sh', ['--image', image, '--commit', commit.toUpperCase()], /--commit must be/],
    ['scripts/host/deploy.sh', ['--image', image, '--commit', commit, '--timeout', '601'], /--timeout must be 1-600/],
    ['scripts/host/deploy.sh', ['--image', image, '--commit', commit, '--force'], /unknown argument/],
  ];
}

describe.each(presetNamesFor('ec2'))('scripts of preset %s', (preset) => {
  let root: string;
  let work: string;

  beforeAll(() => {
    requireTool('shellcheck', 'apt-get install -y shellcheck');
    work = tempDir('scripts-usage-');
    root = writeFiles(join(work, 'repo'), renderPreset(preset));
  });

  it('renders every script, executable', () => {
    const rendered = renderPreset(preset).filter((file) => file.path.startsWith('scripts/'));
    expect(rendered.map((file) => file.path).sort()).toEqual(scripts);
    for (const file of rendered) expect(file.mode, file.path).toBe(0o755);
  });

  it('passes shellcheck -s sh on every script', () => {
    // GIVEN the rendered scripts
    // WHEN shellcheck checks them as POSIX sh (it exits non-zero on any finding, of any severity)
    const run = () => execFileSync('shellcheck', ['-s', 'sh', ...scripts], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    // THEN it reports nothing
    expect(run).not.toThrow();
  });

  it.each(scripts)('%s --help exits 0 and prints its usage', (script) => {
    const recorders = callRecorders(tempDir('scripts-help-'));
    for (const flag of ['--help', '-h']) {
      const result = runScript(join(root, script), [flag], { PATH: `${recorders.bin}:${process.env.PATH}` });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^Usage: \S+\.sh /);
      expect(result.stdout).toMatch(/Exit codes: 0 /);
    }
    expect(recorders.calls()).toBe('');
  });

  it.each(badUsage(preset))('%s %j exits 2 before any AWS or Docker call', (script, args, message) => {
    // GIVEN aws, docker and curl that only record being called
    const recorders = callRecorders(tempDir('scripts-usage-'));
    // WHEN the script is called wrongly
    const result = runScript(join(root, script), args, { PATH: `${recorders.bin}:${process.env.PATH}` });
    // THEN it says what is wrong, exits 2, and called nothing
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(recorders.calls()).toBe('');
  });

  it('names the environments of this preset and nothing else', () => {
    const options = presets[preset];
    const environments: readonly string[] = 'environments' in options ? options.environments : ['production'];
    const result = runScript(join(root, 'scripts/deploy.sh'), ['--environment', 'qa']);
    expect(result.stderr).toContain(`this repository deploys to: ${environments.join(', ')}`);
  });

  it('fails with exit 2 and says how to install it when the AWS CLI is missing', () => {
    // GIVEN valid arguments and a PATH without aws (only the basic tools the scripts use)
    const bin = tempDir('scripts-no-aws-');
    for (const tool of ['sh', 'grep', 'sed', 'awk', 'tr', 'cut', 'sort', 'head', 'tail', 'cat', 'dirname', 'mktemp', 'rm', 'date', 'printf']) {
      try {
        execFileSync('ln', ['-s', execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool)]);
      } catch {
        // a shell builtin on this machine
      }
    }
    const options = presets[preset];
    const result = runScript(join(root, 'scripts/status.sh'), ['--environment', 'environments' in options ? options.environments[0] : 'production'], { PATH: bin });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/AWS CLI is not installed; see https:\/\//);
  });
});
