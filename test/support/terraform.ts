import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveOptions, type PipelineOptions, type ResolvedOptions, type Target } from '../../src/options/index.js';
import { renderRepository } from '../../src/render/render-repository.js';
import type { RenderedFile } from '../../src/render/rendered-file.js';
import { presets, targetOf, testGeneratorVersion } from './presets.js';
import { addFile, terraform } from './terraform-cli.js';

export * from './terraform-cli.js';

/** Terraform roots of a rendered repository, in apply order: bootstrap, then each environment in promotion order. */
export function terraformRoots(repo: string, environments: readonly string[]): string[] {
  return [join(repo, 'terraform', 'bootstrap'), ...environments.map((env) => join(repo, 'terraform', 'environments', env))];
}

/** `.tf` files of the rendered repository, grouped by directory (a Terraform module is one directory). */
export function terraformModules(files: readonly RenderedFile[]): Map<string, RenderedFile[]> {
  const modules = new Map<string, RenderedFile[]>();
  for (const file of files) {
    if (!file.path.endsWith('.tf')) continue;
    const dir = file.path.slice(0, file.path.lastIndexOf('/'));
    modules.set(dir, [...(modules.get(dir) ?? []), file]);
  }
  return modules;
}

/**
 * Option sets the Terraform tests render: the shared presets, plus one with user tags whose keys HCL must quote and
 * service IAM statements (with an IAM policy variable that must stay literal), which change the rendered HCL.
 */
export const terraformVariants = {
  ...presets,
  'tags-and-service-policy': {
    name: 'orders',
    githubOwner: 'acme',
    githubRepo: 'orders-service',
    region: 'us-east-2',
    instanceType: 'm7g.medium',
    tags: { 'cost-center': '4200', 'team name': 'payments', 'owner:email': 'payments@example.com' },
    serviceIamStatements: [
      { Sid: 'ReadOwnObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::orders-data/${aws:username}/*' },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: ['arn:aws:sqs:us-east-2:123456789012:orders'],
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ],
  },
  /**
   * ecs without the frontend: the API alone is the load balancer's default; a name and environment too long for a load
   * balancer name as they are (shortened with a hash); user tags; statements for the API's task role.
   */
  'ecs-api-only': {
    name: 'payments-gateway-api',
    githubOwner: 'acme',
    githubRepo: 'payments',
    target: 'ecs',
    region: 'us-east-2',
    environments: ['production'],
    frontend: false,
    tags: { 'cost-center': '4200', 'team name': 'payments' },
    serviceIamStatements: [{ Sid: 'SendOrders', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-2:123456789012:orders' }],
  },
  /**
   * Three environments in two accounts: staging shares the registry's account with dev (it neither pushes nor reads
   * across accounts), prod reads across; another region and Graviton, so the registry ARN and patterns carry them.
   */
  'accounts-shared': {
    name: 'orders',
    githubOwner: 'acme',
    githubRepo: 'orders',
    region: 'eu-central-1',
    instanceType: 't4g.micro',
    environments: ['dev', 'staging', 'prod'],
    accounts: { dev: '111111111111', staging: '111111111111', prod: '222222222222' },
  },
  /** asg with user tags HCL must quote and a service statement with a literal IAM variable (the fleet's instance role). */
  'asg-tags-and-service-policy': {
    name: 'orders-fleet',
    target: 'asg',
    githubOwner: 'acme',
    githubRepo: 'orders-fleet',
    region: 'us-east-2',
    tags: { 'cost-center': '4200', 'team name': 'payments' },
    serviceIamStatements: [{ Sid: 'ReadOwnObjects', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::orders-data/${aws:username}/*' }],
  },
} as const satisfies Record<string, PipelineOptions>;

export type TerraformVariant = keyof typeof terraformVariants;
export const terraformVariantNames = Object.keys(terraformVariants) as TerraformVariant[];

/** Variants of one target: for tests of what only that target's Terraform declares. */
export function terraformVariantNamesFor(target: Target): TerraformVariant[] {
  return terraformVariantNames.filter((name) => targetOf(terraformVariants[name]) === target);
}

export function renderVariant(name: TerraformVariant): RenderedFile[] {
  return renderRepository(resolveOptions({ ...terraformVariants[name] }), { generatorVersion: testGeneratorVersion });
}

/** A variant's options with every default applied (region, environments, …). */
export function resolvedVariant(name: TerraformVariant): ResolvedOptions {
  return resolveOptions({ ...terraformVariants[name] });
}

export function environmentsOf(name: TerraformVariant): string[] {
  return [...resolvedVariant(name).environments];
}

/**
 * Aims a written repository at a local AWS (moto) without touching its templates: `*_override.tf` files give every
 * root path-style S3 addressing (moto answers on one host name) and the environment roots a local backend (the state
 * bucket's backend is tested by `validate`; moto cannot stand in for the backend's own credentials chain and lock files
 * reliably). The endpoint itself comes from AWS_ENDPOINT_URL in the environment, which provider 5.100 honours.
 */
export function prepareForMoto(repo: string, environments: readonly string[]): string[] {
  const roots = terraformRoots(repo, environments);
  for (const root of roots) {
    addFile(root, 'moto_provider_override.tf', 'provider "aws" {\n  s3_use_path_style = true\n}\n');
  }
  for (const root of roots.slice(1)) addFile(root, 'moto_backend_override.tf', 'terraform {\n  backend "local" {}\n}\n');
  return roots;
}

/**
 * `terraform init` + `apply` of each root: bootstrap first, then the environments in promotion order — or all at once
 * with `concurrentEnvironments` (their roots share nothing but what the bootstrap created).
 */
export async function applyRoots(
  roots: readonly string[],
  env: Record<string, string>,
  options: {
    bootstrapArgs?: readonly string[];
    environmentArgs?: readonly string[];
    concurrentEnvironments?: boolean;
    /** Write each apply's JSON log (every AWS call) to `apply-log.json` in its root, for `apiCalls`. */
    logApiCalls?: boolean;
  } = {},
): Promise<void> {
  const apply = async (root: string, args: readonly string[] = []) => {
    await terraform(root, ['init', '-input=false'], { env });
    const log: Record<string, string> = options.logApiCalls ? { TF_LOG: 'json', TF_LOG_PATH: join(root, 'apply-log.json') } : {};
    await terraform(root, ['apply', '-auto-approve', '-input=false', ...args], { env: { ...env, ...log } });
  };
  await apply(roots[0]!, options.bootstrapArgs);
  const environments = roots.slice(1);
  if (options.concurrentEnvironments) await Promise.all(environments.map((root) => apply(root, options.environmentArgs)));
  else for (const root of environments) await apply(root, options.environmentArgs);
}

/** `terraform output -json` of a root, as plain values. */
export async function outputs(root: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const run = await terraform(root, ['output', '-json'], { env });
  return Object.fromEntries(Object.entries(JSON.parse(run.stdout) as Record<string, { value: unknown }>).map(([k, v]) => [k, v.value]));
}

/** IAM's prefix of the services whose SDK name (as the provider logs it) is another. */
const iamPrefixes: Record<string, string> = {
  'application auto scaling': 'application-autoscaling',
  'auto scaling': 'autoscaling',
  'cloudwatch logs': 'logs',
  'elastic load balancing v2': 'elasticloadbalancing',
};

/**
 * The AWS API actions (`service:Operation`, service as IAM names it) a Terraform run called, read from the JSON log it
 * wrote with `TF_LOG=json TF_LOG_PATH=<log>`: the provider logs every request with its service and operation.
 */
export function apiCalls(log: string): Set<string> {
  const called = new Set<string>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (!line.includes('"rpc.method"')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry['rpc.service'] === 'string' && typeof entry['rpc.method'] === 'string') {
      const service = entry['rpc.service'].toLowerCase();
      called.add(`${iamPrefixes[service] ?? service}:${entry['rpc.method']}`);
    }
  }
  return called;
}

/**
 * A second `terraform plan -detailed-exitcode` of every root, at once, each logging its AWS calls to `plan-log.json` in
 * its root (for `apiCalls`). Answers those logs, and the plan output of each root that still has changes (a perpetual
 * diff): an empty `drift` is a clean re-plan.
 */
export async function replanLogged(roots: readonly string[], env: Record<string, string>): Promise<{ logs: string[]; drift: string[] }> {
  const logs = roots.map((root) => join(root, 'plan-log.json'));
  const drift: string[] = [];
  await Promise.all(
    roots.map(async (root, i) => {
      const plan = await terraform(root, ['plan', '-detailed-exitcode', '-input=false'], { env: { ...env, TF_LOG: 'json', TF_LOG_PATH: logs[i]! }, okExitCodes: [0, 2] });
      if (plan.exitCode !== 0) drift.push(`${root}:\n${plan.stdout}`);
    }),
  );
  return { logs, drift };
}
