import { z } from 'zod';
import { awsRegions } from './aws-regions.js';
import { defaultKubernetesVersion, kubernetesVersions, kubernetesVersionsPastStandardSupport } from './kubernetes-versions.js';
import { architectures, ingressKinds, targetDescriptions, targets, type PipelineOptions, type ResolvedOptions, type Target } from './pipeline-options.js';
import * as v from './validators.js';

/** What defaults may depend on: the target directory and the git remote the CLI ran in. */
export interface DefaultContext {
  readonly directory?: string;
  readonly gitRemote?: { readonly owner: string; readonly repo: string };
}

/**
 * `number` is a whole number; `boolean` is a switch (`--flag` / `--no-flag` on the command line); `list` is
 * comma-separated on the command line; `map` is `key=value` pairs (`a=1,b=2` on the command line, an object in
 * `.projenrc.ts`); `object` is set in `.projenrc.ts` only.
 */
export type OptionKind = 'string' | 'number' | 'boolean' | 'list' | 'map' | 'object';

export interface OptionDefinition<K extends keyof PipelineOptions = keyof PipelineOptions> {
  readonly key: K;
  readonly kind: OptionKind;
  /** One line for --help, prompts and docs. */
  readonly description: string;
  /** CLI flag without dashes; options without one are set in `.projenrc.ts` only. */
  readonly flag?: string;
  /** Placeholder shown in --help, e.g. `R` in `--region R`. */
  readonly placeholder?: string;
  /** A valid value, quoted in messages about a missing or wrong value. */
  readonly example?: string;
  readonly choices?: readonly string[];
  /**
   * One line per choice, shown beside it when the row is asked as a menu. A string row with at most `menuLimit`
   * choices is asked as a menu (↑/↓, Enter); one with more (regions) is typed, and checked against them.
   */
  readonly choiceDescriptions?: Readonly<Record<string, string>>;
  /**
   * The targets this option applies to; absent: every target. For other targets it is neither asked nor resolved, and
   * giving it is an error.
   */
  readonly targets?: readonly Target[];
  /**
   * Question asked in interactive runs when no flag gave the value: a noun phrase, whose part before the first comma
   * or parenthesis names the value in the summary shown before writing (`EC2 instance type`).
   */
  readonly prompt?: string;
  /** The targets the prompt is asked for, when fewer than those the row applies to (the others take the default or the flag). */
  readonly askedFor?: readonly Target[];
  /** The description for one target, where the row's own is worded for another (a generated repo's docs speak of its target only). */
  readonly descriptionFor?: Readonly<Partial<Record<Target, string>>>;
  /**
   * The value when none is given. `chosen` holds the options settled before this row (table order; the target first
   * in interactive runs), e.g. for a default that follows the service name or the target.
   */
  readonly default?: (ctx: DefaultContext, chosen: Partial<PipelineOptions>) => NonNullable<PipelineOptions[K]> | undefined;
  /** Where a default that depends on the context comes from, told when that default is not a valid value. */
  readonly defaultFrom?: string;
  /** @internal Not in the published types: zod is inlined into dist/, so consumers have no zod to resolve it with. */
  readonly schema: z.ZodType<NonNullable<PipelineOptions[K]>>;
  readonly validate: v.Validator<NonNullable<PipelineOptions[K]>>;
  /**
   * Checks the value against options of rows above it in the table, once they are valid (e.g. accounts against
   * environments). Not called when one of those is missing or invalid: that problem is reported instead.
   */
  readonly validateWith?: (value: NonNullable<PipelineOptions[K]>, earlier: Partial<ResolvedOptions>) => true | string | v.Invalid;
}

/** A row of the table, for any key. */
export type AnyOptionDefinition = { [K in keyof PipelineOptions]-?: OptionDefinition<K> }[keyof PipelineOptions];

const basename = (path: string) => path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';

/**
 * The directory's name, or the service name when the directory's is not a repository name (`my services/`). The CLI
 * only: it passes a directory; `.projenrc.ts` names the repository.
 */
function repositoryNamedAfterDirectory(ctx: DefaultContext, chosen: Partial<PipelineOptions>): string | undefined {
  if (ctx.directory === undefined) return undefined;
  const directory = basename(ctx.directory);
  return v.validateGithubRepo(directory) === true ? directory : chosen.name;
}

const iamStatement = z.object({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.union([z.string(), z.array(z.string())]),
  Condition: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))).optional(),
});

const define = <K extends keyof PipelineOptions>(definition: OptionDefinition<K>) => definition;

/**
 * The one option table. Flags, prompts, defaults and validation of the CLI and of the projen project type are all
 * read from here; adding an option means adding a row (and its key to `PipelineOptions`).
 */
export const optionTable = [
  define({
    key: 'name',
    example: 'my-service',
    kind: 'string',
    flag: 'name',
    placeholder: 'N',
    description: 'service name for AWS resources, roles and tags (lowercase, at most 32 characters)',
    prompt: 'Service name',
    default: (ctx) => (ctx.directory ? basename(ctx.directory) : undefined),
    defaultFrom: "the directory's name",
    schema: z.string(),
    validate: v.validateName,
  }),
  define({
    key: 'target',
    example: 'ec2',
    kind: 'string',
    flag: 'target',
    placeholder: 'T',
    choices: targets,
    choiceDescriptions: targetDescriptions,
    description: `what the service runs on (${targets.join(', ')})`,
    prompt: 'Target (what the service runs on)',
    default: () => 'ec2' as const,
    schema: z.string() as z.ZodType<(typeof targets)[number]>,
    validate: v.validateTarget(targets),
  }),
  define({
    key: 'region',
    example: 'us-east-1',
    kind: 'string',
    flag: 'region',
    placeholder: 'R',
    choices: awsRegions,
    description: 'AWS region of every resource',
    prompt: 'AWS region',
    default: () => 'us-east-1',
    schema: z.string(),
    validate: v.validateRegion,
  }),
  define({
    key: 'githubOwner',
    example: 'acme',
    kind: 'string',
    flag: 'github-owner',
    placeholder: 'O',
    description: 'GitHub user or organization owning the repository (default: from the git remote)',
    prompt: 'GitHub owner (user or organization)',
    default: (ctx) => ctx.gitRemote?.owner,
    schema: z.string(),
    validate: v.validateGithubOwner,
  }),
  define({
    key: 'githubRepo',
    example: 'my-service',
    kind: 'string',
    flag: 'github-repo',
    placeholder: 'R',
    description: "GitHub repository name (default: from the git remote, else the directory's name)",
    prompt: 'GitHub repository name',
    default: (ctx, chosen) => ctx.gitRemote?.repo ?? repositoryNamedAfterDirectory(ctx, chosen),
    defaultFrom: "the git remote, else the directory's name",
    schema: z.string(),
    validate: v.validateGithubRepo,
  }),
  define({
    key: 'githubOwnerId',
    example: '1234567',
    kind: 'string',
    flag: 'github-owner-id',
    placeholder: 'ID',
    description: 'numeric owner id; with --github-repo-id, trust policies use immutable subjects',
    schema: z.string(),
    validate: v.validateNumericId,
  }),
  define({
    key: 'githubRepoId',
    example: '987654321',
    kind: 'string',
    flag: 'github-repo-id',
    placeholder: 'ID',
    description: 'numeric repository id; with --github-owner-id, trust policies use immutable subjects',
    schema: z.string(),
    validate: v.validateNumericId,
  }),
  define({
    key: 'environments',
    example: 'staging,production',
    kind: 'list',
    flag: 'environments',
    placeholder: 'a,b',
    description: 'GitHub environments in promotion order, comma-separated',
    prompt: 'Environments, in promotion order (comma-separated)',
    default: () => ['production'],
    schema: z.array(z.string()),
    validate: v.validateEnvironments,
  }),
  define({
    key: 'accounts',
    example: 'staging=111111111111,production=222222222222',
    kind: 'map',
    flag: 'accounts',
    placeholder: 'env=ID,…',
    description: 'AWS account of each environment, when they live in separate accounts (every environment, or none)',
    // The targets that honour it (src/components/README.md: what a target provides for accounts).
    targets: ['ec2', 'asg', 'ecs', 'eks'],
    default: () => ({}),
    schema: z.record(z.string(), z.string()),
    validate: v.validateAccounts,
    validateWith: (accounts, { environments }) => (environments ? v.validateAccountsCover(environments)(accounts) : true),
  }),
  define({
    key: 'instanceType',
    example: 't3.micro',
    kind: 'string',
    flag: 'instance-type',
    placeholder: 'T',
    description: 'EC2 instance type (family.size; Graviton types run arm64 images)',
    prompt: 'EC2 instance type',
    targets: ['ec2', 'asg'],
    default: () => 't3.micro',
    schema: z.string(),
    validate: v.validateInstanceType,
  }),
  define({
    key: 'taskCpu',
    example: '512',
    kind: 'number',
    flag: 'task-cpu',
    placeholder: 'UNITS',
    description: 'CPU units of each task (256, 512, 1024, …; 1024 = one vCPU)',
    prompt: 'Task CPU units (1024 = one vCPU)',
    targets: ['ecs'],
    default: () => 256,
    schema: z.number().int(),
    validate: v.validateTaskCpu,
  }),
  define({
    key: 'taskMemory',
    example: '1024',
    kind: 'number',
    flag: 'task-memory',
    placeholder: 'MIB',
    description: 'memory of each task in MiB (a size Fargate accepts with --task-cpu)',
    prompt: 'Task memory (MiB)',
    targets: ['ecs'],
    default: () => 512,
    schema: z.number().int(),
    validate: v.validateTaskMemory,
  }),
  define({
    key: 'desiredCount',
    example: '2',
    kind: 'number',
    flag: 'desired-count',
    placeholder: 'N',
    description: 'tasks each service starts with',
    targets: ['ecs'],
    default: () => 2,
    schema: z.number().int(),
    validate: v.validateTaskCount,
  }),
  define({
    key: 'minCount',
    example: '2',
    kind: 'number',
    flag: 'min-count',
    placeholder: 'N',
    description: 'fewest tasks autoscaling keeps per service',
    targets: ['ecs'],
    default: () => 2,
    schema: z.number().int(),
    validate: v.validateTaskCount,
  }),
  define({
    key: 'maxCount',
    example: '4',
    kind: 'number',
    flag: 'max-count',
    placeholder: 'N',
    description: 'most tasks autoscaling starts per service',
    targets: ['ecs'],
    default: () => 4,
    schema: z.number().int(),
    validate: v.validateTaskCount,
  }),
  define({
    key: 'frontend',
    kind: 'boolean',
    flag: 'frontend',
    description: 'also render the static frontend service behind the same load balancer',
    prompt: 'Add the static frontend service?',
    targets: ['ecs'],
    default: () => true,
    schema: z.boolean(),
    validate: () => true,
  }),
  define({
    key: 'architecture',
    example: 'arm64',
    kind: 'string',
    flag: 'architecture',
    placeholder: 'A',
    choices: architectures,
    description: 'CPU architecture of the tasks and images (x86_64, arm64)',
    prompt: 'CPU architecture',
    targets: ['ecs'],
    default: () => 'x86_64' as const,
    schema: z.string() as z.ZodType<(typeof architectures)[number]>,
    validate: v.validateTarget(architectures),
  }),
  define({
    key: 'kubernetesVersion',
    example: defaultKubernetesVersion,
    kind: 'string',
    flag: 'kubernetes-version',
    placeholder: 'V',
    choices: kubernetesVersions.map((v) => v.version),
    choiceDescriptions: Object.fromEntries(kubernetesVersions.map((v) => [v.version, `in EKS standard support until ${v.endOfStandardSupport}`])),
    prompt: 'Kubernetes version of the cluster',
    description: `Kubernetes version of the EKS cluster (${kubernetesVersions.map((v) => v.version).join(', ')}: in EKS standard support)`,
    targets: ['eks'],
    default: () => defaultKubernetesVersion,
    schema: z.string(),
    validate: v.validateKubernetesVersion(kubernetesVersions, kubernetesVersionsPastStandardSupport),
  }),
  define({
    key: 'nodeInstanceTypes',
    example: 't3.medium',
    kind: 'list',
    flag: 'node-instance-types',
    placeholder: 'a,b',
    description: 'instance types of the node group, comma-separated, one architecture (Graviton types run arm64 images)',
    prompt: 'Node instance types (comma-separated, one architecture; Graviton types run arm64 images)',
    targets: ['eks'],
    default: () => ['t3.medium'],
    schema: z.array(z.string()),
    validate: v.validateInstanceTypes,
  }),
  define({
    key: 'minSize',
    example: '2',
    kind: 'number',
    flag: 'min-size',
    placeholder: 'N',
    description: 'fewest instances of the fleet',
    prompt: 'Fewest instances of the fleet',
    targets: ['asg', 'eks'],
    askedFor: ['asg'],
    descriptionFor: { eks: 'fewest nodes of the node group' },
    default: () => 2,
    schema: z.number().int(),
    validate: v.validateFleetSize,
  }),
  define({
    key: 'desiredSize',
    example: '2',
    kind: 'number',
    flag: 'desired-size',
    placeholder: 'N',
    description: 'instances the fleet starts with (between --min-size and --max-size)',
    prompt: 'Instances the fleet starts with',
    targets: ['asg', 'eks'],
    askedFor: ['asg'],
    descriptionFor: { eks: 'nodes the node group starts with (between --min-size and --max-size)' },
    default: () => 2,
    schema: z.number().int(),
    validate: v.validateFleetSize,
  }),
  define({
    key: 'maxSize',
    example: '4',
    kind: 'number',
    flag: 'max-size',
    placeholder: 'N',
    description: 'most instances of the fleet',
    prompt: 'Most instances of the fleet',
    targets: ['asg', 'eks'],
    askedFor: ['asg'],
    descriptionFor: { eks: 'most nodes of the node group' },
    default: () => 4,
    schema: z.number().int(),
    validate: v.validateFleetSize,
  }),
  define({
    key: 'batchSize',
    example: '1',
    kind: 'number',
    flag: 'batch-size',
    placeholder: 'N',
    description: 'instances a deploy takes out of the load balancer at a time, after the canary',
    prompt: 'Instances deployed at a time after the canary',
    targets: ['asg'],
    default: () => 1,
    schema: z.number().int(),
    validate: v.validateBatchSize,
  }),
  define({
    key: 'namespace',
    example: 'my-service',
    kind: 'string',
    flag: 'namespace',
    placeholder: 'NS',
    description: "Kubernetes namespace of the service, the only one the deploy role may edit (default: the service name)",
    prompt: 'Kubernetes namespace (the only one the deploy role may edit)',
    targets: ['eks'],
    default: (_ctx, chosen) => chosen.name,
    defaultFrom: 'the service name',
    schema: z.string(),
    validate: v.validateNamespace,
  }),
  define({
    key: 'replicas',
    example: '2',
    kind: 'number',
    flag: 'replicas',
    placeholder: 'N',
    description: 'pods the Deployment starts with, between --min-replicas and --max-replicas',
    targets: ['eks'],
    default: () => 2,
    schema: z.number(),
    validate: v.validateCount(1, 100, 'pods'),
  }),
  define({
    key: 'minReplicas',
    example: '2',
    kind: 'number',
    flag: 'min-replicas',
    placeholder: 'N',
    description: 'fewest pods the autoscaler keeps',
    targets: ['eks'],
    default: () => 2,
    schema: z.number(),
    validate: v.validateCount(1, 100, 'pods'),
  }),
  define({
    key: 'maxReplicas',
    example: '6',
    kind: 'number',
    flag: 'max-replicas',
    placeholder: 'N',
    description: 'most pods the autoscaler starts',
    targets: ['eks'],
    default: () => 6,
    schema: z.number(),
    validate: v.validateCount(1, 100, 'pods'),
  }),
  define({
    key: 'publicAccessCidrs',
    example: '203.0.113.0/24',
    kind: 'list',
    flag: 'public-access-cidrs',
    placeholder: 'a,b',
    description: "IPv4 ranges allowed to the cluster's public API endpoint, comma-separated (default: none, private endpoint only)",
    prompt: "Public API endpoint ranges, comma-separated (empty: private endpoint only, so deploys must run inside the VPC)",
    targets: ['eks'],
    default: () => [],
    schema: z.array(z.string()),
    validate: v.validateCidrs,
  }),
  define({
    key: 'ingress',
    example: 'alb',
    kind: 'string',
    flag: 'ingress',
    placeholder: 'K',
    choices: ingressKinds,
    choiceDescriptions: { alb: 'an Ingress the AWS Load Balancer Controller makes an ALB of', 'load-balancer': 'a Service of type LoadBalancer (an NLB)' },
    prompt: 'Ingress (how traffic reaches the service)',
    description: `how traffic reaches the service (${ingressKinds.join(', ')}): an ALB Ingress, or a Service of type LoadBalancer`,
    targets: ['eks'],
    default: () => 'alb' as const,
    schema: z.string() as z.ZodType<(typeof ingressKinds)[number]>,
    validate: v.validateTarget(ingressKinds),
  }),
  define({
    key: 'tags',
    kind: 'object',
    description: 'extra tags on every AWS resource',
    default: () => ({}),
    schema: z.record(z.string(), z.string()),
    validate: v.validateTags,
  }),
  define({
    key: 'serviceIamStatements',
    kind: 'object',
    description: 'extra IAM statements for the instance role',
    descriptionFor: { ecs: "extra IAM statements for the API's task role", eks: "extra IAM statements for the pods' role (through EKS Pod Identity)" },
    default: () => [],
    schema: z.array(iamStatement),
    validate: () => true,
  }),
  define({
    key: 'eject',
    kind: 'list',
    description: 'managed files handed over to you; npx projen never rewrites them again',
    default: () => [],
    schema: z.array(z.string()),
    validate: (paths) =>
      paths.every((path) => !path.startsWith('/') && !path.split('/').includes('..'))
        ? true
        : 'lists paths relative to the repository root, without ".."',
  }),
] as const satisfies readonly AnyOptionDefinition[];

/** Every key of PipelineOptions has exactly one row (checked at compile time). */
type TableKeys = (typeof optionTable)[number]['key'];
const everyKeyHasARow: Record<keyof PipelineOptions, true> = {} as Record<TableKeys, true>;
void everyKeyHasARow;

/** A string row with at most this many choices is asked as a menu; with more, the answer is typed. */
export const menuLimit = 10;
/** Whether a row is asked, resolved and accepted for this target. */
export function appliesTo(row: Pick<AnyOptionDefinition, 'targets'>, target: Target): boolean {
  return row.targets === undefined || row.targets.includes(target);
}

/** Whether an interactive run asks the row for this target (when no flag gave it). */
export function isAskedFor(row: Pick<AnyOptionDefinition, 'targets' | 'prompt' | 'askedFor'>, target: Target): boolean {
  return row.prompt !== undefined && appliesTo(row, target) && (row.askedFor === undefined || row.askedFor.includes(target));
}

/** The row's description as a repository of this target reads it. */
export const descriptionOf = (row: Pick<AnyOptionDefinition, 'description' | 'descriptionFor'>, target: Target): string => row.descriptionFor?.[target] ?? row.description;

export const optionByKey = Object.fromEntries(optionTable.map((row) => [row.key, row])) as {
  [K in keyof PipelineOptions]: OptionDefinition<K>;
};
