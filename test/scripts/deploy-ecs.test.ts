import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountEnv, startMoto, type MotoServer } from '../support/moto.js';
import { presetNamesFor, presets } from '../support/presets.js';
import { renderPreset, tempDir, writeFiles } from '../support/render-preset.js';
import { terraformRevision as revisionOf } from '../support/ecs-fixture.js';
import { callRecorders, runScript } from '../support/script-runner.js';
import { requireTool } from '../support/tools.js';

// The ecs scripts, run for real against moto for everything it emulates (ECR, task definitions, services, update by
// full ARN), and through test/support/ecs-rollout-stub/aws for what it does not: moto never moves a deployment, so the
// stand-in answers the rollout ECS would report (COMPLETED, circuit-breaker rollback, primary on another revision, or
// IN_PROGRESS for ever) and the stopped task of a failed rollout. The cluster and services are created as Terraform
// creates them (test/terraform/apply-ecs.test.ts applies the real roots; here only what the scripts touch, for speed).
const app = 'demo';
const environment = 'production';
const cluster = `${app}-${environment}`;
const account = '123456789012'; // moto's
const region = 'us-east-1';
const registry = `${account}.dkr.ecr.${region}.amazonaws.com`;
const rolloutStub = resolve(import.meta.dirname, '../support/ecs-rollout-stub');
const services = ['api', 'frontend'] as const;
type Service = (typeof services)[number];

let moto: MotoServer;
let repo: string;
let realAws: string;
let recorder: string;
const images: Record<'a' | 'b' | 'c', Record<Service, string>> = {} as never;
const commits = { a: 'a'.repeat(40), b: 'b'.repeat(40), c: 'c'.repeat(40) };

function awsIn(env: Record<string, string>, ...args: string[]): string {
  return execFileSync(realAws, ['--region', region, ...args], { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, encoding: 'utf8' }).trim();
}
const aws = (...args: string[]) => awsIn(moto.env, ...args);
const awsJson = <T>(...args: string[]) => JSON.parse(aws(...args, '--output', 'json')) as T;

const terraformRevision = (service: Service, overrides: Record<string, unknown> = {}) => revisionOf({ app, environment, region, account, service }, overrides);

function register(json: string, env = moto.env): string {
  const file = join(tempDir('td-'), 'td.json');
  writeFileSync(file, json);
  return awsIn(env, 'ecs', 'register-task-definition', '--cli-input-json', `file://${file}`, '--query', 'taskDefinition.taskDefinitionArn', '--output', 'text');
}

/** Pushes an image manifest tagged with its commit (as deploy.yml does) and answers its by-digest reference. */
function pushImage(service: Service, commit: string, seed: string, where = { app, env: moto.env, registry }): string {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${seed.repeat(64)}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: `sha256:${seed.repeat(64)}` }],
  });
  const digest = awsIn(where.env, 'ecr', 'put-image', '--repository-name', `${where.app}-${service}`, '--image-tag', commit, '--image-manifest', manifest, '--query', 'image.imageId.imageDigest', '--output', 'text');
  return `${where.registry}/${where.app}-${service}@${digest}`;
}

/** Creates, as Terraform does, what the scripts touch: a cluster and its services on Terraform's revisions. */
function createServices(env: Record<string, string>, where: { app: string; environment: string; account: string; registryAccount?: string }): void {
  const vpc = awsIn(env, 'ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16', '--query', 'Vpc.VpcId', '--output', 'text');
  const subnet = awsIn(env, 'ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.128.0/20', '--query', 'Subnet.SubnetId', '--output', 'text');
  const group = awsIn(env, 'ec2', 'create-security-group', '--group-name', 'tasks', '--description', 'tasks', '--vpc-id', vpc, '--query', 'GroupId', '--output', 'text');
  const clusterName = `${where.app}-${where.environment}`;
  awsIn(env, 'ecs', 'create-cluster', '--cluster-name', clusterName);
  for (const service of services) {
    const arn = register(revisionOf({ ...where, region, service }), env);
    awsIn(env, 'ecs', 'create-service', '--cluster', clusterName, '--service-name', service, '--task-definition', arn, '--desired-count', '2', '--launch-type', 'FARGATE',
      '--network-configuration', `awsvpcConfiguration={subnets=[${subnet}],securityGroups=[${group}],assignPublicIp=DISABLED}`);
  }
}

const running = (service: Service) => aws('ecs', 'describe-services', '--cluster', cluster, '--services', service, '--query', 'services[0].taskDefinition', '--output', 'text');
const described = (arn: string) => awsJson<{ taskDefinition: Record<string, unknown> & { containerDefinitions: { image: string }[] } }>('ecs', 'describe-task-definition', '--task-definition', arn).taskDefinition;

/** A revision as register-task-definition takes it: without what AWS adds (ARN, revision, status, dates). */
function settings(arn: string): Record<string, unknown> {
  const { taskDefinitionArn, revision, status, registeredAt, registeredBy, requiresAttributes, compatibilities, ...rest } = described(arn);
  void [taskDefinitionArn, revision, status, registeredAt, registeredBy, requiresAttributes, compatibilities];
  return rest;
}

/** "service operation" of each AWS CLI call a script made, in order. */
function operations(log: string): string[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => line.replace(/^--region \S+ /, '').split(' ').slice(0, 2).join(' '));
}

/** Runs a script of `where.repo` with `where.env`'s credentials; `where.bin`: a folder put first on PATH (it calls the recorder). */
function script(name: string, args: string[], rollout: Record<string, string> = {}, where: { repo: string; env: Record<string, string>; bin?: string } = { repo, env: moto.env }) {
  const dir = tempDir('ecs-script-');
  const summary = join(dir, 'summary.md');
  const calls = join(dir, 'aws-calls');
  const result = runScript(join(where.repo, 'scripts', name), args, {
    ...where.env,
    PATH: `${where.bin ? `${where.bin}:` : ''}${recorder}:${rolloutStub}:${process.env.PATH}`,
    REAL_AWS: realAws,
    ECS_ROLLOUT_STATE: join(dir, 'rollout'),
    ECS_ROLLOUT_READS: '2',
    AWS_CALL_LOG: calls,
    GITHUB_STEP_SUMMARY: summary,
    DEPLOY_POLL_INTERVAL: '0.1',
    ...rollout,
  });
  return {
    ...result,
    output: result.stdout + result.stderr,
    summary: () => (existsSync(summary) ? readFileSync(summary, 'utf8') : ''),
    calls: () => operations(calls),
  };
}

const imageArgs = (set: Record<Service, string>, only: readonly Service[] = services) => only.flatMap((s) => ['--image', `${s}=${set[s]}`]);
const deploy = (set: Record<Service, string>, rollout: Record<string, string> = {}, ...extra: string[]) =>
  script('deploy.sh', ['--environment', environment, ...imageArgs(set), ...extra], rollout);

beforeAll(() => {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  requireTool('jq', 'apt-get install -y jq');
}, 10_000);

beforeAll(async () => {
  realAws = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
  // Each AWS CLI call a script makes (through the stand-in, which then calls the real CLI) is logged first.
  recorder = tempDir('aws-recorder-');
  writeFileSync(join(recorder, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$*" >>"$AWS_CALL_LOG"\nexec '${rolloutStub}/aws' "$@"\n`, { mode: 0o755 });
  moto = await startMoto({ region });
  repo = writeFiles(tempDir('ecs-scripts-'), renderPreset('ecs'));
  for (const service of services) aws('ecr', 'create-repository', '--repository-name', `${app}-${service}`, '--image-tag-mutability', 'IMMUTABLE');
  createServices(moto.env, { app, environment, account });
  for (const [set, seed] of [['a', '1'], ['b', '2'], ['c', '3']] as const) {
    images[set] = { api: pushImage('api', commits[set], seed), frontend: pushImage('frontend', commits[set], String(Number(seed) + 3)) };
  }
}, 300_000);

afterAll(async () => {
  await moto?.stop();
});

describe('ecs scripts, static checks', () => {
  const scripts = ['scripts/deploy.sh', 'scripts/rollback.sh', 'scripts/status.sh'];

  it.each(presetNamesFor('ecs'))('preset %s: renders exactly the three scripts, executable, and passes shellcheck -s sh', (preset) => {
    requireTool('shellcheck', 'apt-get install -y shellcheck');
    const files = renderPreset(preset).filter((f) => f.path.startsWith('scripts/'));
    expect(files.map((f) => f.path).sort()).toEqual(scripts);
    for (const file of files) expect(file.mode, file.path).toBe(0o755);
    const root = writeFiles(tempDir('ecs-shellcheck-'), files);
    expect(() => execFileSync('shellcheck', ['-s', 'sh', ...scripts], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it.each(scripts)('%s --help exits 0, prints its usage and exit codes, and calls nothing', (name) => {
    const recorders = callRecorders(tempDir('ecs-help-'));
    const result = runScript(join(repo, name), ['--help'], { PATH: `${recorders.bin}:${process.env.PATH}` });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: \S+\.sh /);
    expect(result.stdout).toMatch(/Exit codes: 0 /);
    expect(recorders.calls()).toBe('');
  });

  const image = `api=${registry}/${app}-api@sha256:${'a'.repeat(64)}`;
  it.each([
    ['deploy.sh', [], /--environment is required/],
    ['deploy.sh', ['--environment', 'staging', '--image', image], /unknown environment "staging"/],
    ['deploy.sh', ['--environment', environment], /--image SERVICE=IMAGE is required/],
    ['deploy.sh', ['--environment', environment, '--image', `${registry}/${app}-api@sha256:${'a'.repeat(64)}`], /--image must be SERVICE=IMAGE/],
    ['deploy.sh', ['--environment', environment, '--image', `worker=${registry}/${app}-worker@sha256:${'a'.repeat(64)}`], /unknown service "worker"/],
    ['deploy.sh', ['--environment', environment, '--image', `api=${registry}/${app}-api:latest`], /the api image must be its repository by digest/],
    ['deploy.sh', ['--environment', environment, '--image', `api=${registry}/${app}-frontend@sha256:${'a'.repeat(64)}`], /the api image must be its repository by digest/],
    ['deploy.sh', ['--environment', environment, '--image', image, '--image', image], /--image names api twice/],
    ['deploy.sh', ['--environment', environment, '--image', image, '--timeout', '0'], /--timeout must be/],
    ['deploy.sh', ['--environment', environment, '--image', image, '--region', 'mars'], /not an AWS region/],
    ['rollback.sh', ['--environment', environment], /--service is required/],
    ['rollback.sh', ['--environment', environment, '--service', 'api', '--revision', '3', '--commit', commits.a], /exclude each other/],
    ['rollback.sh', ['--environment', environment, '--service', 'api', '--commit', 'HEAD'], /--commit must be a 40-hex/],
    ['rollback.sh', ['--environment', environment, '--service', 'api', '--revision', 'latest'], /--revision must be a revision number/],
    ['status.sh', [], /--environment is required/],
  ] as const)('%s %j exits 2 before any AWS call', (name, args, message) => {
    const recorders = callRecorders(tempDir('ecs-usage-'));
    const result = runScript(join(repo, 'scripts', name), [...args], { PATH: `${recorders.bin}:${process.env.PATH}` });
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(2);
    expect(recorders.calls()).toBe('');
  });
});

describe('scripts/deploy.sh against a local AWS, with rollouts from the stand-in', () => {
  it('deploys both services: each registered revision differs from the previous one only in the image, and is running', () => {
    // GIVEN both services on Terraform's revisions
    const before = Object.fromEntries(services.map((s) => [s, running(s)])) as Record<Service, string>;
    // WHEN images A are deployed and ECS completes both rollouts
    const result = deploy(images.a);
    // THEN exit 0, each service runs a new revision whose every setting but the image is the previous revision's
    expect(result.status, result.output).toBe(0);
    for (const service of services) {
      const now = running(service);
      expect(now).not.toBe(before[service]);
      expect(now).toMatch(new RegExp(`^arn:aws:ecs:${region}:${account}:task-definition/${cluster}-${service}:\\d+$`));
      const [previous, next] = [settings(before[service]), settings(now)];
      expect((next.containerDefinitions as { image: string }[])[0]!.image).toBe(images.a[service]);
      (previous.containerDefinitions as { image: string }[])[0]!.image = images.a[service];
      expect(next).toEqual(previous);
      expect(result.stdout).toContain(`${service}: completed:`);
    }
    // AND the job summary has one row per service
    expect(result.summary()).toMatch(/\| service \| image \| task definition \| result \|/);
    for (const service of services) expect(result.summary()).toContain(`| ${service} | \`${images.a[service]}\` | ${cluster}-${service}:`);
    expect(result.summary()).toContain('**Deployed**');
    // AND its AWS calls: pre-flight per service, one registration and one update per service, then polls
    const calls = result.calls();
    expect(calls.slice(0, 4)).toEqual(['ecs describe-services', 'ecs describe-task-definition', 'ecs describe-services', 'ecs describe-task-definition']);
    expect(calls.slice(4, 8)).toEqual(['ecs register-task-definition', 'ecs register-task-definition', 'ecs update-service', 'ecs update-service']);
    expect(new Set(calls.slice(8))).toEqual(new Set(['ecs describe-services']));
  });

  it("copies the family's newest revision: a setting Terraform changed since the last deploy goes out with the image", () => {
    // GIVEN Terraform registered a new revision of the API with more memory (the service still runs the deployed one)
    const newest = register(terraformRevision('api', { cpu: '512', memory: '2048' }));
    // WHEN image B is deployed to the API alone
    const result = script('deploy.sh', ['--environment', environment, ...imageArgs(images.b, ['api'])]);
    // THEN the running revision has image B and Terraform's new settings, and differs from them only in the image
    expect(result.status, result.output).toBe(0);
    const now = settings(running('api'));
    expect(now).toMatchObject({ cpu: '512', memory: '2048' });
    const terraform = settings(newest);
    (terraform.containerDefinitions as { image: string }[])[0]!.image = images.b.api;
    expect(now).toEqual(terraform);
  });

  it('exits 1 when the circuit breaker rolls a service back, naming the reason from the events and the stopped task', () => {
    // GIVEN the API's new tasks fail to start (ECS fails the rollout and goes back); the frontend's complete
    const before = running('api');
    // WHEN images C are deployed
    const result = deploy(images.c, { ECS_ROLLOUT_api: 'circuit-breaker' });
    // THEN the deploy fails, says why, and the API is back on its previous revision
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain('api: failed: ECS deployment circuit breaker: tasks failed to start.');
    expect(result.output).toContain('(service api) rolling back to deployment');
    expect(result.output).toMatch(/stopped task \w+: Task failed to start \(api: CannotPullContainerError/);
    expect(result.output).toContain('frontend: completed:');
    expect(result.stderr).toContain('the deploy to production failed');
    expect(running('api')).toBe(before);
    expect(result.summary()).toContain('| api |');
    expect(result.summary()).toContain('**Failed**');
  });

  it('exits 1 when the primary deployment is not the revision it registered, even with no FAILED state', () => {
    const result = deploy(images.a, { ECS_ROLLOUT_frontend: 'replaced' });
    expect(result.status, result.output).toBe(1);
    expect(result.output).toMatch(/frontend: rolled-back: no deployment of \S+ is left; the primary deployment runs \S+:\d+/);
    expect(result.output).toContain('api: completed:');
  });

  it('exits 1 at the deadline when a rollout neither completes nor fails', () => {
    const started = Date.now();
    const result = deploy(images.b, { ECS_ROLLOUT: 'stuck' }, '--timeout', '2');
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain('api: deadline: still rolling out at the deadline');
    expect(result.output).toContain('frontend: deadline: still rolling out at the deadline');
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('exits 3 and registers nothing when the cluster cannot be read', () => {
    const families = () => aws('ecs', 'list-task-definitions', '--family-prefix', `${cluster}-api`, '--query', 'length(taskDefinitionArns)', '--output', 'text');
    const count = families();
    const result = deploy(images.a, {}, '--region', 'eu-west-1');
    expect(result.status, result.output).toBe(3);
    expect(result.stderr).toMatch(/cannot read the ECS service api of cluster demo-production in eu-west-1; nothing was deployed/);
    expect(families()).toBe(count);
  });
});

describe('scripts/rollback.sh and status.sh', () => {
  it('rolls a service back to the revision with the previous image, to a given revision, and to a commit', () => {
    // GIVEN the API deployed with A, then B
    expect(deploy(images.a).status).toBe(0);
    const onA = running('api');
    expect(script('deploy.sh', ['--environment', environment, ...imageArgs(images.b, ['api'])]).status).toBe(0);
    // WHEN rolled back without a target THEN it runs the revision of A again (no registration)
    const back = script('rollback.sh', ['--environment', environment, '--service', 'api']);
    expect(back.status, back.output).toBe(0);
    expect(running('api')).toBe(onA);
    expect(back.calls()).not.toContain('ecs register-task-definition');
    expect(back.summary()).toContain(`| api | \`${images.a.api}\` |`);
    // WHEN rolled back to an explicit revision THEN that one
    const revision = onA.split(':').pop()!;
    expect(script('deploy.sh', ['--environment', environment, ...imageArgs(images.c, ['api'])]).status).toBe(0);
    const explicit = script('rollback.sh', ['--environment', environment, '--service', 'api', '--revision', revision]);
    expect(explicit.status, explicit.output).toBe(0);
    expect(running('api')).toBe(onA);
    // WHEN rolled back to a commit THEN its image (found by its tag) runs on a new copy of the newest revision
    const toCommit = script('rollback.sh', ['--environment', environment, '--service', 'api', '--commit', commits.b]);
    expect(toCommit.status, toCommit.output).toBe(0);
    expect(described(running('api')).containerDefinitions[0]!.image).toBe(images.b.api);
    // AND a rollback ECS fails is exit 1 with the reason
    const failing = script('rollback.sh', ['--environment', environment, '--service', 'api', '--revision', revision], { ECS_ROLLOUT_api: 'circuit-breaker' });
    expect(failing.status, failing.output).toBe(1);
    expect(failing.output).toContain('ECS deployment circuit breaker');
  });

  it('refuses to roll back to a revision without an image by digest (Terraform’s placeholder) and to a commit never pushed', () => {
    const placeholder = script('rollback.sh', ['--environment', environment, '--service', 'frontend', '--revision', '1']);
    expect(placeholder.status).toBe(2);
    expect(placeholder.stderr).toContain('the frontend image must be its repository by digest');
    const unknown = script('rollback.sh', ['--environment', environment, '--service', 'frontend', '--commit', 'd'.repeat(40)]);
    expect(unknown.status).toBe(3);
    expect(unknown.stderr).toContain(`no image tagged ${'d'.repeat(40)} in ${app}-frontend`);
  });

  it('status.sh shows each service: revision, rollout state, counts and image', () => {
    const status = script('status.sh', ['--environment', environment]);
    expect(status.stdout).toMatch(/^demo in production \(cluster demo-production, us-east-1\):$/m);
    for (const service of services) expect(status.stdout).toMatch(new RegExp(`^${service}: ${cluster}-${service}:\\d+ `, 'm'));
    expect(status.stdout).toMatch(/ {2}api image: \S+@sha256:[0-9a-f]{64}/);
  });
});

describe('with environments in separate accounts (preset ecs-multi-account): prod deploys, from its own account, the images dev pushed to dev’s', () => {
  // moto keeps accounts apart (assume-role into an account acts in it) but has no repository policies: an ECR read
  // naming another account's registry (--registry-id) finds nothing there. The stand-in below makes exactly that read
  // with the registry account's credentials, as AWS does for the roles the repository policy names
  // (test/iam/applied-iam-accounts.test.ts evaluates that policy); every other call runs with prod's credentials.
  const options = presets['ecs-multi-account'];
  const name = options.name;
  const { dev: registryAccount, prod: prodAccount } = options.accounts;
  const prodRegistry = `${prodAccount}.dkr.ecr.${region}.amazonaws.com`;
  const devRegistry = `${registryAccount}.dkr.ecr.${region}.amazonaws.com`;
  const pushed: Record<Service, string> = {} as never;
  let where: { repo: string; env: Record<string, string>; bin: string };
  let devEnv: Record<string, string>;

  beforeAll(async () => {
    const [dev, prod] = await Promise.all([accountEnv(moto, registryAccount), accountEnv(moto, prodAccount)]);
    devEnv = dev;
    // dev's account holds the repositories and the images deploy-dev pushed, tagged with their commit
    for (const [i, service] of services.entries()) {
      awsIn(dev, 'ecr', 'create-repository', '--repository-name', `${name}-${service}`, '--image-tag-mutability', 'IMMUTABLE');
      pushed[service] = pushImage(service, commits.a, String(i + 5), { app: name, env: dev, registry: devRegistry });
    }
    // prod's account has its cluster and services, on Terraform's revisions naming dev's registry
    createServices(prod, { app: name, environment: 'prod', account: prodAccount, registryAccount });
    // The cross-account read, run as the registry's account (see above); then the recorder and the rollout stand-in.
    const crossAccount = tempDir('aws-cross-account-');
    writeFileSync(
      join(crossAccount, 'aws'),
      [
        '#!/bin/sh',
        'case " $* " in',
        `  *" ecr describe-images --registry-id ${registryAccount} "*)`,
        `    AWS_ACCESS_KEY_ID='${dev.AWS_ACCESS_KEY_ID}' AWS_SECRET_ACCESS_KEY='${dev.AWS_SECRET_ACCESS_KEY}' AWS_SESSION_TOKEN='${dev.AWS_SESSION_TOKEN}'`,
        '    export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN ;;',
        'esac',
        `exec '${recorder}/aws' "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    where = { repo: writeFiles(tempDir('ecs-scripts-accounts-'), renderPreset('ecs-multi-account')), env: prod, bin: crossAccount };
  }, 120_000);

  const inProd = (name: string, args: string[], rollout: Record<string, string> = {}) => script(name, ['--environment', 'prod', ...args], rollout, where);
  const runningInProd = (service: Service) =>
    awsIn(where.env, 'ecs', 'describe-services', '--cluster', `${name}-prod`, '--services', service, '--query', 'services[0].taskDefinition', '--output', 'text');

  it("deploys dev's images by digest to prod's services, with prod's credentials", () => {
    // WHEN prod deploys the digests dev pushed
    const result = inProd('deploy.sh', imageArgs(pushed));
    // THEN each prod service runs a new revision, in prod's account, of dev's image
    expect(result.status, result.output).toBe(0);
    for (const service of services) {
      const arn = runningInProd(service);
      expect(arn).toMatch(new RegExp(`^arn:aws:ecs:${region}:${prodAccount}:task-definition/${name}-prod-${service}:\\d+$`));
      const image = JSON.parse(awsIn(where.env, 'ecs', 'describe-task-definition', '--task-definition', arn, '--query', 'taskDefinition.containerDefinitions[0].image', '--output', 'json')) as string;
      expect(image).toBe(pushed[service]);
      expect(image.startsWith(`${devRegistry}/`)).toBe(true);
    }
  });

  it("refuses, before any AWS call, an image of prod's own account or of any account but dev's", () => {
    for (const foreign of [prodRegistry, `123456789012.dkr.ecr.${region}.amazonaws.com`]) {
      const recorders = callRecorders(tempDir('ecs-usage-'));
      const image = `api=${foreign}/${name}-api@sha256:${'a'.repeat(64)}`;
      const result = runScript(join(where.repo, 'scripts', 'deploy.sh'), ['--environment', 'prod', '--image', image], { PATH: `${recorders.bin}:${process.env.PATH}` });
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toContain(`the api image must be its repository by digest (api=${devRegistry}/${name}-api@sha256:<64 hex>)`);
      expect(recorders.calls()).toBe('');
    }
  });

  it("rolls back to a commit by reading its image tag in dev's registry, and runs that image", () => {
    // GIVEN prod's API moved on to another image of dev's (pushed for commit b)
    const other = pushImage('api', commits.b, '9', { app: name, env: devEnv, registry: devRegistry });
    expect(inProd('deploy.sh', ['--image', `api=${other}`]).status).toBe(0);
    // WHEN rolled back to commit a
    const back = inProd('rollback.sh', ['--service', 'api', '--commit', commits.a]);
    // THEN the tag was read in dev's registry (without --registry-id the read would look in prod's own registry, which
    // has no repository, and exit 3), and prod's API runs commit a's image again
    expect(back.status, back.output).toBe(0);
    expect(back.calls()).toContain('ecr describe-images');
    expect(back.output).toContain(`rolling api of prod back to commit ${commits.a}: ${pushed.api}`);
    const image = awsIn(where.env, 'ecs', 'describe-task-definition', '--task-definition', runningInProd('api'), '--query', 'taskDefinition.containerDefinitions[0].image', '--output', 'text');
    expect(image).toBe(pushed.api);
  });
});
