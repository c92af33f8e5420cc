import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderPreset, tempDir } from '../support/render-preset.js';
import { hostAwsStub, hostStubs, runScript, type ScriptResult } from '../support/script-runner.js';

// The host side of a deploy, run directly with docker, curl and aws stand-ins (test/support/host-stubs): what SSM runs
// on an instance. The stubs keep a "container" per sandbox and answer /health for it, as the service would.
const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const image = (hex: string) => `${registry}/demo@sha256:${hex.repeat(64)}`;
const commitOf = (hex: string) => hex.repeat(40);
const [imageA, imageB, imageC] = [image('a'), image('b'), image('c')];
const [commitA, commitB, commitC] = [commitOf('1'), commitOf('2'), commitOf('3')];

let script: string;

beforeAll(() => {
  const file = renderPreset('default').find((f) => f.path === 'scripts/host/deploy.sh');
  if (!file) throw new Error('scripts/host/deploy.sh is not rendered');
  script = join(tempDir('host-script-'), 'deploy.sh');
  writeFileSync(script, file.content, { mode: 0o755 });
});

/** One host: its sandbox holds the stubs' state, the test controls and DEPLOY_STATE_DIR. */
function host() {
  const sandbox = tempDir('host-');
  const stateDir = join(sandbox, 'state');
  const control = (name: string, content = '') => {
    mkdirSync(join(sandbox, 'control'), { recursive: true });
    writeFileSync(join(sandbox, 'control', name), content);
  };
  const read = (path: string) => (existsSync(join(sandbox, path)) ? readFileSync(join(sandbox, path), 'utf8') : '');
  const deploy = (img: string, commit: string, timeout = '2'): ScriptResult =>
    runScript(script, ['--image', img, '--commit', commit, '--timeout', timeout], {
      PATH: `${hostStubs}:${hostAwsStub}:${process.env.PATH}`,
      SANDBOX_DIR: sandbox,
      DEPLOY_STATE_DIR: stateDir,
    });
  return {
    sandbox,
    deploy,
    control,
    current: () => read('state/current'),
    previous: () => read('state/previous'),
    running: () => read('docker/container'),
    dockerCalls: () => read('docker/calls'),
    images: () => read('docker/images'),
    history: () => read('state/history'),
  };
}

describe('host deploy script (scripts/host/deploy.sh, the SSM document body)', () => {
  it('logs in to ECR, pulls before stopping anything, runs the image and records it as current', () => {
    // GIVEN a fresh host
    const h = host();
    // WHEN the first image is deployed
    const result = h.deploy(imageA, commitA);
    // THEN it is healthy, running, and recorded as current with no previous
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toBe(`deploy: result: healthy: sha256:${'a'.repeat(12)} (commit ${'1'.repeat(12)})`);
    expect(h.running()).toBe(`${imageA} ${commitA}\n`);
    expect(h.current()).toBe(`${imageA} ${commitA}\n`);
    expect(h.previous()).toBe('');
    const calls = h.dockerCalls().split('\n');
    const index = (prefix: string) => calls.findIndex((line) => line.startsWith(prefix));
    expect(index(`docker login --username AWS --password-stdin ${registry}`)).toBeGreaterThanOrEqual(0);
    expect(index('docker pull')).toBeGreaterThan(index('docker login'));
    expect(index('docker run')).toBeGreaterThan(index('docker pull'));
    expect(calls.find((line) => line.startsWith('docker run'))).toBe(
      `docker run --detach --name demo --restart unless-stopped --publish 8000:8000 --env APP_COMMIT=${commitA} ${imageA}`,
    );
  });

  it('records the replaced image as previous on a healthy deploy, and keeps only current and previous images', () => {
    // GIVEN a host running A
    const h = host();
    expect(h.deploy(imageA, commitA).status).toBe(0);
    // WHEN B and then C are deployed healthy
    expect(h.deploy(imageB, commitB).status).toBe(0);
    const calls = h.dockerCalls().split('\n');
    // THEN B was pulled while A still ran (pull before stop), and current/previous follow the deploys
    const lastPull = calls.map((line) => line.startsWith(`docker pull --quiet ${imageB}`)).lastIndexOf(true);
    const lastStop = calls.map((line) => line.startsWith('docker stop')).lastIndexOf(true);
    expect(lastPull).toBeLessThan(lastStop);
    expect(h.current()).toBe(`${imageB} ${commitB}\n`);
    expect(h.previous()).toBe(`${imageA} ${commitA}\n`);
    expect(h.deploy(imageC, commitC).status).toBe(0);
    expect(h.current()).toBe(`${imageC} ${commitC}\n`);
    expect(h.previous()).toBe(`${imageB} ${commitB}\n`);
    expect(h.images().trim().split('\n').sort()).toEqual([imageB, imageC]);
  });

  it('rolls back to the previous digest when the new image never becomes healthy, and exits 1', () => {
    // GIVEN a host running A healthy, and B that answers 503
    const h = host();
    expect(h.deploy(imageA, commitA).status).toBe(0);
    h.control('unhealthy', `${imageB}\n`);
    // WHEN B is deployed
    const result = h.deploy(imageB, commitB);
    // THEN the deploy fails, A runs again (checked healthy), and current still names A
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`rolled back to sha256:${'a'.repeat(12)} (healthy)`);
    expect(h.running()).toBe(`${imageA} ${commitA}\n`);
    expect(h.current()).toBe(`${imageA} ${commitA}\n`);
    expect(h.previous()).toBe('');
    expect(h.history()).toMatch(new RegExp(`failed ${imageB.replace(/\./g, '\\.')} ${commitB}\n.* rolled-back ${imageA.replace(/\./g, '\\.')}`));
    expect(result.stderr).toContain('container: stub log line of the container');
  });

  it('does not accept another version answering /health: the commit must be the intended one', () => {
    // GIVEN a host running A, and /health answering with some other commit whatever runs
    const h = host();
    expect(h.deploy(imageA, commitA).status).toBe(0);
    h.control('answer-commit', commitC);
    // WHEN B is deployed
    const result = h.deploy(imageB, commitB);
    // THEN it is not declared healthy, and the rollback to A cannot prove health either: the host says the service is down
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('the service is DOWN');
    expect(h.current()).toBe(`${imageA} ${commitA}\n`);
  });

  it('fails with exit 1 and leaves no current when the very first image is unhealthy', () => {
    const h = host();
    h.control('unhealthy', `${imageA}\n`);
    const result = h.deploy(imageA, commitA);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('no previous image to roll back to');
    expect(h.current()).toBe('');
  });

  it('changes nothing (exit 3) when the pull fails', () => {
    // GIVEN a host running A, and a registry that refuses B
    const h = host();
    expect(h.deploy(imageA, commitA).status).toBe(0);
    h.control('pull-fails');
    // WHEN B is deployed
    const result = h.deploy(imageB, commitB);
    // THEN the running container was never touched
    expect(result.status).toBe(3);
    expect(result.stdout).toContain('nothing was changed');
    expect(h.running()).toBe(`${imageA} ${commitA}\n`);
    expect(h.dockerCalls().split('\n').filter((line) => line.startsWith('docker stop'))).toHaveLength(0);
  });

  it('changes nothing (exit 3) when the Docker daemon is down', () => {
    const h = host();
    h.control('docker-down');
    const result = h.deploy(imageA, commitA);
    expect(result.status).toBe(3);
    expect(result.stdout).toContain('Docker daemon is not running');
    expect(h.running()).toBe('');
  });

  it('refuses to run beside a live deploy (exit 3), and takes over the lock of a dead one', () => {
    // GIVEN a deploy lock held by a live process (this test runner)
    const h = host();
    mkdirSync(join(h.sandbox, 'state', 'deploy.lock'), { recursive: true });
    writeFileSync(join(h.sandbox, 'state', 'deploy.lock', 'pid'), `${process.pid}\n`);
    // WHEN a deploy starts
    const blocked = h.deploy(imageA, commitA);
    // THEN it changes nothing
    expect(blocked.status).toBe(3);
    expect(blocked.stdout).toContain(`another deploy (pid ${process.pid}) is running`);
    expect(h.dockerCalls()).not.toContain('docker pull');
    // GIVEN the holder died (killed by an SSM timeout, say)
    writeFileSync(join(h.sandbox, 'state', 'deploy.lock', 'pid'), `${spawnSync('true').pid}\n`);
    // WHEN a deploy starts THEN it proceeds, and releases the lock when done
    expect(h.deploy(imageA, commitA).status).toBe(0);
    expect(existsSync(join(h.sandbox, 'state', 'deploy.lock'))).toBe(false);
  });

  it('renders without "{{" (SSM would read it as a parameter) and without the document heredoc delimiter', () => {
    const content = readFileSync(script, 'utf8');
    expect(content).not.toContain('{{');
    expect(content).not.toMatch(/^HOST_DEPLOY_SCRIPT$/m);
  });
});
