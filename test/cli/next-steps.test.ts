import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nextSteps } from '../../src/cli/next-steps.js';
import { resolveOptions, targets } from '../../src/options/index.js';

const optionsFor = (target: (typeof targets)[number]) =>
  resolveOptions({ name: 'demo', target, githubOwner: 'acme', githubRepo: 'demo', region: 'eu-west-1', environments: ['staging', 'production'] });

/** Every line that is a command: indented to the commands' column, nothing else on it. */
const commandLines = (text: string) => text.split('\n').filter((line) => /^ {7}\S/.test(line)).map((line) => line.trim());

/**
 * The words a POSIX shell makes of a pasted command, its substitutions run against stand-ins (terraform prints a
 * bucket name, aws an account id): what the real program would receive as argv.
 */
function wordsOf(command: string): string[] {
  const script = `terraform() { echo demo-tfstate-123456789012; }; aws() { echo 123456789012; }; set -- ${command}; printf '%s\\n' "$@"`;
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trimEnd().split('\n');
}

// Each target gets its own snapshots: a new target's first run writes them, to be read before they are committed.
describe.each(targets)('next steps of the %s target', (target) => {
  it('without --create-github-repo', () => {
    expect(nextSteps(optionsFor(target), 'demo', { committed: true })).toMatchSnapshot();
  });

  it('after --create-github-repo, with the account id still to set', () => {
    expect(nextSteps(optionsFor(target), 'demo', { committed: true, github: { url: 'https://github.com/acme/demo', repoArgument: 'acme/demo', accountIdSet: false } })).toMatchSnapshot();
  });

  it('prints every command whole on a line of its own, in one column, each pasteable into a shell as it is', () => {
    // GIVEN a directory whose path needs quoting WHEN the steps are printed
    const directory = "/tmp/my services/bob's demo";
    const text = nextSteps(optionsFor(target), directory, { committed: true });
    // THEN every line below the heading is a numbered step, its wrapped words, or a command in the commands' column
    for (const line of text.split('\n').slice(4)) expect(line, line).toMatch(/^( {2}\d\. \S| {5}\S| {7}\S)/);
    const commands = commandLines(text);
    expect(commands.length).toBeGreaterThan(4);
    // AND a shell reads each as the intended argv: the directory one word, substitutions inside their word
    const argv = commands.map(wordsOf);
    expect(argv).toContainEqual(['terraform', `-chdir=${directory}/terraform/bootstrap`, 'init']);
    expect(argv).toContainEqual(['terraform', `-chdir=${directory}/terraform/environments/production`, 'init', '-backend-config=bucket=demo-tfstate-123456789012']);
    expect(argv).toContainEqual(['gh', 'variable', 'set', 'AWS_ACCOUNT_ID', '--body', '123456789012', '--repo', 'acme/demo']);
    expect(argv).toContainEqual(['git', '-C', directory, 'push', '-u', 'origin', 'main']);
    for (const words of argv) expect(words.join(' ')).not.toMatch(/[<>]/);
  });

  it('names paths relative to the scaffold when run in it, and leaves the remote alone when it made no commit', () => {
    const text = nextSteps(optionsFor(target), '.', { committed: false });
    expect(text).toContain('       terraform -chdir=terraform/bootstrap init\n');
    expect(text).toContain('Next steps (docs/runbook.md has the details):');
    expect(text).toContain('then commit and push:');
    expect(text).not.toContain('git -C');
  });
});

describe('next steps with environments in separate accounts', () => {
  const options = resolveOptions({
    name: 'demo',
    githubOwner: 'acme',
    githubRepo: 'demo',
    environments: ['dev', 'staging', 'prod'],
    accounts: { dev: '111111111111', staging: '111111111111', prod: '222222222222' },
  });

  it('bootstraps each account in its own workspace with its environments, applies each environment with its account, and sets each environment its account id', () => {
    // GIVEN three environments in two accounts WHEN the steps are printed
    const text = nextSteps(options, 'demo', { committed: true });
    const argv = commandLines(text).map(wordsOf);
    // THEN every account's bootstrap runs once, with its credentials, workspace and environments
    expect(argv).toContainEqual(['AWS_PROFILE=admin-111111111111', 'TF_WORKSPACE=111111111111', 'terraform', '-chdir=demo/terraform/bootstrap', 'apply', '-var', 'environments=["dev","staging"]']);
    expect(argv).toContainEqual(['AWS_PROFILE=admin-222222222222', 'TF_WORKSPACE=222222222222', 'terraform', '-chdir=demo/terraform/bootstrap', 'apply', '-var', 'environments=["prod"]']);
    // AND each environment inits against its own account's bucket
    expect(argv).toContainEqual(['terraform', '-chdir=demo/terraform/environments/staging', 'init', '-backend-config=bucket=demo-tfstate-111111111111']);
    expect(argv).toContainEqual(['terraform', '-chdir=demo/terraform/environments/prod', 'init', '-backend-config=bucket=demo-tfstate-222222222222']);
    // AND each GitHub environment gets its own AWS_ACCOUNT_ID, the repository none
    for (const [env, account] of Object.entries(options.accounts ?? {})) expect(argv).toContainEqual(['gh', 'variable', 'set', 'AWS_ACCOUNT_ID', '--env', env, '--body', account, '--repo', 'acme/demo']);
    expect(text).not.toContain('gh variable set AWS_ACCOUNT_ID --body');
  });

  it('after --create-github-repo, says the environments hold their account ids', () => {
    const text = nextSteps(options, 'demo', { committed: true, github: { url: 'https://github.com/acme/demo', repoArgument: 'acme/demo', accountIdSet: true } });
    expect(text.replace(/\s+/g, ' ')).toContain("variables (each environment's AWS_ACCOUNT_ID) and branch protection are set.");
    expect(text).not.toContain('gh variable set AWS_ACCOUNT_ID');
  });
});
