import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startKubeStandIn, type KubeStandIn, type PodBehaviour } from '../support/kube-api-standin.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { presets } from '../support/presets.js';
import { tempDir, writePreset } from '../support/render-preset.js';
import { execa } from 'execa';
import { requireTool } from '../support/tools.js';

// The eks target's scripts, run for real: the rendered deploy.sh and rollback.sh call the real AWS CLI against moto
// (test/support/moto-eks-launcher.py: the cluster's endpoint and certificate are the stand-in's, so
// `aws eks update-kubeconfig` writes a kubeconfig that works) and the real kubectl against a Kubernetes API stand-in
// (test/support/kube-api-standin.ts: enough of the API for apply, rollout status and undo, and a Deployment
// controller whose pods behave as each test says). moto has no EKS access entries: the stand-in plays a cluster
// where the caller has one (or, in the pre-flight tests, none). Speed only: kubectl runs `aws eks get-token` for every
// call, a second or more of Python each on these machines, so an `aws` first on PATH keeps the real CLI's token for a
// cluster and hands it out again (a token is good for 15 minutes); every other command goes to the real CLI.

const preset = 'eks';
const app = presets[preset].name;
const environment = 'production';
const cluster = `${app}-${environment}`;
const namespace = app;
const registry = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${app}`;
const image = (n: number) => `${registry}@sha256:${String(n).repeat(64).slice(0, 64)}`;

let kube: KubeStandIn;
let moto: MotoServer;
let repo: string;
let awsShim: string;

beforeAll(async () => {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  requireTool('kubectl', 'see https://kubernetes.io/docs/tasks/tools/', ['version', '--client']);
  kube = await startKubeStandIn();
  moto = await startMoto({
    launcher: resolve(import.meta.dirname, '../support/moto-eks-launcher.py'),
    env: { MOTO_EKS_ENDPOINT: kube.url, MOTO_EKS_CA_DATA: kube.caData },
  });
  execFileSync('aws', ['eks', 'create-cluster', '--name', cluster, '--role-arn', `arn:aws:iam::123456789012:role/${cluster}-cluster`, '--resources-vpc-config', 'subnetIds=subnet-1,subnet-2'], {
    env: { ...process.env, ...moto.env },
    stdio: 'ignore',
  });
  repo = writePreset(preset);
  const realAws = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
  awsShim = tempDir('aws-token-cache-');
  writeFileSync(
    join(awsShim, 'aws'),
    [
      '#!/bin/sh',
      'case "$*" in',
      '  *"eks get-token"*)',
      `    cache='${awsShim}'/token-$(printf '%s' "$*" | cksum | cut -d ' ' -f 1)`,
      '    if [ -s "$cache" ]; then cat "$cache"; exit 0; fi',
      `    '${realAws}' "$@" >"$cache.new" && mv "$cache.new" "$cache" && cat "$cache"`,
      '    exit',
      '    ;;',
      'esac',
      `exec '${realAws}' "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}, 120_000);

afterAll(async () => {
  await kube?.stop();
  await moto?.stop();
});

beforeEach(() => {
  kube.reset();
  kube.createNamespace(namespace);
});

/**
 * Runs a script with exactly this environment (plus PATH and HOME). Asynchronously: the stand-in serves from this
 * process, and a synchronous child process would block it.
 */
async function script(name: string, args: string[]) {
  const summary = join(tempDir('eks-summary-'), 'summary.md');
  const result = await execa(join(repo, 'scripts', name), args, {
    env: { PATH: `${awsShim}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: process.env.HOME ?? '/tmp', ...moto.env, GITHUB_STEP_SUMMARY: summary },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 180_000,
  });
  return { status: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr), summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '' };
}

const deploy = async (img: string, ...extra: string[]) => script('deploy.sh', ['--environment', environment, '--image', img, ...extra]);

/** Writes the stand-in received: "METHOD path" of every request that changes something. */
const writes = () => kube.requests.filter((r) => !['GET'].includes(r.method)).map((r) => `${r.method} ${r.path}`);
const undoSent = () => kube.requests.some((r) => r.method === 'PATCH' && r.path.endsWith(`/deployments/${app}`) && r.contentType.includes('json-patch'));
const running = () => kube.get('deployments', namespace, app)?.spec.template.spec.containers[0].image as string | undefined;

function failingWith(behaviour: PodBehaviour) {
  return (img: string) => (img === image(2) ? behaviour : 'healthy');
}

describe('scripts/deploy.sh (eks) against moto and a Kubernetes API stand-in', () => {
  it('rolls out an image: exit 0, the digest given is what the Deployment runs, no undo', async () => {
    // WHEN the first image is deployed
    const result = await deploy(image(1));
    // THEN it succeeds, with the Deployment on exactly that image, applied by kubectl as the caller of `aws eks get-token`
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(running()).toBe(image(1));
    expect(kube.requests.every((r) => r.token.startsWith('k8s-aws-v1.'))).toBe(true);
    expect(writes()).toEqual(expect.arrayContaining([`POST /apis/apps/v1/namespaces/${namespace}/deployments`, `POST /api/v1/namespaces/${namespace}/services`]));
    expect(undoSent()).toBe(false);
    expect(result.summary).toContain('**Deployed**');
    // AND nothing is left behind in the checkout
    expect(readdirSync(join(repo, 'kubernetes')).filter((name) => name.startsWith('.deploy'))).toEqual([]);
  });

  it('deploys a second image as a new revision of the same Deployment', async () => {
    expect((await deploy(image(1))).status).toBe(0);
    const second = await deploy(image(3));
    expect(second.status, second.stderr).toBe(0);
    expect(running()).toBe(image(3));
    expect(kube.get('deployments', namespace, app)!.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
    expect(undoSent()).toBe(false);
  });

  it.each([
    ['crash-loop', /crash loop/],
    ['image-pull', /image pull failed; Failed: Failed to pull image/],
    ['failing-probe', /failing probe; Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503/],
    ['unschedulable', /FailedScheduling: 0\/2 nodes are available/],
  ] as const)('a rollout whose new pods fail (%s): rollout undo sent, exit 1, the reason printed', async (behaviour, reason) => {
    // GIVEN a healthy first deploy, and a second image whose pods fail
    expect((await deploy(image(1))).status).toBe(0);
    kube.behaviour = failingWith(behaviour);
    // WHEN the second image is deployed with a short deadline
    const result = await deploy(image(2), '--timeout', '3');
    // THEN the deploy fails, says why, and the Deployment is back on the first image
    expect(result.status, result.stderr + result.stdout).toBe(1);
    expect(result.stdout).toMatch(reason);
    expect(result.stderr).toMatch(/did not complete within 3s; rolled back to revision 1/);
    expect(undoSent()).toBe(true);
    expect(running()).toBe(image(1));
    expect(result.summary).toMatch(/\*\*Why\*\*/);
  });

  it('a failing first deploy has nothing to undo: exit 1, said so, no undo sent', async () => {
    kube.behaviour = failingWith('crash-loop');
    const result = await deploy(image(2), '--timeout', '2');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/first deploy, so there is no earlier revision/);
    expect(undoSent()).toBe(false);
  });

  it.each([
    ['no access entry (Unauthorized)', () => (kube.unauthorized = true), /no access entry for this role/],
    ['an access entry scoped to another namespace (forbidden)', () => (kube.forbiddenNamespace = namespace), /may edit the namespace/],
    ['no namespace yet', () => kube.reset(), /does not exist .* applies kubernetes\/cluster\//],
  ])('pre-flight fails with %s: exit 3, nothing applied', async (_, arrange, hint) => {
    arrange();
    const result = await deploy(image(1));
    expect(result.status, result.stderr).toBe(3);
    expect(result.stderr).toMatch(hint);
    expect(writes()).toEqual([]);
  });

  it.each([
    ['a tag instead of a digest', `${registry}:latest`],
    ['another repository', `123456789012.dkr.ecr.us-east-1.amazonaws.com/other@sha256:${'a'.repeat(64)}`],
  ])('refuses %s before calling AWS or the cluster: exit 2', async (_, img) => {
    const result = await deploy(img);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--image must be this app's repository by digest/);
    expect(kube.requests).toEqual([]);
  });
});

describe('scripts/rollback.sh (eks)', () => {
  it('lists the revisions, and goes back to any earlier one', async () => {
    // GIVEN three deploys
    for (const n of [1, 3, 4]) expect((await deploy(image(n))).status).toBe(0);
    // WHEN the history is listed
    const list = await script('rollback.sh', ['--environment', environment, '--list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`1\\s+${image(1).replace(/[.]/g, '\\.')}`));
    expect(list.stdout).toMatch(/3\s+\S+\s+\(current\)/);
    // AND revision 1 is asked for
    const result = await script('rollback.sh', ['--environment', environment, '--revision', '1']);
    // THEN the Deployment runs the first image again
    expect(result.status, result.stderr + result.stdout).toBe(0);
    expect(running()).toBe(image(1));
  });

  it('without --revision goes back one; refuses a revision that is not in the history (exit 2)', async () => {
    for (const n of [1, 3]) expect((await deploy(image(n))).status).toBe(0);
    expect((await script('rollback.sh', ['--environment', environment, '--revision', '9'])).status).toBe(2);
    const result = await script('rollback.sh', ['--environment', environment]);
    expect(result.status, result.stderr).toBe(0);
    expect(running()).toBe(image(1));
  });
});
