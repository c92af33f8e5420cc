/** `text` cut at each `operator` (`&&` or `||`) outside parentheses and single-quoted strings ('' escapes a quote). */
function splitTopLevel(text: string, operator: '&&' | '||'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      i++;
      while (i < text.length && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.startsWith(operator, i)) {
      parts.push(text.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Just enough of GitHub's expression language to read a job's `if:`: the conditions joined by a top-level `&&`.
 * A condition only restricts the job when it is such a conjunct; anything under `||` or `!` restricts nothing.
 */
export function topLevelConjuncts(condition: string): string[] {
  let text = condition.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(text);
  if (wrapped) text = wrapped[1]!.trim();
  if (splitTopLevel(text, '||').length > 1) return [normalize(text)];
  return splitTopLevel(text, '&&')
    .map((part) => unwrapParentheses(part.trim()))
    .flatMap((part) => (part === text ? [normalize(part)] : topLevelConjuncts(part)));
}

/** The operands of a top-level `||` (`a || (b && c)` → `a`, `b && c`); one element when there is none. */
export function topLevelDisjuncts(condition: string): string[] {
  return splitTopLevel(unwrapParentheses(normalize(condition)), '||').map((part) => unwrapParentheses(part.trim()));
}

/** `(a && b)` → `a && b` when the parentheses enclose the whole text. */
function unwrapParentheses(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") {
      i++;
      while (i < text.length && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
      continue;
    }
    if (text[i] === '(') depth++;
    if (text[i] === ')') depth--;
    if (depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1).trim();
}

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * `<left> == '<value>'` (either order): the value compared with a context property, or null. GitHub compares strings
 * case-insensitively, and property names are case-insensitive too, so both are lower-cased for `property`.
 */
export function equalityWith(conjunct: string, property: string): string | null {
  const quoted = "'((?:[^']|'')*)'";
  const name = property.replace(/\./g, '\\.');
  const match = new RegExp(`^(?:${name}\\s*==\\s*${quoted}|${quoted}\\s*==\\s*${name})$`, 'i').exec(conjunct.trim());
  if (!match) return null;
  return (match[1] ?? match[2])!.replace(/''/g, "'");
}
