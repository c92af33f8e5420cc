import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER } from '../../src/render/marker.js';
import { generatedVersions } from '../../src/render/versions.js';
import {
  applyAsgEnvironment,
  awsCli,
  groupInstances,
  hostFile,
  readJournal,
  until,
  uploadRelease,
  type AsgEnvironment,
  type JournalEvent,
  type Release,
} from '../support/asg-fleet.js';
import type { MotoServer } from '../support/moto.js';
import { tempDir, writePreset } from '../support/render-preset.js';
import { runScript, startAsgMoto, type ScriptResult } from '../support/script-runner.js';
import { requireTerraform } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';

// The asg target's deploy scripts, run for real against a local AWS: moto patched by test/support/moto-asg-launcher.py
// (on top of moto-ssm-launcher.py), with the rendered environment root applied to it (fleet, deploy document,
// parameters; -target, without the load balancer and the roles). The Auto Scaling group launches its instances, each
// runs the RENDERED user data in its own sandbox (boot, lifecycle hook), send-command runs the RENDERED deploy document
// there, and the target group's health follows what each host runs (the systemctl/curl stand-ins of
// test/support/host-stubs/asg-bin). moto gaps handled by the launchers, not in the templates: lifecycle hooks given at
// creation, Pending:Wait and CompleteLifecycleAction, target registration only on InService, target health
// (initial/draining/unhealthy), describe-instance-information, list-command-invocations, per-instance send-command,
// resolve:ssm images, snapshot tags of CreateImage, SourceVersion of CreateLaunchTemplateVersion, instance refreshes.
const app = 'fleet';
const environment = 'production';

let moto: MotoServer;
let sandbox: string;
let repo: string;
let env: AsgEnvironment;
const releases: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f', Release> = {} as never;

const aws = (...args: string[]) => awsCli(moto, ...args);
const journal = () => readJournal(sandbox);
const running = (instance: string) => hostFile(sandbox, instance, 'service/running').trim();
const lkg = () => aws('ssm', 'get-parameter', '--name', env.lkgParameter, '--query', 'Parameter.Value', '--output', 'text');
const inService = () => groupInstances(moto, env.group).InService ?? [];
const targetHealth = () =>
  Object.fromEntries(
    aws('elbv2', 'describe-target-health', '--target-group-arn', env.targetGroup, '--query', 'TargetHealthDescriptions[].[Target.Id,TargetHealth.State]', '--output', 'text')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t') as [string, string]),
  );
const setCapacity = (count: number) => aws('autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', env.group, '--desired-capacity', String(count));

function control(instance: string, name: string, content = ''): void {
  mkdirSync(join(sandbox, instance, 'control'), { recursive: true });
  writeFileSync(join(sandbox, instance, 'control', name), content);
}

function scriptEnv(summary: string): Record<string, string> {
  return { ...moto.env, GITHUB_STEP_SUMMARY: summary, DEPLOY_POLL_INTERVAL: '0.2' };
}

/** Runs a generated script and answers its result, its run time and the job summary it wrote. */
function script(name: string, args: string[]) {
  const summary = join(tempDir('asg-script-'), 'summary.md');
  const started = Date.now();
  const result = runScript(join(repo, 'scripts', name), args, scriptEnv(summary), 600_000);
  return { ...result, seconds: (Date.now() - started) / 1000, summary: () => (existsSync(summary) ? readFileSync(summary, 'utf8') : '') };
}

/** The same, in the background: the test acts on the fleet while the script runs. */
function scriptInBackground(name: string, args: string[]): Promise<ScriptResult> {
  const child = spawn(join(repo, 'scripts', name), args, { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...scriptEnv(join(tempDir('asg-script-'), 'summary.md')) } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const deploy = (release: Release, ...extra: string[]) => script('deploy.sh', ['--environment', environment, '--release', release.commit, '--timeout', '1', ...extra]);

/** Events from index `from` on, of one kind. */
const since = (from: number, kind: JournalEvent['event']) => journal().slice(from).filter((e) => e.event === kind);

/**
 * What each instance went through in a deploy, from the journal: the time it was deregistered, sent the document, its
 * host finished, and it was registered again (first of each after `from`).
 */
function timeline(from: number, instance: string) {
  const events = journal().slice(from);
  const first = (kind: JournalEvent['event'], match: (e: JournalEvent) => boolean) => events.find((e) => e.event === kind && match(e))?.t;
  return {
    deregistered: first('deregister', (e) => e.instanceIds!.includes(instance)),
    sent: first('send', (e) => e.instanceIds!.includes(instance)),
    ended: first('end', (e) => e.instanceId === instance),
    registered: first('register', (e) => e.instanceIds!.includes(instance)),
  };
}

/** The most instances out of the target group at one time, replaying deregistrations and registrations from `from`. */
function mostDrainedAtOnce(from: number): number {
  const out = new Set<string>();
  let most = 0;
  for (const e of journal().slice(from)) {
    if (e.event === 'deregister') for (const id of e.instanceIds!) out.add(id);
    if (e.event === 'register') for (const id of e.instanceIds!) out.delete(id);
    most = Math.max(most, out.size);
  }
  return most;
}

beforeAll(async () => {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  requireTerraform();
  sandbox = tempDir('moto-asg-sandbox-');
  moto = await startAsgMoto(sandbox);
  repo = writePreset('asg');
  env = await applyAsgEnvironment(moto, repo, app, environment);
  for (const [key, seed] of [['a', 'a'], ['b', 'b'], ['c', 'c'], ['d', 'd'], ['e', 'e'], ['f', 'f']] as const) {
    releases[key] = uploadRelease(moto, env.bucket, seed.repeat(40));
  }
}, 600_000);

afterAll(async () => {
  await moto?.stop();
});

describe('the asg scripts against a local AWS with a fleet the Auto Scaling group launched', { timeout: 600_000 }, () => {
  it('runs the rendered document and boot script, which embed scripts/host/deploy.sh unchanged', () => {
    const host = readFileSync(join(repo, 'scripts/host/deploy.sh'), 'utf8').replace(`# ${MARKER}\n`, '');
    const document = readFileSync(join(repo, 'terraform/modules/ssm-deploy/deploy-document.yaml'), 'utf8');
    const indented = host
      .split('\n')
      .map((line) => (line === '' ? '' : `          ${line}`))
      .join('\n');
    expect(document).toContain(indented);
    const boot = readFileSync(join(repo, 'terraform/modules/asg-fleet/user-data.sh'), 'utf8');
    expect(boot).toContain(`<<'HOST_DEPLOY_SCRIPT'\n${host}HOST_DEPLOY_SCRIPT\n`);
    // AND the user data fits the 16 KB EC2 allows (before base64)
    expect(Buffer.byteLength(boot)).toBeLessThan(16_384);
    // AND the document Terraform created names the release bucket, the only one its command downloads from
    const content = aws('ssm', 'get-document', '--name', env.document, '--query', 'Content', '--output', 'text');
    expect(content).toContain(`--bucket '${env.bucket}'`);
    expect(content).not.toContain('@@');
  });

  it('first deploy: the instances waiting for a first release are deployed, put in service and registered; last-known-good is set', () => {
    // GIVEN the two instances the group launched, waiting in their lifecycle hook (no release yet)
    const waiting = groupInstances(moto, env.group)['Pending:Wait'] ?? [];
    expect(waiting).toHaveLength(2);
    for (const id of waiting) expect(hostFile(sandbox, id, 'boot.log')).toContain('no release yet');
    expect(lkg()).toBe('none');
    const from = journal().length;
    // WHEN release A is deployed
    const result = deploy(releases.a);
    // THEN both run A, each completed its launch (CONTINUE) after its deploy, the group registered it, A is last-known-good
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(inService()).toEqual(waiting);
    for (const id of waiting) {
      expect(running(id)).toBe(releases.a.commit);
      const lifecycle = since(from, 'lifecycle').find((e) => e.instanceId === id)!;
      expect(lifecycle.result).toBe('CONTINUE');
      expect(since(from, 'end').find((e) => e.instanceId === id)!.t).toBeLessThan(lifecycle.t);
    }
    expect(lkg()).toBe(`${releases.a.commit} ${releases.a.sha256}`);
    expect(Object.values(targetHealth())).toEqual(['healthy', 'healthy']);
    // AND the release is owned by the service's user, and the unit runs as it (seed 001: root-owned files)
    const host = waiting[0]!;
    expect(hostFile(sandbox, host, 'host-calls')).toMatch(new RegExp(`chown -R ${app}:${app} .*/unpacked`));
    const unit = hostFile(sandbox, host, `systemd/${app}.service`);
    expect(unit).toMatch(/^User=fleet$/m);
    expect(unit).toMatch(new RegExp(`^ExecStart=/usr/bin/node-${generatedVersions.node} dist/server\\.js$`, 'm'));
    expect(result.summary()).toMatch(/\| Instance \| Batch \| Result \|/);
  });

  it('scale-out: a new instance boots last-known-good and comes in service only after its own check passed', async () => {
    // GIVEN a fleet on A WHEN the group grows to four
    const before = inService();
    const from = journal().length;
    setCapacity(4);
    await until('4 instances in service', () => inService().length === 4, 90);
    const added = inService().filter((id) => !before.includes(id));
    // THEN each new one booted A from its user data, reported CONTINUE itself, and was registered only after that
    for (const id of added) {
      expect(running(id)).toBe(releases.a.commit);
      expect(hostFile(sandbox, id, 'boot.log')).toContain(`deploying the last-known-good release ${releases.a.commit}`);
      const lifecycle = since(from, 'lifecycle').find((e) => e.instanceId === id)!;
      const registered = since(from, 'register').find((e) => e.instanceIds!.includes(id))!;
      expect(lifecycle.result).toBe('CONTINUE');
      expect(registered.by).toBe('autoscaling');
      expect(registered.t).toBeGreaterThanOrEqual(lifecycle.t);
      expect(since(from, 'boot-end').find((e) => e.instanceId === id)!.exitCode).toBe(0);
    }
    await until('the new instances healthy', () => Object.values(targetHealth()).filter((s) => s === 'healthy').length === 4, 30);
  });

  it('scale-out: a boot that fails is abandoned, never put in service, and the group replaces the instance', async () => {
    // GIVEN the next instance's host cannot run A
    mkdirSync(join(sandbox, 'next-boot'), { recursive: true });
    writeFileSync(join(sandbox, 'next-boot', 'unhealthy'), `${releases.a.commit}\n`);
    const from = journal().length;
    // WHEN the group grows to five
    setCapacity(5);
    await until('5 instances in service', () => inService().length === 5, 120);
    // THEN the first new instance abandoned its launch and was never registered; its replacement is in service on A
    const abandoned = since(from, 'lifecycle').find((e) => e.result === 'ABANDON')!;
    expect(abandoned).toBeDefined();
    expect(since(from, 'register').some((e) => e.instanceIds!.includes(abandoned.instanceId!))).toBe(false);
    expect(inService()).not.toContain(abandoned.instanceId);
    expect(aws('ec2', 'describe-instances', '--instance-ids', abandoned.instanceId!, '--query', 'Reservations[0].Instances[0].State.Name', '--output', 'text')).toBe('terminated');
    const replacement = since(from, 'lifecycle').find((e) => e.result === 'CONTINUE')!;
    expect(running(replacement.instanceId!)).toBe(releases.a.commit);
    expect(hostFile(sandbox, abandoned.instanceId!, 'boot.log')).toContain('the last-known-good release is not ready on this instance');
    // (back to four for the next tests)
    setCapacity(4);
    await until('4 instances', () => inService().length === 4, 30);
  });

  it('deploys canary first, then batches of --batch-size, each instance drained before its deploy and registered after', () => {
    // GIVEN four instances on A
    const ids = inService();
    expect(ids).toHaveLength(4);
    const from = journal().length;
    // WHEN B is deployed two at a time
    const result = deploy(releases.b, '--batch-size', '2');
    // THEN one command went to the canary, then one per batch: [canary], [2], [1]
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(since(from, 'send').map((e) => e.instanceIds)).toEqual([[ids[0]], [ids[1], ids[2]], [ids[3]]]);
    expect(since(from, 'send')[0]!.parameters).toEqual({ Release: [releases.b.commit], Sha256: [releases.b.sha256], HealthTimeoutSeconds: ['1'] });
    // AND every instance left the target group before its deploy and came back after its host was ready
    for (const id of ids) {
      const t = timeline(from, id);
      expect(t.deregistered, id).toBeDefined();
      expect(t.deregistered!).toBeLessThan(t.sent!);
      expect(t.sent!).toBeLessThan(t.ended!);
      expect(t.ended!).toBeLessThan(t.registered!);
    }
    // AND the next batch started only once the canary was back and healthy; never more than a batch out at once
    expect(timeline(from, ids[0]!).registered!).toBeLessThan(timeline(from, ids[1]!).deregistered!);
    expect(mostDrainedAtOnce(from)).toBe(2);
    for (const id of ids) expect(running(id)).toBe(releases.b.commit);
    expect(lkg()).toBe(`${releases.b.commit} ${releases.b.sha256}`);
    expect(result.stdout).toMatch(new RegExp(`${ids[3]}\\s+Batch 2\\s+deployed bbbbbbbbbbbb`));
  });

  it('a failing host in the second batch: canary and first batch go back to last-known-good, which stays; exit 1', () => {
    // GIVEN four instances on B, and C never ready on the third (the second batch of one)
    const ids = inService();
    control(ids[2]!, 'unhealthy', `${releases.c.commit}\n`);
    const from = journal().length;
    // WHEN C is deployed one at a time
    const result = deploy(releases.c, '--batch-size', '1');
    // THEN it fails naming the batch, every instance changed runs B again, the fourth never got C, B stays last-known-good
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain('deploy failed in Batch 2');
    const sends = since(from, 'send');
    expect(sends.slice(0, 3).map((e) => [e.instanceIds, e.parameters!.Release![0]])).toEqual([
      [[ids[0]], releases.c.commit],
      [[ids[1]], releases.c.commit],
      [[ids[2]], releases.c.commit],
    ]);
    expect(sends.slice(3).flatMap((e) => e.instanceIds).sort()).toEqual([ids[0], ids[1], ids[2]].sort());
    for (const e of sends.slice(3)) expect(e.parameters!.Release).toEqual([releases.b.commit]);
    expect(sends.some((e) => e.instanceIds!.includes(ids[3]!) && e.parameters!.Release![0] === releases.c.commit)).toBe(false);
    for (const id of ids) expect(running(id), id).toBe(releases.b.commit);
    expect(lkg()).toBe(`${releases.b.commit} ${releases.b.sha256}`);
    expect(result.stdout).toMatch(new RegExp(`${ids[0]}\\s+Batch 1\\s+rolled back`));
    // AND every instance is back in the target group, healthy
    expect(targetHealth()).toEqual(Object.fromEntries(ids.map((id) => [id, 'healthy'])));
    expect(result.summary()).toContain('**Failed** in Batch 2');
  });

  it('a release whose archive does not match its checksum is refused on the host; nothing changes', () => {
    // GIVEN D's archive replaced in the bucket by other bytes, its recorded SHA-256 left as it was
    aws('s3api', 'put-object', '--bucket', env.bucket, '--key', `releases/${releases.d.commit}.tar.gz`, '--body', releases.c.archive, '--metadata', `sha256=${releases.d.sha256}`);
    const ids = inService();
    // WHEN D is deployed
    const result = deploy(releases.d);
    // THEN the canary's host refused it (nothing unpacked, nothing switched), the deploy failed, B is still everywhere
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`${ids[0]}\\s+Failed\\s+3\\s+checksum mismatch: releases/${releases.d.commit}\\.tar\\.gz has SHA-256 `));
    expect(existsSync(join(sandbox, ids[0]!, 'app', 'releases', releases.d.commit))).toBe(false);
    for (const id of ids) expect(running(id)).toBe(releases.b.commit);
    expect(lkg()).toBe(`${releases.b.commit} ${releases.b.sha256}`);
  });

  it('an instance the group launches during a deploy boots the old release, and ends on the new one', async () => {
    // GIVEN four instances on B WHEN E is deployed and the group grows while the canary deploys
    const before = inService();
    const from = journal().length;
    const run = scriptInBackground('deploy.sh', ['--environment', environment, '--release', releases.e.commit, '--timeout', '1', '--batch-size', '4']);
    await until('the canary command', () => since(from, 'send').length > 0, 120);
    setCapacity(5);
    const result = await run;
    // THEN the newcomer booted B (last-known-good then), and the deploy brought it to E after promoting E
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const newcomer = inService().find((id) => !before.includes(id))!;
    expect(newcomer).toBeDefined();
    expect(hostFile(sandbox, newcomer, 'boot.log')).toContain(`deploying the last-known-good release ${releases.b.commit}`);
    expect(running(newcomer)).toBe(releases.e.commit);
    expect(result.stdout).toContain(`instances launched during the deploy: ${newcomer}`);
    for (const id of inService()) expect(running(id)).toBe(releases.e.commit);
    expect(lkg()).toBe(`${releases.e.commit} ${releases.e.sha256}`);
    setCapacity(4);
    await until('4 instances', () => inService().length === 4, 30);
  });

  it('rollback.sh returns the fleet to any release still in the bucket; status.sh shows the fleet', () => {
    // WHEN the operator rolls back to A, all at once
    const result = script('rollback.sh', ['--environment', environment, '--release', releases.a.commit, '--timeout', '1', '--no-canary', '--batch-size', '4']);
    // THEN every instance runs A (kept on the hosts: no download), and A is last-known-good again
    expect(result.status, result.stdout + result.stderr).toBe(0);
    for (const id of inService()) expect(running(id)).toBe(releases.a.commit);
    expect(lkg()).toBe(`${releases.a.commit} ${releases.a.sha256}`);
    const status = script('status.sh', ['--environment', environment]);
    expect(status.status, status.stderr).toBe(0);
    for (const id of inService()) expect(status.stdout).toMatch(new RegExp(`${id}\\s+InService\\s+Online\\s+healthy`));
    expect(status.stdout).toContain(`last-known-good release (${env.lkgParameter}): ${releases.a.commit} ${releases.a.sha256}`);
  });

  it('bake.sh: an image of a healthy instance, tagged with the release, booted by new instances; old images deleted', async () => {
    // WHEN the fleet (on A) is baked twice, keeping one image
    const from = journal().length;
    const first = script('bake.sh', ['--environment', environment, '--keep', '1', '--wait', '--poll-interval', '0.2']);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const firstImage = aws('ssm', 'get-parameter', '--name', env.amiParameter, '--query', 'Parameter.Value', '--output', 'text');
    const firstSnapshot = aws('ec2', 'describe-images', '--image-ids', firstImage, '--query', 'Images[0].BlockDeviceMappings[0].Ebs.SnapshotId', '--output', 'text');
    const second = script('bake.sh', ['--environment', environment, '--keep', '1', '--poll-interval', '0.2']);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    const image = aws('ssm', 'get-parameter', '--name', env.amiParameter, '--query', 'Parameter.Value', '--output', 'text');
    // THEN the image is tagged for the environment and the release (its snapshot too)
    const tags = JSON.parse(aws('ec2', 'describe-images', '--image-ids', image, '--query', 'Images[0].Tags', '--output', 'json')) as { Key: string; Value: string }[];
    expect(tags).toEqual(expect.arrayContaining([{ Key: 'App', Value: app }, { Key: 'Environment', Value: environment }, { Key: 'Release', Value: releases.a.commit }]));
    // AND the launch template has a new default version recording the bake, still reading the AMI from the parameter
    const version = JSON.parse(aws('ec2', 'describe-launch-template-versions', '--launch-template-name', env.group, '--versions', '$Default', '--output', 'json')) as {
      LaunchTemplateVersions: { VersionNumber: number; VersionDescription: string; LaunchTemplateData: { ImageId: string; UserData?: string } }[];
    };
    const defaultVersion = version.LaunchTemplateVersions[0]!;
    expect(defaultVersion.VersionDescription).toBe(`bake of release ${releases.a.commit.slice(0, 12)}: ${image}`);
    expect(defaultVersion.LaunchTemplateData.ImageId).toBe(`resolve:ssm:${env.amiParameter}`);
    expect(defaultVersion.LaunchTemplateData.UserData).toBeTruthy();
    // AND each bake started an instance refresh keeping 90% in service
    expect(since(from, 'refresh').map((e) => e.preferences)).toEqual([
      { MinHealthyPercentage: 90, SkipMatching: false },
      { MinHealthyPercentage: 90, SkipMatching: false },
    ]);
    // AND the first image and its snapshot are gone (one kept)
    expect(aws('ec2', 'describe-images', '--owners', 'self', '--filters', `Name=tag:App,Values=${app}`, '--query', 'Images[].ImageId', '--output', 'text')).toBe(image);
    expect(() => aws('ec2', 'describe-snapshots', '--snapshot-ids', firstSnapshot)).toThrow(/InvalidSnapshot.NotFound/);
    // AND an instance launched now boots the baked image
    const launched = journal().length;
    setCapacity(5);
    await until('a launch', () => since(launched, 'launch').length > 0, 60);
    expect(since(launched, 'launch')[0]!.imageId).toBe(image);
    await until('5 instances', () => inService().length === 5, 60);
    setCapacity(4);
  });

  it('fails pre-flight (exit 3) and deploys nothing when an instance is not Online, the release is not uploaded, or it is recorded with another SHA-256 than the one promoted', () => {
    const ids = inService();
    aws('ec2', 'create-tags', '--resources', ids[1]!, '--tags', 'Key=MotoSsmPingStatus,Value=ConnectionLost');
    try {
      const from = journal().length;
      const result = deploy(releases.f);
      expect(result.status).toBe(3);
      expect(result.stderr).toContain(`not Online in SSM: ${ids[1]} (ConnectionLost); nothing was deployed`);
      expect(journal().slice(from).filter((e) => e.event === 'send' || e.event === 'deregister')).toEqual([]);
    } finally {
      aws('ec2', 'delete-tags', '--resources', ids[1]!, '--tags', 'Key=MotoSsmPingStatus');
    }
    const missing = deploy({ commit: '9'.repeat(40), sha256: '', archive: '' });
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain(`s3://${env.bucket}/releases/${'9'.repeat(40)}.tar.gz cannot be read with its checksum`);
    // (F as built and promoted has F's SHA-256; the bucket now records another, as if archive and record were replaced)
    const from = journal().length;
    const replaced = deploy(releases.f, '--sha256', releases.e.sha256);
    expect(replaced.status, replaced.stdout + replaced.stderr).toBe(3);
    expect(replaced.stderr).toContain(`is recorded with SHA-256 ${releases.f.sha256}, not ${releases.e.sha256} (what was built and deployed before): it was replaced; nothing was deployed`);
    expect(journal().slice(from).filter((e) => e.event === 'send' || e.event === 'deregister')).toEqual([]);
  });
});
