import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPreset, tempDir } from '../support/render-preset.js';
import { runScript } from '../support/script-runner.js';

// wait-for-command.sh against a scripted `aws`: every status SSM can report, in the order a test chooses. (The moto
// launcher runs real commands but can only produce some of these states; deploy.test.ts covers that path.)
const commandId = '0a2238e9-9222-40ba-b5fc-948b1471711a';
const [a, b, c] = ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3'];

/** An `aws` that answers list-commands and list-command-invocations from files, one file per call (the last repeats). */
const fakeAws = `#!/bin/sh
set -eu
dir=$FAKE_AWS_DIR
echo "aws $*" >>"$dir/calls"
pick() { # kind: the file for this call number, or the last one
  n=$(($(cat "$dir/$1.count" 2>/dev/null || echo 0) + 1))
  echo "$n" >"$dir/$1.count"
  while [ "$n" -gt 0 ] && [ ! -f "$dir/$1.$n" ]; do n=$((n - 1)); done
  cat "$dir/$1.$n"
}
case "$*" in
  *"ssm list-commands"*) pick command ;;
  *"ssm list-command-invocations"*"--details"*"CommandPlugins[0].Output"*) pick invocations ;;
  *) echo "unexpected: $*" >&2; exit 64 ;;
esac
`;

let script: string;

beforeAll(() => {
  const file = renderPreset('default').find((f) => f.path === 'scripts/wait-for-command.sh');
  if (!file) throw new Error('scripts/wait-for-command.sh is not rendered');
  script = join(tempDir('wait-script-'), 'wait-for-command.sh');
  writeFileSync(script, file.content, { mode: 0o755 });
});

interface Scenario {
  /** list-commands answers, in order: [Status, StatusDetails]. */
  readonly command: readonly (readonly [string, string])[];
  /** list-command-invocations answers, in order: rows of [instance, Status, StatusDetails, ResponseCode, output?]. */
  readonly polls: readonly (readonly (readonly [string, string, string, string, string?])[])[];
  /** The command's targets, as list-commands names them. */
  readonly targets?: readonly string[];
  /** Each instance's output (possibly several lines), as --details returns it with every row of that instance. */
  readonly outputs?: Readonly<Record<string, string>>;
  readonly timeout?: string;
  /** Extra arguments (e.g. --instance-ids). */
  readonly args?: readonly string[];
}

/** A poll's answer as the AWS CLI prints the query in text: one tab-separated line per invocation, output last. */
const pollText = (rows: Scenario['polls'][number], outputs: Scenario['outputs'] = {}) =>
  rows.map(([id, status, details, code, output]) => `${[id, status, details, code, output ?? outputs[id] ?? ''].join('\t')}\n`).join('');

function wait(scenario: Scenario) {
  const dir = tempDir('fake-aws-');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'aws'), fakeAws, { mode: 0o755 });
  const targets = (scenario.targets ?? [a]).join(',');
  scenario.command.forEach(([status, details], i) => writeFileSync(join(dir, `command.${i + 1}`), `${status}\t${details}\t${targets}\n`));
  scenario.polls.forEach((rows, i) => writeFileSync(join(dir, `invocations.${i + 1}`), pollText(rows, scenario.outputs)));
  const summary = join(dir, 'summary.md');
  const started = Date.now();
  const result = runScript(script, ['--command-id', commandId, '--timeout', scenario.timeout ?? '20', '--poll-interval', '0.05', ...(scenario.args ?? [])], {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    FAKE_AWS_DIR: dir,
    GITHUB_STEP_SUMMARY: summary,
  });
  const calls = () => readFileSync(join(dir, 'calls'), 'utf8');
  return {
    ...result,
    seconds: (Date.now() - started) / 1000,
    summary: () => readFileSync(summary, 'utf8'),
    calls,
    count: (operation: string) => calls().split('\n').filter((line) => line.includes(` ssm ${operation} `)).length,
  };
}

const inProgress = (id: string) => [id, 'InProgress', 'InProgress', '-1'] as const;
const success = (id: string) => [id, 'Success', 'Success', '0'] as const;

describe('wait-for-command.sh', () => {
  it('waits through InProgress (and not-yet-listed invocations) and exits 0 when every instance succeeded', () => {
    // GIVEN a command on three instances: first none listed, then some in progress, then all Success
    const result = wait({
      targets: [c, a, b],
      command: [['InProgress', 'InProgress']],
      polls: [[], [inProgress(a), success(b)], [success(a), success(b), inProgress(c)], [success(a), success(b), success(c)]],
      outputs: { [a]: 'deploy: pulling\ndeploy: result: healthy: sha256:aaaa (commit 1111)', [b]: 'deploy: result: healthy: sha256:aaaa (commit 1111)', [c]: 'ok\n' },
    });
    // THEN it polled until the end, printed a row per instance (sorted) with the host's outcome, and succeeded
    expect(result.status, result.stderr).toBe(0);
    expect(result.count('list-command-invocations')).toBe(4);
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('i-'));
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([a, b, c]);
    expect(rows[0]).toMatch(/Success\s+0\s+healthy: sha256:aaaa \(commit 1111\)$/);
    expect(rows[2]).toMatch(/Success\s+0\s+ok$/);
    expect(result.summary()).toContain(`| \`${a}\` | Success | 0 | healthy: sha256:aaaa (commit 1111) |`);
    expect(result.stdout).toContain(`command ${commandId} succeeded on: ${a} ${b} ${c}`);
  });

  it('with --instance-ids, makes one call per poll and none besides: no list-commands, no call for the output', () => {
    // GIVEN a command whose invocations are in progress, then final with output that changed since the first poll
    const result = wait({
      targets: [a, b],
      command: [['Success', 'Success']],
      polls: [
        [[a, 'InProgress', 'InProgress', '-1', 'deploy: pulling'], inProgress(b)],
        [[a, 'Success', 'Success', '0', 'deploy: pulling\ndeploy: result: healthy: sha256:aaaa'], [b, 'Success', 'Success', '0', 'deploy: result: healthy: sha256:bbbb']],
      ],
      // WHEN the caller names the instances it sent the command to (as deploy.sh does)
      args: ['--instance-ids', `${b} ${a}`],
    });
    // THEN it succeeded after exactly two polls, and the table shows what the last poll said
    expect(result.status, result.stderr).toBe(0);
    expect(result.calls().trim().split('\n')).toHaveLength(2);
    expect(result.count('list-command-invocations')).toBe(2);
    expect(result.count('list-commands')).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${a}\\s+Success\\s+0\\s+healthy: sha256:aaaa$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`${b}\\s+Success\\s+0\\s+healthy: sha256:bbbb$`, 'm'));
  });

  it('without --instance-ids, reads the targets with one list-commands before polling, and never again once all succeeded', () => {
    const result = wait({ targets: [a, b], command: [['InProgress', 'InProgress']], polls: [[inProgress(a)], [success(a), success(b)]] });
    expect(result.status, result.stderr).toBe(0);
    const calls = result.calls().trim().split('\n');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toContain(' ssm list-commands ');
    expect(result.count('list-command-invocations')).toBe(2);
  });

  it('accepts --instance-ids separated by commas, as list-commands prints them', () => {
    const result = wait({ targets: [a, b], command: [['Success', 'Success']], polls: [[success(a), success(b)]], args: ['--instance-ids', `${a},${b}`] });
    expect(result.status, result.stderr).toBe(0);
    expect(result.count('list-commands')).toBe(0);
    expect(result.stdout).toContain(`succeeded on: ${a} ${b}`);
  });

  it.each([
    ['Failed', 'Failed', '1'],
    ['TimedOut', 'ExecutionTimedOut', '-1'],
    ['TimedOut', 'DeliveryTimedOut', '-1'],
    ['TimedOut', 'Delivery Timed Out', '-1'],
    ['Failed', 'Undeliverable', '-1'],
    ['Failed', 'Terminated', '-1'],
    ['Cancelled', 'Cancelled', '-1'],
    ['Failed', 'InvalidPlatform', '-1'],
  ])('exits 1 naming the instance when an invocation ends %s (%s)', (status, details, code) => {
    const result = wait({
      targets: [a, b],
      command: [['InProgress', 'InProgress'], ['Failed', 'Failed']],
      polls: [[inProgress(a), inProgress(b)], [success(a), [b, status, details, code]]],
      outputs: { [a]: 'deploy: result: healthy', [b]: 'deploy: result: FAILED: not healthy within 2s; rolled back\n----------ERROR-------\nfailed to run commands: exit status 1\n' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`failed on: ${b}`);
    expect(result.stderr).not.toContain(a);
    expect(result.stdout).toContain(`${status} (${details})`.replace(` (${status})`, ''));
    expect(result.stdout).toMatch(new RegExp(`${b}\\s+.*FAILED: not healthy within 2s; rolled back$`, 'm'));
    expect(result.summary()).toContain(`| \`${b}\` |`);
  });

  // A command-level Incomplete (or Failed, TimedOut) is SSM's aggregate of its invocations: "attempted on all managed
  // nodes and one or more invocations doesn't have a value of Success". The script decides from the invocation of
  // every target, so each way a command ends Incomplete shows there, without reading the command at the end.
  it.each([
    ['a delivery that timed out', ['TimedOut', 'DeliveryTimedOut', '-1']],
    ['an undeliverable instance', ['Failed', 'Undeliverable', '-1']],
    ['a terminated instance', ['Failed', 'Terminated', '-1']],
    ['a cancelled invocation', ['Cancelled', 'Cancelled', '-1']],
  ] as const)('exits 1 when the command ends Incomplete through %s, naming that instance, with or without --instance-ids', (_, [status, details, code]) => {
    for (const args of [[], ['--instance-ids', `${a} ${b}`]]) {
      // GIVEN a command that ends Incomplete: one invocation Success, the other not
      const result = wait({ targets: [a, b], command: [['Failed', 'Incomplete']], polls: [[success(a), [b, status, details, code]]], args });
      // THEN exit 1 names that instance, decided from the invocations alone
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(`failed on: ${b}`);
      expect(result.stderr).not.toContain(`failed on: ${a}`);
      expect(result.count('list-commands')).toBe(args.length === 0 ? 1 : 0);
    }
  });

  it('exits 1 when the command ends Incomplete because a target never got an invocation (given by --instance-ids too)', () => {
    for (const args of [[], ['--instance-ids', `${a},${b}`]]) {
      // GIVEN a command that ended while instance b was never delivered
      const result = wait({ targets: [a, b], command: [['InProgress', 'InProgress'], ['Failed', 'Incomplete']], polls: [[success(a)]], timeout: '60', args });
      // THEN b counts as failed (not delivered), well before the deadline
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(`failed on: ${b}`);
      expect(result.stdout).toMatch(new RegExp(`${b}\\s+Pending \\(NotDelivered\\)`));
      expect(result.seconds).toBeLessThan(30);
    }
  });

  it('keeps waiting for a named instance that is not listed while the command has not ended', () => {
    // GIVEN invocations of a only for three polls, then b's too
    const result = wait({
      targets: [a, b],
      command: [['InProgress', 'InProgress']],
      polls: [[success(a)], [success(a)], [success(a)], [success(a), success(b)]],
      args: ['--instance-ids', `${a} ${b}`],
    });
    // THEN it did not stop at a alone
    expect(result.status, result.stderr).toBe(0);
    expect(result.count('list-command-invocations')).toBe(4);
    expect(result.stdout).toContain(`succeeded on: ${a} ${b}`);
  });

  it('ignores invocations of instances it does not wait for, and output lines that are not rows', () => {
    const result = wait({
      targets: [a, b, c],
      command: [['InProgress', 'InProgress']],
      polls: [[[c, 'Failed', 'Failed', '1', 'boom'], [a, 'Success', 'Success', '0', `line\n${b}\tlooks like a row\ndeploy: result: ok`], success(b)]],
      outputs: { [b]: 'deploy: result: fine' },
      args: ['--instance-ids', `${a} ${b}`],
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).not.toContain(c);
    expect(result.stdout).toMatch(new RegExp(`${a}\\s+Success\\s+0\\s+ok$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`${b}\\s+Success\\s+0\\s+fine$`, 'm'));
  });

  it('stops at the deadline with exit 1 while an invocation is still running, and says where', () => {
    const result = wait({ command: [['InProgress', 'InProgress']], polls: [[inProgress(a)]], timeout: '2' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`deadline of 2s passed; command ${commandId} is still running on: ${a}`);
    expect(result.stdout).toContain('still running at the deadline');
    // date +%s has whole seconds: a 2 s deadline ends between 1 and 2 s after the start.
    expect(result.seconds).toBeGreaterThanOrEqual(1);
    expect(result.seconds).toBeLessThan(15);
  });

  it('retries a failed poll and gives up after five in a row', () => {
    // GIVEN an aws that cannot answer list-command-invocations at all
    const result = wait({ command: [['InProgress', 'InProgress']], polls: [], args: ['--instance-ids', a] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot read the invocations of command ${commandId} (5 attempts in a row)`);
    expect(result.count('list-command-invocations')).toBe(5);
  });

  it('refuses --instance-ids that are not instance ids (exit 2) before calling AWS', () => {
    for (const ids of ['i-0aaaaaaaaaaaaaaa1;reboot', 'i-0aaaaaaaaaaaaaaa1i-0bbbbbbbbbbbbbbb2', 'web-1']) {
      const result = wait({ command: [['Success', 'Success']], polls: [[success(a)]], args: ['--instance-ids', ids] });
      expect(result.status, ids).toBe(2);
      expect(result.stderr).toContain('--instance-ids must be EC2 instance ids');
      expect(() => result.calls()).toThrow();
    }
  });

  it('escapes | in the Markdown summary and keeps the table one line per instance', () => {
    const result = wait({ command: [['Success', 'Success']], polls: [[success(a)]], outputs: { [a]: 'deploy: result: a | b\tc' } });
    expect(result.status).toBe(0);
    expect(result.summary()).toContain('| a \\| b c |');
  });
});
