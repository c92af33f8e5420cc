import { describe, expect, it } from 'vitest';
import { githubFlags } from '../../src/cli/args.js';
import {
  asInvalid,
  checkOption,
  describeForCli,
  describeForCode,
  describeForPrompt,
  optionTable,
  OptionsError,
  resolveOptions,
  type AnyOptionDefinition,
  type Invalid,
} from '../../src/options/index.js';

/** Values no row of its kind accepts, whatever the row: empty, spaces and `!`, too long, duplicated, negative. */
const wrongValues: Record<AnyOptionDefinition['kind'], readonly unknown[]> = {
  string: ['', 'x y!', 'A'.repeat(200), '-x'],
  list: [[], ['x y!'], ['a', 'a']],
  number: ['many', '', -1, 0, 1_000_000_000],
  boolean: [],
  map: ['dev', 'dev=1,dev=2', { dev: '1111' }],
  object: [{ 'aws:x': 'v' }],
};

/** The first problem resolving these options reports. */
function firstProblem(...args: Parameters<typeof resolveOptions>) {
  try {
    resolveOptions(...args);
  } catch (error) {
    if (error instanceof OptionsError) return error.problems[0]!;
    throw error;
  }
  throw new Error('resolved without a problem');
}

describe('one rule, phrased by each front end', () => {
  const rows = (optionTable as readonly AnyOptionDefinition[]).filter((row) => row.kind !== 'object');

  it.each(rows.map((row) => [row.key, row] as const))('%s: the rule says what is wrong without naming a field; each front end names it its way', (key, row) => {
    let refused = 0;
    for (const value of wrongValues[row.kind]) {
      const verdict = checkOption(row, value);
      if (verdict === true) continue;
      refused += 1;
      // the rule: no flag, no option key
      expect(verdict.problem, String(value)).not.toMatch(/--[a-z]/);
      expect(verdict.problem, String(value)).not.toContain(`"${key}"`);
      const problem = { key, ...verdict };
      // the command line: the flag, and the example as a flag to pass
      if (row.flag) {
        expect(describeForCli(problem)).toMatch(new RegExp(`^--${row.flag}: `));
        if (verdict.example !== undefined) expect(describeForCli(problem)).toContain(`, e.g. --${row.flag} `);
      }
      // a prompt: no flag, no key; the example as typed
      expect(describeForPrompt(verdict)).not.toMatch(/--[a-z]/);
      expect(describeForPrompt(verdict)).not.toContain(`"${key}"`);
      if (verdict.example !== undefined) expect(describeForPrompt(verdict)).toMatch(new RegExp(`, e\\.g\\. ${verdict.example.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      // .projenrc.ts: the key
      expect(describeForCode(problem)).toMatch(new RegExp(`^"${key}":? `));
    }
    // every row but the switches refuses something (a row that accepts everything would prove nothing here)
    if (row.kind !== 'boolean' && key !== 'serviceIamStatements' && key !== 'eject') expect(refused, key).toBeGreaterThan(0);
  });

  it('phrases the same wrong instance type for the command line, a prompt and .projenrc.ts', () => {
    const verdict = checkOption(optionTable.find((r) => r.key === 'instanceType') as AnyOptionDefinition, 'large') as Invalid;
    const problem = { key: 'instanceType' as const, ...verdict };
    expect(describeForCli(problem)).toBe('--instance-type: "large" is not an EC2 instance type; use family.size (t4g.small and other Graviton types run arm64), e.g. --instance-type t3.micro');
    expect(describeForPrompt(verdict)).toBe('"large" is not an EC2 instance type; use family.size (t4g.small and other Graviton types run arm64), e.g. t3.micro');
    expect(describeForCode(problem)).toBe('"instanceType": "large" is not an EC2 instance type; use family.size (t4g.small and other Graviton types run arm64), e.g. "t3.micro"');
  });

  it('quotes an example in the shape each front end takes: a list comma-separated, or as an array in code', () => {
    const problem = firstProblem({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo', environments: ['Prod'] });
    expect(describeForCli(problem)).toMatch(/^--environments: "Prod" is not a usable environment name; .*, e\.g\. --environments staging,production$/);
    expect(describeForPrompt(problem)).toMatch(/, e\.g\. staging,production$/);
    expect(describeForCode(problem)).toMatch(/, e\.g\. \["staging","production"\]$/);
  });

  it('tells a missing value apart: the command line says to pass it', () => {
    const problem = firstProblem({ name: 'demo', githubRepo: 'demo' }, { directory: 'demo' });
    expect(describeForCli(problem)).toBe('--github-owner: is required (there is no GitHub git remote to read it from); pass it, e.g. --github-owner acme');
    expect(describeForCode(problem)).toBe('"githubOwner" is required (there is no GitHub git remote to read it from), e.g. "acme"');
  });

  it("names no flag in the rules of --create-github-repo's own flags either", () => {
    const samples: Record<string, readonly unknown[]> = { 'github-org': ['', '-acme'], reviewers: [[], ['a/b/c'], ['a', 'a']], 'aws-account-id': ['12'] };
    for (const flag of githubFlags.filter((f) => 'validate' in f)) {
      for (const value of samples[flag.flag]!) {
        const verdict = (flag as { validate: (v: unknown) => true | string | Invalid }).validate(value);
        expect(verdict, `${flag.flag} ${String(value)}`).not.toBe(true);
        expect(asInvalid(verdict as string | Invalid).problem).not.toMatch(/--[a-z]/);
      }
    }
  });
});
