import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from '../support/moto.js';
import { tempDir, writePreset } from '../support/render-preset.js';
import { runScript } from '../support/script-runner.js';
import { requireTool } from '../support/tools.js';

// scripts/build-release.sh of the asg target, run for real on the rendered service: npm ci from its lockfile, the
// build, npm prune --omit=dev, then the archive. Built twice from the same commit, in different folders and under
// different umasks, it must be the same bytes; the upload refuses to replace a release with different bytes.
const commit = '0123456789abcdef0123456789abcdef01234567';
const epoch = '1767225600'; // 2026-01-01T00:00:00Z

let repo: string;
let moto: MotoServer;
const builds: { archive: string; sha256: string; stdout: string }[] = [];

function build(umask: string, extra: string[] = [], env: Record<string, string> = {}) {
  const output = tempDir('release-out-');
  // Through sh -c: the umask is the only thing that differs between the runs, besides the folders.
  const result = runScript(
    '/bin/sh',
    ['-c', `umask ${umask} && exec sh "$0" "$@"`, join(repo, 'scripts', 'build-release.sh'), '--commit', commit, '--output', output, '--source-date-epoch', epoch, ...extra],
    { ...env, TMPDIR: tempDir('release-tmp-'), npm_config_update_notifier: 'false' },
    600_000,
  );
  return { ...result, archive: join(output, `${commit}.tar.gz`) };
}

beforeAll(() => {
  requireTool('npm', 'install Node.js 22 (npm comes with it)');
  requireTool('tar', 'apt-get install -y tar (GNU tar: --sort=name)');
  repo = writePreset('asg');
  for (const umask of ['0022', '0077']) {
    const result = build(umask);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const sha256 = createHash('sha256').update(readFileSync(result.archive)).digest('hex');
    builds.push({ archive: result.archive, sha256, stdout: result.stdout });
  }
}, 900_000);

afterAll(async () => {
  await moto?.stop();
});

describe('scripts/build-release.sh (asg)', () => {
  it('builds the same bytes twice from the same commit, and says so', () => {
    // THEN both archives have one SHA-256, the one each run printed and wrote next to the archive
    expect(builds[0]!.sha256).toBe(builds[1]!.sha256);
    for (const b of builds) {
      expect(b.stdout).toContain(`sha256 ${b.sha256}`);
      expect(readFileSync(`${b.archive}.sha256`, 'utf8')).toBe(`${b.sha256}  ${commit}.tar.gz\n`);
    }
  });

  it('holds the production build and nothing of the workspace: sorted, owned by 0:0, every mtime the commit time', () => {
    // GIVEN the archive's listing
    const listing = execFileSync('tar', ['--list', '--verbose', '--numeric-owner', '--full-time', '--gzip', '--file', builds[0]!.archive], { encoding: 'utf8' }).trim().split('\n');
    const names = listing.map((line) => line.split(/\s+/).slice(5).join(' ').replace(/ -> .*$/, ''));
    // THEN the entries of each directory come sorted by name (tar --sort=name), every one owned by 0/0 at the fixed
    // time, with normalized modes
    const children = new Map<string, string[]>();
    for (const name of names) {
      const trimmed = name.replace(/\/$/, '');
      const parent = trimmed.slice(0, trimmed.lastIndexOf('/'));
      children.set(parent, [...(children.get(parent) ?? []), trimmed.slice(trimmed.lastIndexOf('/') + 1)]);
    }
    expect(children.size).toBeGreaterThan(100);
    const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
    for (const [parent, entries] of children) expect(entries, parent).toEqual([...entries].sort(byteOrder));
    for (const line of listing) {
      // (a symbolic link's own mode means nothing: tar records lrwxrwxrwx)
      expect(line, line).toMatch(/^(lrwxrwxrwx|[-d]r[w-][x-]r-[x-]r-[x-]) 0\/0 /);
      expect(line, line).toContain('2026-01-01 00:00:00');
    }
    // AND it holds the service's build and production dependencies, its commit, and no development dependency
    expect(names).toEqual(expect.arrayContaining(['./package.json', './release.env', './dist/server.js', './node_modules/fastify/package.json']));
    expect(names.some((name) => name.startsWith('./node_modules/vitest/'))).toBe(false);
    expect(names.some((name) => name.startsWith('./src/') || name.startsWith('./test/'))).toBe(false);
    const env = execFileSync('tar', ['--extract', '--to-stdout', '--gzip', '--file', builds[0]!.archive, './release.env'], { encoding: 'utf8' });
    expect(env).toBe(`APP_COMMIT=${commit}\n`);
    // AND gzip records no name and no time
    const header = readFileSync(builds[0]!.archive).subarray(0, 10);
    expect(header.readUInt32LE(4)).toBe(0);
    expect(header[3]! & 0x08).toBe(0);
  });

  it('uploads with its SHA-256 once; a rebuild with other bytes is refused, never overwritten', async () => {
    requireTool('aws', 'pip install awscli');
    moto = await startMoto();
    const bucket = 'fleet-releases-123456789012';
    execFileSync('aws', ['s3api', 'create-bucket', '--bucket', bucket], { env: { ...process.env, ...moto.env } });
    const key = `releases/${commit}.tar.gz`;
    // WHEN the first build uploads
    const first = build('0022', ['--bucket', bucket], moto.env);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`uploaded s3://${bucket}/${key}`);
    const metadata = execFileSync('aws', ['s3api', 'head-object', '--bucket', bucket, '--key', key, '--query', 'Metadata.sha256', '--output', 'text'], { env: { ...process.env, ...moto.env }, encoding: 'utf8' }).trim();
    expect(metadata).toBe(builds[0]!.sha256);
    // AND a re-run finds it, with the same bytes (here as deploy.yml uploads: the archive built by an earlier step)
    const again = runScript(join(repo, 'scripts', 'build-release.sh'), ['--commit', commit, '--output', join(builds[0]!.archive, '..'), '--bucket', bucket, '--no-build'], moto.env, 600_000);
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('is already there, with the same SHA-256');
    // WHEN the release in the bucket claims other bytes (a build that is not reproducible here)
    execFileSync('aws', ['s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', builds[0]!.archive, '--metadata', `sha256=${'f'.repeat(64)}`], { env: { ...process.env, ...moto.env } });
    const differs = build('0022', ['--bucket', bucket], moto.env);
    // THEN the upload is refused with exit 1 and the object keeps what it had
    expect(differs.status).toBe(1);
    expect(differs.stderr).toContain('the build is not reproducible here');
  }, 900_000);
});
