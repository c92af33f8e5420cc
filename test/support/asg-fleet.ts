import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MotoServer } from './moto.js';
import { addFile, terraform } from './terraform-cli.js';

/**
 * An asg environment as the deploy scripts meet it, on moto patched by moto-asg-launcher.py: the rendered environment
 * root applied with `-target=module.fleet -target=module.ssm_deploy` (network, target group, launch template with the
 * rendered user data, Auto Scaling group with its lifecycle hook, the deploy document with the bucket filled in, the
 * last-known-good and AMI parameters), and the release bucket the bootstrap would create. The load balancer itself
 * (a minute of provider polling) and the roles are left out: test/terraform/apply-asg.test.ts applies them.
 */
export interface AsgEnvironment {
  readonly root: string;
  readonly group: string;
  readonly bucket: string;
  readonly document: string;
  readonly lkgParameter: string;
  readonly amiParameter: string;
  readonly targetGroup: string;
}

export const motoAccount = '123456789012';

/** The AWS CLI against moto, answering its trimmed stdout. */
export function awsCli(moto: MotoServer, ...args: string[]): string {
  return execFileSync('aws', args, { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...moto.env }, encoding: 'utf8' }).trim();
}

/**
 * Drift moto invents on an asg root's re-plan, ignored by an override file in terraform/modules/asg-fleet (never in the
 * templates): the scaling policy comes back `enabled = false` with an empty predictive_scaling_configuration; a
 * security group rule that references a security group loses its description.
 */
export function addAsgMotoDrift(repo: string): void {
  addFile(join(repo, 'terraform', 'modules', 'asg-fleet'), 'moto_override.tf', `# moto-only drift (see test/terraform/apply-asg.test.ts): never in the templates.
resource "aws_autoscaling_policy" "cpu" {
  lifecycle {
    ignore_changes = [enabled, predictive_scaling_configuration]
  }
}

resource "aws_vpc_security_group_ingress_rule" "app" {
  lifecycle {
    ignore_changes = [description]
  }
}
`);
}

/** Aims an environment root at moto: path-style S3 and a local backend (as prepareForMoto does for whole repos). */
export function aimAtMoto(root: string): void {
  addFile(root, 'moto_provider_override.tf', 'provider "aws" {\n  s3_use_path_style = true\n}\n');
  addFile(root, 'moto_backend_override.tf', 'terraform {\n  backend "local" {}\n}\n');
}

export async function applyAsgEnvironment(moto: MotoServer, repo: string, name: string, environment: string, vars: Record<string, string | number> = {}): Promise<AsgEnvironment> {
  const root = join(repo, 'terraform', 'environments', environment);
  aimAtMoto(root);
  const bucket = `${name}-releases-${motoAccount}`;
  awsCli(moto, 's3api', 'create-bucket', '--bucket', bucket);
  await terraform(root, ['init', '-input=false'], { env: moto.env });
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ['-var', `${key}=${value}`]);
  await terraform(root, ['apply', '-auto-approve', '-input=false', '-target=module.fleet', '-target=module.ssm_deploy', ...varArgs], { env: moto.env });
  const group = `${name}-${environment}`;
  const targetGroup = awsCli(moto, 'autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', group, '--query', 'AutoScalingGroups[0].TargetGroupARNs[0]', '--output', 'text');
  return {
    root,
    group,
    bucket,
    document: `${name}-${environment}-deploy`,
    lkgParameter: `/${name}/${environment}/last-known-good-release`,
    amiParameter: `/${name}/${environment}/ami-id`,
    targetGroup,
  };
}

export interface Release {
  readonly commit: string;
  readonly sha256: string;
  readonly archive: string;
}

/**
 * A release archive as build-release.sh lays it out (release.env with APP_COMMIT, package.json, dist/), uploaded to
 * releases/<commit>.tar.gz with its SHA-256 in the object's metadata, as build-release.sh uploads it. The systemctl
 * stand-in "runs" whatever release.env names; what the build itself produces is checked by the build's own test.
 */
export function uploadRelease(moto: MotoServer, bucket: string, commit: string): Release {
  const dir = mkdtempSync(join(tmpdir(), 'asg-release-'));
  const content = join(dir, 'content');
  mkdirSync(join(content, 'dist'), { recursive: true });
  writeFileSync(join(content, 'release.env'), `APP_COMMIT=${commit}\n`);
  writeFileSync(join(content, 'package.json'), '{"name":"service","type":"module"}\n');
  writeFileSync(join(content, 'dist', 'server.js'), `console.log(${JSON.stringify(commit)});\n`);
  const archive = join(dir, `${commit}.tar.gz`);
  execFileSync('tar', ['--create', '--gzip', '--file', archive, '--directory', content, '--mode=u+rwX,go+rX', '.']);
  const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
  awsCli(moto, 's3api', 'put-object', '--bucket', bucket, '--key', `releases/${commit}.tar.gz`, '--body', archive, '--metadata', `sha256=${sha256}`);
  return { commit, sha256, archive };
}

export interface JournalEvent {
  readonly t: number;
  readonly event: 'send' | 'start' | 'end' | 'launch' | 'boot-start' | 'boot-end' | 'lifecycle' | 'register' | 'deregister' | 'refresh';
  readonly commandId?: string;
  readonly instanceIds?: string[];
  readonly instanceId?: string;
  readonly status?: string;
  readonly parameters?: Record<string, string[]>;
  readonly result?: string;
  readonly by?: string;
  readonly exitCode?: number;
  readonly imageId?: string;
  readonly preferences?: Record<string, unknown>;
}

/** Every event the launchers wrote to the sandbox's journal.jsonl, in order. */
export function readJournal(sandbox: string): JournalEvent[] {
  const path = join(sandbox, 'journal.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalEvent);
}

/** The group's instances by lifecycle state (sorted ids), as describe-auto-scaling-groups answers. */
export function groupInstances(moto: MotoServer, group: string): Record<string, string[]> {
  const text = awsCli(moto, 'autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', group, '--query', 'AutoScalingGroups[0].Instances[].[InstanceId,LifecycleState]', '--output', 'text');
  const byState: Record<string, string[]> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const [id, state] = line.split('\t') as [string, string];
    (byState[state] ??= []).push(id);
  }
  for (const ids of Object.values(byState)) ids.sort();
  return byState;
}

/** Waits (polling moto) until `ready` answers true, or fails after `seconds`. */
export async function until(what: string, ready: () => boolean, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting after ${seconds}s for: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A file of an instance's sandbox ("disk"), or '' when absent. */
export function hostFile(sandbox: string, instance: string, path: string): string {
  const full = join(sandbox, instance, path);
  return existsSync(full) ? readFileSync(full, 'utf8') : '';
}
