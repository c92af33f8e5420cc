import { HclSyntaxError, tokenizeHcl, type HclToken } from './hcl-tokens.js';

/**
 * A value as written in the file: a literal, or `expression` for anything only Terraform can evaluate (references,
 * function calls, interpolated strings, operators, `for` expressions).
 */
export type HclValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'list'; readonly items: readonly HclValue[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyMap<string, HclValue> }
  | { readonly kind: 'expression'; readonly line: number };

export interface HclAttribute {
  readonly value: HclValue;
  readonly line: number;
}

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
  readonly line: number;
}

export interface HclBody {
  readonly attributes: ReadonlyMap<string, HclAttribute>;
  readonly blocks: readonly HclBlock[];
}

const closers = new Set([']', '}', ')']);
const openers = new Set(['[', '{', '(']);

/**
 * Parses an HCL file into blocks and attributes, reading literal values and marking everything else `expression`.
 * Nothing is evaluated, so the result is exactly what the file says. Throws `HclSyntaxError` on malformed input.
 */
export function parseHcl(text: string): HclBody {
  return new Parser(tokenizeHcl(text)).file();
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly HclToken[]) {}

  file(): HclBody {
    const body = this.body(false);
    if (this.pos < this.tokens.length) throw new HclSyntaxError('unexpected }', this.peek().line);
    return body;
  }

  private peek(offset = 0): HclToken {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  private isPunct(token: HclToken, text: string): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  private skipNewlines(): void {
    while (!this.atEnd() && this.peek().kind === 'newline') this.pos++;
  }

  private body(nested: boolean): HclBody {
    const attributes = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.atEnd()) {
        if (nested) throw new HclSyntaxError('missing } at end of file', this.peek().line);
        return { attributes, blocks };
      }
      const token = this.peek();
      if (this.isPunct(token, '}')) {
        if (!nested) return { attributes, blocks };
        this.pos++;
        return { attributes, blocks };
      }
      if (token.kind !== 'ident') throw new HclSyntaxError('expected an attribute or a block', token.line);
      this.pos++;
      if (this.isPunct(this.peek(), '=')) {
        this.pos++;
        const value = this.value();
        const end = this.peek();
        if (!(end.kind === 'newline' || this.isPunct(end, '}'))) throw new HclSyntaxError(`unexpected token after ${token.text}`, end.line);
        attributes.set(token.text, { value, line: token.line });
        continue;
      }
      const labels: string[] = [];
      while (this.peek().kind === 'string' || this.peek().kind === 'ident') {
        const label = this.peek();
        labels.push(label.kind === 'string' ? label.value : (label as { text: string }).text);
        this.pos++;
      }
      if (!this.isPunct(this.peek(), '{')) throw new HclSyntaxError(`expected { after block ${token.text}`, this.peek().line);
      this.pos++;
      blocks.push({ type: token.text, labels, body: this.body(true), line: token.line });
    }
  }

  /** A value, literal if it can be read without Terraform, otherwise `expression` (and its tokens skipped). */
  private value(): HclValue {
    const start = this.pos;
    const literal = this.literal();
    if (literal && this.terminates(this.peek())) return literal;
    this.pos = start;
    const line = this.peek().line;
    this.skipExpression();
    return { kind: 'expression', line };
  }

  private terminates(token: HclToken): boolean {
    return this.atEnd() || token.kind === 'newline' || (token.kind === 'punct' && (token.text === ',' || closers.has(token.text)));
  }

  private literal(): HclValue | null {
    const token = this.peek();
    if (token.kind === 'string') {
      this.pos++;
      return token.templated ? null : { kind: 'string', value: token.value };
    }
    if (token.kind === 'number') {
      this.pos++;
      return { kind: 'number', value: Number(token.text) };
    }
    // A negative number is a literal to HCL too (not the negation of one).
    const next = this.peek(1);
    if (this.isPunct(token, '-') && next.kind === 'number') {
      this.pos += 2;
      return { kind: 'number', value: -Number(next.text) };
    }
    if (token.kind === 'ident') {
      this.pos++;
      if (token.text === 'true' || token.text === 'false') return { kind: 'bool', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'null' };
      return null;
    }
    if (this.isPunct(token, '[')) return this.list();
    if (this.isPunct(token, '{')) return this.object();
    return null;
  }

  private list(): HclValue | null {
    this.pos++;
    if (this.peek().kind === 'ident' && (this.peek() as { text: string }).text === 'for') return null;
    const items: HclValue[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.isPunct(this.peek(), ']')) {
        this.pos++;
        return { kind: 'list', items };
      }
      if (this.atEnd()) return null;
      items.push(this.value());
      this.skipNewlines();
      if (this.isPunct(this.peek(), ',')) this.pos++;
      else if (!this.isPunct(this.peek(), ']')) return null;
    }
  }

  private object(): HclValue | null {
    this.pos++;
    const entries = new Map<string, HclValue>();
    for (;;) {
      this.skipNewlines();
      if (this.isPunct(this.peek(), '}')) {
        this.pos++;
        return { kind: 'object', entries };
      }
      const key = this.peek();
      let name: string;
      if (key.kind === 'ident') name = key.text;
      else if (key.kind === 'string' && !key.templated) name = key.value;
      else return null;
      this.pos++;
      if (!(this.isPunct(this.peek(), '=') || this.isPunct(this.peek(), ':'))) return null;
      this.pos++;
      entries.set(name, this.value());
      if (this.isPunct(this.peek(), ',')) this.pos++;
      else if (!(this.peek().kind === 'newline' || this.isPunct(this.peek(), '}'))) return null;
    }
  }

  /** Skips one expression: up to a newline, comma or closing bracket that is not inside its own brackets. */
  private skipExpression(): void {
    let depth = 0;
    while (!this.atEnd()) {
      const token = this.peek();
      if (depth === 0 && this.terminates(token)) return;
      if (token.kind === 'punct' && openers.has(token.text)) depth++;
      if (token.kind === 'punct' && closers.has(token.text)) depth--;
      this.pos++;
    }
  }
}

/** Every block in the body, depth-first, nested ones included. */
export function* allBlocks(body: HclBody): Generator<HclBlock> {
  for (const block of body.blocks) {
    yield block;
    yield* allBlocks(block.body);
  }
}
