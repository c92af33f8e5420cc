import type { HclBody, HclValue } from '../../src/doctor/hcl-reader.js';

/**
 * Compares what doctor's HCL reader (`src/doctor/hcl-reader.ts`) makes of a file with what `@cdktf/hcl2json`
 * (HashiCorp's own parser, compiled to wasm) makes of it. Pure functions over both results: the test files load
 * hcl2json.
 *
 * hcl2json writes Terraform's JSON syntax: a block is an array of bodies (under one key per label), an attribute its
 * value; a literal string is a JSON string in which `${` and `%{` are escaped as `$${` and `%%{`, and anything
 * Terraform would have to evaluate is a string holding a template (`"${var.x}"`, `"a-${var.x}"`).
 */

/** A value with no type information lost: what both readers must agree on. */
export type Plain = string | number | boolean | null | { readonly expression: true } | readonly Plain[] | { readonly [key: string]: Plain };

export const expression = { expression: true } as const;

/** A string of Terraform's JSON syntax: its literal value, or `expression` when it interpolates. */
export function jsonString(text: string): string | typeof expression {
  let value = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if ((c === '$' || c === '%') && text[i + 1] === '{') return expression;
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      value += `${c}{`;
      i += 2;
      continue;
    }
    value += c;
  }
  return value;
}

/** A value of doctor's reader as a plain value. */
export function fromReader(value: HclValue): Plain {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items.map(fromReader);
    case 'object':
      return Object.fromEntries([...value.entries].map(([key, entry]) => [key, fromReader(entry)]));
    case 'expression':
      return expression;
  }
}

/** An attribute value of hcl2json as a plain value. */
export function fromHcl2json(value: unknown): Plain {
  if (typeof value === 'string') return jsonString(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map(fromHcl2json);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, fromHcl2json(entry)]));
  throw new Error(`hcl2json gave a ${typeof value}`);
}

/** JSON text of a plain value with object keys sorted: an HCL object is a map, its key order means nothing. */
export function canonical(value: Plain): string {
  return JSON.stringify(value, (_key, entry: unknown) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? Object.fromEntries(Object.entries(entry).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : entry,
  );
}

type Json = { readonly [key: string]: unknown };
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const sameKeys = (a: Iterable<string>, b: Iterable<string>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/**
 * Every place where the two readings of one file differ, as `path: what` lines (empty when they agree). Walks the
 * reader's blocks and attributes, finds each in hcl2json's output, and also reports what hcl2json has and the reader
 * lacks: a block or attribute the reader skipped counts as a difference.
 */
export function differences(reader: HclBody, json: unknown, where = ''): string[] {
  if (!isObject(json)) return [`${where || '(file)'}: hcl2json has no body here`];
  const found: string[] = [];
  const blockTypes = new Set(reader.blocks.map((block) => block.type));
  const readerKeys = [...reader.attributes.keys(), ...blockTypes];
  if (!sameKeys(readerKeys, Object.keys(json))) {
    found.push(`${where || '(file)'}: the reader has [${[...readerKeys].sort().join(', ')}], hcl2json [${Object.keys(json).sort().join(', ')}]`);
  }
  for (const [name, attribute] of reader.attributes) {
    if (!(name in json)) continue;
    const read = canonical(fromReader(attribute.value));
    const parsed = canonical(fromHcl2json(json[name]));
    if (read !== parsed) {
      found.push(`${where}${name} (line ${attribute.line}): the reader has ${read}, hcl2json ${parsed}`);
    }
  }
  for (const type of blockTypes) {
    if (!(type in json)) continue;
    const blocks = reader.blocks.filter((block) => block.type === type);
    // The same type and labels may repeat (`statement`, `condition`): the n-th occurrence is the n-th body.
    const occurrences = new Map<string, number>();
    for (const block of blocks) {
      const key = JSON.stringify(block.labels);
      const n = occurrences.get(key) ?? 0;
      occurrences.set(key, n + 1);
      const path = `${where}${[type, ...block.labels.map((label) => JSON.stringify(label))].join(' ')}${n > 0 ? `[${n}]` : ''} (line ${block.line})`;
      let node: unknown = json[type];
      for (const label of block.labels) node = isObject(node) ? node[label] : undefined;
      const bodies = Array.isArray(node) ? node : [];
      found.push(...differences(block.body, bodies[n], `${path}.`));
    }
    // What hcl2json holds under this type and the reader has no block for.
    const expected = countBodies(blocks.map((block) => block.labels));
    const actual = countJsonBodies(json[type], Math.max(...blocks.map((block) => block.labels.length)));
    if (JSON.stringify(expected) !== JSON.stringify(actual)) {
      found.push(`${where}${type}: the reader has blocks ${JSON.stringify(expected)}, hcl2json ${JSON.stringify(actual)}`);
    }
  }
  return found;
}

/** `{"[labels]": count}`, sorted. */
function countBodies(labelLists: readonly (readonly string[])[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const labels of labelLists) counts[JSON.stringify(labels)] = (counts[JSON.stringify(labels)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The same count over hcl2json's nesting: `depth` levels of labels, then an array of bodies. */
function countJsonBodies(node: unknown, depth: number, labels: readonly string[] = []): Record<string, number> {
  if (depth === 0 || !isObject(node)) {
    return Array.isArray(node) ? { [JSON.stringify(labels)]: node.length } : { [JSON.stringify(labels)]: -1 };
  }
  const counts: Record<string, number> = {};
  for (const [label, child] of Object.entries(node)) Object.assign(counts, countJsonBodies(child, depth - 1, [...labels, label]));
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
