import { createHash } from 'node:crypto';

/** Git object hashing exactly as git does it: sha1 of `<type> <size>\0<content>`. */
export function objectSha(type: 'blob' | 'tree' | 'commit', content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');
}

export interface TreeItem {
  readonly mode: string;
  readonly name: string;
  readonly sha: string;
  readonly type: 'blob' | 'tree';
}

/** Git sorts tree entries by name, comparing a subtree's name as if it ended in `/`. */
function sortKey(item: TreeItem): Buffer {
  return Buffer.from(item.type === 'tree' ? `${item.name}/` : item.name);
}

/** A tree object's content: `<mode> <name>\0<20-byte sha>` per entry; git writes tree modes as `40000`. */
export function treeContent(items: readonly TreeItem[]): Buffer {
  const sorted = [...items].sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
  return Buffer.concat(
    sorted.map((item) => Buffer.concat([Buffer.from(`${item.type === 'tree' ? '40000' : item.mode} ${item.name}\0`), Buffer.from(item.sha, 'hex')])),
  );
}

export interface Person {
  readonly name: string;
  readonly email: string;
  /** ISO 8601 as the API takes it: `2026-11-22T01:15:52+01:00` or `…Z`. */
  readonly date: string;
}

/** `2026-11-22T01:15:52+01:00` → `1795313752 +0100`, as a commit stores it. */
export function gitDate(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!match) throw new Error(`not an ISO 8601 date: ${iso}`);
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const offset = match[2] === 'Z' ? '+0000' : match[2]!.replace(':', '');
  return `${seconds} ${offset}`;
}

export function commitContent(commit: { tree: string; parents: readonly string[]; author: Person; committer: Person; message: string }): Buffer {
  const lines = [
    `tree ${commit.tree}`,
    ...commit.parents.map((p) => `parent ${p}`),
    `author ${commit.author.name} <${commit.author.email}> ${gitDate(commit.author.date)}`,
    `committer ${commit.committer.name} <${commit.committer.email}> ${gitDate(commit.committer.date)}`,
  ];
  return Buffer.from(`${lines.join('\n')}\n\n${commit.message}`);
}
