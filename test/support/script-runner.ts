import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMoto, type MotoServer } from './moto.js';

/** Stand-ins for `docker` and `curl` on a host (state and controls under $SANDBOX_DIR; see the files). */
export const hostStubs = resolve(import.meta.dirname, 'host-stubs', 'bin');
/** A stand-in `aws` that only answers `ecr get-login-password`, for host-script runs without a cloud. */
export const hostAwsStub = resolve(import.meta.dirname, 'host-stubs', 'aws-bin');

/**
 * moto patched by moto-ssm-launcher.py: SSM commands really run, each instance's in its own folder under `sandbox`,
 * with the docker/curl/aws stand-ins first on PATH (the scripts under test, run by the caller, use the real AWS CLI).
 * `env` adds launcher settings (MOTO_SSM_IN_PROGRESS_READS, MOTO_SSM_HOST_NICE: see the launcher).
 */
export function startSsmMoto(sandbox: string, env: Record<string, string> = {}): Promise<MotoServer> {
  return startMoto({
    launcher: resolve(import.meta.dirname, 'moto-ssm-launcher.py'),
    env: {
      ...env,
      MOTO_SSM_SANDBOX: sandbox,
      PATH: `${hostStubs}:${hostAwsStub}:${process.env.PATH}`,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: 'us-east-1',
    },
  });
}

/** Stand-ins for what an asg host has (curl with IMDS and /ready, systemctl, journalctl, useradd, chown, node-22). */
export const asgHostStubs = resolve(import.meta.dirname, 'host-stubs', 'asg-bin');

/**
 * moto patched by moto-asg-launcher.py (which loads moto-ssm-launcher.py): groups boot their instances' user data and
 * hold them in lifecycle hooks, the target group's health follows each host, SSM commands run per instance. The
 * hosts use the real AWS CLI (against this server) with the asg stand-ins first on PATH.
 */
export function startAsgMoto(sandbox: string, region = 'us-east-1'): Promise<MotoServer> {
  return startMoto({
    launcher: resolve(import.meta.dirname, 'moto-asg-launcher.py'),
    region,
    env: {
      MOTO_SSM_SANDBOX: sandbox,
      PATH: `${asgHostStubs}:${process.env.PATH}`,
      // A boot deploys without --timeout (the host script's default, 120 s, for a real start): a boot that is meant
      // to fail would hold its test for two minutes. Deploy commands pass their own --timeout.
      DEPLOY_TIMEOUT: '2',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_DEFAULT_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      // (no __pycache__ of the launchers inside the repository)
      PYTHONDONTWRITEBYTECODE: '1',
    },
  });
}

export interface ScriptResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a script with exactly the environment given (plus PATH and HOME), so a DEPLOY_* or GITHUB_SHA of the machine
 * running the tests never leaks in.
 */
export function runScript(script: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 120_000): ScriptResult {
  const result = spawnSync(script, [...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A folder of `aws`, `docker` and `curl` commands that only record that they were called (and fail), to prove a script
 * stopped before touching AWS or the host. `calls()` answers what was called.
 */
export function callRecorders(dir: string): { readonly bin: string; calls(): string } {
  const bin = join(dir, 'recorders');
  const log = join(dir, 'recorded-calls');
  mkdirSync(bin, { recursive: true });
  for (const tool of ['aws', 'docker', 'curl', 'kubectl']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >>'${log}'\nexit 99\n`, { mode: 0o755 });
  }
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}
