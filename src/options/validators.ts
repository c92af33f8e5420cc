import { architectureOf } from './architecture.js';
import { awsRegions } from './aws-regions.js';

/**
 * What a rule finds wrong with a value. `problem` reads after the field's name (`must be …`, `"x" is not …`,
 * `needs …`) and names no flag, option key or prompt: each front end names the field its own way
 * (`describeForCli`, `describeForPrompt`, `describeForCode`). `example` is one valid value, written as a person types
 * it (a list comma-separated), which each front end quotes its own way.
 */
export interface Invalid {
  readonly problem: string;
  readonly example?: string;
}

/** A validator answers `true`, or what is wrong: an `Invalid`, or its problem alone as text (no example). */
export type Validator<T> = (value: T) => true | string | Invalid;

export const invalid = (problem: string, example?: string): Invalid => (example === undefined ? { problem } : { problem, example });

/** A validator's answer as an `Invalid` (text is a problem without an example). */
export const asInvalid = (verdict: string | Invalid): Invalid => (typeof verdict === 'string' ? { problem: verdict } : verdict);

const dnsName = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

export const validateName: Validator<string> = (value) => {
  if (value.length === 0) return invalid('must not be empty; use lowercase letters, digits and hyphens', 'my-service');
  if (value.length > 32) return invalid(`must be at most 32 characters (got ${value.length}), as AWS role and bucket names are built from it`, 'my-service');
  if (!dnsName.test(value)) {
    return invalid(`must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen (got "${value}")`, 'my-service');
  }
  return true;
};

export const validateTarget = (choices: readonly string[]): Validator<string> => (value) =>
  choices.includes(value) ? true : invalid(`must be one of ${choices.join(', ')} (got "${value}")`);

export const validateRegion: Validator<string> = (value) => {
  if ((awsRegions as readonly string[]).includes(value)) return true;
  if (/^(us-gov|cn)-/.test(value)) return invalid(`"${value}" is in the GovCloud or China partition, which is not supported; use a commercial region`, 'us-east-1');
  return invalid(`"${value}" is not an AWS region id`, 'us-east-1');
};

// GitHub: alphanumerics and single hyphens, no leading/trailing hyphen, at most 39 characters.
const githubOwner = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export const validateGithubOwner: Validator<string> = (value) => {
  if (value.length === 0) return invalid('must not be empty: name the GitHub user or organization that will own the repository', 'acme');
  if (!githubOwner.test(value)) {
    return invalid(`"${value}" is not a GitHub user or organization name; use letters, digits and single hyphens, at most 39 characters`, 'acme');
  }
  return true;
};

export const validateGithubRepo: Validator<string> = (value) => {
  if (value.length === 0) return invalid('must not be empty: name the GitHub repository', 'my-service');
  if (value.length > 100) return invalid(`must be at most 100 characters (got ${value.length})`, 'my-service');
  if (!/^[A-Za-z0-9._-]+$/.test(value) || value === '.' || value === '..' || value.endsWith('.git')) {
    return invalid(`"${value}" is not a GitHub repository name; use letters, digits, ".", "-" and "_" (and not ending in .git)`, 'my-service');
  }
  return true;
};

export const validateNumericId: Validator<string> = (value) =>
  /^[1-9][0-9]{0,19}$/.test(value) ? true : invalid(`"${value}" is not a numeric GitHub id; read it from GET /repos/{owner}/{repo} (owner.id and id)`);

const environmentName = /^[a-z][a-z0-9-]{0,19}$/;

export const validateEnvironments: Validator<readonly string[]> = (value) => {
  if (value.length === 0) return invalid('needs at least one environment', 'production');
  for (const name of value) {
    if (!environmentName.test(name) || name.endsWith('-')) {
      return invalid(
        `"${name}" is not a usable environment name; use lowercase letters, digits and hyphens, start with a letter, at most 20 characters (it names GitHub environments, IAM roles and Terraform folders)`,
        'staging,production',
      );
    }
  }
  const seen = new Set<string>();
  for (const name of value) {
    if (seen.has(name)) return invalid(`lists "${name}" twice; each environment must be unique`);
    seen.add(name);
  }
  return true;
};

export const validateInstanceType: Validator<string> = (value) =>
  /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value) && /[0-9]/.test(value.split('.')[0]!)
    ? true
    : invalid(`"${value}" is not an EC2 instance type; use family.size (t4g.small and other Graviton types run arm64)`, 't3.micro');

/** Largest fleet size the options accept; an Auto Scaling group takes more, and `terraform.tfvars` can set it. */
export const maxFleetSize = 100;

export const validateFleetSize: Validator<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value <= maxFleetSize ? true : invalid(`must be a whole number of instances from 1 to ${maxFleetSize} (got ${value})`, '2');

export const validateBatchSize: Validator<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value <= maxFleetSize
    ? true
    : invalid(`must be a whole number of instances from 1 to ${maxFleetSize} (got ${value}); 1 keeps the most capacity in service during a deploy`, '1');

/** The fleet's sizes together: min <= desired <= max. Answers the problem, on the option that is out of order. */
export function fleetSizeProblem(sizes: { minSize: number; desiredSize: number; maxSize: number }): ({ key: 'desiredSize' | 'maxSize' } & Invalid) | undefined {
  const { minSize, desiredSize, maxSize } = sizes;
  if (maxSize < minSize) return { key: 'maxSize', ...invalid(`(${maxSize}) is smaller than the minimum size (${minSize}); raise it or lower the minimum`, String(minSize)) };
  if (desiredSize < minSize || desiredSize > maxSize) {
    return { key: 'desiredSize', ...invalid(`(${desiredSize}) must be between the minimum size (${minSize}) and the maximum size (${maxSize})`, String(minSize)) };
  }
  return undefined;
}

export const validateAwsAccountId: Validator<string> = (value) =>
  /^[0-9]{12}$/.test(value) ? true : invalid(`"${value}" is not an AWS account id; use the 12 digits`, '123456789012');

/** The shape of `accounts`: each environment named with a 12-digit account id (which environments: validateAccountsCover). */
export const validateAccounts: Validator<Readonly<Record<string, string>>> = (value) => {
  for (const [environment, id] of Object.entries(value)) {
    if (!/^[0-9]{12}$/.test(id)) {
      // The same pairs, with this one's id written as 12 digits.
      const example = Object.entries(value).map(([env, account]) => `${env}=${env === environment ? '123456789012' : account}`).join(',');
      return invalid(`gives ${environment} "${id}", which is not an AWS account id; use its 12 digits`, example);
    }
  }
  return true;
};

/**
 * `accounts` against the environments: every environment names its account, or none does (one account for all of
 * them); an environment that is not in the list is a typo.
 */
export const validateAccountsCover =
  (environments: readonly string[]): Validator<Readonly<Record<string, string>>> =>
  (value) => {
    const named = Object.keys(value);
    if (named.length === 0) return true;
    const unknown = named.find((name) => !environments.includes(name));
    if (unknown !== undefined) return invalid(`names "${unknown}", which is not one of the environments (${environments.join(', ')}); name each environment's account by the environment's name`);
    const missing = environments.filter((name) => !named.includes(name));
    if (missing.length > 0) {
      return invalid(`names no account for ${missing.join(', ')}; give every environment its account, or leave the option out to keep all of them in one account`);
    }
    return true;
  };

/**
 * `a=1,b=2` as an object, or what is wrong with it: a pair without `=`, an empty name or value, a name given twice.
 * The command line's form of a `map` option.
 */
export function parseMapText(text: string): Record<string, string> | { readonly problem: string } {
  const map: Record<string, string> = {};
  for (const pair of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    const key = at < 0 ? '' : pair.slice(0, at).trim();
    const value = at < 0 ? '' : pair.slice(at + 1).trim();
    if (key === '' || value === '') return { problem: `"${pair}" is not a name=value pair` };
    if (Object.hasOwn(map, key)) return { problem: `names "${key}" twice` };
    map[key] = value;
  }
  return map;
}

const tagKey = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export const validateTags: Validator<Readonly<Record<string, string>>> = (value) => {
  for (const [key, tagValue] of Object.entries(value)) {
    if (!tagKey.test(key) || key.toLowerCase().startsWith('aws:')) return `tag key "${key}" is not allowed; use 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:`;
    if (tagValue.length > 256) return `tag "${key}" has a value longer than 256 characters`;
    if (['App', 'Environment', 'ManagedBy'].includes(key)) return `tag "${key}" is set by the generated code (deploy permissions depend on it); choose another key`;
  }
  return true;
};

/** Fargate's task sizes: CPU units, and the memory (MiB) each accepts: from, to, in steps of. */
export const fargateSizes: Readonly<Record<number, { readonly min: number; readonly max: number; readonly step: number; readonly also?: readonly number[] }>> = {
  256: { min: 1024, max: 2048, step: 1024, also: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** The memory sizes (MiB) Fargate accepts with `cpu` units, smallest first. */
export function fargateMemoryChoices(cpu: number): number[] {
  const size = fargateSizes[cpu];
  if (!size) return [];
  const stepped: number[] = [];
  for (let memory = size.min; memory <= size.max; memory += size.step) stepped.push(memory);
  return [...(size.also ?? []), ...stepped];
}

export const validateTaskCpu: Validator<number> = (value) =>
  value in fargateSizes ? true : invalid(`${value} is not a Fargate task size; use one of ${Object.keys(fargateSizes).join(', ')} CPU units (1024 = one vCPU)`, '512');

export const validateTaskMemory: Validator<number> = (value) =>
  Number.isInteger(value) && value >= 512 && value <= 122880 ? true : invalid(`${value} is not a Fargate task memory size; use MiB from 512 to 122880`, '1024');

/** Fargate accepts only some memory sizes with each CPU size. */
export function validateFargateSize(cpu: number, memory: number): true | string {
  const choices = fargateMemoryChoices(cpu);
  if (choices.includes(memory)) return true;
  const size = fargateSizes[cpu]!;
  const listed = size.also ? `${size.also.join(', ')} or ${size.min}-${size.max}` : `${size.min}-${size.max}`;
  return `${memory} MiB does not go with ${cpu} CPU units on Fargate; with ${cpu} use ${listed} MiB in steps of ${size.step}`;
}

export const validateTaskCount: Validator<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value <= 1000 ? true : invalid(`must be a whole number of tasks from 1 to 1000 (got ${value})`, '2');

/**
 * Bounds keep a count between them: min <= desired <= max. `bounds` names them (`the autoscaling bounds`), `middle`
 * the count between them (`a desired count`).
 */
export function validateOrderedCounts(min: number, desired: number, max: number, bounds: string, middle: string): true | string {
  if (min > max) return `the minimum (${min}) is above the maximum (${max}) of ${bounds}; lower the minimum or raise the maximum`;
  if (desired < min || desired > max) return `${desired} is outside ${bounds} ${min}-${max}; choose ${middle} between the minimum and the maximum`;
  return true;
}

/** Autoscaling keeps the desired count between the bounds: min <= desired <= max. */
export const validateTaskCounts = (min: number, desired: number, max: number): true | string =>
  validateOrderedCounts(min, desired, max, 'the autoscaling bounds', 'a desired count');
/** The HorizontalPodAutoscaler keeps the replicas between the bounds: min <= replicas <= max. */
export const validateReplicaCounts = (min: number, replicas: number, max: number): true | string =>
  validateOrderedCounts(min, replicas, max, 'the pod autoscaling bounds', 'a replica count');
/** A whole number within bounds (the caller names the field; `what` says what it counts). */
export const validateCount =
  (min: number, max: number, what: string): Validator<number> =>
  (value) =>
    Number.isInteger(value) && value >= min && value <= max ? true : invalid(`must be a whole number of ${what} from ${min} to ${max} (got ${value})`, String(min === 1 ? 2 : min));

export const validateKubernetesVersion =
  (versions: readonly { readonly version: string; readonly endOfStandardSupport: string }[], pastStandardSupport: Readonly<Record<string, string>>): Validator<string> =>
  (value) => {
    if (versions.some((v) => v.version === value)) return true;
    const offered = versions.map((v) => `${v.version} (standard support until ${v.endOfStandardSupport})`).join(' or ');
    const ended = pastStandardSupport[value];
    const example = versions[0]?.version;
    if (ended) return invalid(`${value} left EKS standard support on ${ended} (extended support costs extra per cluster hour); choose ${offered}`, example);
    return invalid(`"${value}" is not a Kubernetes version EKS offers in standard support; choose ${offered}`, example);
  };

export const validateInstanceTypes: Validator<readonly string[]> = (value) => {
  if (value.length === 0) return invalid('needs at least one instance type', 't3.medium');
  for (const type of value) {
    const verdict = validateInstanceType(type);
    if (verdict !== true) return verdict;
  }
  if (new Set(value).size !== value.length) return invalid('lists an instance type twice; each must be unique', [...new Set(value)].join(','));
  if (new Set(value.map(architectureOf)).size > 1) {
    return invalid(`mixes x86_64 and Graviton (arm64) types (${value.join(', ')}); a node group runs one architecture, so list types of one kind`, 't3.medium,t3a.medium');
  }
  return true;
};

// DNS-1123 label, as Kubernetes requires of a namespace.
const namespaceName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const validateNamespace: Validator<string> = (value) => {
  if (value.length === 0 || value.length > 63 || !namespaceName.test(value)) {
    return invalid(`"${value}" is not a Kubernetes namespace name; use at most 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit`, 'my-service');
  }
  if (value === 'default' || value.startsWith('kube-')) {
    return invalid(`"${value}" is shared with the cluster itself; the deploy role gets edit rights in this namespace, so give the app its own, such as its name`, 'my-service');
  }
  return true;
};

const ipv4Cidr = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\/([0-9]|[12][0-9]|3[0-2])$/;

export const validateCidrs: Validator<readonly string[]> = (value) => {
  for (const cidr of value) {
    if (!ipv4Cidr.test(cidr)) return invalid(`"${cidr}" is not an IPv4 CIDR block`, '203.0.113.0/24');
  }
  if (value.length > 40) return invalid(`lists ${value.length} ranges; EKS accepts at most 40`);
  if (new Set(value).size !== value.length) return invalid('lists a range twice; each must be unique', [...new Set(value)].join(','));
  return true;
};
