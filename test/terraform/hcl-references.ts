import { posix } from 'node:path';

/** One `.tf` file as `@cdktf/hcl2json` returns it. */
export type HclJson = Record<string, unknown>;

/** A Terraform module: one directory, its files parsed. */
export interface HclModule {
  readonly dir: string;
  readonly files: ReadonlyMap<string, HclJson>;
}

interface Declarations {
  readonly variables: Map<string, { required: boolean }>;
  readonly locals: Set<string>;
  readonly outputs: Set<string>;
  readonly modules: Map<string, { source: string; args: Set<string> }>;
  /** `type.name` of resources and data sources. */
  readonly resources: Set<string>;
  readonly data: Set<string>;
}

const metaArguments = new Set(['source', 'version', 'providers', 'depends_on', 'count', 'for_each']);

function blocks(json: HclJson, kind: string): [string, Record<string, unknown>][] {
  const section = json[kind] as Record<string, Record<string, unknown>[]> | undefined;
  if (!section) return [];
  return Object.entries(section).flatMap(([name, list]) => list.map((body): [string, Record<string, unknown>] => [name, body]));
}

function typedBlocks(json: HclJson, kind: 'resource' | 'data'): string[] {
  const section = json[kind] as Record<string, Record<string, unknown>> | undefined;
  if (!section) return [];
  return Object.entries(section).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

export function declarations(module: HclModule): Declarations {
  const declared: Declarations = {
    variables: new Map(),
    locals: new Set(),
    outputs: new Set(),
    modules: new Map(),
    resources: new Set(),
    data: new Set(),
  };
  for (const json of module.files.values()) {
    for (const [name, body] of blocks(json, 'variable')) declared.variables.set(name, { required: !('default' in body) });
    for (const [name] of blocks(json, 'output')) declared.outputs.add(name);
    for (const [name, body] of blocks(json, 'module')) {
      declared.modules.set(name, { source: String(body.source), args: new Set(Object.keys(body).filter((key) => !metaArguments.has(key))) });
    }
    for (const entry of (json.locals as Record<string, unknown>[] | undefined) ?? []) {
      for (const name of Object.keys(entry)) declared.locals.add(name);
    }
    for (const address of typedBlocks(json, 'resource')) declared.resources.add(address);
    for (const address of typedBlocks(json, 'data')) declared.data.add(address);
  }
  return declared;
}

/** The outermost `${ … }` interpolations of a string, nested ones included in their parent's text. */
export function interpolations(text: string): string[] {
  const found: string[] = [];
  let i = text.indexOf('${');
  while (i !== -1) {
    let depth = 0;
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end === -1) break;
    found.push(text.slice(i + 2, end));
    i = text.indexOf('${', end + 1);
  }
  return found;
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) yield* strings(item);
}

export interface Reference {
  readonly kind: 'var' | 'local' | 'module' | 'data' | 'resource';
  readonly name: string;
  /** For `module.X.Y`: Y. */
  readonly attribute?: string;
}

const identifier = '[A-Za-z_][A-Za-z0-9_-]*';
const referencePatterns: [Reference['kind'], RegExp][] = [
  ['var', new RegExp(`(?<![\\w.])var\\.(${identifier})`, 'g')],
  ['local', new RegExp(`(?<![\\w.])local\\.(${identifier})`, 'g')],
  ['module', new RegExp(`(?<![\\w.])module\\.(${identifier})(?:\\.(${identifier}))?`, 'g')],
  ['data', new RegExp(`(?<![\\w.])data\\.(${identifier}\\.${identifier})`, 'g')],
  ['resource', new RegExp(`(?<![\\w.])(aws_[a-z0-9_]+\\.${identifier})`, 'g')],
];

export function references(expression: string): Reference[] {
  const found: Reference[] = [];
  for (const [kind, pattern] of referencePatterns) {
    for (const match of expression.matchAll(pattern)) {
      found.push(match[2] ? { kind, name: match[1]!, attribute: match[2] } : { kind, name: match[1]! });
    }
  }
  return found;
}

/**
 * Checks that every `var.X`, `local.X`, `module.X(.output)`, `data.T.N` and `aws_T.N` resolves within its module
 * directory; that every local module call points at a module of the set, passes only variables it declares and every
 * variable it requires. Answers the problems found, one line each (empty: all resolve).
 */
export function checkReferences(modules: readonly HclModule[]): string[] {
  const byDir = new Map(modules.map((module) => [module.dir, module]));
  const declared = new Map(modules.map((module) => [module.dir, declarations(module)]));
  const problems: string[] = [];
  for (const module of modules) {
    const own = declared.get(module.dir)!;
    const target = (name: string) => {
      const call = own.modules.get(name);
      return call && call.source.startsWith('.') ? declared.get(posix.join(module.dir, call.source)) : undefined;
    };
    for (const [file, json] of module.files) {
      for (const text of strings(json)) {
        for (const expression of interpolations(text)) {
          for (const ref of references(expression)) {
            const where = `${module.dir}/${file}: ${ref.kind === 'resource' ? '' : `${ref.kind}.`}${ref.name}`;
            if (ref.kind === 'var' && !own.variables.has(ref.name)) problems.push(`${where} is not a declared variable`);
            if (ref.kind === 'local' && !own.locals.has(ref.name)) problems.push(`${where} is not a declared local`);
            if (ref.kind === 'data' && !own.data.has(ref.name)) problems.push(`${where} is not a declared data source`);
            if (ref.kind === 'resource' && !own.resources.has(ref.name)) problems.push(`${where} is not a declared resource`);
            if (ref.kind === 'module') {
              if (!own.modules.has(ref.name)) problems.push(`${where} is not a declared module call`);
              else if (ref.attribute && target(ref.name) && !target(ref.name)!.outputs.has(ref.attribute)) {
                problems.push(`${where}.${ref.attribute}: module ${ref.name} has no output ${ref.attribute}`);
              }
            }
          }
        }
      }
    }
    for (const [name, call] of own.modules) {
      if (!call.source.startsWith('.')) continue;
      const dir = posix.join(module.dir, call.source);
      const called = declared.get(dir);
      if (!byDir.has(dir) || !called) {
        problems.push(`${module.dir}: module ${name} has source ${call.source}, which is not a rendered module`);
        continue;
      }
      for (const arg of call.args) {
        if (!called.variables.has(arg)) problems.push(`${module.dir}: module ${name} passes ${arg}, which ${dir} does not declare`);
      }
      for (const [variable, { required }] of called.variables) {
        if (required && !call.args.has(variable)) problems.push(`${module.dir}: module ${name} does not pass ${variable}, which ${dir} requires`);
      }
    }
  }
  return problems;
}
