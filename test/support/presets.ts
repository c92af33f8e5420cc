import type { PipelineOptions, Target } from '../../src/options/index.js';

/** Option sets the snapshot and validator tests render. Each is a way users really configure the tool. */
export const presets = {
  /** The README's quick start: one environment, defaults everywhere. */
  default: { name: 'demo', githubOwner: 'acme', githubRepo: 'demo' },
  /** Two environments promoted in order, another region, Graviton, immutable OIDC subjects. */
  'multi-env': {
    name: 'shop-api',
    githubOwner: 'acme-corp',
    githubRepo: 'shop-api',
    githubOwnerId: '1234567',
    githubRepoId: '987654321',
    region: 'eu-west-1',
    environments: ['staging', 'production'],
    instanceType: 't4g.small',
  },
  /** The ecs target with its defaults: API and static frontend on Fargate behind a load balancer, one environment. */
  ecs: { name: 'demo', githubOwner: 'acme', githubRepo: 'demo', target: 'ecs' },
  /** ecs over two environments, Graviton, bigger tasks, other counts, another region, immutable OIDC subjects. */
  'ecs-multi-env': {
    name: 'storefront',
    githubOwner: 'acme-corp',
    githubRepo: 'storefront',
    githubOwnerId: '1234567',
    githubRepoId: '987654321',
    target: 'ecs',
    region: 'eu-west-1',
    environments: ['staging', 'production'],
    architecture: 'arm64',
    taskCpu: 512,
    taskMemory: 1024,
    desiredCount: 3,
    minCount: 2,
    maxCount: 6,
  },
} as const satisfies Record<string, PipelineOptions>;

export type PresetName = keyof typeof presets;
export const presetNames = Object.keys(presets) as PresetName[];

/** A fixed version, so snapshots do not change with every release of this package. */
export const testGeneratorVersion = '0.1.0';

/** The target a preset renders (ec2 when it names none, as the option table's default). */
export function targetOf(options: PipelineOptions): Target {
  return options.target ?? 'ec2';
}

/** Presets of one target: for tests of what only that target renders (its modules, its scripts, its applied IAM). */
export function presetNamesFor(target: Target): PresetName[] {
  return presetNames.filter((name) => targetOf(presets[name]) === target);
}
