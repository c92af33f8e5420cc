/**
 * A tokenizer for HCL's native syntax, enough to walk a file's blocks and read literal values without evaluating
 * anything. Strings are decoded; a string holding an interpolation (`${…}` or `%{…}`) is marked `templated`, since
 * its value is only known to Terraform.
 */
export type HclToken =
  | { readonly kind: 'ident'; readonly text: string; readonly line: number }
  | { readonly kind: 'string'; readonly value: string; readonly templated: boolean; readonly line: number }
  | { readonly kind: 'number'; readonly text: string; readonly line: number }
  | { readonly kind: 'punct'; readonly text: string; readonly line: number }
  | { readonly kind: 'newline'; readonly line: number };

export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const multiCharPunct = ['==', '!=', '<=', '>=', '=>', '&&', '||', '...'];
const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * A flush heredoc's (`<<-`) lines as HCL reads them: the smallest indentation of a line that is not blank is removed
 * from every line that is not blank; blank lines stay as written. (HCL counts characters: a tab is one, like a space.)
 */
function flush(lines: readonly string[]): string[] {
  const isBlank = (line: string) => line.trim() === '';
  const indents = lines.filter((line) => !isBlank(line)).map((line) => line.length - line.trimStart().length);
  if (indents.length === 0) return [...lines];
  const strip = Math.min(...indents);
  return lines.map((line) => (isBlank(line) ? line : line.slice(strip)));
}

export function tokenizeHcl(text: string): HclToken[] {
  const tokens: HclToken[] = [];
  let i = 0;
  let line = 1;
  const at = (offset = 0) => text[i + offset] ?? '';

  /** Skips a `${ … }` or `%{ … }` interpolation, nested braces and strings included; `i` is just past its `{`. */
  const skipInterpolation = () => {
    let depth = 1;
    while (i < text.length && depth > 0) {
      const c = at();
      if (c === '"') {
        readQuoted();
        continue;
      }
      if (c === '\n') line++;
      if (c === '{') depth++;
      if (c === '}') depth--;
      i++;
    }
    if (depth > 0) throw new HclSyntaxError('unterminated interpolation', line);
  };

  /** Reads a quoted string starting at `i` (on its `"`), leaving `i` just past the closing quote. */
  const readQuoted = (): { value: string; templated: boolean } => {
    const startLine = line;
    i++;
    let value = '';
    let templated = false;
    for (;;) {
      if (i >= text.length || at() === '\n') throw new HclSyntaxError('unterminated string', startLine);
      const c = at();
      if (c === '"') {
        i++;
        return { value, templated };
      }
      if (c === '\\') {
        const e = at(1);
        if (e in escapes) {
          value += escapes[e];
          i += 2;
        } else if (e === 'u' || e === 'U') {
          const length = e === 'u' ? 4 : 8;
          const hex = text.slice(i + 2, i + 2 + length);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw new HclSyntaxError(`bad escape \\${e}${hex}`, line);
          value += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + length;
        } else {
          throw new HclSyntaxError(`unknown escape \\${e}`, line);
        }
        continue;
      }
      if ((c === '$' || c === '%') && at(1) === c && at(2) === '{') {
        value += `${c}{`;
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && at(1) === '{') {
        templated = true;
        i += 2;
        skipInterpolation();
        continue;
      }
      value += c;
      i++;
    }
  };

  while (i < text.length) {
    const c = at();
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ kind: 'newline', line });
      line++;
      i++;
      continue;
    }
    if (c === '#' || (c === '/' && at(1) === '/')) {
      while (i < text.length && at() !== '\n') i++;
      continue;
    }
    if (c === '/' && at(1) === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new HclSyntaxError('unterminated comment', line);
      for (const ch of text.slice(i, end)) if (ch === '\n') line++;
      i = end + 2;
      continue;
    }
    if (c === '"') {
      const startLine = line;
      const { value, templated } = readQuoted();
      tokens.push({ kind: 'string', value, templated, line: startLine });
      continue;
    }
    if (c === '<' && at(1) === '<' && /[-A-Za-z_]/.test(at(2))) {
      const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(i));
      if (!header) throw new HclSyntaxError('bad heredoc', line);
      const startLine = line;
      i += header[0].length;
      line++;
      const lines: string[] = [];
      for (;;) {
        if (i >= text.length) throw new HclSyntaxError(`unterminated heredoc ${header[2]}`, startLine);
        const end = text.indexOf('\n', i);
        const raw = text.slice(i, end < 0 ? text.length : end).replace(/\r$/, '');
        i = end < 0 ? text.length : end + 1;
        line++;
        if (raw.trim() === header[2]) break;
        lines.push(raw);
      }
      const body = (header[1] === '-' ? flush(lines) : lines).map((l) => `${l}\n`).join('');
      const templated = /(^|[^$])\$\{|(^|[^%])%\{/.test(body);
      tokens.push({ kind: 'string', value: body.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'), templated, line: startLine });
      // The heredoc's own line break ends the expression, as in the source.
      tokens.push({ kind: 'newline', line: line - 1 });
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], line });
      i += ident[0].length;
      continue;
    }
    const number = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 64));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], line });
      i += number[0].length;
      continue;
    }
    const multi = multiCharPunct.find((p) => text.startsWith(p, i));
    if (multi) {
      tokens.push({ kind: 'punct', text: multi, line });
      i += multi.length;
      continue;
    }
    if ('{}[]()=,:.?!<>+-*/%&|'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, line });
      i++;
      continue;
    }
    throw new HclSyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
  }
  tokens.push({ kind: 'newline', line });
  return tokens;
}
