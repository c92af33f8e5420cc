import { describe, expect, it } from 'vitest';
import { allBlocks, parseHcl, type HclValue } from '../../src/doctor/hcl-reader.js';
import { HclSyntaxError, tokenizeHcl } from '../../src/doctor/hcl-tokens.js';

const attribute = (text: string, name: string): HclValue | undefined => parseHcl(text).attributes.get(name)?.value;

describe('HCL tokenizer', () => {
  it('decodes escapes and keeps $${ literal, but marks ${ } interpolation as templated', () => {
    // GIVEN strings with escapes, an escaped interpolation and a real one
    const tokens = tokenizeHcl('a = "x\\"y\\u00e9"\nb = "$${literal}"\nc = "repo:${var.owner}/r"\n');
    // WHEN / THEN
    const strings = tokens.filter((t) => t.kind === 'string');
    expect(strings).toEqual([
      { kind: 'string', value: 'x"yé', templated: false, line: 1 },
      { kind: 'string', value: '${literal}', templated: false, line: 2 },
      { kind: 'string', value: 'repo:/r', templated: true, line: 3 },
    ]);
  });

  it('skips #, // and /* */ comments and counts lines through them', () => {
    const tokens = tokenizeHcl('# one\n/* two\nthree */ a = 1 // four\nb = 2\n');
    const idents = tokens.filter((t) => t.kind === 'ident').map((t) => [(t as { text: string }).text, t.line]);
    expect(idents).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
  });

  it('reads heredocs as one string token, templated when they interpolate', () => {
    const tokens = tokenizeHcl('doc = <<-EOT\n  hello ${name}\n  EOT\nnext = 1\n');
    expect(tokens.find((t) => t.kind === 'string')).toMatchObject({ templated: true, line: 1 });
    expect(tokens.find((t) => t.kind === 'ident' && t.text === 'next')).toMatchObject({ line: 4 });
  });

  it('removes a flush heredoc\'s (<<-) common indentation as HCL does, leaving blank lines and a plain heredoc as written', () => {
    const tokens = tokenizeHcl('a = <<-EOT\n    one\n\n      two\n   \n  EOT\nb = <<EOT\n  kept\nEOT\n');
    expect(tokens.filter((t) => t.kind === 'string').map((t) => (t as { value: string }).value)).toEqual(['one\n\n  two\n   \n', '  kept\n']);
  });

  it('reports unterminated strings with their line', () => {
    expect(() => tokenizeHcl('a = 1\nb = "open\n')).toThrow(HclSyntaxError);
    expect(() => tokenizeHcl('a = 1\nb = "open\n')).toThrow(/line 2/);
  });
});

describe('HCL reader', () => {
  it('reads literal strings, numbers, booleans, null, lists and objects', () => {
    // GIVEN a body with every literal form, commas and newlines as separators, trailing commas
    const text = `
      s = "text"
      n = 3.5
      t = true
      z = null
      l = ["a", "b",]
      o = {
        name = "x", "quoted key" = 1
        nested: { k = [1] }
      }
    `;
    // WHEN
    const body = parseHcl(text);
    // THEN
    expect(body.attributes.get('s')?.value).toEqual({ kind: 'string', value: 'text' });
    expect(body.attributes.get('n')?.value).toEqual({ kind: 'number', value: 3.5 });
    expect(body.attributes.get('t')?.value).toEqual({ kind: 'bool', value: true });
    expect(body.attributes.get('z')?.value).toEqual({ kind: 'null' });
    expect(body.attributes.get('l')?.value).toEqual({ kind: 'list', items: [{ kind: 'string', value: 'a' }, { kind: 'string', value: 'b' }] });
    const o = body.attributes.get('o')?.value;
    if (o?.kind !== 'object') throw new Error(`o is ${o?.kind}, not an object`);
    const entries = o.entries;
    expect([...entries.keys()]).toEqual(['name', 'quoted key', 'nested']);
    expect(entries.get('nested')).toEqual({ kind: 'object', entries: new Map([['k', { kind: 'list', items: [{ kind: 'number', value: 1 }] }]]) });
  });

  it('marks references, calls, operators, for expressions and interpolations as expressions, and keeps going', () => {
    const text = `
      a = var.subjects
      b = concat(["x"], var.y)
      c = "repo:\${var.o}/r"
      d = [for s in var.s : s]
      e = { for k, v in var.m : k => v }
      f = "a" == "b"
      g = ["ok", local.x]
      h = 1
    `;
    const body = parseHcl(text);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) expect(body.attributes.get(name)?.value.kind, name).toBe('expression');
    expect(attribute(text, 'g')).toMatchObject({ kind: 'list', items: [{ kind: 'string', value: 'ok' }, { kind: 'expression' }] });
    expect(attribute(text, 'h')).toEqual({ kind: 'number', value: 1 });
  });

  it('reads a negative number as a literal, and a negated reference or a subtraction as an expression', () => {
    const text = 'a = -1.5\nb = [-2]\nc = -var.x\nd = 1 - 2\n';
    expect(attribute(text, 'a')).toEqual({ kind: 'number', value: -1.5 });
    expect(attribute(text, 'b')).toEqual({ kind: 'list', items: [{ kind: 'number', value: -2 }] });
    expect(attribute(text, 'c')?.kind).toBe('expression');
    expect(attribute(text, 'd')?.kind).toBe('expression');
  });

  it('reads blocks with labels, nested blocks and one-line blocks', () => {
    const text = `
      module "github_oidc_roles" {
        source = "../modules/github-oidc-roles"
        dynamic "condition" {
          for_each = var.tags
          content { test = "StringEquals" }
        }
      }
      terraform { backend "s3" {} }
    `;
    const body = parseHcl(text);
    expect(body.blocks.map((b) => [b.type, b.labels])).toEqual([
      ['module', ['github_oidc_roles']],
      ['terraform', []],
    ]);
    expect([...allBlocks(body)].map((b) => b.type)).toEqual(['module', 'dynamic', 'content', 'terraform', 'backend']);
  });

  it('rejects malformed structure instead of guessing', () => {
    expect(() => parseHcl('module "x" {\n  a = 1\n')).toThrow(/missing }/);
    expect(() => parseHcl('}\n')).toThrow(HclSyntaxError);
    expect(() => parseHcl('"label" {\n}\n')).toThrow(HclSyntaxError);
  });

  it('never reads a value it cannot be sure of as a literal', () => {
    // A literal followed by more tokens is not that literal.
    expect(attribute('a = 1 2\n', 'a')?.kind).toBe('expression');
    expect(attribute('a = ["x"][0]\n', 'a')?.kind).toBe('expression');
  });
});
