import { appliesTo, optionTable, type AnyOptionDefinition, type DefaultContext } from './option-table.js';
import type { PipelineOptions, ResolvedOptions, Target } from './pipeline-options.js';
import { asInvalid, fleetSizeProblem, invalid, parseMapText, validateFargateSize, validateReplicaCounts, validateTaskCounts, type Invalid } from './validators.js';

/** What is wrong with one option: the rule's `Invalid`, and which option, for the front end to name it. */
export interface OptionProblem extends Invalid {
  readonly key: keyof PipelineOptions;
  /** No value was given and none could be defaulted: the front end says how to give one. */
  readonly missing?: boolean;
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

const rowOf = (key: string) => (optionTable as readonly AnyOptionDefinition[]).find((r) => r.key === key);

/** A value as one word on a POSIX command line, quoted only when it needs to be. */
const shellWord = (value: string) => (/^[\w.,/:@+=-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);

/**
 * How a problem reads on the command line, after the flag's name: the problem, a valid example as the flag to pass,
 * and where a bad default came from. For the option table's flags and the CLI's own (`--github-org`, `--reviewers`).
 */
export function describeFlagProblem(flag: string, problem: Invalid & Pick<OptionProblem, 'missing' | 'defaultFrom'>): string {
  const example = problem.example === undefined ? '' : `${problem.missing ? '; pass it,' : ','} e.g. --${flag} ${shellWord(problem.example)}`;
  const from = problem.defaultFrom ? `; that is its default, ${problem.defaultFrom}: pass --${flag} to choose a valid one` : '';
  return `--${flag}: ${problem.problem}${example}${from}`;
}

/** How a problem reads to a CLI user: named after the flag, e.g. `--region: "mars-1" is not an AWS region id, e.g. --region us-east-1`. */
export function describeForCli(problem: OptionProblem): string {
  const flag = rowOf(problem.key)?.flag;
  return flag ? describeFlagProblem(flag, problem) : describeForCode(problem);
}

/**
 * How a problem reads inside a prompt, to the person typing the answer: the prompt above it names the field, so no
 * flag or key is named; a valid answer is quoted as they would type it. `Must be …`, `"x" is not …, e.g. y`.
 */
export function describeForPrompt(problem: Invalid): string {
  const sentence = problem.problem.charAt(0).toUpperCase() + problem.problem.slice(1);
  return `${sentence}${problem.example === undefined ? '' : `, e.g. ${problem.example}`}`;
}

/** An example as it is written in `.projenrc.ts`: a list as an array, a number or switch bare, text as a string. */
function exampleInCode(row: AnyOptionDefinition | undefined, example: string): string {
  if (row?.kind === 'list') return JSON.stringify(example.split(',').map((item) => item.trim()));
  if (row?.kind === 'map') {
    const map = parseMapText(example);
    return 'problem' in map ? JSON.stringify(example) : JSON.stringify(map);
  }
  if (row?.kind === 'number' || row?.kind === 'boolean') return example;
  return JSON.stringify(example);
}

/** How a problem reads in `.projenrc.ts`: named after the option key, e.g. `"region" is required, e.g. "us-east-1"`. */
export function describeForCode(problem: OptionProblem): string {
  const row = rowOf(problem.key);
  // `"region": "mars-1" is not …` reads like the line in .projenrc.ts; `"name" is required` needs no colon.
  const key = problem.problem.startsWith('"') ? `${JSON.stringify(problem.key)}:` : JSON.stringify(problem.key);
  const fix = problem.example === undefined ? '' : `, e.g. ${exampleInCode(row, problem.example)}`;
  const from = problem.defaultFrom ? `; that is its default, ${problem.defaultFrom}: set "${problem.key}"` : '';
  return `${key} ${problem.problem}${fix}${from}`;
}

/** Checks one value against its row: type first (zod), then meaning. */
export function checkOption(row: AnyOptionDefinition, value: unknown): true | Invalid {
  // A number typed on the command line or at a prompt arrives as text when it is not one.
  if (row.kind === 'number' && typeof value === 'string') return invalid(value.trim() === '' ? 'must be a whole number' : `"${value}" is not a whole number`, row.example);
  // A map typed on the command line arrives as text when it does not read as name=value pairs (flagValue parses the
  // ones that do); in .projenrc.ts it is an object.
  if (row.kind === 'map' && typeof value === 'string') {
    const parsed = parseMapText(value);
    const problem = 'problem' in parsed ? parsed.problem : `"${value}" is text, not an object of name: value`;
    return invalid(`${problem}; write name=value pairs separated by commas`, row.example);
  }
  const parsed = row.schema.safeParse(value);
  if (!parsed.success) return invalid(`has the wrong type: ${parsed.error.issues[0]?.message ?? 'invalid'}`, row.example);
  const verdict = (row.validate as (v: unknown) => true | string | Invalid)(parsed.data);
  return verdict === true ? true : asInvalid(verdict);
}

/**
 * Applies defaults and validates every option. Unknown keys are refused so that a typo in `.projenrc.ts` is not
 * silently ignored.
 */
export function resolveOptions(input: Partial<Record<keyof PipelineOptions, unknown>>, ctx: DefaultContext = {}): ResolvedOptions {
  const problems: OptionProblem[] = [];
  const known = new Set<string>(optionTable.map((r) => r.key));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push({ key: key as keyof PipelineOptions, problem: `is not an option; known options: ${[...known].join(', ')}` });
  }
  const resolved: Record<string, unknown> = {};
  for (const row of optionTable as readonly AnyOptionDefinition[]) {
    // Rows come after `target` in the table; with an invalid target, target-specific rows are left alone.
    if (row.targets && !appliesTo(row, resolved.target as Target)) {
      if (input[row.key] !== undefined && resolved.target !== undefined) {
        problems.push({ key: row.key, problem: `applies to target ${row.targets.join(' or ')} only, not ${String(resolved.target)}; leave it out or choose that target` });
      }
      continue;
    }
    let value = input[row.key];
    const defaulted = value === undefined || value === '';
    if (defaulted) value = row.default?.(ctx, resolved as Partial<PipelineOptions>);
    if (value === undefined) {
      if (row.key === 'githubOwnerId' || row.key === 'githubRepoId') continue;
      // Only the CLI looks at a git remote (it passes a directory); .projenrc.ts must name the repository.
      const fromRemote = ctx.directory !== undefined && (row.key === 'githubOwner' || row.key === 'githubRepo');
      const why = fromRemote ? ' (there is no GitHub git remote to read it from)' : '';
      problems.push({ key: row.key, problem: `is required${why}`, missing: true, ...(row.example === undefined ? {} : { example: row.example }) });
      continue;
    }
    const verdict = checkOption(row, value);
    const related = verdict === true && row.validateWith ? (row.validateWith as (v: unknown, earlier: Partial<ResolvedOptions>) => true | string | Invalid)(value, resolved) : true;
    if (verdict !== true) problems.push({ key: row.key, ...verdict, ...(defaulted && row.defaultFrom ? { defaultFrom: row.defaultFrom } : {}) });
    else if (related !== true) problems.push({ key: row.key, ...asInvalid(related) });
    else resolved[row.key] = value;
  }
  if ((resolved.githubOwnerId === undefined) !== (resolved.githubRepoId === undefined) && !problems.some((p) => p.key === 'githubOwnerId' || p.key === 'githubRepoId')) {
    const missing = resolved.githubOwnerId === undefined ? 'githubOwnerId' : 'githubRepoId';
    problems.push({ key: missing, problem: 'is needed too: immutable subjects name both the owner id and the repository id' });
  }
  problems.push(...crossChecks(resolved, problems));
  if (problems.length > 0) throw new OptionsError(problems);
  return resolved as unknown as ResolvedOptions;
}

/** Checks between options that are each valid alone (skipped when one of them already has a problem). */
function crossChecks(resolved: Record<string, unknown>, problems: readonly OptionProblem[]): OptionProblem[] {
  const found: OptionProblem[] = [];
  const valid = (...keys: (keyof PipelineOptions)[]) => keys.every((key) => resolved[key] !== undefined && !problems.some((p) => p.key === key));
  if (valid('taskCpu', 'taskMemory')) {
    const verdict = validateFargateSize(resolved.taskCpu as number, resolved.taskMemory as number);
    if (verdict !== true) found.push({ key: 'taskMemory', ...asInvalid(verdict) });
  }
  if (valid('minCount', 'desiredCount', 'maxCount')) {
    const [min, desired, max] = [resolved.minCount, resolved.desiredCount, resolved.maxCount] as number[];
    const verdict = validateTaskCounts(min!, desired!, max!);
    if (verdict !== true) found.push({ key: min! > max! ? 'minCount' : 'desiredCount', ...asInvalid(verdict) });
  }
  if (valid('minSize', 'desiredSize', 'maxSize')) {
    const problem = fleetSizeProblem(resolved as { minSize: number; desiredSize: number; maxSize: number });
    if (problem) found.push(problem);
  }
  if (valid('minReplicas', 'replicas', 'maxReplicas')) {
    const [min, desired, max] = [resolved.minReplicas, resolved.replicas, resolved.maxReplicas] as number[];
    const verdict = validateReplicaCounts(min!, desired!, max!);
    if (verdict !== true) found.push({ key: min! > max! ? 'minReplicas' : 'replicas', ...asInvalid(verdict) });
  }
  // IAM role names hold at most 64 characters; the longest an ecs environment creates is <name>-<env>-frontend-exec.
  if (resolved.target === 'ecs' && valid('name', 'environments')) {
    const longest = (resolved.environments as string[]).find((env) => `${String(resolved.name)}-${env}-frontend-exec`.length > 64);
    if (longest !== undefined) {
      found.push({ key: 'environments', problem: `"${longest}" with the name "${String(resolved.name)}" makes role names longer than IAM's 64 characters (<name>-<environment>-frontend-exec); shorten the name or the environment to at most 50 characters together` });
    }
  }
  return found;
}
