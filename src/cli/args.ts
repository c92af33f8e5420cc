import { parseArgs, type ParseArgsConfig } from 'node:util';
import { reviewerProblem, type GithubArgs } from '../github/github-args.js';
import { asInvalid, describeFlagProblem, optionTable, parseMapText, validateAwsAccountId, validateGithubOwner, type AnyOptionDefinition, type Invalid, type PipelineOptions } from '../options/index.js';

type RawOptions = Partial<Record<keyof PipelineOptions, unknown>>;

/** Flags that steer the CLI rather than what it renders. */
export const cliFlags = [
  { flag: 'yes', short: 'y', description: 'use defaults for everything not given; ask nothing' },
  { flag: 'skip-install', description: 'do not run npm install in service/' },
  { flag: 'skip-git', description: 'do not git init and commit' },
  { flag: 'dry-run', description: 'print the files that would be written, write nothing' },
  { flag: 'force', description: 'overwrite files in an existing, non-empty directory' },
  { flag: 'help', short: 'h', description: 'show this help' },
  { flag: 'version', short: 'v', description: 'print the version' },
] as const;

/** Flags of `--create-github-repo`: they configure the GitHub repository, not what is rendered. */
export const githubFlags = [
  {
    flag: 'create-github-repo',
    kind: 'boolean',
    description: 'create the GitHub repository, push the scaffold, configure environments, variables and branch protection',
  },
  { flag: 'private', kind: 'boolean', description: 'with --create-github-repo: a private repository (the default)' },
  { flag: 'public', kind: 'boolean', description: 'with --create-github-repo: a public repository' },
  {
    flag: 'github-org',
    kind: 'string',
    placeholder: 'ORG',
    description: "with --create-github-repo: the organization that owns it (default: the token's user)",
    validate: validateGithubOwner,
  },
  {
    flag: 'reviewers',
    kind: 'list',
    placeholder: 'a,b',
    description: 'with --create-github-repo: required reviewers of every environment (users, or org/team)',
    validate: reviewerProblem,
  },
  {
    flag: 'aws-account-id',
    kind: 'string',
    placeholder: 'ID',
    description: 'with --create-github-repo: the AWS_ACCOUNT_ID repository variable (12 digits; with --accounts, each environment gets its own)',
    validate: validateAwsAccountId,
  },
] as const;

export interface ParsedArgs {
  readonly command: 'scaffold' | 'doctor';
  readonly directory?: string;
  /** Values of rendering options given as flags, still unvalidated. */
  readonly flags: RawOptions;
  readonly yes: boolean;
  readonly skipInstall: boolean;
  readonly skipGit: boolean;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** Set with `--create-github-repo`, validated. */
  readonly github?: GithubArgs;
}

/** A mistake in how the CLI was called: reported in one line, exit code 2. */
export class UsageError extends Error {}

const rows = () => (optionTable as readonly AnyOptionDefinition[]).filter((row) => row.flag);

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const row of rows()) options[row.flag!] = { type: row.kind === 'boolean' ? 'boolean' : 'string' };
  for (const f of cliFlags) options[f.flag] = { type: 'boolean', ...('short' in f ? { short: f.short } : {}) };
  for (const f of githubFlags) options[f.flag] = { type: f.kind === 'boolean' ? 'boolean' : 'string' };
  let parsed;
  try {
    // allowNegative: a boolean option `--frontend` is turned off with `--no-frontend`.
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, allowNegative: true, strict: true });
  } catch (error) {
    // node:util's messages span lines and suggest `--` for positionals; keep one line.
    const message = (error as Error).message
      .replace(/\. To specify a positional argument.*$/s, '')
      .split('\n')
      .map((line) => line.trim().replace(/\.$/, ''))
      .filter(Boolean)
      .join('; ');
    throw new UsageError(`${message}; see --help`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = [...parsed.positionals];
  const command = positionals[0] === 'doctor' ? 'doctor' : 'scaffold';
  if (command === 'doctor') positionals.shift();
  if (positionals.length > 1) throw new UsageError(`expected one directory, got ${positionals.length}: ${positionals.join(' ')}; see --help`);
  const flags: RawOptions = {};
  for (const row of rows()) {
    const value = values[row.flag!];
    if (value === undefined) continue;
    flags[row.key] = flagValue(row, value);
  }
  return {
    command,
    directory: positionals[0],
    flags,
    yes: values.yes === true,
    skipInstall: values['skip-install'] === true,
    skipGit: values['skip-git'] === true,
    dryRun: values['dry-run'] === true,
    force: values.force === true,
    help: values.help === true,
    version: values.version === true,
    github: githubArgs(values),
  };
}

/**
 * A flag's text as the option's kind: a list split on commas, `a=1,b=2` as a map, a whole number as a number (anything
 * else stays text, which the option's check then refuses with what is wrong).
 */
export function flagValue(row: AnyOptionDefinition, value: string | boolean): unknown {
  if (typeof value === 'boolean') return value;
  if (row.kind === 'list') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (row.kind === 'map') {
    const parsed = parseMapText(value);
    return 'problem' in parsed ? value : parsed;
  }
  if (row.kind === 'number' && /^\s*\d{1,9}\s*$/.test(value)) return Number(value);
  return value.trim();
}

/** Reads and validates the GitHub flags; each problem is one line naming the flag. */
function githubArgs(values: Record<string, string | boolean | undefined>): GithubArgs | undefined {
  const given = githubFlags.filter((f) => values[f.flag] !== undefined && f.flag !== 'create-github-repo');
  if (values['create-github-repo'] !== true) {
    if (given.length > 0) throw new UsageError(`--${given[0]!.flag} only applies with --create-github-repo`);
    return undefined;
  }
  if (values.private === true && values.public === true) throw new UsageError('--private and --public exclude each other; private is the default');
  const read: Record<string, string | readonly string[]> = {};
  for (const f of githubFlags) {
    const raw = values[f.flag];
    if (!('validate' in f) || typeof raw !== 'string') continue;
    const value = f.kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw.trim();
    const verdict = (f.validate as (v: typeof value) => true | string | Invalid)(value);
    if (verdict !== true) throw new UsageError(describeFlagProblem(f.flag, asInvalid(verdict)));
    read[f.flag] = value;
  }
  return {
    visibility: values.public === true ? 'public' : 'private',
    org: read['github-org'] as string | undefined,
    reviewers: (read.reviewers as readonly string[] | undefined) ?? [],
    awsAccountId: read['aws-account-id'] as string | undefined,
  };
}

export function helpText(): string {
  const flagLines = [
    ...rows().map((row) => [row.kind === 'boolean' ? `--[no-]${row.flag}` : `--${row.flag} ${row.placeholder ?? 'V'}`, `${row.description}${row.targets ? ` (${row.targets.join(', ')})` : ''}`] as const),
    ...cliFlags.map((f) => [`${'short' in f ? `-${f.short}, ` : ''}--${f.flag}`, f.description] as const),
    ...githubFlags.map((f) => [`--${f.flag}${'placeholder' in f ? ` ${f.placeholder}` : ''}`, f.description] as const),
  ];
  const width = Math.max(...flagLines.map(([left]) => left.length)) + 2;
  return [
    'Usage: create-ec2-oidc-pipeline <directory> [flags]',
    '       create-ec2-oidc-pipeline doctor [directory]',
    '',
    'Scaffolds a repository for zero-credential CI/CD to AWS EC2: Terraform (GitHub OIDC roles, ECR, EC2 run',
    'through SSM, state bucket), GitHub Actions workflows (disabled until you enable them), a Fastify service,',
    'POSIX deploy scripts and docs. `doctor` checks a generated repository: which OIDC subject each workflow job',
    'presents, which role it assumes, and whether that role trusts it.',
    '',
    'Flags:',
    ...flagLines.map(([left, right]) => `  ${left.padEnd(width)}${right}`),
    '',
    'Interactive runs ask for what flags did not give (the target first, from a menu), then show a summary and ask',
    'before writing; with --yes, or without a terminal, defaults are used and a missing required value is an error.',
    'Exit codes: 0 done, 1 failed or not confirmed, 2 bad input.',
    '',
    'GitHub (--create-github-repo): the token comes from GH_TOKEN, then GITHUB_TOKEN, then `gh auth token`; the API from',
    'GITHUB_API_URL (GitHub Enterprise Server), else https://api.github.com. A classic token needs the scopes repo and',
    'workflow (and read:org for team reviewers). Running the same command again resumes after a failure.',
  ].join('\n');
}
