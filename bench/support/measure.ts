import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** npm quiet and offline-friendly where it can be: no update check, no funding or audit calls. */
export const benchEnv: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

/** Runs a command to completion (argv, never a shell string) and answers its stdout; stderr is kept for the error. */
export function sh(command: string, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = benchEnv): string {
  return execFileSync(command, argv, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

const execFileAsync = promisify(execFile);

/** `sh` without blocking: the sections prepare side by side (installs, builds, moto) before anything is measured. */
export async function shAsync(command: string, argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = benchEnv): Promise<string> {
  const { stdout } = await execFileAsync(command, argv, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Wall time of `run` in milliseconds. */
export function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of per-round ratios a[i] / b[i]: each pair ran back to back, so a slow minute of the machine hits both. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`paired series differ in length (${a.length} and ${b.length})`);
  return median(a.map((value, i) => value / b[i]!));
}

export interface Variant<T> {
  readonly name: string;
  /** One measurement; called once per round. */
  readonly run: () => T | Promise<T>;
}

/**
 * Runs the variants in turns (A, B, C, A, B, C…): `warmups` discarded rounds, then `runs` measured ones. Answers each
 * variant's measurements, round by round, so `pairedRatio` can compare them pair by pair.
 */
export async function rounds<T>(variants: readonly Variant<T>[], runs: number, warmups = 1): Promise<Record<string, T[]>> {
  const results: Record<string, T[]> = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  for (let round = 0; round < warmups + runs; round++) {
    for (const variant of variants) {
      const value = await variant.run();
      if (round >= warmups) results[variant.name]!.push(value);
    }
  }
  return results;
}

/** Regular files under `dir`, recursively. */
export function countFiles(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
}

/** Bytes of the regular files under `dir`, recursively (what the files hold, not the blocks they use). */
export function treeBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

export const formatMs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);
/** Decimal megabytes, as npm reports package sizes. */
export const formatMB = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
export const formatMiB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const formatRatio = (ratio: number) => `${ratio.toFixed(2)}×`;
