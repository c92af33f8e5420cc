import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionsFor } from '../../src/generator/app-generator.js';
import { bin } from '../support/cli.js';
import { runInTerminal } from '../support/pty.js';
import { tempDir } from '../support/render-preset.js';

describe('interactive runs (a terminal, no --yes)', () => {
  it('asks only for what flags did not give, with the table defaults', () => {
    const questions = questionsFor({ region: 'eu-west-1', githubOwner: 'acme' }, { directory: 'demo' });
    expect(questions.map((q) => q.name)).toEqual(['name', 'githubRepo', 'environments', 'instanceType']);
    expect(questions.find((q) => q.name === 'name')?.default).toBe('demo');
    expect(questions.find((q) => q.name === 'environments')?.default).toBe('production');
    // validation is the option table's own
    expect(questions.find((q) => q.name === 'instanceType')?.validate('huge')).toMatch(/not an EC2 instance type/);
    expect(questions.find((q) => q.name === 'environments')?.filter(' staging, production ')).toEqual(['staging', 'production']);
  });

  it('prompts, re-asks after an invalid answer, and renders the answers', async () => {
    // GIVEN a terminal WHEN the user answers the prompts (one answer invalid at first)
    const cwd = tempDir();
    const result = await runInTerminal([process.execPath, bin, 'demo', '--skip-install', '--skip-git', '--region', 'eu-west-1'], cwd, [
      { waitFor: 'Service name', type: 'shop\r' },
      { waitFor: 'GitHub owner', type: 'acme\r' },
      { waitFor: 'GitHub repository name', type: 'shop api\r' },
      { waitFor: 'is not a GitHub repository name', type: '\u0015shop-api\r' },
      { waitFor: 'Environments', type: '\u0015staging,production\r' },
      { waitFor: 'EC2 instance type', type: '\r' },
    ]);
    // THEN the repository is rendered with them
    expect(result.exitCode, result.output).toBe(0);
    const projenrc = readFileSync(join(cwd, 'demo', '.projenrc.ts'), 'utf8');
    expect(projenrc).toContain('"name": "shop"');
    expect(projenrc).toContain('"githubRepo": "shop-api"');
    expect(projenrc).toContain('"region": "eu-west-1"');
    expect(projenrc).toMatch(/"environments": \[\s+"staging",\s+"production"\s+\]/);
    expect(projenrc).toContain('"instanceType": "t3.micro"');
  });

  it("goes through Yeoman's conflicter for an existing file: the user may keep theirs", async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'demo'));
    writeFileSync(join(cwd, 'demo', 'README.md'), 'mine\n');
    const result = await runInTerminal(
      [process.execPath, bin, 'demo', '--skip-install', '--skip-git', '--name', 'demo', '--github-owner', 'acme', '--github-repo', 'demo', '--environments', 'production', '--instance-type', 't3.micro', '--region', 'us-east-1'],
      cwd,
      [{ waitFor: /Overwrite README\.md/, type: 'n\r' }],
    );
    expect(result.exitCode, result.output).toBe(0);
    expect(readFileSync(join(cwd, 'demo', 'README.md'), 'utf8')).toBe('mine\n');
    expect(readFileSync(join(cwd, 'demo', 'package.json'), 'utf8')).toContain('"name": "demo"');
  });
});
