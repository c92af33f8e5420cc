import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flagValue } from '../../src/cli/args.js';
import { appliesTo, checkOption, optionTable, resolveOptions, type AnyOptionDefinition } from '../../src/options/index.js';

// Rows shaped like the table's, for kinds and targets no row of today's table may use yet.
const numberRow = { key: 'name', kind: 'number', example: '3', description: 'a count', schema: z.number().int(), validate: (n: number) => (n >= 1 ? true : 'must be at least 1') } as unknown as AnyOptionDefinition;
const booleanRow = { key: 'name', kind: 'boolean', description: 'a switch', schema: z.boolean(), validate: () => true } as unknown as AnyOptionDefinition;
const listRow = optionTable.find((row) => row.key === 'environments') as AnyOptionDefinition;

describe('option kinds', () => {
  it('reads a whole number from a flag as a number, and anything else as text the row then refuses', () => {
    expect(flagValue(numberRow, ' 12 ')).toBe(12);
    expect(flagValue(numberRow, '1.5')).toBe('1.5');
    expect(checkOption(numberRow, flagValue(numberRow, 'three'))).toEqual({ problem: '"three" is not a whole number', example: '3' });
    expect(checkOption(numberRow, flagValue(numberRow, '0'))).toEqual({ problem: 'must be at least 1' });
    expect(checkOption(numberRow, flagValue(numberRow, '4'))).toBe(true);
  });

  it('takes a boolean flag as given (--x / --no-x) and splits a list on commas', () => {
    expect(flagValue(booleanRow, false)).toBe(false);
    expect(checkOption(booleanRow, true)).toBe(true);
    expect(flagValue(listRow, ' staging, production,')).toEqual(['staging', 'production']);
  });

  it('applies a row without targets to every target, and a row with targets to those only', () => {
    expect(appliesTo({}, 'ec2')).toBe(true);
    expect(appliesTo({ targets: ['ec2'] }, 'ec2')).toBe(true);
    expect(appliesTo({ targets: [] }, 'ec2')).toBe(false);
  });

  it('resolves the options of the chosen target, with their defaults', () => {
    const resolved = resolveOptions({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo' });
    expect(resolved.target).toBe('ec2');
    expect(resolved.instanceType).toBe('t3.micro');
  });
});
