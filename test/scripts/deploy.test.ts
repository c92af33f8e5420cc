import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { accountIdPlaceholder } from '../../src/components/terraform.js';
import { MARKER } from '../../src/render/marker.js';
import type { MotoServer } from '../support/moto.js';
import { tempDir, writePreset } from '../support/render-preset.js';
import { runScript, startSsmMoto } from '../support/script-runner.js';
import { requireTool } from '../support/tools.js';

// The generated deploy scripts, run for real against a local AWS: moto, patched by test/support/moto-ssm-launcher.py
// so that send-command runs the RENDERED deploy document's command (which runs the rendered host script) with /bin/sh
// in a sandbox per instance, with docker/curl stand-ins (test/support/host-stubs) on its PATH.
const app = 'demo';
const environment = 'production';
const document = `${app}-${environment}-deploy`;
const lkgParameter = `/${app}/${environment}/last-known-good-image`;
const account = '123456789012'; // moto's account
const registry = `${account}.dkr.ecr.us-east-1.amazonaws.com`;

let moto: MotoServer;
let recorder: string;
let repo: string;
let sandbox: string;
let ami: string;
const images: Record<'a' | 'b' | 'c', { image: string; commit: string }> = {} as never;

function aws(...args: string[]): string {
  return execFileSync('aws', args, { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...moto.env }, encoding: 'utf8' }).trim();
}

interface JournalEvent {
  readonly t: number;
  readonly event: 'send' | 'start' | 'end';
  readonly commandId: string;
  readonly instanceIds?: string[];
  readonly instanceId?: string;
  readonly status?: string;
  readonly parameters?: Record<string, string[]>;
}

function journal(): JournalEvent[] {
  const path = join(sandbox, 'journal.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalEvent);
}

/**
 * Replaces the environment's fleet: terminates every instance, runs `count` tagged ones, and answers their ids sorted
 * (the order deploy.sh uses: the first is the canary). `extraTags[i]` is added to the i-th of those.
 */
function fleet(count: number, extraTags: Record<number, Record<string, string>> = {}): string[] {
  const running = aws('ec2', 'describe-instances', '--filters', 'Name=instance-state-name,Values=running', '--query', 'Reservations[].Instances[].InstanceId', '--output', 'text');
  if (running) aws('ec2', 'terminate-instances', '--instance-ids', ...running.split(/\s+/));
  if (count === 0) return [];
  const spec = `ResourceType=instance,Tags=[{Key=App,Value=${app}},{Key=Environment,Value=${environment}}]`;
  const ids = aws('ec2', 'run-instances', '--image-id', ami, '--instance-type', 't3.micro', '--count', String(count), '--tag-specifications', spec, '--query', 'Instances[].InstanceId', '--output', 'text')
    .split(/\s+/)
    .sort();
  for (const [index, tags] of Object.entries(extraTags)) {
    aws('ec2', 'create-tags', '--resources', ids[Number(index)]!, '--tags', ...Object.entries(tags).map(([key, value]) => `Key=${key},Value=${value}`));
  }
  return ids;
}

function control(instance: string, name: string, content = ''): void {
  mkdirSync(join(sandbox, instance, 'control'), { recursive: true });
  writeFileSync(join(sandbox, instance, 'control', name), content);
}

const hostFile = (instance: string, path: string) => (existsSync(join(sandbox, instance, path)) ? readFileSync(join(sandbox, instance, path), 'utf8') : '');
const current = (instance: string) => hostFile(instance, 'state/current');
const running = (instance: string) => hostFile(instance, 'docker/container');
const lkg = () => aws('ssm', 'get-parameter', '--name', lkgParameter, '--query', 'Parameter.Value', '--output', 'text');

/** "service operation" of each AWS CLI call a script made, in order (the scripts put --region first). */
function operations(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^--region \S+ /, '').split(' ').slice(0, 2).join(' '));
}

function script(name: string, args: string[]) {
  const dir = tempDir('script-run-');
  const summary = join(dir, 'summary.md');
  const calls = join(dir, 'aws-calls');
  const started = Date.now();
  const result = runScript(join(repo, 'scripts', name), args, {
    ...moto.env,
    PATH: `${recorder}:${process.env.PATH}`,
    AWS_CALL_LOG: calls,
    GITHUB_STEP_SUMMARY: summary,
    DEPLOY_POLL_INTERVAL: '0.2',
  });
  return {
    ...result,
    seconds: (Date.now() - started) / 1000,
    summary: () => (existsSync(summary) ? readFileSync(summary, 'utf8') : ''),
    /** The AWS CLI calls it made, as "service operation". */
    calls: () => operations(calls),
  };
}

const deploy = (image: { image: string; commit: string }, ...extra: string[]) =>
  script('deploy.sh', ['--environment', environment, '--image', image.image, '--commit', image.commit, '--timeout', '1', ...extra]);

/** Pushes an image manifest tagged with its commit (as deploy.yml does) and answers its by-digest reference. */
function pushImage(commit: string, seed: string): { image: string; commit: string } {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${seed.repeat(64)}` },
    // moto derives the image digest from the layer digests: one distinct layer per image.
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: `sha256:${seed.repeat(64)}` }],
  });
  const digest = aws('ecr', 'put-image', '--repository-name', app, '--image-tag', commit, '--image-manifest', manifest, '--query', 'image.imageId.imageDigest', '--output', 'text');
  return { image: `${registry}/${app}@${digest}`, commit };
}

beforeAll(async () => {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  // Each AWS CLI call of a script under test is written to $AWS_CALL_LOG, then made: every call costs the better part
  // of a second, so how many a deploy makes is part of its contract.
  const realAws = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
  recorder = tempDir('aws-recorder-');
  writeFileSync(join(recorder, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$*" >>"$AWS_CALL_LOG"\nexec '${realAws}' "$@"\n`, { mode: 0o755 });
  sandbox = tempDir('moto-ssm-sandbox-');
  moto = await startSsmMoto(sandbox);
  repo = writePreset('default');
  // The document Terraform creates: the rendered file, with the account id Terraform fills in.
  const documentFile = join(repo, 'terraform/modules/ssm-deploy/deploy-document.yaml');
  if (!existsSync(documentFile)) throw new Error('terraform/modules/ssm-deploy/deploy-document.yaml is not rendered: the deploy tests need the real document');
  const content = join(tempDir('document-'), 'document.yaml');
  writeFileSync(content, readFileSync(documentFile, 'utf8').replaceAll(accountIdPlaceholder, account));
  aws('ssm', 'create-document', '--name', document, '--document-type', 'Command', '--document-format', 'YAML', '--content', `file://${content}`);
  // As the ssm-deploy module creates it: "none" until a deploy is healthy everywhere.
  aws('ssm', 'put-parameter', '--name', lkgParameter, '--type', 'String', '--value', 'none');
  aws('ecr', 'create-repository', '--repository-name', app);
  images.a = pushImage('a'.repeat(40), '1');
  images.b = pushImage('b'.repeat(40), '2');
  images.c = pushImage('c'.repeat(40), '3');
  ami = aws('ec2', 'describe-images', '--query', 'Images[0].ImageId', '--output', 'text');
});

afterAll(async () => {
  await moto?.stop();
});

describe('scripts/deploy.sh against a local AWS', () => {
  it('runs the rendered document, which embeds scripts/host/deploy.sh unchanged', () => {
    // GIVEN the document's one command, as SSM reads it
    const parsed = parse(readFileSync(join(repo, 'terraform/modules/ssm-deploy/deploy-document.yaml'), 'utf8')) as {
      mainSteps: { action: string; inputs: { runCommand: string[] } }[];
    };
    expect(parsed.mainSteps.map((step) => step.action)).toEqual(['aws:runShellScript']);
    const [command] = parsed.mainSteps[0]!.inputs.runCommand;
    // WHEN the script it writes is cut out of its quoted heredoc
    const embedded = command!.split(/<<'(\w+)'\n/);
    const delimiter = embedded[1]!;
    const body = embedded[2]!.split(`\n${delimiter}\n`)[0]!;
    // THEN it is the rendered host script, byte for byte (less projen's marker line)
    const hostScript = readFileSync(join(repo, 'scripts/host/deploy.sh'), 'utf8').replace(`# ${MARKER}\n`, '');
    expect(`${body}\n`).toBe(hostScript);
  });

  it('deploys to a single instance, reports it, and promotes last-known-good', () => {
    // GIVEN one Online instance
    const [instance] = fleet(1);
    const sent = journal().length;
    // WHEN image A is deployed
    const result = deploy(images.a);
    // THEN it succeeded, the host runs A with its commit, A is last-known-good, and the table says so
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const sends = journal().slice(sent).filter((e) => e.event === 'send');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.instanceIds).toEqual([instance]);
    expect(sends[0]!.parameters).toEqual({ ImageUri: [images.a.image], Commit: [images.a.commit], HealthTimeoutSeconds: ['1'] });
    expect(running(instance!)).toBe(`${images.a.image} ${images.a.commit}\n`);
    expect(current(instance!)).toBe(`${images.a.image} ${images.a.commit}\n`);
    expect(lkg()).toBe(images.a.image);
    expect(result.stdout).toMatch(new RegExp(`${instance}\\s+Success\\s+0\\s+healthy: sha256:`));
    expect(result.summary()).toContain(`| \`${instance}\` | Success | 0 | healthy: sha256:`);
    expect(result.summary()).toContain(`\`${lkgParameter}\` now points at this image`);
    // AND it made the AWS calls a deploy needs and no others: pre-flight, send, polls (the last one carries the table)
    const calls = result.calls();
    expect(calls.slice(0, 3)).toEqual(['ec2 describe-instances', 'ssm describe-instance-information', 'ssm send-command']);
    expect(calls.at(-1)).toBe('ssm put-parameter');
    const polls = calls.slice(3, -1);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(new Set(polls)).toEqual(new Set(['ssm list-command-invocations']));
  });

  it('deploys to three instances canary first, then the rest; status.sh shows the result', () => {
    // GIVEN three Online instances
    const ids = fleet(3);
    const sent = journal().length;
    // WHEN image B is deployed
    const result = deploy(images.b);
    // THEN one command went to the canary (the first id), and the rest were sent only after it had succeeded
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const events = journal().slice(sent);
    const sends = events.filter((e) => e.event === 'send');
    expect(sends.map((e) => e.instanceIds)).toEqual([[ids[0]], [ids[1], ids[2]]]);
    const canaryEnd = events.find((e) => e.event === 'end' && e.commandId === sends[0]!.commandId)!;
    expect(canaryEnd.status).toBe('Success');
    expect(canaryEnd.t).toBeLessThan(sends[1]!.t);
    for (const id of ids) expect(current(id)).toBe(`${images.b.image} ${images.b.commit}\n`);
    expect(lkg()).toBe(images.b.image);
    expect(result.summary()).toMatch(/^#### Canary$[\s\S]*^#### Remaining instances$/m);
    // AND each wave was one send-command and its polls: no list-commands, no call for the output
    const calls = result.calls().filter((call) => call !== 'ssm list-command-invocations');
    expect(calls).toEqual(['ec2 describe-instances', 'ssm describe-instance-information', 'ssm send-command', 'ssm send-command', 'ssm put-parameter']);
    expect(result.calls().filter((call) => call === 'ssm list-command-invocations').length).toBeGreaterThanOrEqual(2);

    // WHEN status.sh is asked about the environment
    const status = script('status.sh', ['--environment', environment]);
    // THEN it lists every instance Online, the last-known-good image and how the latest command ended on each
    expect(status.status, status.stderr).toBe(0);
    for (const id of ids) expect(status.stdout).toMatch(new RegExp(`${id}\\s+Online`));
    expect(status.stdout).toContain(`last-known-good image (${lkgParameter}): ${images.b.image}`);
    expect(status.stdout).toMatch(new RegExp(`${ids[2]}\\s+Success \\(Success\\)`));
  });

  it('fails with exit 1 naming the instance whose host failed, keeps last-known-good, and rollback.sh restores the fleet', () => {
    // GIVEN three instances healthy on A, and B that never becomes healthy on the last one
    const ids = fleet(3);
    expect(deploy(images.a).status).toBe(0);
    control(ids[2]!, 'unhealthy', `${images.b.image}\n`);
    // WHEN B is deployed
    const result = deploy(images.b);
    // THEN the deploy fails naming that instance; it rolled itself back to A; A stays last-known-good
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`failed on: ${ids[2]}`);
    expect(result.stderr).not.toContain(`failed on: ${ids[0]}`);
    expect(result.stdout).toMatch(new RegExp(`${ids[2]}\\s+Failed\\s+1\\s+FAILED: sha256:\\w+ not healthy within 1s; rolled back to sha256:`));
    expect(running(ids[2]!)).toBe(`${images.a.image} ${images.a.commit}\n`);
    expect(current(ids[2]!)).toBe(`${images.a.image} ${images.a.commit}\n`);
    expect(current(ids[0]!)).toBe(`${images.b.image} ${images.b.commit}\n`);
    expect(lkg()).toBe(images.a.image);
    expect(result.summary()).toContain('**Failed**');

    // WHEN the operator rolls back all at once (default image: last-known-good, its commit from the ECR tag)
    const sent = journal().length;
    const rollback = script('rollback.sh', ['--environment', environment, '--timeout', '1', '--no-canary']);
    // THEN one command went to every instance, and every one runs A again
    expect(rollback.status, rollback.stdout + rollback.stderr).toBe(0);
    const sends = journal().slice(sent).filter((e) => e.event === 'send');
    expect(sends.map((e) => e.instanceIds)).toEqual([ids]);
    expect(sends[0]!.parameters).toMatchObject({ ImageUri: [images.a.image], Commit: [images.a.commit] });
    for (const id of ids) expect(current(id)).toBe(`${images.a.image} ${images.a.commit}\n`);
    expect(lkg()).toBe(images.a.image);
  });

  it('stops after a failed canary: the other instances never receive the command', () => {
    // GIVEN three fresh instances, and C unhealthy on the canary (the first id)
    const ids = fleet(3);
    control(ids[0]!, 'unhealthy', `${images.c.image}\n`);
    const before = lkg();
    const sent = journal().length;
    // WHEN C is deployed
    const result = deploy(images.c);
    // THEN exit 1 names the canary, only the canary got the command, and nothing else changed
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`deploy failed on the canary ${ids[0]}`);
    expect(journal().slice(sent).filter((e) => e.event === 'send').map((e) => e.instanceIds)).toEqual([[ids[0]]]);
    expect(hostFile(ids[0]!, 'docker/runs')).toContain(images.c.image);
    for (const id of ids.slice(1)) expect(hostFile(id, 'docker/calls')).toBe('');
    for (const id of ids) expect(current(id)).toBe('');
    expect(lkg()).toBe(before);
  });

  it('gives up at the deadline (exit 1) when the host command never finishes', () => {
    // GIVEN an instance whose docker pull hangs
    const [instance] = fleet(1);
    control(instance!, 'pull-hangs');
    const before = lkg();
    // WHEN a deploy waits at most 3 s
    const result = deploy(images.c, '--wait-timeout', '3');
    // THEN it stops waiting, says the command is still running there, and promotes nothing
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`is still running on: ${instance}`);
    expect(result.seconds).toBeLessThan(60);
    expect(lkg()).toBe(before);
  });

  it.each([
    ['ConnectionLost', 'ConnectionLost'],
    ['Absent', 'not registered with SSM'],
  ])('fails pre-flight (exit 3) and sends nothing when an instance is %s', (ping, shown) => {
    // GIVEN two instances, one of them not Online in SSM
    const ids = fleet(2, { 1: { MotoSsmPingStatus: ping } });
    const sent = journal().length;
    // WHEN a deploy starts
    const result = deploy(images.c);
    // THEN it names that instance, exits 3, and no command was sent to any instance
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`not Online in SSM: ${ids[1]} (${shown}); nothing was sent`);
    expect(journal().slice(sent)).toEqual([]);
    expect(aws('ssm', 'list-commands', '--query', `length(Commands[?contains(InstanceIds, '${ids[0]}')])`, '--output', 'text')).toBe('0');
  });

  it('refuses to roll back (exit 2, nothing sent) before any deploy was healthy everywhere', () => {
    // GIVEN the parameter as Terraform creates it
    const before = lkg();
    aws('ssm', 'put-parameter', '--name', lkgParameter, '--type', 'String', '--value', 'none', '--overwrite');
    const sent = journal().length;
    try {
      const result = script('rollback.sh', ['--environment', environment]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`${lkgParameter} holds no image yet`);
      expect(journal().slice(sent)).toEqual([]);
    } finally {
      aws('ssm', 'put-parameter', '--name', lkgParameter, '--type', 'String', '--value', before, '--overwrite');
    }
  });

  it('fails pre-flight (exit 3) when no instance is tagged for the environment', () => {
    fleet(0);
    const result = deploy(images.c);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`no running instance is tagged App=${app}, Environment=${environment}`);
  });

  it('exits 3 with nothing run when the document refuses the image (another account)', () => {
    // GIVEN an image of another account: deploy.sh's own check admits any account, the document admits only this one
    const [instance] = fleet(1);
    const sent = journal().length;
    const foreign = { image: images.c.image.replace(account, '999999999999'), commit: images.c.commit };
    const result = deploy(foreign);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('InvalidParameters');
    expect(journal().slice(sent)).toEqual([]);
    expect(current(instance!)).toBe('');
  });

  // wait-for-command.test.ts covers every final status; these two come from the launcher's delivery emulation, the
  // second one with the command-level Incomplete it causes (SSM's aggregate: a delivery timeout is not an error).
  it.each([
    ['Undeliverable', 'Failed'],
    ['DeliveryTimedOut', 'Incomplete'],
  ])('fails (exit 1) when the invocation ends %s (the command: %s) without reading the command', (delivery, commandDetails) => {
    const [instance] = fleet(1, { 0: { MotoSsmDelivery: delivery } });
    const before = lkg();
    const result = deploy(images.c);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`failed on: ${instance}`);
    expect(result.stdout).toContain(delivery);
    expect(lkg()).toBe(before);
    // The failure came from the invocation's own status: the command's aggregate says the same, and was not read.
    const commandId = /sent command (\S+)/.exec(result.stdout)![1]!;
    expect(aws('ssm', 'list-commands', '--command-id', commandId, '--query', 'Commands[0].StatusDetails', '--output', 'text')).toBe(commandDetails);
    expect(result.calls()).not.toContain('ssm list-commands');
  });
});
