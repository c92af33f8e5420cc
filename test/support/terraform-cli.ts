import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type Result } from 'execa';
import { requireTool } from './tools.js';

// Running Terraform from tests and the bench: nothing here imports the generator's own sources, so bench/ (run by
// Node's type stripping) can use it too.

const providerPath = join('registry.terraform.io', 'hashicorp', 'aws', '5.100.0');

let mirror: string | undefined;

/**
 * The folder holding `registry.terraform.io/hashicorp/aws/5.100.0`: `$TF_PROVIDER_MIRROR`, else found under /opt, else
 * under / (depth 4). Machines have no registry access, so without it nothing can be initialised: fail, saying so.
 */
export function providerMirror(): string {
  if (mirror) return mirror;
  const fromEnv = process.env.TF_PROVIDER_MIRROR;
  if (fromEnv) {
    if (!existsSync(join(fromEnv, providerPath))) throw new Error(`TF_PROVIDER_MIRROR=${fromEnv} holds no ${providerPath}`);
    return (mirror = fromEnv);
  }
  for (const root of ['/opt', '/']) {
    let found = '';
    try {
      found = execFileSync('find', [root, '-maxdepth', '4', '-type', 'd', '-name', 'registry.terraform.io'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (error) {
      // find exits non-zero on unreadable folders but still prints what it found.
      found = String((error as { stdout?: string }).stdout ?? '');
    }
    for (const candidate of found.split('\n').filter(Boolean)) {
      const parent = join(candidate, '..');
      if (existsSync(join(parent, providerPath))) return (mirror = parent);
    }
  }
  throw new Error(
    `No Terraform provider mirror holding ${providerPath} was found under /opt or / (depth 4). ` +
      'Set TF_PROVIDER_MIRROR to the folder that contains registry.terraform.io, or create one with ' +
      '`terraform providers mirror <dir>` on a machine with registry access.',
  );
}

let cliConfig: string | undefined;

/** A Terraform CLI configuration that installs the AWS provider from the mirror and never from the network. */
export function terraformCliConfig(): string {
  if (cliConfig) return cliConfig;
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-'));
  const path = join(dir, 'terraform.tfrc');
  writeFileSync(
    path,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(providerMirror())}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/hashicorp/aws"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return (cliConfig = path);
}

export function requireTerraform(): void {
  requireTool('terraform', 'see https://developer.hashicorp.com/terraform/install (Terraform >= 1.10)', ['version']);
}

/** Environment for every terraform process: the mirror config, no prompts, no colours, no checkpoint calls. */
export function terraformEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    TF_CLI_CONFIG_FILE: terraformCliConfig(),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_PLUGIN_CACHE_DIR: '',
    ...extra,
  };
}

export interface TerraformRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `terraform <args>` in `cwd`. Fails with terraform's own output unless the exit code is one of `okExitCodes`.
 */
export async function terraform(
  cwd: string,
  args: readonly string[],
  options: { env?: Record<string, string>; okExitCodes?: readonly number[]; timeoutMs?: number } = {},
): Promise<TerraformRun> {
  const result: Result = await execa('terraform', [...args, ...(noColor(args) ? ['-no-color'] : [])], {
    cwd,
    env: terraformEnv(options.env),
    reject: false,
    timeout: options.timeoutMs ?? 600_000,
    stdin: 'ignore',
  });
  const run = { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  if (!(options.okExitCodes ?? [0]).includes(run.exitCode)) {
    throw new Error(`terraform ${args.join(' ')} in ${cwd} exited ${run.exitCode}:\n${run.stderr}\n${run.stdout.slice(-8000)}`);
  }
  return run;
}

// `fmt`, `version` and `providers` reject -no-color or do not need it.
function noColor(args: readonly string[]): boolean {
  return !['fmt', 'version'].includes(args[0] ?? '');
}

/** Adds a file (an `*_override.tf`, for instance) to a written root. */
export function addFile(dir: string, name: string, content: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), content);
}

export function listTf(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.tf'));
}

