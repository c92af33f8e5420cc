import { parseArgs, type ParseArgsConfig } from 'node:util';
import { optionTable, type AnyOptionDefinition, type PipelineOptions } from '../options/index.js';

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
}

/** A mistake in how the CLI was called: reported in one line, exit code 2. */
export class UsageError extends Error {}

const rows = () => (optionTable as readonly AnyOptionDefinition[]).filter((row) => row.flag);

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const row of rows()) options[row.flag!] = { type: 'string' };
  for (const f of cliFlags) options[f.flag] = { type: 'boolean', ...('short' in f ? { short: f.short } : {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
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
    if (typeof value !== 'string') continue;
    flags[row.key] = row.kind === 'list' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value.trim();
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
  };
}

export function helpText(): string {
  const flagLines = [
    ...rows().map((row) => [`--${row.flag} ${row.placeholder ?? 'V'}`, row.description] as const),
    ...cliFlags.map((f) => [`${'short' in f ? `-${f.short}, ` : ''}--${f.flag}`, f.description] as const),
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
    'Interactive runs ask for what flags did not give; with --yes, or without a terminal, defaults are used and a',
    'missing required value is an error. Exit codes: 0 done, 1 failed, 2 bad input.',
  ].join('\n');
}
