import { presets, type PresetName } from '../support/presets.js';
import { describeScriptContract, type BadUsage } from './script-contract.js';

// The asg target's scripts: POSIX sh, shellcheck-clean, with usage and usage errors that touch nothing. What they do
// against AWS is tested in deploy-asg.test.ts and build-release.test.ts.
const scripts = [
  'scripts/bake.sh',
  'scripts/build-release.sh',
  'scripts/deploy.sh',
  'scripts/host/boot.sh',
  'scripts/host/deploy.sh',
  'scripts/rollback.sh',
  'scripts/status.sh',
  'scripts/wait-for-command.sh',
];
/** Scripts with a usage text (the boot script is user data: it takes no arguments). */
const withHelp = scripts.filter((script) => script !== 'scripts/host/boot.sh');

const release = '0123456789abcdef0123456789abcdef01234567';
const sha256 = 'a'.repeat(64);

/** Invocations each script must refuse with exit 2, naming the problem, before any AWS, host or npm call. */
function badUsage(preset: PresetName): BadUsage[] {
  const options = presets[preset];
  const env = 'environments' in options ? options.environments[0] : 'production';
  const accounts = 'accounts' in options ? options.accounts : null;
  return [
    ['scripts/deploy.sh', [], /--environment is required/],
    ['scripts/deploy.sh', ['--environment', 'nope', '--release', release], /unknown environment "nope"/],
    ['scripts/deploy.sh', ['--environment', env, '--release', 'HEAD'], /--release must be a 40-hex git commit/],
    ['scripts/deploy.sh', ['--environment', env, '--release', `${release}\n${release}`], /--release must be/],
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--batch-size', '0'], /--batch-size must be/],
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--sha256', sha256.toUpperCase()], /--sha256 must be 64 lowercase hex/],
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--batch-size', 'all'], /--batch-size must be/],
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--timeout', '601'], /--timeout must be/],
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--drain-timeout', 'soon'], /--drain-timeout must be/],
    // (with accounts, the one release bucket is the first environment's account's: any other is refused, the own
    // account's by habit included)
    ...(accounts
      ? ([
          ['scripts/deploy.sh', ['--environment', env, '--release', release, '--bucket', 'Not_A_Bucket'], /releases are in s3:\/\/\S+-releases-\d{12} \(account \d{12}\), the only bucket the hosts download from; got --bucket Not_A_Bucket/],
          ['scripts/deploy.sh', ['--environment', env, '--release', release, '--bucket', `${options.name}-releases-${Object.values(accounts).at(-1)}`], /the only bucket the hosts download from/],
          ['scripts/rollback.sh', ['--environment', env, '--bucket', `${options.name}-releases-${Object.values(accounts).at(-1)}`], /the only bucket the hosts download from/],
        ] as [string, string[], RegExp][])
      : ([['scripts/deploy.sh', ['--environment', env, '--release', release, '--bucket', 'Not_A_Bucket'], /not an S3 bucket name/]] as [string, string[], RegExp][])),
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--region', 'mars'], /not an AWS region/],
    ['scripts/deploy.sh', ['--environment', env, '--release', release, '--image', 'x'], /unknown argument: --image/],
    ['scripts/rollback.sh', [], /--environment is required/],
    ['scripts/rollback.sh', ['--environment', env, '--release', 'abc'], /--release must be/],
    ['scripts/rollback.sh', ['--environment', env, '--batch-size', 'two'], /--batch-size must be a number/],
    ['scripts/status.sh', ['--environment', env, '--commands', '51'], /--commands must be 1-50/],
    ['scripts/bake.sh', [], /--environment is required/],
    ['scripts/bake.sh', ['--environment', env, '--keep', '0'], /--keep must be 1-50/],
    ['scripts/bake.sh', ['--environment', env, '--min-healthy-percentage', '101'], /--min-healthy-percentage must be 0-100/],
    ['scripts/build-release.sh', [], /--commit is required/],
    ['scripts/build-release.sh', ['--commit', 'main'], /--commit must be a 40-hex git commit/],
    ['scripts/build-release.sh', ['--commit', release, '--source-date-epoch', 'yesterday'], /--source-date-epoch must be seconds/],
    ['scripts/build-release.sh', ['--commit', release, '--bucket', 's3://bucket'], /--bucket must be an S3 bucket name/],
    ['scripts/build-release.sh', ['--commit', release, '--no-build'], /--no-build uploads a release built earlier: it needs --bucket/],
    ['scripts/host/deploy.sh', [], /--release must be a 40-hex git commit/],
    ['scripts/host/deploy.sh', ['--release', release, '--sha256', 'abc', '--bucket', 'b-b-b'], /--sha256 must be 64 lowercase hex/],
    ['scripts/host/deploy.sh', ['--release', release, '--sha256', sha256.toUpperCase(), '--bucket', 'b-b-b'], /--sha256 must be 64 lowercase hex/],
    ['scripts/host/deploy.sh', ['--release', release, '--sha256', sha256, '--bucket', "b'; reboot; '"], /--bucket must be an S3 bucket name/],
    ['scripts/host/deploy.sh', ['--release', release, '--sha256', sha256, '--bucket', 'b-b-b', '--timeout', '0'], /--timeout must be 1-600/],
    ['scripts/host/deploy.sh', ['--release', release, '--sha256', sha256, '--bucket', 'b-b-b', '--force'], /unknown argument/],
  ];
}

describeScriptContract({
  target: 'asg',
  scripts,
  withHelp,
  alsoShellcheck: ['terraform/modules/asg-fleet/user-data.sh'],
  badUsage,
  deployArgs: ['--release', release],
});
