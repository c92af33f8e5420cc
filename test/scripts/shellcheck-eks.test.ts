import { presets, type PresetName } from '../support/presets.js';
import { describeScriptContract, type BadUsage } from './script-contract.js';

// The eks target's scripts: POSIX sh, shellcheck-clean, with usage and usage errors that call neither aws nor kubectl.
// What they do against a cluster is tested in deploy-eks.test.ts (the real kubectl against an API stand-in).
const scripts = ['scripts/deploy.sh', 'scripts/rollback.sh', 'scripts/status.sh'];
const digest = 'a'.repeat(64);

function badUsage(preset: PresetName): BadUsage[] {
  const options = presets[preset];
  const env = 'environments' in options ? options.environments[0] : 'production';
  const region = 'region' in options ? options.region : 'us-east-1';
  // With accounts, images live in the first environment's account only, and deploy.sh refuses any other.
  const registry = 'accounts' in options ? options.accounts[env as keyof typeof options.accounts] : '123456789012';
  const image = `${registry}.dkr.ecr.${region}.amazonaws.com/${options.name}@sha256:${digest}`;
  return [
    ...('accounts' in options ? [['scripts/deploy.sh', ['--environment', env, '--image', image.replace(registry, '999999999999')], /--image must be/] as BadUsage] : []),
    ['scripts/deploy.sh', [], /--environment is required/],
    ['scripts/deploy.sh', ['--environment', 'nope', '--image', image], /unknown environment "nope"/],
    ['scripts/deploy.sh', ['--environment', env], /--image is required/],
    ['scripts/deploy.sh', ['--environment', env, '--image', `${options.name}:latest`], /--image must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image.replace(`/${options.name}@`, '/other-app@')], /--image must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', `${image}\n${image}`], /--image must be/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--timeout', '0'], /--timeout must be 1-3600/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--region', 'mars'], /not an AWS region/],
    ['scripts/deploy.sh', ['--environment', env, '--image', image, '--force'], /unknown argument: --force/],
    ['scripts/deploy.sh', ['--environment'], /--environment needs a value/],
    ['scripts/rollback.sh', ['--environment', 'nope'], /unknown environment/],
    ['scripts/rollback.sh', ['--environment', env, '--revision', '0'], /--revision must be a revision number/],
    ['scripts/rollback.sh', ['--environment', env, '--revision', '1; reboot'], /--revision must be a revision number/],
    ['scripts/rollback.sh', ['--environment', env, '--timeout', 'soon'], /--timeout must be 1-3600/],
    ['scripts/status.sh', [], /--environment is required/],
    ['scripts/status.sh', ['--environment', env, '--verbose'], /unknown argument/],
  ];
}

describeScriptContract({
  target: 'eks',
  scripts,
  badUsage,
  deployArgs: ['--image', `123456789012.dkr.ecr.us-east-1.amazonaws.com/x@sha256:${digest}`],
});
