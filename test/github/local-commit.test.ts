import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { GithubError } from '../../src/github/github-error.js';
import { gitDateToIso, readLocalBlob, readLocalCommit, readLocalTree } from '../../src/github/local-commit.js';
import { tempDir } from '../support/render-preset.js';
import { commitContent, objectSha, treeContent } from './support/git-objects.js';

/** A repository whose commit has a non-UTC offset for each person, nested and executable files, and tricky names. */
async function sampleRepository(): Promise<string> {
  const root = tempDir('local-commit-');
  mkdirSync(join(root, 'a'), { recursive: true });
  mkdirSync(join(root, 'a.b'), { recursive: true });
  writeFileSync(join(root, 'a', 'x.txt'), 'nested\n');
  writeFileSync(join(root, 'a.b', 'y.txt'), 'dotted directory sorts after a/ in git\n');
  writeFileSync(join(root, 'a-'), 'a file named a- sorts before a/\n');
  writeFileSync(join(root, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'run.sh'), 0o755);
  writeFileSync(join(root, 'no-newline'), 'last line without newline');
  const git = (args: string[], env: Record<string, string> = {}) => execa('git', args, { cwd: root, env });
  await git(['init', '--quiet', '--initial-branch=main']);
  await git(['add', '--all']);
  await git(['commit', '--quiet', '--no-gpg-sign', '--message', 'Subject line\n\nBody with ümlauts.'], {
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_AUTHOR_DATE: '2026-03-01T12:34:56+05:30',
    GIT_COMMITTER_NAME: 'Grace Hopper',
    GIT_COMMITTER_EMAIL: 'grace@example.com',
    GIT_COMMITTER_DATE: '2026-03-01T01:02:03-08:00',
  });
  return root;
}

describe('local commit reading (what the API push replicates)', () => {
  it('turns git dates into ISO 8601 with the original offset', () => {
    expect(gitDateToIso('1795310419', '+0000')).toBe('2026-11-22T01:20:19+00:00');
    expect(gitDateToIso('1795310419', '+0530')).toBe('2026-11-22T06:50:19+05:30');
    expect(gitDateToIso('1795310419', '-0800')).toBe('2026-11-21T17:20:19-08:00');
  });

  it('reads HEAD so that rebuilding it from its parts gives the same SHA (the fake hashes like git)', async () => {
    // GIVEN a commit with offsets on both people and a multi-line, non-ASCII message
    const root = await sampleRepository();
    // WHEN it is read
    const commit = await readLocalCommit(root);
    // THEN the people keep their offsets, the message keeps git's trailing newline…
    expect(commit.author).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com', date: '2026-03-01T12:34:56+05:30' });
    expect(commit.committer).toEqual({ name: 'Grace Hopper', email: 'grace@example.com', date: '2026-03-01T01:02:03-08:00' });
    expect(commit.message).toBe('Subject line\n\nBody with ümlauts.\n');
    expect(commit.parents).toEqual([]);
    // …and the commit, every tree and every blob hash back to git's own SHAs
    expect(objectSha('commit', commitContent(commit))).toBe(commit.sha);
    const walk = async (sha: string): Promise<number> => {
      const entries = await readLocalTree(root, sha);
      const items = entries.map((e) => ({ mode: e.mode, name: e.name, sha: e.sha, type: e.type as 'blob' | 'tree' }));
      expect(objectSha('tree', treeContent(items))).toBe(sha);
      let blobs = 0;
      for (const entry of entries) {
        if (entry.type === 'tree') blobs += await walk(entry.sha);
        else {
          expect(objectSha('blob', await readLocalBlob(root, entry.sha))).toBe(entry.sha);
          blobs += 1;
        }
      }
      return blobs;
    };
    expect(await walk(commit.tree)).toBe(5);
    expect((await readLocalTree(root, commit.tree)).find((e) => e.name === 'run.sh')?.mode).toBe('100755');
  });

  it('refuses a commit with a header the API cannot reproduce', async () => {
    // GIVEN a HEAD carrying an `encoding` header
    const root = await sampleRepository();
    const raw = (await execa('git', ['cat-file', 'commit', 'HEAD'], { cwd: root, stripFinalNewline: false })).stdout;
    const withEncoding = raw.replace(/\n\n/, '\nencoding ISO-8859-1\n\n');
    const sha = (await execa('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: root, input: withEncoding })).stdout.trim();
    await execa('git', ['update-ref', 'HEAD', sha], { cwd: root });
    // WHEN it is read THEN it fails, naming the header
    await expect(readLocalCommit(root)).rejects.toThrow(GithubError);
    await expect(readLocalCommit(root)).rejects.toThrow(/"encoding" header/);
  });
});
