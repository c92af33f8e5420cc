import { awsRegions } from './aws-regions.js';

/** A validator answers `true`, or a message that says what is wrong and how to fix it (the caller names the field). */
export type Validator<T> = (value: T) => true | string;

const dnsName = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

export const validateName: Validator<string> = (value) => {
  if (value.length === 0) return 'must not be empty; use lowercase letters, digits and hyphens, e.g. "my-service"';
  if (value.length > 32) return `must be at most 32 characters (got ${value.length}); AWS role and bucket names are built from it`;
  if (!dnsName.test(value)) {
    return `must be lowercase letters, digits and hyphens, start with a letter and not end with a hyphen (got "${value}"), e.g. "my-service"`;
  }
  return true;
};

export const validateTarget = (choices: readonly string[]): Validator<string> => (value) =>
  choices.includes(value) ? true : `must be one of ${choices.join(', ')} (got "${value}")`;

export const validateRegion: Validator<string> = (value) => {
  if ((awsRegions as readonly string[]).includes(value)) return true;
  if (/^(us-gov|cn)-/.test(value)) return `"${value}" is in the GovCloud or China partition, which is not supported; use a commercial region such as us-east-1`;
  return `"${value}" is not an AWS region id; use one such as us-east-1, eu-west-1 or ap-southeast-2`;
};

// GitHub: alphanumerics and single hyphens, no leading/trailing hyphen, at most 39 characters.
const githubOwner = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export const validateGithubOwner: Validator<string> = (value) => {
  if (value.length === 0) return 'is required; pass the GitHub user or organization that will own the repository, e.g. --github-owner acme';
  if (!githubOwner.test(value)) {
    return `"${value}" is not a GitHub user or organization name; use letters, digits and single hyphens, at most 39 characters`;
  }
  return true;
};

export const validateGithubRepo: Validator<string> = (value) => {
  if (value.length === 0) return 'is required; pass the repository name, e.g. --github-repo my-service';
  if (value.length > 100) return `must be at most 100 characters (got ${value.length})`;
  if (!/^[A-Za-z0-9._-]+$/.test(value) || value === '.' || value === '..' || value.endsWith('.git')) {
    return `"${value}" is not a GitHub repository name; use letters, digits, ".", "-" and "_" (and not ending in .git)`;
  }
  return true;
};

export const validateNumericId: Validator<string> = (value) =>
  /^[1-9][0-9]{0,19}$/.test(value) ? true : `"${value}" is not a numeric GitHub id; read it from GET /repos/{owner}/{repo} (owner.id and id)`;

const environmentName = /^[a-z][a-z0-9-]{0,19}$/;

export const validateEnvironments: Validator<readonly string[]> = (value) => {
  if (value.length === 0) return 'needs at least one environment, e.g. --environments production';
  for (const name of value) {
    if (!environmentName.test(name) || name.endsWith('-')) {
      return `"${name}" is not a usable environment name; use lowercase letters, digits and hyphens, start with a letter, at most 20 characters (it names GitHub environments, IAM roles and Terraform folders)`;
    }
  }
  const seen = new Set<string>();
  for (const name of value) {
    if (seen.has(name)) return `lists "${name}" twice; each environment must be unique`;
    seen.add(name);
  }
  return true;
};

export const validateInstanceType: Validator<string> = (value) =>
  /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value) && /[0-9]/.test(value.split('.')[0]!)
    ? true
    : `"${value}" is not an EC2 instance type; use family.size, e.g. t3.micro or t4g.small`;

export const validateAwsAccountId: Validator<string> = (value) =>
  /^[0-9]{12}$/.test(value) ? true : `"${value}" is not an AWS account id; use the 12 digits, e.g. 123456789012`;

const tagKey = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export const validateTags: Validator<Readonly<Record<string, string>>> = (value) => {
  for (const [key, tagValue] of Object.entries(value)) {
    if (!tagKey.test(key) || key.toLowerCase().startsWith('aws:')) return `tag key "${key}" is not allowed; use 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:`;
    if (tagValue.length > 256) return `tag "${key}" has a value longer than 256 characters`;
    if (['App', 'Environment', 'ManagedBy'].includes(key)) return `tag "${key}" is set by the generated code (deploy permissions depend on it); choose another key`;
  }
  return true;
};
