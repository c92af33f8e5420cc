import { execa } from 'execa';
import { GithubError } from './github-error.js';

/** A person line of a commit, with the date as the API takes it: ISO 8601 with the original offset. */
export interface GitPerson {
  readonly name: string;
  readonly email: string;
  readonly date: string;
}

export interface LocalCommit {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: GitPerson;
  readonly committer: GitPerson;
  /** Exactly as stored, trailing newline included: the commit's SHA depends on every byte. */
  readonly message: string;
}

export interface TreeEntry {
  readonly mode: string;
  readonly type: 'blob' | 'tree' | 'commit';
  readonly sha: string;
  readonly name: string;
}

const git = (cwd: string, args: string[]) => execa('git', args, { cwd, stripFinalNewline: false });

/** `1795310419 +0130` → `2026-11-22T02:45:19+01:30`: the same instant, in the committer's own offset. */
export function gitDateToIso(seconds: string, offset: string): string {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(offset);
  if (!match || !/^\d+$/.test(seconds)) throw new GithubError(`cannot read the commit date "${seconds} ${offset}"`);
  const minutes = (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
  const local = new Date((Number(seconds) + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${match[1]}${match[2]}:${match[3]}`;
}

function person(line: string): GitPerson {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!match) throw new GithubError(`cannot read the commit identity "${line}"`);
  return { name: match[1]!, email: match[2]!, date: gitDateToIso(match[3]!, match[4]!) };
}

/**
 * Reads HEAD as git stores it. Only the headers the API can reproduce are accepted: a signature, an encoding or a
 * merge tag would make the remote commit differ from the local one.
 */
export async function readLocalCommit(directory: string): Promise<LocalCommit> {
  const sha = (await git(directory, ['rev-parse', '--verify', 'HEAD'])).stdout.trim();
  const raw = (await git(directory, ['cat-file', 'commit', sha])).stdout;
  const split = raw.indexOf('\n\n');
  const headers = raw.slice(0, split).split('\n');
  const message = raw.slice(split + 2);
  const parents: string[] = [];
  let tree = '';
  let author: GitPerson | undefined;
  let committer: GitPerson | undefined;
  for (const header of headers) {
    const [key] = header.split(' ', 1);
    const value = header.slice(key!.length + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = person(value);
    else if (key === 'committer') committer = person(value);
    else throw new GithubError(`HEAD (${sha.slice(0, 7)}) has a "${key}" header the GitHub API cannot reproduce; commit the scaffold without it (e.g. unsigned)`);
  }
  if (!tree || !author || !committer) throw new GithubError(`cannot read commit ${sha}`);
  return { sha, tree, parents, author, committer, message };
}

/** The entries of one tree object, in git's order. */
export async function readLocalTree(directory: string, sha: string): Promise<TreeEntry[]> {
  const { stdout } = await git(directory, ['ls-tree', '-z', sha]);
  return stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, entrySha] = line.slice(0, tab).split(' ');
      return { mode: mode!, type: type as TreeEntry['type'], sha: entrySha!, name: line.slice(tab + 1) };
    });
}

export async function readLocalBlob(directory: string, sha: string): Promise<Buffer> {
  const { stdout } = await execa('git', ['cat-file', 'blob', sha], { cwd: directory, encoding: 'buffer', stripFinalNewline: false });
  return Buffer.from(stdout);
}
