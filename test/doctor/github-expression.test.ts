import { describe, expect, it } from 'vitest';
import { equalityWith, topLevelConjuncts } from '../../src/doctor/github-expression.js';

describe('topLevelConjuncts', () => {
  it('splits on top-level && and strips ${{ }} and enclosing parentheses', () => {
    expect(topLevelConjuncts("${{ vars.PIPELINE_ENABLED == 'true' && (github.ref == 'refs/heads/main') }}")).toEqual([
      "vars.PIPELINE_ENABLED == 'true'",
      "github.ref == 'refs/heads/main'",
    ]);
  });

  it('flattens nested conjunctions inside parentheses', () => {
    expect(topLevelConjuncts("(a == 'x' && (b == 'y' && c))")).toEqual(["a == 'x'", "b == 'y'", 'c']);
  });

  it('keeps a top-level || whole: none of its parts restricts the job', () => {
    expect(topLevelConjuncts("vars.PIPELINE_ENABLED == 'true' || github.event_name == 'push'")).toEqual([
      "vars.PIPELINE_ENABLED == 'true' || github.event_name == 'push'",
    ]);
  });

  it('keeps a parenthesised || as one conjunct next to the others', () => {
    expect(topLevelConjuncts("vars.X == 'true' && (github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository)")).toEqual([
      "vars.X == 'true'",
      "github.event_name == 'push' || github.event.pull_request.head.repo.full_name == github.repository",
    ]);
  });

  it('does not split inside strings, escaped quotes included', () => {
    expect(topLevelConjuncts("a == 'x && y' && b == 'it''s'")).toEqual(["a == 'x && y'", "b == 'it''s'"]);
  });

  it('keeps a negated group whole', () => {
    expect(topLevelConjuncts("!(vars.PIPELINE_ENABLED == 'true' && x)")).toEqual(["!(vars.PIPELINE_ENABLED == 'true' && x)"]);
  });
});

describe('equalityWith', () => {
  it('reads the value compared with a property, in either order, case-insensitively', () => {
    expect(equalityWith("vars.PIPELINE_ENABLED == 'true'", 'vars.PIPELINE_ENABLED')).toBe('true');
    expect(equalityWith("'true' == vars.pipeline_enabled", 'vars.PIPELINE_ENABLED')).toBe('true');
    expect(equalityWith("github.ref == 'refs/heads/main'", 'github.ref')).toBe('refs/heads/main');
  });

  it('answers null for anything else', () => {
    expect(equalityWith("vars.PIPELINE_ENABLED != 'true'", 'vars.PIPELINE_ENABLED')).toBeNull();
    expect(equalityWith("vars.PIPELINE_ENABLED_OLD == 'true'", 'vars.PIPELINE_ENABLED')).toBeNull();
    expect(equalityWith("github.ref == 'refs/heads/main' || true", 'github.ref')).toBeNull();
  });
});
