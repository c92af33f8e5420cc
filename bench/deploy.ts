// Section 5: wall time of the generated scripts/deploy.sh to 1, 10 and 50 instances against a local AWS where every
// host succeeds at once: moto patched by test/support/moto-ssm-launcher.py runs the rendered SSM document on each
// instance with the docker/curl stand-ins of test/support/host-stubs (as test/scripts/deploy.test.ts does).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startMoto } from '../test/support/moto.js';
import { hostAwsStub, hostStubs, runScript } from '../test/support/script-runner.js';
import { requireTool } from '../test/support/tools.js';
import { scaffoldArgs, tempIn, type BenchContext } from './support/context.js';
import { formatMs, formatRatio, median, pairedRatio, rounds, sh } from './support/measure.js';
import type { SectionResult } from './support/report.js';

const app = 'demo';
const environment = 'production';
const account = '123456789012'; // moto's account
const fleetSizes = [1, 10, 50] as const;
/** deploy.sh's own default is 5 s; a short poll makes the scripts' own work visible rather than their sleeps. */
const pollInterval = '1';

interface DeployRun {
  readonly ms: number;
  /** AWS CLI calls the scripts made, and their summed wall time (they run one after another). */
  readonly awsCalls: number;
  readonly awsMs: number;
  /** Of those, polls of list-command-invocations. */
  readonly polls: number;
  /** From the first send-command to the last host finishing, as the launcher's journal records them. */
  readonly hostsMs: number;
}

export async function benchDeploy(context: BenchContext): Promise<SectionResult> {
  const realAws = awsExecutable();
  const stage = tempIn(context, 'deploy-');
  sh(process.execPath, [context.bin, ...scaffoldArgs(app)], stage);
  const repo = join(stage, app);
  const sandbox = tempIn(context, 'moto-ssm-sandbox-');
  // Every AWS CLI call of the scripts goes through this recorder: when it started and ended, and what it was.
  const recorder = tempIn(context, 'aws-recorder-');
  const calls = join(recorder, 'calls.log');
  writeFileSync(join(recorder, 'aws'), `#!/bin/sh\nstart=$(date +%s%N)\nstatus=0\n'${realAws}' "$@" || status=$?\necho "$start $(date +%s%N) $1 $2" >>'${calls}'\nexit $status\n`, { mode: 0o755 });

  context.log('deploy: starting moto with the SSM launcher');
  const moto = await startMoto({
    launcher: resolve(context.root, 'test', 'support', 'moto-ssm-launcher.py'),
    env: {
      MOTO_SSM_SANDBOX: sandbox,
      // Hosts get the docker/curl/aws stand-ins; the scripts under test use the real AWS CLI.
      PATH: `${hostStubs}:${hostAwsStub}:${process.env.PATH}`,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
    },
  });
  try {
    const aws = (...args: string[]) => execFileSync(realAws, args, { env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...moto.env }, encoding: 'utf8' }).trim();
    const { accountIdPlaceholder } = (await import(pathToFileURL(join(context.root, 'lib', 'components', 'terraform.js')).href)) as { accountIdPlaceholder: string };
    // What Terraform creates: the rendered document with the account filled in, last-known-good "none", the repository.
    const documentFile = join(repo, 'terraform', 'modules', 'ssm-deploy', 'deploy-document.yaml');
    if (!existsSync(documentFile)) throw new Error('terraform/modules/ssm-deploy/deploy-document.yaml is not rendered: the deploy benchmark needs it');
    const document = join(stage, 'document.yaml');
    writeFileSync(document, readFileSync(documentFile, 'utf8').replaceAll(accountIdPlaceholder, account));
    aws('ssm', 'create-document', '--name', `${app}-${environment}-deploy`, '--document-type', 'Command', '--document-format', 'YAML', '--content', `file://${document}`);
    aws('ssm', 'put-parameter', '--name', `/${app}/${environment}/last-known-good-image`, '--type', 'String', '--value', 'none');
    aws('ecr', 'create-repository', '--repository-name', app);
    const layer = `sha256:${'1'.repeat(64)}`;
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: layer },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: layer }],
    });
    const commit = 'a'.repeat(40);
    const digest = aws('ecr', 'put-image', '--repository-name', app, '--image-tag', commit, '--image-manifest', manifest, '--query', 'image.imageId.imageDigest', '--output', 'text');
    const image = `${account}.dkr.ecr.us-east-1.amazonaws.com/${app}@${digest}`;
    const ami = aws('ec2', 'describe-images', '--query', 'Images[0].ImageId', '--output', 'text');

    /** A fresh fleet of `count` tagged instances (the previous one terminated), so every deploy is a first deploy. */
    const fleet = (count: number) => {
      const running = aws('ec2', 'describe-instances', '--filters', 'Name=instance-state-name,Values=running', '--query', 'Reservations[].Instances[].InstanceId', '--output', 'text');
      if (running) aws('ec2', 'terminate-instances', '--instance-ids', ...running.split(/\s+/));
      const tags = `ResourceType=instance,Tags=[{Key=App,Value=${app}},{Key=Environment,Value=${environment}}]`;
      aws('ec2', 'run-instances', '--image-id', ami, '--instance-type', 't3.micro', '--count', String(count), '--tag-specifications', tags);
    };
    const journal = join(sandbox, 'journal.jsonl');
    const deploy = (count: number): DeployRun => {
      fleet(count);
      writeFileSync(calls, '');
      const journalStart = existsSync(journal) ? readFileSync(journal, 'utf8').length : 0;
      const started = process.hrtime.bigint();
      const result = runScript(
        join(repo, 'scripts', 'deploy.sh'),
        ['--environment', environment, '--image', image, '--commit', commit, '--timeout', '1'],
        { ...moto.env, PATH: `${recorder}:${process.env.PATH}`, DEPLOY_POLL_INTERVAL: pollInterval },
        600_000,
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status !== 0) throw new Error(`deploy.sh to ${count} instances exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
      const recorded = readFileSync(calls, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' '));
      const events = readFileSync(journal, 'utf8')
        .slice(journalStart)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { t: number; event: string });
      const sends = events.filter((e) => e.event === 'send').map((e) => e.t);
      const ends = events.filter((e) => e.event === 'end').map((e) => e.t);
      const finished = ends.length;
      if (finished !== count) throw new Error(`deploy.sh to ${count} instances succeeded, but ${finished} host runs ended`);
      return {
        ms,
        awsCalls: recorded.length,
        awsMs: recorded.reduce((sum, [start, end]) => sum + (Number(end) - Number(start)) / 1e6, 0),
        polls: recorded.filter(([, , service, operation]) => service === 'ssm' && operation === 'list-command-invocations').length,
        hostsMs: (Math.max(...ends) - Math.min(...sends)) * 1000,
      };
    };

    context.log(`deploy: ${context.runs} rounds of deploys to ${fleetSizes.join(', ')} instances`);
    const runs = await rounds(
      fleetSizes.map((count) => ({ name: String(count), run: () => deploy(count) })),
      context.runs,
    );
    return report(context, runs);
  } finally {
    await moto.stop();
  }
}

/** The AWS CLI itself: pyenv's shim (a shell script) adds its own start-up to every call, which a user's CLI does not. */
function awsExecutable(): string {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  for (const [command, args] of [['pyenv', ['which', 'aws']], ['which', ['aws']]] as const) {
    try {
      return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // try the next way
    }
  }
  throw new Error('cannot locate the aws executable');
}

function report(context: BenchContext, runs: Record<string, DeployRun[]>): SectionResult {
  const ms = (count: number) => runs[String(count)]!.map((r) => r.ms);
  const mid = (count: number, pick: (run: DeployRun) => number) => median(runs[String(count)]!.map(pick));
  const ratio50 = pairedRatio(ms(50), ms(1));
  const ratio10 = pairedRatio(ms(10), ms(1));
  const breakdown = (count: number) =>
    `${count} instance${count === 1 ? '' : 's'}: ${formatMs(mid(count, (r) => r.ms))} of which ${Math.round(mid(count, (r) => r.awsCalls))} AWS CLI calls take ` +
    `${formatMs(mid(count, (r) => r.awsMs))} (${Math.round(mid(count, (r) => r.polls))} of them polls) and the hosts run for ${formatMs(mid(count, (r) => r.hostsMs))} from the first send to the last end`;
  return {
    id: 'deploy',
    title: '5. Deploy orchestration',
    method:
      '`scripts/deploy.sh --environment production --image <by digest> --timeout 1` of a scaffolded repository, canary first as the ' +
      `deploy workflow runs it, with DEPLOY_POLL_INTERVAL=${pollInterval} (the default is 5 s), against moto 5.2.1 patched by ` +
      'test/support/moto-ssm-launcher.py: send-command runs the rendered SSM document with /bin/sh per instance, with the ' +
      'docker/curl stand-ins of test/support/host-stubs answering at once. Each deploy goes to a fresh fleet of tagged running ' +
      `instances; the three sizes run in turns, ${context.runs} rounds after a warm-up. AWS CLI calls are timed by a recorder on PATH.`,
    tables: [
      [
        ['instances', 'median', 'min', 'max', 'AWS CLI calls', 'time in AWS CLI', 'polls', 'hosts busy', '÷ 1 instance (paired)'],
        ...fleetSizes.map((count) => {
          const values = ms(count);
          return [
            String(count),
            formatMs(median(values)),
            formatMs(Math.min(...values)),
            formatMs(Math.max(...values)),
            String(Math.round(mid(count, (r) => r.awsCalls))),
            formatMs(mid(count, (r) => r.awsMs)),
            String(Math.round(mid(count, (r) => r.polls))),
            formatMs(mid(count, (r) => r.hostsMs)),
            count === 1 ? '' : formatRatio(pairedRatio(values, ms(1))),
          ];
        }),
      ],
    ],
    targets: [
      {
        what: 'deploy to 50 instances vs 1',
        target: '≤ 2×',
        measured: formatRatio(ratio50),
        met: ratio50 <= 2,
        miss: `${formatRatio(ratio50)} (10 instances: ${formatRatio(ratio10)}). ${fleetSizes.map(breakdown).join('; ')}.`,
      },
    ],
    notes: [`Where the time goes (medians): ${fleetSizes.map(breakdown).join('; ')}.`],
    data: { pollInterval, runs },
  };
}
