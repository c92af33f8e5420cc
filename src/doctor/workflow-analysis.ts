import { parse as parseYaml } from 'yaml';
import type { Finding } from './finding.js';
import { equalityWith, topLevelConjuncts, topLevelDisjuncts } from './github-expression.js';

/** The repository variable that switches the cloud jobs on (see the generated workflows' headers). */
export const enableVariable = 'PIPELINE_ENABLED';
/** The variable role ARNs take their account from: the repository's, or each GitHub environment's own. */
export const accountIdVariable = 'AWS_ACCOUNT_ID';
/** Branch the generated workflows deploy and apply from; scheduled runs use the default branch. */
export const mainBranch = 'main';

/**
 * The part of an OIDC subject after `repo:OWNER/REPO` that a job presents, e.g. `:environment:production`.
 * `exact: false` when the job can run from refs we cannot enumerate (any branch or tag): no exact trust matches those.
 */
export interface PresentedSubject {
  readonly suffix: string;
  readonly exact: boolean;
  /** Why the job presents it: `environment production`, `pull_request`, `push to main`, … */
  readonly because: string;
}

/**
 * The account part of a role ARN: written literally, taken from a variable (`${{ vars.NAME }}`: an environment's own
 * when the job runs in one, else the repository's), or any other expression. Null for a bare role name.
 */
export type RoleAccount =
  | { readonly kind: 'literal'; readonly id: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'expression'; readonly text: string };

export interface RoleAssumption {
  /** The role name from `role-to-assume`, or null when it is only known at run time. */
  readonly roleName: string | null;
  readonly account: RoleAccount | null;
  readonly raw: string;
}

/** One job as GitHub would run it (a matrix job once per combination). */
export interface AnalyzedJob {
  readonly file: string;
  readonly id: string;
  /** `deploy-production`, or `plan (environment=staging)` for a matrix combination. */
  readonly label: string;
  /** The GitHub environment the job runs in; `unresolved` holds an expression we cannot evaluate. */
  readonly environment: string | null;
  readonly unresolvedEnvironment: string | null;
  readonly assumes: readonly RoleAssumption[];
  readonly subjects: readonly PresentedSubject[];
  /** Job-level `id-token: write` (or `write-all`). */
  readonly idTokenWrite: boolean;
  readonly hasJobPermissions: boolean;
  readonly writeAll: boolean;
  /** The job's `if:` has `vars.PIPELINE_ENABLED == 'true'` as a top-level conjunct. */
  readonly guarded: boolean;
  /** `defaults.run.working-directory`: for a job without an environment, the Terraform root says what it acts on. */
  readonly workingDirectory: string | null;
}

export interface WorkflowAnalysis {
  readonly jobs: readonly AnalyzedJob[];
  readonly findings: readonly Finding[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const asStrings = (value: Json | undefined): string[] | null =>
  value === undefined || value === null ? null : Array.isArray(value) ? value.map(String) : [String(value)];

/** The events that start a workflow, with their configuration (`on: push` → `{ push: {} }`). */
function triggersOf(on: Json | undefined): Map<string, JsonObject> {
  const triggers = new Map<string, JsonObject>();
  if (typeof on === 'string') triggers.set(on, {});
  else if (Array.isArray(on)) for (const event of on) triggers.set(String(event), {});
  else if (isObject(on)) for (const [event, config] of Object.entries(on)) triggers.set(event, isObject(config) ? config : {});
  return triggers;
}

const hasGlob = (pattern: string) => /[*?[\]!+]/.test(pattern);

/**
 * The subjects a job without `environment:` presents, per event: pull requests present `pull_request`; everything
 * else presents its ref (`ref:refs/heads/<branch>`), which the job's `if:` may pin.
 */
function refSubjects(events: Map<string, JsonObject>, refGuard: string | null): PresentedSubject[] {
  const subjects: PresentedSubject[] = [];
  const branch = (name: string, because: string): PresentedSubject => ({ suffix: `:ref:refs/heads/${name}`, exact: true, because });
  const anyBranch = (because: string): PresentedSubject => ({ suffix: ':ref:refs/heads/<any branch>', exact: false, because });
  const anyTag = (because: string): PresentedSubject => ({ suffix: ':ref:refs/tags/<any tag>', exact: false, because });
  for (const [event, config] of events) {
    if (event === 'pull_request' || event === 'pull_request_target') {
      // On pull_request, github.ref is refs/pull/N/merge, so a branch guard keeps the job from running at all.
      if (refGuard === null || event === 'pull_request_target') subjects.push({ suffix: ':pull_request', exact: true, because: event });
      continue;
    }
    if (refGuard !== null) {
      subjects.push(refGuard.startsWith('refs/heads/') ? branch(refGuard.slice('refs/heads/'.length), `${event}, if: github.ref`) : { suffix: `:ref:${refGuard}`, exact: true, because: `${event}, if: github.ref` });
      continue;
    }
    if (event === 'push') {
      const branches = asStrings(config.branches);
      const tags = asStrings(config.tags);
      const branchFilter = branches !== null || config['branches-ignore'] !== undefined;
      const tagFilter = tags !== null || config['tags-ignore'] !== undefined;
      if (branchFilter || !tagFilter) {
        if (branches && !branches.some(hasGlob)) for (const name of branches) subjects.push(branch(name, `push to ${name}`));
        else subjects.push(anyBranch('push to any branch'));
      }
      if (tagFilter || !branchFilter) subjects.push(anyTag('push of a tag'));
    } else if (event === 'schedule') {
      subjects.push(branch(mainBranch, 'schedule (runs on the default branch)'));
    } else if (event === 'release') {
      subjects.push(anyTag('release'));
    } else {
      subjects.push(anyBranch(`${event} from any branch`));
    }
  }
  return subjects;
}

const isScalar = (value: Json) => value === null || typeof value !== 'object';

/**
 * A condition that switches on the event, `(github.event_name == 'push' || (github.event_name == 'x' && …))`: every
 * operand of its top-level `||` names its event. Answers, per event (lower case), the conditions that hold with it; null
 * for any other condition (which then restricts nothing, as before).
 */
function eventSwitch(conjunct: string): Map<string, string[]> | null {
  const disjuncts = topLevelDisjuncts(conjunct);
  if (disjuncts.length < 2) return null;
  const cases = new Map<string, string[]>();
  for (const disjunct of disjuncts) {
    const parts = topLevelConjuncts(disjunct);
    const events = parts.map((part) => equalityWith(part, 'github.event_name')).filter((v): v is string => v !== null);
    if (events.length !== 1) return null;
    const event = events[0]!.toLowerCase();
    // Two operands for one event: nothing is known beyond the event itself.
    cases.set(event, cases.has(event) ? [] : parts);
  }
  return cases;
}

/**
 * Combinations of a literal matrix: `{ env: [a, b] }` → `[{ env: a }, { env: b }]`, or an `include`-only list.
 * Anything else (expressions, include/exclude mixed with keys) gives one empty combination, so `${{ matrix.* }}`
 * stays unresolved and is reported rather than guessed.
 */
function matrixCombinations(strategy: Json | undefined): Record<string, string>[] {
  const matrix = isObject(strategy) ? strategy.matrix : undefined;
  if (!isObject(matrix)) return [{}];
  const { include, exclude, ...keys } = matrix;
  if (Object.keys(keys).length === 0) {
    if (!Array.isArray(include) || exclude !== undefined) return [{}];
    if (!include.every((entry) => isObject(entry) && Object.values(entry).every(isScalar))) return [{}];
    return include.map((entry) => Object.fromEntries(Object.entries(entry as JsonObject).map(([k, v]) => [k, String(v)])));
  }
  if (include !== undefined || exclude !== undefined) return [{}];
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(keys)) {
    if (!Array.isArray(values) || !values.every(isScalar)) return [{}];
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: String(value) })));
  }
  return combos;
}

/** Replaces `${{ matrix.key }}` with the combination's value; other expressions stay. */
function substituteMatrix(text: string, combo: Record<string, string>): string {
  return text.replace(/\$\{\{\s*matrix\.([A-Za-z0-9_-]+)\s*\}\}/g, (whole, key: string) => combo[key] ?? whole);
}

const hasExpression = (text: string) => text.includes('${{');

/** `arn:aws:iam::<account>:role/<path/>name` or a bare role name → the name; null if it depends on an expression. */
export function roleNameOf(roleToAssume: string): string | null {
  const arn = /^arn:aws[a-z-]*:iam::[^:]*:role\/(?:[^/]*\/)*([^/]+)$/.exec(roleToAssume.trim());
  const name = arn ? arn[1]! : roleToAssume.trim();
  return /^[\w+=,.@-]+$/.test(name) ? name : null;
}

/** `owner/repo[/path]@<40 hex>`, a local action, or a docker image by digest. */
export function isPinned(uses: string): boolean {
  if (uses.startsWith('./')) return true;
  if (uses.startsWith('docker://')) return /@sha256:[0-9a-f]{64}$/.test(uses);
  return /^[^@\s]+\/[^@\s]+@[0-9a-f]{40}$/.test(uses);
}

/** The account of `arn:aws:iam::<account>:role/…`; null when `role-to-assume` is not an ARN. */
export function roleAccountOf(roleToAssume: string): RoleAccount | null {
  const arn = /^arn:aws[a-z-]*:iam::(.*):role\//.exec(roleToAssume.trim());
  if (!arn) return null;
  const part = arn[1]!;
  if (/^[0-9]{12}$/.test(part)) return { kind: 'literal', id: part };
  const variable = /^\$\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(part);
  return variable ? { kind: 'variable', name: variable[1]! } : { kind: 'expression', text: part };
}

const configureCredentials = /^aws-actions\/configure-aws-credentials@/;

/**
 * Reads one workflow: every job's environment, the roles it assumes, its permissions, its `if:` guard, and the
 * OIDC subjects it can present. Also reports what does not need Terraform to judge: unpinned actions,
 * `pull_request_target`, OIDC tokens requested where no role is assumed.
 */
export function analyzeWorkflow(file: string, text: string): WorkflowAnalysis {
  const findings: Finding[] = [];
  let document: Json;
  try {
    document = parseYaml(text) as Json;
  } catch (error) {
    return { jobs: [], findings: [{ file, message: `is not valid YAML: ${(error as Error).message.split('\n')[0]}` }] };
  }
  if (!isObject(document) || !isObject(document.jobs)) {
    return { jobs: [], findings: [{ file, message: 'has no jobs: not a GitHub Actions workflow' }] };
  }
  const triggers = triggersOf(document.on);
  if (triggers.has('pull_request_target')) {
    findings.push({ file, message: "runs on pull_request_target: it runs with the base repository's permissions on a fork's request; use pull_request" });
  }
  const workflowPermissions = document.permissions;
  if (workflowPermissions === 'write-all' || (isObject(workflowPermissions) && workflowPermissions['id-token'] === 'write')) {
    findings.push({ file, message: 'grants id-token: write to every job at workflow level: grant it only on the jobs that assume a role' });
  }
  const jobs: AnalyzedJob[] = [];
  for (const [id, job] of Object.entries(document.jobs)) {
    if (!isObject(job)) continue;
    const uses: string[] = [];
    if (typeof job.uses === 'string') uses.push(job.uses);
    const steps = Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
    for (const step of steps) if (typeof step.uses === 'string') uses.push(step.uses);
    for (const ref of uses) {
      if (!isPinned(ref)) findings.push({ file, job: id, message: `uses ${ref}: pin it to a full 40-character commit SHA (with the version in a comment)` });
    }

    const permissions = job.permissions;
    const hasJobPermissions = permissions !== undefined;
    const writeAll = permissions === 'write-all';
    const idTokenWrite = writeAll || (isObject(permissions) && permissions['id-token'] === 'write');

    const conjuncts = typeof job.if === 'string' ? topLevelConjuncts(job.if) : typeof job.if === 'boolean' ? [String(job.if)] : [];
    const guarded = conjuncts.some((c) => equalityWith(c, `vars.${enableVariable}`)?.toLowerCase() === 'true');
    const refGuard = conjuncts.map((c) => equalityWith(c, 'github.ref')).find((v) => v !== null) ?? null;
    const eventGuards = conjuncts.map((c) => equalityWith(c, 'github.event_name')).filter((v): v is string => v !== null);
    const switches = conjuncts.map(eventSwitch).filter((s): s is Map<string, string[]> => s !== null);
    const events = new Map(
      [...triggers].filter(([event]) => eventGuards.every((guard) => guard.toLowerCase() === event.toLowerCase()) && switches.every((s) => s.has(event.toLowerCase()))),
    );
    // A ref guard for one event only: `(github.event_name == 'workflow_dispatch' && github.ref == 'refs/heads/main')`.
    const refGuardOf = (event: string) =>
      refGuard ?? switches.flatMap((s) => s.get(event.toLowerCase()) ?? []).map((c) => equalityWith(c, 'github.ref')).find((v) => v !== null) ?? null;
    const refSubjectsOf = () => [...events].flatMap(([event, config]) => refSubjects(new Map([[event, config]]), refGuardOf(event)));

    const run = isObject(job.defaults) && isObject(job.defaults.run) ? job.defaults.run : {};
    const rawWorkingDirectory = typeof run['working-directory'] === 'string' ? run['working-directory'] : null;
    const rawEnvironment = typeof job.environment === 'string' ? job.environment : isObject(job.environment) && typeof job.environment.name === 'string' ? job.environment.name : null;
    const combos = matrixCombinations(job.strategy);
    for (const combo of combos) {
      const label = Object.keys(combo).length === 0 ? id : `${id} (${Object.entries(combo).map(([k, v]) => `${k}=${v}`).join(', ')})`;
      const environment = rawEnvironment === null ? null : substituteMatrix(rawEnvironment, combo);
      const assumes: RoleAssumption[] = steps
        .filter((step) => typeof step.uses === 'string' && configureCredentials.test(step.uses))
        .map((step) => {
          const raw = isObject(step.with) && step.with['role-to-assume'] !== undefined ? substituteMatrix(String(step.with['role-to-assume']), combo) : '';
          return { raw, roleName: raw === '' ? null : roleNameOf(raw), account: roleAccountOf(raw) };
        });
      const resolvedEnvironment = environment !== null && !hasExpression(environment) ? environment : null;
      const subjects: PresentedSubject[] =
        environment === null
          ? refSubjectsOf()
          : resolvedEnvironment !== null
            ? events.size > 0
              ? [{ suffix: `:environment:${resolvedEnvironment}`, exact: true, because: `environment ${resolvedEnvironment}` }]
              : []
            : [{ suffix: ':environment:<unknown>', exact: false, because: `environment ${environment}` }];
      jobs.push({
        file,
        id,
        label,
        environment: resolvedEnvironment,
        unresolvedEnvironment: environment !== null && resolvedEnvironment === null ? environment : null,
        assumes,
        subjects,
        idTokenWrite,
        hasJobPermissions,
        writeAll,
        guarded,
        workingDirectory: rawWorkingDirectory === null ? null : substituteMatrix(rawWorkingDirectory, combo),
      });
    }
  }
  return { jobs, findings };
}
