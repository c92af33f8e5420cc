// Section 5b: wall time of the asg target's scripts/deploy.sh to 1, 10 and 50 instances, beside section 5 (ec2). The
// fleet is the one the rendered environment root creates (terraform apply -target=module.fleet -target=module.ssm_deploy)
// on moto patched by test/support/moto-asg-launcher.py: the Auto Scaling group launches the instances, each boots the
// rendered user data, and every deploy drains, deploys (the rendered SSM document, run per instance with the
// test/support/host-stubs/asg-bin stand-ins) and registers each batch, as test/scripts/deploy-asg.test.ts does.
import { join } from 'node:path';
import { applyAsgEnvironment, awsCli, groupInstances, readJournal, until, uploadRelease, type AsgEnvironment, type Release } from '../test/support/asg-fleet.js';
import type { MotoServer } from '../test/support/moto.js';
import { runScript, startAsgMoto } from '../test/support/script-runner.js';
import { requireTerraform } from '../test/support/terraform-cli.js';
import { tempIn, type BenchContext, type Section } from './support/context.js';
import { formatMs, formatRatio, median, pairedRatio, shAsync } from './support/measure.js';
import type { SectionResult } from './support/report.js';

const app = 'demo';
const environment = 'production';
const fleetSizes = [1, 10, 50] as const;
/** As the deploy-script tests poll. */
const pollInterval = '0.2';
/** A canary, then five batches: the batch size a fleet of N would use to deploy in a bounded number of steps. */
const batchSizeFor = (count: number) => Math.max(1, Math.ceil(count / 5));

interface DeployRun {
  readonly ms: number;
  readonly waves: number;
  readonly batchSize: number;
}

interface Prepared {
  readonly moto: MotoServer;
  readonly repo: string;
  readonly env: AsgEnvironment;
  readonly sandbox: string;
  readonly releases: readonly Release[];
}

export const benchDeployAsg: Section = async (context) => {
  requireTerraform();
  const stage = tempIn(context, 'deploy-asg-');
  await shAsync(process.execPath, [context.bin, app, '--yes', '--target', 'asg', '--min-size', '1', '--desired-size', '1', '--max-size', '60', '--github-owner', 'acme', '--github-repo', app, '--skip-install', '--skip-git'], stage);
  const repo = join(stage, app);
  const sandbox = tempIn(context, 'moto-asg-sandbox-');
  const moto = await startAsgMoto(sandbox);
  context.defer(() => moto.stop());
  const env = await applyAsgEnvironment(moto, repo, app, environment);
  const releases = ['a', 'b'].map((seed) => uploadRelease(moto, env.bucket, seed.repeat(40)));
  return () => measure(context, { moto, repo, env, sandbox, releases });
};

async function measure(context: BenchContext, prepared: Prepared): Promise<SectionResult> {
  const { moto, repo, env, sandbox, releases } = prepared;
  let next = 0;
  const deploy = (count: number): DeployRun => {
    const release = releases[next++ % releases.length]!;
    const batchSize = batchSizeFor(count);
    const journalStart = readJournal(sandbox).length;
    const started = process.hrtime.bigint();
    const result = runScript(
      join(repo, 'scripts', 'deploy.sh'),
      ['--environment', environment, '--release', release.commit, '--timeout', '1', '--batch-size', String(batchSize)],
      { ...moto.env, DEPLOY_POLL_INTERVAL: pollInterval },
      3_600_000,
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`deploy.sh to ${count} instances exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    return { ms, waves: readJournal(sandbox).slice(journalStart).filter((e) => e.event === 'send').length, batchSize };
  };
  /** The group at `count` instances, every one in service (new ones boot the last-known-good release). */
  const resize = async (count: number) => {
    awsCli(moto, 'autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', env.group, '--desired-capacity', String(count));
    await until(`${count} instances in service`, () => (groupInstances(moto, env.group).InService ?? []).length === count && !groupInstances(moto, env.group)['Pending:Wait'], 900);
  };

  context.log(`deploy (asg): a first deploy, then ${context.runs} rounds of deploys to ${fleetSizes.join(', ')} instances`);
  // The first deploy puts the waiting instance in service and sets last-known-good: every later launch boots it.
  deploy(1);
  const runs: Record<string, DeployRun[]> = {};
  for (let round = 0; round < context.runs; round++) {
    for (const count of fleetSizes) {
      await resize(count);
      (runs[String(count)] ??= []).push(deploy(count));
    }
  }
  return report(context, runs);
}

function report(context: BenchContext, runs: Record<string, DeployRun[]>): SectionResult {
  const ms = (count: number) => runs[String(count)]!.map((r) => r.ms);
  const ratio50 = pairedRatio(ms(50), ms(1));
  return {
    id: 'deploy-asg',
    title: '5b. Deploy orchestration, asg target',
    method:
      '`scripts/deploy.sh --environment production --release <commit> --timeout 1 --batch-size N/5` of a scaffolded `--target asg` repository ' +
      '(a canary, then batches of a fifth of the fleet, each drained from the target group, deployed, registered and seen healthy), against moto 5.2.1 ' +
      'patched by test/support/moto-asg-launcher.py: the rendered environment root applied (fleet and document), the group launching the instances, each booting ' +
      `the rendered user data; DEPLOY_POLL_INTERVAL=${pollInterval}. The fleet is resized between deploys (new instances boot the last-known-good release), ` +
      `and every deploy switches the whole fleet to the other of two releases; ${context.runs} rounds.`,
    tables: [
      [
        ['instances', 'batch size', 'SSM commands', 'median', 'min', 'max', '÷ 1 instance (paired)'],
        ...fleetSizes.map((count) => {
          const values = ms(count);
          const sample = runs[String(count)]![0]!;
          return [String(count), String(sample.batchSize), String(sample.waves), formatMs(median(values)), formatMs(Math.min(...values)), formatMs(Math.max(...values)), count === 1 ? '' : formatRatio(pairedRatio(values, ms(1)))];
        }),
      ],
    ],
    targets: [],
    notes: [
      `50 instances take ${formatRatio(ratio50)} the time of 1: a deploy is sequential by design (a canary, then one batch at a time, each drained and checked by the load balancer), so it grows with the number of batches, not with the instances in a batch.`,
    ],
    data: { pollInterval, runs },
  };
}
