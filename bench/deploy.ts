// Section 5: wall time of the generated scripts/deploy.sh to 1, 10 and 50 instances against a local AWS where every
// host succeeds at once: moto patched by test/support/moto-ssm-launcher.py runs the rendered SSM document on each
// instance with the docker/curl stand-ins of test/support/host-stubs (as test/scripts/deploy.test.ts does).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MotoServer } from '../test/support/moto.js';
import { runScript, startSsmMoto } from '../test/support/script-runner.js';
import { requireTool } from '../test/support/tools.js';
import { scaffoldArgs, tempIn, type BenchContext, type Section } from './support/context.js';
import { formatMs, formatRatio, median, pairedRatio, rounds, sh, shAsync } from './support/measure.js';
import type { SectionResult } from './support/report.js';

const app = 'demo';
const environment = 'production';
const account = '123456789012'; // moto's account
const fleetSizes = [1, 10, 50] as const;
/** As the deploy-script tests poll; deploy.sh's default is 5 s, which would measure sleeps rather than the scripts. */
const pollInterval = '0.2';
/**
 * The emulated hosts' priority (`nice -n`, via the launcher): on AWS each instance spends its own CPU, and the runner
 * only runs the deploy script and its AWS CLI calls. Here fifty host runs share this machine's cores with the script
 * they are timed by; at normal priority they made each AWS CLI call of a 50-instance deploy a third slower than beside
 * one host, which measured this machine's scheduler rather than the orchestration.
 */
const hostNice = process.env.BENCH_DEPLOY_HOST_NICE ?? '19';
const ticksPerSecond = Number(sh('getconf', ['CLK_TCK'], '/'));

interface DeployRun {
  readonly ms: number;
  /** AWS CLI calls the scripts made, and their summed wall time (they run one after another). */
  readonly awsCalls: number;
  readonly awsMs: number;
  /** Of those, polls of list-command-invocations. */
  readonly polls: number;
  /** Per wave, from its send-command to its last host finishing (launcher journal), summed over the waves. */
  readonly wavesMs: number;
  /** CPU the host runs used on this machine (on AWS, each instance spends it on its own CPU). */
  readonly hostCpuMs: number;
}

interface Prepared {
  readonly moto: MotoServer;
  readonly awsPath: string;
  readonly repo: string;
  readonly sandbox: string;
  readonly image: string;
  readonly commit: string;
  readonly ami: string;
}

/** The AWS CLI itself: pyenv's shim (a shell script) adds its own start-up to every call, which a user's CLI does not. */
function awsExecutable(): string {
  requireTool('aws', 'pip install awscli (or install the AWS CLI v2)');
  for (const [command, args] of [
    ['pyenv', ['which', 'aws']],
    ['which', ['aws']],
  ] as const) {
    try {
      return sh(command, args, '/').trim();
    } catch {
      // try the next way
    }
  }
  throw new Error('cannot locate the aws executable');
}

/** The launcher's process (found by its port): host runs are its children, so their CPU adds to its cutime/cstime. */
function launcherPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((arg) => arg.endsWith('moto-ssm-launcher.py')) && argv.includes(String(port))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no moto-ssm-launcher.py process serves port ${port}`);
}

/** CPU time of a process's finished children, in ms (fields cutime and cstime of /proc/<pid>/stat). */
function childrenCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
}

export const benchDeploy: Section = async (context) => {
  const awsPath = awsExecutable();
  const stage = tempIn(context, 'deploy-');
  await shAsync(process.execPath, [context.bin, ...scaffoldArgs(app)], stage);
  const repo = join(stage, app);
  const sandbox = tempIn(context, 'moto-ssm-sandbox-');
  const moto = await startSsmMoto(sandbox, { MOTO_SSM_HOST_NICE: hostNice });
  context.defer(() => moto.stop());
  const aws = async (...args: string[]) => (await shAsync(awsPath, args, stage, { PATH: process.env.PATH!, HOME: process.env.HOME!, ...moto.env })).trim();
  // What Terraform creates: the rendered document with the account filled in, last-known-good "none", the repository.
  const { accountIdPlaceholder } = (await import(pathToFileURL(join(context.root, 'lib', 'components', 'terraform.js')).href)) as { accountIdPlaceholder: string };
  const documentFile = join(repo, 'terraform', 'modules', 'ssm-deploy', 'deploy-document.yaml');
  if (!existsSync(documentFile)) throw new Error('terraform/modules/ssm-deploy/deploy-document.yaml is not rendered: the deploy benchmark needs it');
  const document = join(stage, 'document.yaml');
  writeFileSync(document, readFileSync(documentFile, 'utf8').replaceAll(accountIdPlaceholder, account));
  await aws('ssm', 'create-document', '--name', `${app}-${environment}-deploy`, '--document-type', 'Command', '--document-format', 'YAML', '--content', `file://${document}`);
  await aws('ssm', 'put-parameter', '--name', `/${app}/${environment}/last-known-good-image`, '--type', 'String', '--value', 'none');
  await aws('ecr', 'create-repository', '--repository-name', app);
  const layer = `sha256:${'1'.repeat(64)}`;
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: layer },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: layer }],
  });
  const commit = 'a'.repeat(40);
  const digest = await aws('ecr', 'put-image', '--repository-name', app, '--image-tag', commit, '--image-manifest', manifest, '--query', 'image.imageId.imageDigest', '--output', 'text');
  const ami = await aws('ec2', 'describe-images', '--query', 'Images[0].ImageId', '--output', 'text');
  const prepared = { moto, awsPath, repo, sandbox, image: `${account}.dkr.ecr.us-east-1.amazonaws.com/${app}@${digest}`, commit, ami };
  return () => measure(context, prepared);
};

async function measure(context: BenchContext, prepared: Prepared): Promise<SectionResult> {
  const { moto, repo, sandbox, image, commit, ami } = prepared;
  const launcher = launcherPid(moto.port);
  // Every AWS CLI call of the scripts goes through this recorder: when it started and ended, and its arguments.
  const recorder = tempIn(context, 'aws-recorder-');
  const calls = join(recorder, 'calls.log');
  writeFileSync(
    join(recorder, 'aws'),
    `#!/bin/sh\nstart=$(date +%s%N)\nstatus=0\n'${prepared.awsPath}' "$@" || status=$?\necho "$start $(date +%s%N) $*" >>'${calls}'\nexit $status\n`,
    { mode: 0o755 },
  );
  const journal = join(sandbox, 'journal.jsonl');

  /** One EC2 Query API call to moto, without the AWS CLI's start-up: fleets change between measured deploys. */
  const ec2 = async (params: Record<string, string>): Promise<string> => {
    const response = await fetch(moto.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        // moto routes by the credential scope and does not check the signature.
        authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: new URLSearchParams({ Version: '2016-11-15', ...params }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`EC2 ${params.Action} failed with ${response.status}: ${text.slice(0, 2000)}`);
    return text;
  };
  const instanceIds = (xml: string) => [...new Set([...xml.matchAll(/<instanceId>(i-[0-9a-f]+)<\/instanceId>/g)].map((m) => m[1]!))];
  /** A fresh fleet of `count` tagged instances (the previous one terminated), so every deploy is a first deploy. */
  const fleet = async (count: number) => {
    const running = instanceIds(await ec2({ Action: 'DescribeInstances', 'Filter.1.Name': 'instance-state-name', 'Filter.1.Value.1': 'running' }));
    if (running.length > 0) await ec2({ Action: 'TerminateInstances', ...Object.fromEntries(running.map((id, i) => [`InstanceId.${i + 1}`, id])) });
    const launched = instanceIds(
      await ec2({
        Action: 'RunInstances',
        ImageId: ami,
        InstanceType: 't3.micro',
        MinCount: String(count),
        MaxCount: String(count),
        'TagSpecification.1.ResourceType': 'instance',
        'TagSpecification.1.Tag.1.Key': 'App',
        'TagSpecification.1.Tag.1.Value': app,
        'TagSpecification.1.Tag.2.Key': 'Environment',
        'TagSpecification.1.Tag.2.Value': environment,
      }),
    );
    if (launched.length !== count) throw new Error(`asked moto for ${count} instances, got ${launched.length}`);
  };

  const deploy = async (count: number): Promise<DeployRun> => {
    await fleet(count);
    writeFileSync(calls, '');
    const journalStart = existsSync(journal) ? readFileSync(journal, 'utf8').length : 0;
    const cpuBefore = childrenCpuMs(launcher);
    const started = process.hrtime.bigint();
    const result = runScript(
      join(repo, 'scripts', 'deploy.sh'),
      ['--environment', environment, '--image', image, '--commit', commit, '--timeout', '1'],
      { ...moto.env, PATH: `${recorder}:${process.env.PATH}`, DEPLOY_POLL_INTERVAL: pollInterval },
      600_000,
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`deploy.sh to ${count} instances exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    // The script returns once every host finished; the launcher reaps each host run before journaling its end.
    const hostCpuMs = childrenCpuMs(launcher) - cpuBefore;
    const recorded = readFileSync(calls, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '));
    const events = readFileSync(journal, 'utf8')
      .slice(journalStart)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { t: number; event: string; commandId: string });
    const ends = events.filter((e) => e.event === 'end');
    if (ends.length !== count) throw new Error(`deploy.sh to ${count} instances succeeded, but ${ends.length} host runs ended`);
    const wavesMs = events
      .filter((e) => e.event === 'send')
      .reduce((sum, send) => sum + (Math.max(...ends.filter((e) => e.commandId === send.commandId).map((e) => e.t)) - send.t) * 1000, 0);
    /** The service and operation of a recorded call: its first two words that are neither options nor their values. */
    const operation = (argv: readonly string[]) => {
      const words: string[] = [];
      for (let i = 0; i < argv.length && words.length < 2; i++) {
        if (argv[i]!.startsWith('--')) i++;
        else words.push(argv[i]!);
      }
      return words.join(' ');
    };
    return {
      ms,
      awsCalls: recorded.length,
      awsMs: recorded.reduce((sum, [start, end]) => sum + (Number(end) - Number(start)) / 1e6, 0),
      polls: recorded.filter((fields) => operation(fields.slice(2)) === 'ssm list-command-invocations').length,
      wavesMs,
      hostCpuMs,
    };
  };

  context.log(`deploy: a warm-up deploy, then ${context.runs} rounds of deploys to ${fleetSizes.join(', ')} instances`);
  // One instance warms the CLI's and moto's caches; a 50-instance warm-up would cost a minute and teach nothing more.
  await deploy(1);
  const runs = await rounds(
    fleetSizes.map((count) => ({ name: String(count), run: () => deploy(count) })),
    context.runs,
    0,
  );
  return report(context, runs);
}

function report(context: BenchContext, runs: Record<string, DeployRun[]>): SectionResult {
  const ms = (count: number) => runs[String(count)]!.map((r) => r.ms);
  const mid = (count: number, pick: (run: DeployRun) => number) => median(runs[String(count)]!.map(pick));
  const ratio50 = pairedRatio(ms(50), ms(1));
  const ratio10 = pairedRatio(ms(10), ms(1));
  const breakdown = (count: number) =>
    `${count} instance${count === 1 ? '' : 's'}: ${formatMs(mid(count, (r) => r.ms))}, of which ${Math.round(mid(count, (r) => r.awsCalls))} AWS CLI calls ` +
    `(${Math.round(mid(count, (r) => r.polls))} polls) take ${formatMs(mid(count, (r) => r.awsMs))}; the waves run ${formatMs(mid(count, (r) => r.wavesMs))} from send to the last host's end; ` +
    `the host runs use ${formatMs(mid(count, (r) => r.hostCpuMs))} of CPU on this machine`;
  const perCall = (count: number) => mid(count, (r) => r.awsMs / r.awsCalls);
  return {
    id: 'deploy',
    title: '5. Deploy orchestration',
    method:
      '`scripts/deploy.sh --environment production --image <by digest> --timeout 1` of a scaffolded repository, canary first as the ' +
      `deploy workflow runs it, with DEPLOY_POLL_INTERVAL=${pollInterval} as in the deploy-script tests (the default is 5 s), against moto 5.2.1 patched by ` +
      'test/support/moto-ssm-launcher.py: send-command runs the rendered SSM document with /bin/sh per instance, with the ' +
      'docker/curl stand-ins of test/support/host-stubs answering at once. Each deploy goes to a fresh fleet of tagged running ' +
      `instances; after a one-instance warm-up, the three sizes run in turns, ${context.runs} rounds. An \`aws\` recorder first on PATH times ` +
      "the scripts' AWS CLI calls (AWS CLI v1, Python); host runs are the launcher's child processes, on this same machine, " +
      `at \`nice -n ${hostNice}\` (on AWS each instance has its own CPU; here they would take the script's).`,
    tables: [
      [
        ['instances', 'median', 'min', 'max', 'AWS CLI calls', 'in AWS CLI', 'per call', 'polls', 'waves (send → last end)', 'host CPU here', '÷ 1 instance (paired)'],
        ...fleetSizes.map((count) => {
          const values = ms(count);
          return [
            String(count),
            formatMs(median(values)),
            formatMs(Math.min(...values)),
            formatMs(Math.max(...values)),
            String(Math.round(mid(count, (r) => r.awsCalls))),
            formatMs(mid(count, (r) => r.awsMs)),
            formatMs(perCall(count)),
            String(Math.round(mid(count, (r) => r.polls))),
            formatMs(mid(count, (r) => r.wavesMs)),
            formatMs(mid(count, (r) => r.hostCpuMs)),
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
        miss:
          `${formatRatio(ratio50)} (10 instances: ${formatRatio(ratio10)}). ${fleetSizes.map(breakdown).join('; ')}. ` +
          `An AWS CLI call takes ${formatMs(perCall(1))} beside one host and ${formatMs(perCall(50))} beside 50 host runs sharing this machine's CPU.`,
      },
    ],
    notes: [`Where the time goes (medians): ${fleetSizes.map(breakdown).join('; ')}.`],
    data: { pollInterval, runs },
  };
}
