import { describe, expect, it } from 'vitest';
import { flagValue } from '../../src/cli/args.js';
import { describeForCli, describeForCode, optionByKey, OptionsError, resolveOptions, targets, type AnyOptionDefinition, type OptionProblem } from '../../src/options/index.js';
import { hasAccounts, presetNames, presets, targetOf } from '../support/presets.js';

const row = optionByKey.accounts as unknown as AnyOptionDefinition;
const base = { name: 'demo', githubOwner: 'acme', githubRepo: 'demo', environments: ['dev', 'prod'] };

/** The problems resolveOptions reports for these raw values (none: it resolved). */
function problems(input: Record<string, unknown>): readonly OptionProblem[] {
  try {
    resolveOptions(input);
    return [];
  } catch (error) {
    if (error instanceof OptionsError) return error.problems;
    throw error;
  }
}

const cli = (accounts: string) => problems({ ...base, accounts: flagValue(row, accounts) }).map(describeForCli);

describe('option accounts', () => {
  it('is a map: k=v,k=v on the command line, an object in .projenrc.ts', () => {
    // GIVEN the text of --accounts WHEN read as the row's kind THEN it is an object, spaces and a trailing comma ignored
    expect(flagValue(row, ' dev=111111111111, prod = 222222222222,')).toEqual({ dev: '111111111111', prod: '222222222222' });
    expect(resolveOptions({ ...base, accounts: { dev: '111111111111', prod: '222222222222' } }).accounts).toEqual({ dev: '111111111111', prod: '222222222222' });
  });

  it('defaults to no accounts: every environment in the one account of AWS_ACCOUNT_ID', () => {
    expect(resolveOptions(base).accounts).toEqual({});
    expect(cli('')).toEqual([]);
  });

  it('refuses text that is not name=value pairs, in one line naming the flag and the form', () => {
    expect(cli('dev')).toEqual(['--accounts: "dev" is not a name=value pair; write name=value pairs separated by commas, e.g. --accounts staging=111111111111,production=222222222222']);
    expect(cli('dev=,prod=222222222222')).toEqual([expect.stringMatching(/^--accounts: "dev=" is not a name=value pair; /)]);
    expect(cli('dev=111111111111,dev=222222222222')).toEqual([expect.stringMatching(/^--accounts: names "dev" twice; /)]);
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(cli('dev=11111111111,prod=222222222222')).toEqual([
      '--accounts: gives dev "11111111111", which is not an AWS account id; use its 12 digits, e.g. --accounts dev=123456789012,prod=222222222222',
    ]);
    expect(cli('dev=arn:aws:iam::111111111111:root,prod=222222222222')).toEqual([expect.stringMatching(/^--accounts: gives dev "arn:aws:iam::111111111111:root", which is not an AWS account id/)]);
  });

  it('needs every environment covered, or none', () => {
    expect(cli('dev=111111111111')).toEqual([
      '--accounts: names no account for prod; give every environment its account, or leave the option out to keep all of them in one account',
    ]);
  });

  it('refuses an environment that is not in the list', () => {
    expect(cli('dev=111111111111,prod=222222222222,qa=333333333333')).toEqual([
      `--accounts: names "qa", which is not one of the environments (dev, prod); name each environment's account by the environment's name`,
    ]);
  });

  it('lets environments share an account', () => {
    const resolved = resolveOptions({ ...base, environments: ['dev', 'staging', 'prod'], accounts: { dev: '111111111111', staging: '111111111111', prod: '222222222222' } });
    expect(resolved.accounts?.staging).toBe('111111111111');
  });

  it('applies to the targets that honour it only', () => {
    // GIVEN the targets the row names: exactly those with a preset whose environments live in separate accounts (their
    // snapshots, apply and IAM tests prove what they provide: src/components/README.md)
    const honouring = [...(row.targets ?? [])].sort();
    expect(honouring).toEqual([...new Set(presetNames.filter((preset) => hasAccounts(presets[preset])).map((preset) => targetOf(presets[preset])))].sort());
    expect(honouring).toEqual(expect.arrayContaining(['ec2', 'ecs']));
    // WHEN accounts are given THEN each of those resolves with them
    expect(cli('dev=111111111111,prod=222222222222')).toEqual([]);
    for (const target of honouring) {
      expect(resolveOptions({ ...base, target, accounts: { dev: '111111111111', prod: '222222222222' } }).accounts).toEqual({ dev: '111111111111', prod: '222222222222' });
    }
    // AND any other target refuses them, naming the targets they apply to, and resolves with none without them
    for (const target of targets.filter((t) => !honouring.includes(t))) {
      expect(problems({ ...base, target, accounts: { dev: '111111111111', prod: '222222222222' } }).map(describeForCli)).toEqual([
        expect.stringContaining(`--accounts: applies to target ${(row.targets ?? []).join(' or ')} only, not ${target}`),
      ]);
      expect(resolveOptions({ ...base, target }).accounts).toBeUndefined();
    }
  });

  it('names the option key in .projenrc.ts', () => {
    expect(problems({ ...base, accounts: { dev: '111111111111' } }).map(describeForCode)).toEqual([
      '"accounts" names no account for prod; give every environment its account, or leave the option out to keep all of them in one account',
    ]);
    expect(problems({ ...base, accounts: 'dev=111111111111' }).map(describeForCode)).toEqual([
      '"accounts": "dev=111111111111" is text, not an object of name: value; write name=value pairs separated by commas, e.g. {"staging":"111111111111","production":"222222222222"}',
    ]);
    expect(problems({ ...base, accounts: { dev: '1111', prod: '222222222222' } }).map(describeForCode)).toEqual([
      '"accounts" gives dev "1111", which is not an AWS account id; use its 12 digits, e.g. {"dev":"123456789012","prod":"222222222222"}',
    ]);
  });

  it('reports a bad environment list once, without a second problem about accounts', () => {
    expect(problems({ ...base, environments: ['Prod'], accounts: { Prod: '111111111111' } }).map((p) => p.key)).toEqual(['environments']);
  });
});
