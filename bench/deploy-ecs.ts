// Section deploy-ecs: the ecs target's scripts/deploy.sh, its own overhead per service. Against moto (task definitions,
// services, updates by full ARN) with test/support/ecs-rollout-stub/aws answering the rollout COMPLETED at the first
// read (moto simulates no deployment), so what is measured is the script: its AWS CLI calls and its own work between
// them (jq, sh), not ECS replacing tasks, which takes minutes on AWS whatever the script does.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { terraformRevision } from '../test/support/ecs-fixture.js';
import { startMoto } from '../test/support/moto.js';
import { runScript } from '../test/support/script-runner.js';
import { requireTool } from '../test/support/tools.js';
import { tempIn, type BenchContext, type Section } from './support/context.js';
import { formatMs, median, rounds, sh, shAsync } from './support/measure.js';
import type { SectionResult } from './support/report.js';

const app = 'demo';
const environment = 'production';
const cluster = `${app}-${environment}`;
const account = '123456789012';
const region = 'us-east-1';
const services = ['api', 'frontend'] as const;
const stub = resolve(import.meta.dirname, '../test/support/ecs-rollout-stub');

export const benchDeployEcs: Section = async (context) => {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  requireTool('jq', 'apt-get install -y jq');
  const awsPath = sh('sh', ['-c', 'command -v aws'], '/').trim();
  const stage = tempIn(context, 'deploy-ecs-');
  await shAsync(process.execPath, [context.bin, app, '--yes', '--target', 'ecs', '--github-owner', 'acme', '--github-repo', app, '--skip-install', '--skip-git'], stage);
  const repo = join(stage, app);
  const moto = await startMoto({ region });
  context.defer(() => moto.stop());
  const aws = async (...args: string[]) => (await shAsync(awsPath, ['--region', region, ...args], stage, { PATH: process.env.PATH!, HOME: process.env.HOME!, ...moto.env })).trim();
  // What Terraform creates for the scripts: a cluster, its two services on Terraform's revisions, the repositories.
  const vpc = await aws('ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16', '--query', 'Vpc.VpcId', '--output', 'text');
  const subnet = await aws('ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.128.0/20', '--query', 'Subnet.SubnetId', '--output', 'text');
  const group = await aws('ec2', 'create-security-group', '--group-name', 'tasks', '--description', 'tasks', '--vpc-id', vpc, '--query', 'GroupId', '--output', 'text');
  await aws('ecs', 'create-cluster', '--cluster-name', cluster);
  const images: Record<string, string[]> = {};
  for (const service of services) {
    await aws('ecr', 'create-repository', '--repository-name', `${app}-${service}`);
    const file = join(stage, `${service}.json`);
    writeFileSync(file, terraformRevision({ app, environment, region, account, service }));
    const arn = await aws('ecs', 'register-task-definition', '--cli-input-json', `file://${file}`, '--query', 'taskDefinition.taskDefinitionArn', '--output', 'text');
    await aws('ecs', 'create-service', '--cluster', cluster, '--service-name', service, '--task-definition', arn, '--desired-count', '2', '--launch-type', 'FARGATE',
      '--network-configuration', `awsvpcConfiguration={subnets=[${subnet}],securityGroups=[${group}],assignPublicIp=DISABLED}`);
    images[service] = [];
    for (let i = 1; i <= 2; i++) {
      const seed = String(i + (service === 'api' ? 0 : 5));
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${seed.repeat(64)}` },
        layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: `sha256:${seed.repeat(64)}` }],
      });
      const digest = await aws('ecr', 'put-image', '--repository-name', `${app}-${service}`, '--image-tag', String(i).repeat(40), '--image-manifest', manifest, '--query', 'image.imageId.imageDigest', '--output', 'text');
      images[service]!.push(`${account}.dkr.ecr.${region}.amazonaws.com/${app}-${service}@${digest}`);
    }
  }
  return () => measure(context, { repo, awsPath, env: moto.env, images });
};

async function measure(context: BenchContext, prepared: { repo: string; awsPath: string; env: Record<string, string>; images: Record<string, string[]> }): Promise<SectionResult> {
  // Each AWS CLI call the script makes is timed by this recorder, in front of the stand-in.
  const recorder = tempIn(context, 'aws-recorder-');
  const log = join(recorder, 'calls.log');
  writeFileSync(join(recorder, 'aws'), `#!/bin/sh\nstart=$(date +%s%N)\nstatus=0\n'${stub}/aws' "$@" || status=$?\necho "$start $(date +%s%N)" >>'${log}'\nexit $status\n`, { mode: 0o755 });
  let round = 0;
  const deploy = (count: 1 | 2) => {
    round += 1;
    writeFileSync(log, '');
    const chosen = services.slice(0, count);
    const args = ['--environment', environment, ...chosen.flatMap((s) => ['--image', `${s}=${prepared.images[s]![round % 2]!}`]), '--poll-interval', '0.1'];
    const started = process.hrtime.bigint();
    const result = runScript(join(prepared.repo, 'scripts', 'deploy.sh'), args, {
      ...prepared.env,
      PATH: `${recorder}:${process.env.PATH}`,
      REAL_AWS: prepared.awsPath,
      ECS_ROLLOUT_STATE: tempIn(context, 'rollout-'),
      ECS_ROLLOUT_READS: '1',
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`deploy.sh exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    const calls = sh('cat', [log], '/').trim().split('\n').filter(Boolean).map((line) => line.split(' ').map(Number) as [number, number]);
    const awsMs = calls.reduce((sum, [start, end]) => sum + (end - start) / 1e6, 0);
    return { ms, calls: calls.length, awsMs, ownMs: ms - awsMs };
  };
  const results = await rounds(
    ([1, 2] as const).map((count) => ({ name: String(count), run: async () => deploy(count) })),
    context.runs,
  );
  const row = (count: 1 | 2) => {
    const runs = results[count]!;
    const own = median(runs.map((r) => r.ownMs));
    return [
      `${count} service${count > 1 ? 's' : ''}`,
      formatMs(median(runs.map((r) => r.ms))),
      String(median(runs.map((r) => r.calls))),
      formatMs(median(runs.map((r) => r.awsMs))),
      formatMs(own),
      formatMs(own / count),
    ];
  };
  return {
    id: 'deploy-ecs',
    title: 'ecs deploy script: its own overhead per service',
    method:
      `scripts/deploy.sh of a scaffold with \`--target ecs\`, median of ${context.runs} deploys after a warm-up, against moto with the rollout stand-in answering COMPLETED at the first poll (poll interval 0.1 s). "AWS CLI" sums the wall time of the script's AWS CLI calls (each a process start); "own" is the rest: sh, jq, mktemp, the poll's sleep. The stand-in's own read of the service before each update counts as AWS CLI time.`,
    tables: [[['deploy', 'wall', 'AWS CLI calls', 'AWS CLI time', 'own', 'own per service'], row(1), row(2)]],
    targets: [],
    notes: [
      'On AWS a deploy lasts as long as ECS takes to start the new tasks, pass the health checks and drain the old ones (minutes); the script adds its calls and its own work to that, once per poll interval (10 s by default).',
    ],
    data: results,
  };
}
