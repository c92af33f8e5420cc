import { appliesTo, optionTable, type AnyOptionDefinition, type DefaultContext } from './option-table.js';
import type { PipelineOptions, ResolvedOptions, Target } from './pipeline-options.js';

export interface OptionProblem {
  readonly key: keyof PipelineOptions;
  /** Reads after the option's name: `is required …`, `"x" is not …`, `must be …`. */
  readonly message: string;
  /** Set for a missing value: what to pass. */
  readonly example?: string;
  /** Set when the value was a default taken from the context: where it came from. */
  readonly defaultFrom?: string;
}

/** Thrown for user input that cannot be used; `problems` are in option-table order. */
export class OptionsError extends Error {
  constructor(readonly problems: readonly OptionProblem[]) {
    super(problems.map((p) => describeForCode(p)).join('\n'));
    this.name = 'OptionsError';
  }
}

/** How a problem reads to a CLI user: named after the flag, e.g. `--region: "mars-1" is not an AWS region id; …`. */
export function describeForCli(problem: OptionProblem): string {
  const row = optionTable.find((r) => r.key === problem.key) as AnyOptionDefinition | undefined;
  if (!row?.flag) return describeForCode(problem);
  const fix = problem.example ? `; pass it, e.g. --${row.flag} ${problem.example}` : '';
  const from = problem.defaultFrom ? `; that is its default, ${problem.defaultFrom}: pass --${row.flag} to choose a valid one` : '';
  return `--${row.flag}: ${problem.message}${fix}${from}`;
}

/** How a problem reads in `.projenrc.ts`: named after the option key, e.g. `"region" is required, e.g. "us-east-1"`. */
export function describeForCode(problem: OptionProblem): string {
  const fix = problem.example ? `, e.g. ${JSON.stringify(problem.example)}` : '';
  const from = problem.defaultFrom ? `; that is its default, ${problem.defaultFrom}: set "${problem.key}"` : '';
  return `"${problem.key}" ${problem.message}${fix}${from}`;
}

/** Checks one value against its row: type first (zod), then meaning. */
export function checkOption(row: AnyOptionDefinition, value: unknown): true | string {
  // A number typed on the command line or at a prompt arrives as text when it is not one.
  if (row.kind === 'number' && typeof value === 'string') return `"${value}" is not a whole number${row.example ? `, e.g. ${row.example}` : ''}`;
  const parsed = row.schema.safeParse(value);
  if (!parsed.success) return `has the wrong type: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
  return (row.validate as (v: unknown) => true | string)(parsed.data);
}

/**
 * Applies defaults and validates every option. Unknown keys are refused so that a typo in `.projenrc.ts` is not
 * silently ignored.
 */
export function resolveOptions(input: Partial<Record<keyof PipelineOptions, unknown>>, ctx: DefaultContext = {}): ResolvedOptions {
  const problems: OptionProblem[] = [];
  const known = new Set<string>(optionTable.map((r) => r.key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push({ key: key as keyof PipelineOptions, message: `is not an option; known options: ${[...known].join(', ')}` });
  }
  const resolved: Record<string, unknown> = {};
  for (const row of optionTable as readonly AnyOptionDefinition[]) {
    // Rows come after `target` in the table; with an invalid target, target-specific rows are left alone.
    if (row.targets && !appliesTo(row, resolved.target as Target)) {
      if (input[row.key] !== undefined && resolved.target !== undefined) {
        problems.push({ key: row.key, message: `applies to target ${row.targets.join(' or ')} only, not ${String(resolved.target)}; leave it out or choose that target` });
      }
      continue;
    }
    let value = input[row.key];
    const defaulted = value === undefined || value === '';
    if (defaulted) value = row.default?.(ctx);
    if (value === undefined) {
      if (row.key === 'githubOwnerId' || row.key === 'githubRepoId') continue;
      // Only the CLI looks at a git remote (it passes a directory); .projenrc.ts must name the repository.
      const fromRemote = ctx.directory !== undefined && (row.key === 'githubOwner' || row.key === 'githubRepo');
      const why = fromRemote ? ' (there is no GitHub git remote to read it from)' : '';
      problems.push({ key: row.key, message: `is required${why}`, example: row.example });
      continue;
    }
    const verdict = checkOption(row, value);
    if (verdict !== true) problems.push({ key: row.key, message: verdict, ...(defaulted && row.defaultFrom ? { defaultFrom: row.defaultFrom } : {}) });
    else resolved[row.key] = value;
  }
  if ((resolved.githubOwnerId === undefined) !== (resolved.githubRepoId === undefined) && !problems.some((p) => p.key === 'githubOwnerId' || p.key === 'githubRepoId')) {
    const missing = resolved.githubOwnerId === undefined ? 'githubOwnerId' : 'githubRepoId';
    problems.push({ key: missing, message: 'is needed too: immutable subjects name both the owner id and the repository id' });
  }
  if (problems.length > 0) throw new OptionsError(problems);
  return resolved as unknown as ResolvedOptions;
}
