import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPreset, tempDir } from '../support/render-preset.js';
import { runScript } from '../support/script-runner.js';

// wait-for-command.sh against a scripted `aws`: every status SSM can report, in the order a test chooses. (The moto
// launcher runs real commands but can only produce some of these states; deploy.test.ts covers that path.)
const commandId = '0a2238e9-9222-40ba-b5fc-948b1471711a';
const [a, b, c] = ['i-0aaaaaaaaaaaaaaa1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ccccccccccccccc3'];

/** An `aws` that answers list-commands and list-command-invocations from files, one file per poll (the last repeats). */
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
  *"CommandPlugins[0].Output"*) cat "$dir/outputs" ;;
  *"ssm list-command-invocations"*) pick invocations ;;
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
  /** list-command-invocations answers, in order: rows of [instance, Status, StatusDetails, ResponseCode]. */
  readonly polls: readonly (readonly (readonly [string, string, string, string])[])[];
  readonly targets?: readonly string[];
  readonly outputs?: string;
  readonly timeout?: string;
}

function wait(scenario: Scenario) {
  const dir = tempDir('fake-aws-');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'aws'), fakeAws, { mode: 0o755 });
  const targets = (scenario.targets ?? [a]).join(',');
  scenario.command.forEach(([status, details], i) => writeFileSync(join(dir, `command.${i + 1}`), `${status}\t${details}\t${targets}\n`));
  scenario.polls.forEach((rows, i) => writeFileSync(join(dir, `invocations.${i + 1}`), rows.map((row) => `${row.join('\t')}\n`).join('')));
  writeFileSync(join(dir, 'outputs'), scenario.outputs ?? '');
  const summary = join(dir, 'summary.md');
  const started = Date.now();
  const result = runScript(script, ['--command-id', commandId, '--timeout', scenario.timeout ?? '20', '--poll-interval', '0.05'], {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    FAKE_AWS_DIR: dir,
    GITHUB_STEP_SUMMARY: summary,
  });
  return { ...result, seconds: (Date.now() - started) / 1000, summary: () => readFileSync(summary, 'utf8'), calls: () => readFileSync(join(dir, 'calls'), 'utf8') };
}

const inProgress = (id: string) => [id, 'InProgress', 'InProgress', '-1'] as const;
const success = (id: string) => [id, 'Success', 'Success', '0'] as const;

describe('wait-for-command.sh', () => {
  it('waits through InProgress (and not-yet-listed invocations) and exits 0 when every instance succeeded', () => {
    // GIVEN a command on three instances: first none listed, then some in progress, then all Success
    const result = wait({
      targets: [c, a, b],
      command: [['InProgress', 'InProgress'], ['Success', 'Success']],
      polls: [[], [inProgress(a), success(b)], [success(a), success(b), inProgress(c)], [success(a), success(b), success(c)]],
      outputs: `${a}\tdeploy: pulling\ndeploy: result: healthy: sha256:aaaa (commit 1111)\n${b}\tdeploy: result: healthy: sha256:aaaa (commit 1111)\n${c}\tok\n`,
    });
    // THEN it polled until the end, printed a row per instance (sorted) with the host's outcome, and succeeded
    expect(result.status, result.stderr).toBe(0);
    expect(result.calls().match(/list-command-invocations --command-id/g)!.length).toBeGreaterThanOrEqual(5);
    const rows = result.stdout.split('\n').filter((line) => line.startsWith('i-'));
    expect(rows.map((row) => row.split(/\s+/)[0])).toEqual([a, b, c]);
    expect(rows[0]).toMatch(/Success\s+0\s+healthy: sha256:aaaa \(commit 1111\)$/);
    expect(rows[2]).toMatch(/Success\s+0\s+ok$/);
    expect(result.summary()).toContain(`| \`${a}\` | Success | 0 | healthy: sha256:aaaa (commit 1111) |`);
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
      outputs: `${a}\tdeploy: result: healthy\n${b}\tdeploy: result: FAILED: not healthy within 2s; rolled back\n----------ERROR-------\nfailed to run commands: exit status 1\n`,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`failed on: ${b}`);
    expect(result.stderr).not.toContain(a);
    expect(result.stdout).toContain(`${status} (${details})`.replace(` (${status})`, ''));
    expect(result.summary()).toContain(`| \`${b}\` |`);
  });

  it('exits 1 on a command-level Incomplete even when every listed invocation says Success', () => {
    const result = wait({
      command: [['Success', 'Incomplete']],
      polls: [[success(a)]],
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ended Success (Incomplete)');
  });

  it('lets the command status catch up with its invocations before deciding', () => {
    // GIVEN invocations final at once, and the command reporting Incomplete only on its third read
    const result = wait({
      command: [['InProgress', 'InProgress'], ['InProgress', 'InProgress'], ['Failed', 'Incomplete']],
      polls: [[success(a)]],
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ended Failed (Incomplete)');
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

  it('gives up on an invocation that never appears once the command itself has ended', () => {
    // GIVEN a command that ended while instance b was never delivered
    const result = wait({ targets: [a, b], command: [['InProgress', 'InProgress'], ['Failed', 'Incomplete']], polls: [[success(a)]], timeout: '60' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`failed on: ${b}`);
    expect(result.stdout).toMatch(new RegExp(`${b}\\s+Pending \\(NotDelivered\\)`));
    expect(result.seconds).toBeLessThan(30);
  });

  it('escapes | in the Markdown summary', () => {
    const result = wait({ command: [['Success', 'Success']], polls: [[success(a)]], outputs: `${a}\tdeploy: result: a | b\n` });
    expect(result.status).toBe(0);
    expect(result.summary()).toContain('| a \\| b |');
  });
});
