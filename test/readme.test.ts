import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../src/cli/args.js';
import { resolveOptions } from '../src/options/index.js';
import { renderRepository } from '../src/render/render-repository.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('opens with the scaffold command and the test command', () => {
    const opening = readme.split('\n').slice(0, 12).join('\n');
    expect(opening).toMatch(/create-ec2-oidc-pipeline|npx --yes \.\/\$\(npm pack --silent\) my-service --yes/);
    expect(opening).toContain('\nnpm test\n');
  });

  it('documents every flag the CLI accepts (the flags come from the option table)', () => {
    const flags = [...helpText().matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((match) => match[1]!);
    expect(flags.length).toBeGreaterThan(15);
    for (const flag of new Set(flags)) expect(readme, flag).toMatch(new RegExp(`\`(-[a-z], )?${flag}\\b`));
  });

  it('counts the files the example command writes as the render core does', () => {
    const files = renderRepository(resolveOptions({ name: 'my-service', githubOwner: 'acme', githubRepo: 'my-service' }));
    expect(readme).toMatch(/`create-ec2-oidc-pipeline my-service --yes --github-owner acme --github-repo my-service` writes \((\d+) files/);
    expect(readme).toContain(`writes (${files.length} files`);
  });
});
