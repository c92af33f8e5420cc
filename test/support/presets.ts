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
  /** Environments in separate AWS accounts: one image, pushed to dev's account and pulled from prod's. */
  'multi-account': {
    name: 'ledger',
    githubOwner: 'acme',
    githubRepo: 'ledger',
    environments: ['dev', 'prod'],
    accounts: { dev: '111111111111', prod: '222222222222' },
  },
  /** The asg target with its defaults: a fleet of 2 (up to 4) behind a load balancer, one environment. */
  asg: { name: 'fleet', githubOwner: 'acme', githubRepo: 'fleet', target: 'asg' },
  /** The asg target in two environments, Graviton, a bigger fleet deployed two at a time, immutable subjects. */
  'asg-multi-env': {
    name: 'shop-fleet',
    githubOwner: 'acme-corp',
    githubRepo: 'shop-fleet',
    githubOwnerId: '1234567',
    githubRepoId: '987654321',
    target: 'asg',
    region: 'eu-west-1',
    environments: ['staging', 'production'],
    instanceType: 't4g.small',
    minSize: 3,
    desiredSize: 4,
    maxSize: 8,
    batchSize: 2,
  },
  /**
   * The asg target with environments in separate accounts: one release, uploaded to dev's account and read from prod's.
   * (Other accounts than multi-account's: the IAM test applies both presets on one moto, each account's bootstrap
   * creating its own GitHub OIDC provider.)
   */
  'asg-multi-account': {
    name: 'till',
    githubOwner: 'acme',
    githubRepo: 'till',
    target: 'asg',
    environments: ['dev', 'prod'],
    accounts: { dev: '333333333333', prod: '444444444444' },
  },
  /**
   * ecs with environments in separate accounts (ids other than multi-account's and asg-multi-account's: the accounts
   * tests share one moto): each service's image pushed to dev's account and pulled by prod's execution roles.
   */
  'ecs-multi-account': {
    name: 'payments',
    githubOwner: 'acme',
    githubRepo: 'payments',
    target: 'ecs',
    environments: ['dev', 'prod'],
    accounts: { dev: '555555555555', prod: '666666666666' },
  },
  /** Seed 004 in code: an EKS cluster with defaults everywhere. */
  eks: { name: 'fastapi-demo', githubOwner: 'acme', githubRepo: 'fastapi-demo', target: 'eks' },
  /** EKS with two environments, Graviton nodes, a public API for listed ranges, an NLB, and the pods' own AWS permissions. */
  'eks-multi-env': {
    name: 'orders',
    githubOwner: 'acme-corp',
    githubRepo: 'orders',
    target: 'eks',
    region: 'eu-west-1',
    environments: ['staging', 'production'],
    kubernetesVersion: '1.35',
    nodeInstanceTypes: ['m7g.large', 'c7g.large'],
    minSize: 3,
    desiredSize: 3,
    maxSize: 6,
    namespace: 'orders-api',
    replicas: 3,
    minReplicas: 3,
    maxReplicas: 12,
    publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
    ingress: 'load-balancer',
    serviceIamStatements: [{ Sid: 'PublishOrders', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:123456789012:orders' }],
  },
  /**
   * EKS with environments in separate AWS accounts: one image, pushed to dev's account, pulled by prod's nodes. Other
   * accounts than the other accounts presets', so tests may apply them all on one moto server (an account holds one
   * GitHub provider).
   */
  'eks-multi-account': {
    name: 'billing',
    githubOwner: 'acme',
    githubRepo: 'billing',
    target: 'eks',
    environments: ['dev', 'prod'],
    accounts: { dev: '777777777777', prod: '888888888888' },
    publicAccessCidrs: ['203.0.113.0/24'],
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

/** Whether a preset puts its environments in separate AWS accounts (option `accounts`). */
export function hasAccounts(options: PipelineOptions): boolean {
  return Object.keys(options.accounts ?? {}).length > 0;
}

/**
 * Presets of one target whose environments share one account: what tests that apply to one moto account (the
 * default, 123456789012) take. Presets with accounts are applied account by account (`accountPresetNamesFor`).
 */
export function singleAccountPresetNamesFor(target: Target): PresetName[] {
  return presetNamesFor(target).filter((name) => !hasAccounts(presets[name]));
}

/** Presets of one target with environments in separate accounts. */
export function accountPresetNamesFor(target: Target): PresetName[] {
  return presetNamesFor(target).filter((name) => hasAccounts(presets[name]));
}
