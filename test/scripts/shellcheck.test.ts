import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { presets, type PresetName } from '../support/presets.js';
import { tempDir } from '../support/render-preset.js';
import { runScript } from '../support/script-runner.js';
import { describeScriptContract, type BadUsage } from './script-contract.js';

const scripts = ['scripts/deploy.sh', 'scripts/host/deploy.sh', 'scripts/rollback.sh', 'scripts/status.sh', 'scripts/wait-for-command.sh'];

const digest = 'a'.repeat(64);
const commit = '0123456789abcdef0123456789abcdef01234567';

/** Invocations each script must refuse with exit 2, naming the problem, before any AWS or Docker call. */
function badUsage(preset: PresetName): BadUsage[] {
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

describeScriptContract({
  target: 'ec2',
  scripts,
  badUsage,
  more: (preset, root) => {
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
      const result = runScript(join(root(), 'scripts/status.sh'), ['--environment', 'environments' in options ? options.environments[0] : 'production'], { PATH: bin });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/AWS CLI is not installed; see https:\/\//);
    });
  },
});
