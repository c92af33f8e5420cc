import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { askedRows, questionsFor, summaryLines, type Question, type RawOptions } from '../../src/generator/questions.js';
import {
  isAskedFor,
  invalid,
  optionByKey,
  resolveOptions,
  targetDescriptions,
  targets,
  validateTarget,
  type AnyOptionDefinition,
  type ResolvedOptions,
  type Target,
} from '../../src/options/index.js';
import { FakeGithub } from '../github/support/fake-github.js';
import { bin, runCli } from '../support/cli.js';
import { keys, runInTerminal, type Exchange } from '../support/pty.js';
import { tempDir } from '../support/render-preset.js';
import { readTree } from '../support/tree.js';

// A table of made-up targets and rows, so that the menu and the per-target questions are proven whatever targets exist.
const madeUpTargets = ['alpha', 'beta', 'gamma'];
const madeUpTable = [
  { key: 'name', kind: 'string', description: 'name', prompt: 'Service name', default: (ctx: { directory?: string }) => ctx.directory, schema: z.string(), validate: (v: string) => (v ? true : invalid('must not be empty', 'svc')) },
  {
    key: 'target',
    kind: 'string',
    description: 'target',
    prompt: 'Target (what it runs on)',
    choices: madeUpTargets,
    choiceDescriptions: { alpha: 'one box', beta: 'a fleet of boxes', gamma: 'containers' },
    default: () => 'beta',
    schema: z.string(),
    validate: validateTarget(madeUpTargets),
  },
  { key: 'instanceType', kind: 'string', description: 'size', prompt: 'Box size', targets: ['alpha', 'beta'], default: () => 'small', schema: z.string(), validate: () => true },
  { key: 'environments', kind: 'number', description: 'count', prompt: 'Box count', targets: ['beta'], example: '3', default: () => 2, schema: z.number(), validate: () => true },
  { key: 'tags', kind: 'object', description: 'not asked', default: () => ({}), schema: z.object({}), validate: () => true },
] as unknown as AnyOptionDefinition[];

/** The questions a run asks when `target` is chosen, in order. */
const askedFor = (target: string, questions: readonly Question[]) => questions.filter((q) => q.when?.({ target } as RawOptions) ?? true);

/** Arrow-key presses that move the menu from its default to `target`: a full turn round the list, then on to it. */
function menuKeys(target: Target): string[] {
  const from = targets.indexOf(optionByKey.target!.default!({}, {})!);
  const steps = targets.length + ((targets.indexOf(target) - from + targets.length) % targets.length);
  return [...Array.from({ length: steps }, () => keys.down), keys.enter];
}

/** A wrong answer for every typed prompt: a space and a `!` are in no name, region, size or number. */
const wrongAnswer = 'x y!';

describe('interactive questions (derived from the option table)', () => {
  it('asks the target first, as a menu of every choice with its description beside it, the default selected', () => {
    // GIVEN a table that lists the target second WHEN nothing was given by flags
    const questions = questionsFor({}, { directory: 'demo' }, madeUpTable);
    // THEN the target comes first, as a menu; one line per choice, the descriptions in one column
    expect(questions.map((q) => q.name)).toEqual(['target', 'name', 'instanceType', 'environments']);
    const [menu] = questions;
    expect(menu!.type).toBe('select');
    expect(menu!.default({})).toBe('beta');
    expect(menu!.choices).toEqual([
      { value: 'alpha', name: 'alpha  one box', short: 'alpha' },
      { value: 'beta', name: 'beta   a fleet of boxes', short: 'beta' },
      { value: 'gamma', name: 'gamma  containers', short: 'gamma' },
    ]);
  });

  it("asks a target's own questions only for that target, chosen in the menu or by --target", () => {
    const questions = questionsFor({}, { directory: 'demo' }, madeUpTable);
    expect(askedFor('alpha', questions).map((q) => q.name)).toEqual(['target', 'name', 'instanceType']);
    expect(askedFor('beta', questions).map((q) => q.name)).toEqual(['target', 'name', 'instanceType', 'environments']);
    expect(askedFor('gamma', questions).map((q) => q.name)).toEqual(['target', 'name']);
    // without an answer, the target's default decides
    expect(questions.find((q) => q.name === 'environments')!.when!({})).toBe(true);
    // a target given by flag is not asked, and still decides
    const given = questionsFor({ target: 'gamma' }, { directory: 'demo' }, madeUpTable);
    expect(given.map((q) => q.name)).not.toContain('target');
    expect(given.filter((q) => q.when?.({}) ?? true).map((q) => q.name)).toEqual(['name']);
  });

  it('reads a typed answer as its kind, and refuses a wrong one with the example of its row', () => {
    const count = questionsFor({}, {}, madeUpTable).find((q) => q.name === 'environments')!;
    expect(count.type).toBe('input');
    expect(count.default({})).toBe('2');
    expect(count.filter!(' 4 ')).toBe(4);
    expect(count.validate!('many')).toBe('"many" is not a whole number, e.g. 3');
  });

  it('offers every target of the table in the menu, each with its one-line description', () => {
    const menu = questionsFor({}, { directory: 'demo' })[0]!;
    expect(menu.name).toBe('target');
    expect(menu.type).toBe('select');
    expect(menu.choices!.map((c) => c.value)).toEqual([...targets]);
    for (const target of targets) expect(menu.choices!.find((c) => c.value === target)!.name).toMatch(new RegExp(`^${target} +${escapeRegExp(targetDescriptions[target])}$`));
  });

  it.each(targets)('asks, for %s, exactly the rows with a prompt that apply to it', (target) => {
    const expected = askedRows().filter((row) => isAskedFor(row, target)).map((row) => row.key);
    expect(askedFor(target, questionsFor({}, { directory: 'demo' })).map((q) => q.name)).toEqual(expected);
  });

  it('offers the obvious answer as the default: the directory, the service name, the git remote', () => {
    const defaultOf = (name: string, context: Parameters<typeof questionsFor>[1], answers: RawOptions = {}) => questionsFor({}, context).find((q) => q.name === name)!.default(answers);
    // the service and repository name: the directory's
    expect(defaultOf('name', { directory: 'shop' })).toBe('shop');
    expect(defaultOf('githubRepo', { directory: 'shop' }, { name: 'shop' })).toBe('shop');
    // a directory that is no repository name: the service name answered before
    expect(defaultOf('githubRepo', { directory: 'my shop' }, { name: 'shop-api' })).toBe('shop-api');
    // the git remote's owner and repository
    expect(defaultOf('githubOwner', { directory: 'shop', gitRemote: { owner: 'octo-org', repo: 'mono' } })).toBe('octo-org');
    expect(defaultOf('githubRepo', { directory: 'shop', gitRemote: { owner: 'octo-org', repo: 'mono' } })).toBe('mono');
    // no remote: no owner to offer; a directory name that is no service name is not offered either
    expect(defaultOf('githubOwner', { directory: 'shop' })).toBeUndefined();
    expect(defaultOf('name', { directory: 'My_Shop' })).toBeUndefined();
    expect(defaultOf('environments', {})).toBe('production');
  });

  it.each(targets)('phrases every wrong answer for the person typing (%s): what is wrong and an example, no flag', (target) => {
    const typed = askedFor(target, questionsFor({}, { directory: 'demo' })).filter((q) => q.type === 'input');
    expect(typed.length).toBeGreaterThan(3);
    for (const question of typed) {
      const message = question.validate!(wrongAnswer);
      expect(message, question.name).toMatch(/\S.*, e\.g\. \S/);
      for (const answer of [wrongAnswer, '', '-1', 'a'.repeat(120), 'A,B']) {
        const verdict = question.validate!(answer);
        if (verdict !== true) expect(verdict, `${question.name}: ${answer}`).not.toMatch(/--[a-z]|"[a-z]+[A-Z]\w*"/);
      }
    }
  });

  it('summarizes the options before writing, one aligned line per question that applies', () => {
    const options = resolveOptions({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo', environments: ['staging', 'production'] });
    const lines = summaryLines(options);
    expect(lines).toContain(`  Target                  ${options.target}`);
    expect(lines).toContain('  Environments            staging, production');
    expect(new Set(lines.map((line) => line.search(/(?<=\S {2,})\S/))).size).toBe(1);
    // AND an empty list reads as none, not as a blank answer
    const eks = summaryLines(resolveOptions({ name: 'demo', githubOwner: 'acme', githubRepo: 'demo', target: 'eks' }));
    expect(eks.find((line) => line.trim().startsWith('Public API endpoint ranges'))).toMatch(/ {2}none$/);
    const madeUp = { name: 'demo', target: 'beta', instanceType: 'small', environments: 2 } as unknown as ResolvedOptions;
    expect(summaryLines(madeUp, madeUpTable).join('\n')).toBe(
      ['  Target        beta', '  Service name  demo', '  Box size      small', '  Box count     2'].join('\n'),
    );
  });
});

/**
 * The exchanges of a run that picks `target` in the menu, answers `wrongAnswer` first at every typed prompt when
 * `wrongFirst`, then takes every default with Enter, typing only the owner (`owner`, Enter where a remote gives it);
 * then confirms.
 */
function answerEverything(target: Target, { wrongFirst = false, given = {} as RawOptions, owner = 'acme\r' } = {}): Exchange[] {
  const exchanges: Exchange[] = [];
  const questions = askedFor(target, questionsFor(given, { directory: 'demo' }));
  for (const question of questions) {
    const answer = question.name === 'githubOwner' ? owner : keys.enter;
    if (question.type === 'select') exchanges.push({ waitFor: question.message, type: question.name === 'target' ? menuKeys(target) : [keys.enter] });
    else if (question.type === 'input' && wrongFirst) {
      const refusal = (question.validate!(wrongAnswer) as string).slice(0, 24);
      exchanges.push({ waitFor: question.message, type: `${wrongAnswer}\r` }, { waitFor: refusal, type: keys.clearLine });
      // the same prompt again; the owner, which has no default, first refuses an empty answer too
      if (question.name === 'githubOwner') exchanges.push({ waitFor: question.message, type: keys.enter }, { waitFor: 'Must not be empty', type: keys.clearLine });
      exchanges.push({ waitFor: question.message, type: answer });
    } else exchanges.push({ waitFor: question.message, type: answer });
  }
  return [...exchanges, { waitFor: /Write \d+ files to demo\?/, type: keys.enter }];
}

/** The tree of the commit a run made, and how many commits there are (git's tree id: every path, mode and byte). */
async function committedTree(root: string): Promise<{ tree: string; commits: number; clean: boolean }> {
  const git = async (args: string[]) => (await execa('git', args, { cwd: root })).stdout.trim();
  return { tree: await git(['rev-parse', 'HEAD^{tree}']), commits: Number(await git(['rev-list', '--count', 'HEAD'])), clean: (await git(['status', '--porcelain'])) === '' };
}

describe('interactive runs (a terminal, no --yes)', () => {
  it.each(targets)('picks %s in the menu with the arrow keys, takes every default with Enter (typing only the owner) and writes what --yes writes', async (target) => {
    // GIVEN a terminal in an empty directory, no git remote WHEN the person moves to the target and presses Enter everywhere
    const cwd = tempDir();
    const result = await runInTerminal([process.execPath, bin, 'demo', '--skip-install'], cwd, answerEverything(target));
    // THEN a committed repository, byte for byte the one --yes writes with the same values
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain(`✔ ${optionByKey.target!.prompt} ${target}`);
    const yes = tempDir();
    const batch = await runCli(['demo', '--yes', '--skip-install', '--target', target, '--github-owner', 'acme'], { cwd: yes });
    expect(batch.exitCode, batch.stderr).toBe(0);
    const [asked, given] = [await committedTree(join(cwd, 'demo')), await committedTree(join(yes, 'demo'))];
    expect(asked).toEqual({ tree: given.tree, commits: 1, clean: true });
    // AND the confirmation named the directory and the number of files, after a summary of the answers
    const files = readTree(join(cwd, 'demo')).size;
    expect(result.output).toMatch(new RegExp(`  Target +${target}\\n[^]*  GitHub owner +acme\\n[^]*Write ${files} files to demo\\?`));
    expect(result.output).toContain('Next steps');
  });

  it.each(targets)('asks again after a wrong answer at every prompt (%s), saying what is wrong without naming a flag', async (target) => {
    // GIVEN a terminal WHEN every typed prompt first gets a wrong answer (and the owner an empty one too)
    const cwd = tempDir();
    const exchanges = answerEverything(target, { wrongFirst: true });
    const result = await runInTerminal([process.execPath, bin, 'demo', '--skip-install', '--skip-git'], cwd, exchanges);
    // THEN each refusal was shown and the same prompt asked again (the exchanges waited for both), nothing in the
    // questions named a flag, and the defaults taken on the second try are what was written
    expect(result.exitCode, result.output).toBe(0);
    const questioning = result.output.slice(0, result.matchedAt.at(-1));
    expect(questioning).not.toMatch(/--[a-z]/);
    const yes = tempDir();
    expect((await runCli(['demo', '--yes', '--skip-install', '--skip-git', '--target', target, '--github-owner', 'acme'], { cwd: yes })).exitCode).toBe(0);
    expect(readTree(join(cwd, 'demo'))).toEqual(readTree(join(yes, 'demo')));
  });

  it('takes the owner and the repository from the origin remote: Enter at every question', async () => {
    // GIVEN a terminal in a clone of octo-org/from-remote WHEN the person presses Enter everywhere
    const cwd = tempDir();
    await execa('git', ['init', '--quiet'], { cwd });
    await execa('git', ['remote', 'add', 'origin', 'git@github.com:octo-org/from-remote.git'], { cwd });
    const target = optionByKey.target!.default!({}, {})!;
    const result = await runInTerminal([process.execPath, bin, 'demo', '--skip-install'], cwd, answerEverything(target, { owner: keys.enter }));
    // THEN the prompts offered the remote's names, and the trust policies name them
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain('GitHub owner (user or organization) (octo-org)');
    expect(readFileSync(join(cwd, 'demo', '.projenrc.ts'), 'utf8')).toMatch(/"githubOwner": "octo-org",\s+"githubRepo": "from-remote"/);
  });

  it('writes nothing when the person answers no to the confirmation', async () => {
    const cwd = tempDir();
    const exchanges = answerEverything(optionByKey.target!.default!({}, {})!).slice(0, -1);
    const result = await runInTerminal([process.execPath, bin, 'demo', '--skip-install'], cwd, [...exchanges, { waitFor: /Write \d+ files to demo\?/, type: 'n\r' }]);
    expect(result.exitCode, result.output).toBe(1);
    expect(result.output).toContain('create-ec2-oidc-pipeline: not confirmed; nothing was written');
    expect(existsSync(join(cwd, 'demo'))).toBe(false);
  });

  it("goes through Yeoman's conflicter for an existing file: the user may keep theirs", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'demo'));
    writeFileSync(join(cwd, 'demo', 'README.md'), 'mine\n');
    const result = await runInTerminal(
      [process.execPath, bin, 'demo', '--skip-install', '--skip-git', '--target', 'ec2', '--name', 'demo', '--github-owner', 'acme', '--github-repo', 'demo', '--environments', 'production', '--instance-type', 't3.micro', '--region', 'us-east-1'],
      cwd,
      [
        { waitFor: /Write \d+ files to demo\?/, type: keys.enter },
        { waitFor: /Overwrite README\.md/, type: 'n\r' },
      ],
    );
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(cwd, 'demo', 'README.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(cwd, 'demo', 'package.json'), 'utf8')).toContain('"name": "demo"');
  });
});

describe('interactive runs with --create-github-repo', () => {
  // A fake token, assembled at run time so secret scanners do not flag this file.
  const token = ['ghp', 'PTYtoken0123456789abcdefSECRETvalue'].join('_');
  let fake: FakeGithub;
  beforeAll(async () => {
    fake = await new FakeGithub({ token, user: { login: 'octo', id: 4242 }, scopes: 'repo, workflow', immutableSubjects: false, privateRepositories: { reviewers: true, branchProtection: true } }).start();
  });
  afterAll(() => fake.stop());
  const env = () => ({ GH_TOKEN: token, GITHUB_TOKEN: '', GITHUB_API_URL: fake.url });
  const target = optionByKey.target!.default!({}, {})!;
  // --create-github-repo names the repository: the owner is the token's user, the name the directory's
  const byGithub = { githubOwner: 'octo', githubRepo: 'demo' };

  it("asks, confirms before GitHub is touched, then creates the repository and pushes what --yes would render", async () => {
    // GIVEN a token WHEN the person takes every default (the owner is the token's user, so not asked) and confirms
    const cwd = tempDir();
    const exchanges = answerEverything(target, { given: byGithub }).slice(0, -1);
    const confirm: Exchange = { waitFor: /Create the private GitHub repository octo\/demo, write \d+ files to demo and push them\?/, type: keys.enter };
    const result = await runInTerminal([process.execPath, bin, 'demo', '--skip-install', '--create-github-repo'], cwd, [...exchanges, confirm], { env: env() });
    // THEN the repository exists with the local commit on main, and the files are those of --yes with the same values
    expect(result.exitCode, result.output).toBe(0);
    const head = (await execa('git', ['rev-parse', 'HEAD'], { cwd: join(cwd, 'demo') })).stdout.trim();
    expect(fake.repository('octo/demo')!.refs.get('heads/main')).toBe(head);
    const expected = readTree(join(cwd, 'demo'));
    const yes = tempDir();
    expect((await runCli(['demo', '--yes', '--skip-install', '--skip-git', '--github-owner', 'octo'], { cwd: yes })).exitCode).toBe(0);
    expect(expected).toEqual(readTree(join(yes, 'demo')));
    expect(result.output).not.toContain(token);
  });

  it('creates nothing on GitHub when the person answers no', async () => {
    const cwd = tempDir();
    const before = fake.requests.length;
    const exchanges = answerEverything(target, { given: byGithub }).slice(0, -1);
    const result = await runInTerminal(
      [process.execPath, bin, 'declined', '--skip-install', '--create-github-repo'],
      cwd,
      [...exchanges, { waitFor: /Create the private GitHub repository octo\/declined/, type: 'n\r' }],
      { env: env() },
    );
    // THEN only the token's user was read
    expect(result.exitCode, result.output).toBe(1);
    expect(fake.repository('octo/declined')).toBeUndefined();
    expect(fake.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /user']);
    expect(existsSync(join(cwd, 'declined'))).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
