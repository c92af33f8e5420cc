import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { commitContent, objectSha, treeContent, type Person, type TreeItem } from './git-objects.js';

/** An account the fake knows. */
export interface Account {
  readonly login: string;
  readonly id: number;
}

export interface Organization extends Account {
  readonly teams?: readonly { readonly slug: string; readonly id: number }[];
}

export interface FakeGithubOptions {
  /** The only token the fake accepts (as `token X` or `Bearer X`). */
  readonly token: string;
  readonly user: Account;
  readonly otherUsers?: readonly Account[];
  readonly organizations?: readonly Organization[];
  /** `x-oauth-scopes` of a classic token; undefined: a fine-grained token (no header). */
  readonly scopes?: string;
  /** Whether repositories created here present immutable subjects (github.com since mid-2026: yes). */
  readonly immutableSubjects?: boolean;
  /** The account's default branch name for new repositories. */
  readonly defaultBranch?: string;
  /** Plan features on private repositories (public ones have them all): GitHub Free has none. */
  readonly privateRepositories?: { readonly reviewers: boolean; readonly branchProtection: boolean };
}

interface GitObject {
  readonly type: 'blob' | 'tree' | 'commit';
  readonly content: Buffer;
  readonly tree?: readonly TreeItem[];
  readonly commit?: { tree: string; parents: readonly string[]; author: Person; committer: Person; message: string };
}

interface Environment {
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  policies: { id: number; name: string; type: string }[];
  /** The environment's own variables: a job running in it reads them before the repository's. */
  variables: Map<string, string>;
}

export interface FakeRepository {
  readonly id: number;
  readonly name: string;
  readonly owner: Account & { readonly type: 'User' | 'Organization' };
  readonly private: boolean;
  default_branch: string;
  readonly created_at: string;
  readonly objects: Map<string, GitObject>;
  readonly refs: Map<string, string>;
  readonly environments: Map<string, Environment>;
  readonly variables: Map<string, string>;
  protection?: Record<string, unknown>;
  oidc: Record<string, unknown>;
}

/** One request the fake answered; `body` parsed from JSON. */
export interface LoggedRequest {
  readonly method: string;
  /** Decoded path, without the query. */
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  readonly authorization?: string;
}

interface Injection {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  /** Apply the request, then answer the error anyway (a lost response). */
  readonly afterApply?: boolean;
  readonly headers?: Record<string, string>;
  readonly message?: string;
  remaining: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const githubPerson: Person = { name: 'GitHub', email: 'noreply@github.com', date: '2026-11-20T10:00:00Z' };

/**
 * A stateful GitHub REST API on 127.0.0.1, enough of it for `--create-github-repo`: repositories, the Git Data API
 * with real object SHAs (409 on an empty repository), OIDC subject customization, environments and their branch
 * policies, variables, branch protection, users and teams. Failures and rate limits can be injected per call.
 */
export class FakeGithub {
  readonly requests: LoggedRequest[] = [];
  readonly repositories = new Map<string, FakeRepository>();
  private readonly injections: Injection[] = [];
  private server?: Server;
  private nextId = 500_000_000;
  url = '';

  constructor(readonly options: FakeGithubOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Successful and failed non-GET calls, in order. */
  get writes(): LoggedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  /** The next `times` calls matching method and path fail with `status` (after being applied, with `afterApply`). */
  failNext(method: string, path: RegExp, status: number, options: { afterApply?: boolean; times?: number; headers?: Record<string, string>; message?: string } = {}): void {
    this.injections.push({ method, path, status, afterApply: options.afterApply, headers: options.headers, message: options.message, remaining: options.times ?? 1 });
  }

  repository(fullName: string): FakeRepository | undefined {
    return this.repositories.get(fullName.toLowerCase());
  }

  /** Files of a branch, path → content, read from the stored objects. */
  files(fullName: string, branch = 'main'): Map<string, string> {
    const repo = this.repository(fullName)!;
    const files = new Map<string, string>();
    const walk = (treeSha: string, prefix: string) => {
      for (const item of repo.objects.get(treeSha)!.tree!) {
        if (item.type === 'tree') walk(item.sha, `${prefix}${item.name}/`);
        else files.set(`${prefix}${item.name}`, repo.objects.get(item.sha)!.content.toString());
      }
    };
    const head = repo.refs.get(`heads/${branch}`);
    if (head) walk(repo.objects.get(head)!.commit!.tree, '');
    return files;
  }

  /** A repository created elsewhere: with `files`, one commit holding them (someone's work); without, empty. */
  seedRepository(owner: Account & { type?: 'User' | 'Organization' }, name: string, options: { files?: Record<string, string>; private?: boolean; message?: string } = {}): FakeRepository {
    const repo = this.newRepository(owner, name, options.private ?? true);
    if (options.files) {
      const items = Object.entries(options.files).map(([path, content]) => ({ mode: '100644', name: path, type: 'blob' as const, sha: this.store(repo, 'blob', Buffer.from(content)) }));
      const tree = this.storeTree(repo, items);
      const commit = this.storeCommit(repo, { tree, parents: [], author: githubPerson, committer: githubPerson, message: options.message ?? 'my work\n' });
      repo.refs.set(`heads/${repo.default_branch}`, commit);
    }
    return repo;
  }

  private newRepository(owner: Account & { type?: 'User' | 'Organization' }, name: string, isPrivate: boolean): FakeRepository {
    const id = this.nextId++;
    const type = owner.type ?? (this.options.organizations?.some((o) => o.login === owner.login) ? 'Organization' : 'User');
    const repo: FakeRepository = {
      id,
      name,
      owner: { login: owner.login, id: owner.id, type },
      private: isPrivate,
      default_branch: this.options.defaultBranch ?? 'main',
      created_at: '2026-11-20T10:00:00Z',
      objects: new Map(),
      refs: new Map(),
      environments: new Map(),
      variables: new Map(),
      oidc: this.options.immutableSubjects
        ? { use_default: true, use_immutable_subject: false, sub_claim_prefix: `repo:${owner.login}@${owner.id}/${name}@${id}` }
        : { use_default: true, use_immutable_subject: false, sub_claim_prefix: `repo:${owner.login}/${name}` },
    };
    this.repositories.set(`${owner.login}/${name}`.toLowerCase(), repo);
    return repo;
  }

  private store(repo: FakeRepository, type: GitObject['type'], content: Buffer, extra: Partial<GitObject> = {}): string {
    const sha = objectSha(type, content);
    repo.objects.set(sha, { type, content, ...extra });
    return sha;
  }

  private storeTree(repo: FakeRepository, items: readonly TreeItem[]): string {
    return this.store(repo, 'tree', treeContent(items), { tree: items });
  }

  private storeCommit(repo: FakeRepository, commit: NonNullable<GitObject['commit']>): string {
    return this.store(repo, 'commit', commitContent(commit), { commit });
  }

  private initialCommit(repo: FakeRepository): void {
    const readme = this.store(repo, 'blob', Buffer.from(`# ${repo.name}\n`));
    const tree = this.storeTree(repo, [{ mode: '100644', name: 'README.md', type: 'blob', sha: readme }]);
    repo.refs.set(`heads/${repo.default_branch}`, this.storeCommit(repo, { tree, parents: [], author: githubPerson, committer: githubPerson, message: 'Initial commit' }));
  }

  private repoJson(repo: FakeRepository) {
    const fullName = `${repo.owner.login}/${repo.name}`;
    return {
      id: repo.id,
      name: repo.name,
      full_name: fullName,
      owner: repo.owner,
      private: repo.private,
      visibility: repo.private ? 'private' : 'public',
      default_branch: repo.default_branch,
      html_url: `https://github.example/${fullName}`,
      clone_url: `https://github.example/${fullName}.git`,
      created_at: repo.created_at,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = decodeURIComponent(url.pathname);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (this.options.scopes !== undefined) headers['x-oauth-scopes'] = this.options.scopes;
    let status = 200;
    let payload: unknown;
    const injection = this.injections.find((i) => i.remaining > 0 && i.method === method && i.path.test(path));
    if (injection) injection.remaining -= 1;
    try {
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${this.options.token}` && auth !== `Bearer ${this.options.token}`) throw new HttpError(401, 'Bad credentials');
      if (injection && !injection.afterApply) throw new HttpError(injection.status, injection.message ?? 'Injected failure', {});
      [status, payload] = this.route(method, url.pathname, body);
      if (injection?.afterApply) throw new HttpError(injection.status, injection.message ?? 'Injected failure after applying');
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      status = error.status;
      payload = { message: error.message, ...error.extra, documentation_url: 'https://docs.github.com/rest' };
      Object.assign(headers, injection?.headers ?? {});
    }
    this.requests.push({ method, path, body, status, authorization: req.headers.authorization });
    res.writeHead(status, headers);
    res.end(status === 204 || payload === undefined ? undefined : JSON.stringify(payload));
  }

  private route(method: string, pathname: string, body: Record<string, unknown> | undefined): [number, unknown] {
    const m = (pattern: RegExp) => {
      const match = pattern.exec(pathname);
      return match ? match.slice(1).map((part) => decodeURIComponent(part)) : undefined;
    };
    let p: string[] | undefined;
    const b = body ?? {};
    const { user } = this.options;

    if (method === 'GET' && pathname === '/user') return [200, { login: user.login, id: user.id, type: 'User' }];
    if (method === 'GET' && (p = m(/^\/users\/([^/]+)$/))) {
      const account = [user, ...(this.options.otherUsers ?? [])].find((a) => a.login.toLowerCase() === p![0]!.toLowerCase());
      if (!account) throw new HttpError(404, 'Not Found');
      return [200, { ...account, type: 'User' }];
    }
    if (method === 'GET' && (p = m(/^\/orgs\/([^/]+)\/teams\/([^/]+)$/))) {
      const team = this.org(p[0]!)?.teams?.find((t) => t.slug === p![1]);
      if (!team) throw new HttpError(404, 'Not Found');
      return [200, { id: team.id, slug: team.slug, name: team.slug }];
    }
    if (method === 'POST' && (pathname === '/user/repos' || (p = m(/^\/orgs\/([^/]+)\/repos$/)))) {
      const owner = pathname === '/user/repos' ? { ...user, type: 'User' as const } : this.org(p![0]!);
      if (!owner) throw new HttpError(404, 'Not Found');
      const name = String(b.name);
      if (this.repository(`${owner.login}/${name}`)) {
        throw new HttpError(422, 'Repository creation failed.', { errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }] });
      }
      const repo = this.newRepository(owner, name, b.private !== false);
      if (b.auto_init === true) this.initialCommit(repo);
      return [201, this.repoJson(repo)];
    }

    const scoped = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
    if (!scoped) throw new HttpError(404, 'Not Found');
    const repo = this.repository(`${decodeURIComponent(scoped[1]!)}/${decodeURIComponent(scoped[2]!)}`);
    if (!repo) throw new HttpError(404, 'Not Found');
    const rest = scoped[3] ?? '';
    const r = (pattern: RegExp) => {
      const match = pattern.exec(rest);
      return match ? match.slice(1).map((part) => decodeURIComponent(part)) : undefined;
    };

    if (rest === '') {
      if (method === 'GET') return [200, this.repoJson(repo)];
      if (method === 'PATCH') {
        if (typeof b.default_branch === 'string') {
          if (!repo.refs.has(`heads/${b.default_branch}`)) throw new HttpError(422, 'Validation Failed');
          repo.default_branch = b.default_branch;
        }
        return [200, this.repoJson(repo)];
      }
    }
    if (method === 'GET' && rest === '/branches') {
      return [200, [...repo.refs].filter(([ref]) => ref.startsWith('heads/')).map(([ref, sha]) => ({ name: ref.slice(6), commit: { sha }, protected: false }))];
    }
    if (method === 'PUT' && (p = r(/^\/contents\/(.+)$/))) {
      if (repo.refs.size > 0) throw new HttpError(422, 'this fake only writes contents into an empty repository');
      const blob = this.store(repo, 'blob', Buffer.from(String(b.content), 'base64'));
      const tree = this.storeTree(repo, [{ mode: '100644', name: p[0]!, type: 'blob', sha: blob }]);
      repo.refs.set(`heads/${repo.default_branch}`, this.storeCommit(repo, { tree, parents: [], author: githubPerson, committer: githubPerson, message: String(b.message) }));
      return [201, { content: { path: p[0] } }];
    }
    if (method === 'GET' && rest === '/actions/oidc/customization/sub') return [200, repo.oidc];

    if (rest.startsWith('/git/')) return this.gitRoute(repo, method, r, b);

    if ((p = r(/^\/environments\/([^/]+)$/))) {
      const name = p[0]!;
      if (method === 'GET') {
        const env = repo.environments.get(name);
        if (!env) throw new HttpError(404, 'Not Found');
        return [200, this.environmentJson(name, env)];
      }
      if (method === 'PUT') {
        if ('reviewers' in b && repo.private && !this.options.privateRepositories?.reviewers) {
          throw new HttpError(422, 'Failed to create the environment protection rule. Please ensure the billing plan supports the required reviewers protection rule.');
        }
        const current = repo.environments.get(name);
        const env: Environment = {
          deployment_branch_policy: (b.deployment_branch_policy as Environment['deployment_branch_policy']) ?? null,
          reviewers: ((b.reviewers as Environment['reviewers'] | undefined) ?? current?.reviewers ?? []).map(({ type, id }) => ({ type, id })),
          policies: current?.policies ?? [],
          variables: current?.variables ?? new Map(),
        };
        for (const reviewer of env.reviewers) {
          const known = reviewer.type === 'User' ? [user, ...(this.options.otherUsers ?? [])].some((u) => u.id === reviewer.id) : (this.options.organizations ?? []).some((o) => o.teams?.some((t) => t.id === reviewer.id));
          if (!known) throw new HttpError(422, 'Validation Failed', { errors: [`reviewer ${reviewer.type} ${reviewer.id} does not exist`] });
        }
        repo.environments.set(name, env);
        return [200, this.environmentJson(name, env)];
      }
    }
    if ((p = r(/^\/environments\/([^/]+)\/deployment-branch-policies$/))) {
      const env = repo.environments.get(p[0]!);
      if (!env) throw new HttpError(404, 'Not Found');
      if (method === 'GET') return [200, { total_count: env.policies.length, branch_policies: env.policies }];
      if (method === 'POST') {
        if (!env.deployment_branch_policy?.custom_branch_policies) throw new HttpError(404, 'Not Found');
        if (env.policies.some((x) => x.name === b.name && x.type === (b.type ?? 'branch'))) throw new HttpError(303, 'See Other');
        const policy = { id: this.nextId++, name: String(b.name), type: String(b.type ?? 'branch') };
        env.policies.push(policy);
        return [200, policy];
      }
    }
    if ((p = r(/^\/environments\/([^/]+)\/variables$/)) && method === 'POST') {
      const env = repo.environments.get(p[0]!);
      if (!env) throw new HttpError(404, 'Not Found');
      const name = String(b.name);
      if (env.variables.has(name)) throw new HttpError(409, 'Already exists');
      env.variables.set(name, String(b.value));
      return [201, {}];
    }
    if ((p = r(/^\/environments\/([^/]+)\/variables\/([^/]+)$/))) {
      const env = repo.environments.get(p[0]!);
      const name = p[1]!;
      if (!env || !env.variables.has(name)) throw new HttpError(404, 'Not Found');
      if (method === 'GET') return [200, { name, value: env.variables.get(name), created_at: repo.created_at, updated_at: repo.created_at }];
      if (method === 'PATCH') {
        env.variables.set(name, String(b.value));
        return [204, undefined];
      }
    }
    if (method === 'POST' && rest === '/actions/variables') {
      const name = String(b.name);
      if (repo.variables.has(name)) throw new HttpError(409, 'Already exists');
      repo.variables.set(name, String(b.value));
      return [201, {}];
    }
    if ((p = r(/^\/actions\/variables\/([^/]+)$/))) {
      const name = p[0]!;
      if (!repo.variables.has(name)) throw new HttpError(404, 'Not Found');
      if (method === 'GET') return [200, { name, value: repo.variables.get(name), created_at: repo.created_at, updated_at: repo.created_at }];
      if (method === 'PATCH') {
        repo.variables.set(name, String(b.value));
        return [204, undefined];
      }
    }
    if ((p = r(/^\/branches\/([^/]+)\/protection$/))) {
      if (repo.private && !this.options.privateRepositories?.branchProtection) {
        throw new HttpError(403, 'Upgrade to GitHub Pro or make this repository public to enable this feature.');
      }
      if (!repo.refs.has(`heads/${p[0]}`)) throw new HttpError(404, 'Branch not found');
      if (method === 'GET') {
        if (!repo.protection) throw new HttpError(404, 'Branch not protected');
        return [200, repo.protection];
      }
      if (method === 'PUT') {
        const checks = (b.required_status_checks as { strict: boolean; contexts: string[] } | null) ?? null;
        repo.protection = {
          required_status_checks: checks ? { strict: checks.strict, contexts: checks.contexts, checks: checks.contexts.map((context) => ({ context, app_id: null })) } : null,
          enforce_admins: { enabled: b.enforce_admins === true },
          required_pull_request_reviews: b.required_pull_request_reviews ?? null,
        };
        return [200, repo.protection];
      }
    }
    throw new HttpError(404, `Not Found (the fake has no ${method} ${pathname})`);
  }

  private gitRoute(repo: FakeRepository, method: string, r: (pattern: RegExp) => string[] | undefined, b: Record<string, unknown>): [number, unknown] {
    // GitHub's Git Data API refuses to work on a repository without any commit.
    if (repo.refs.size === 0) throw new HttpError(409, 'Git Repository is empty.');
    let p: string[] | undefined;
    const object = (sha: string, type: GitObject['type']) => {
      const found = repo.objects.get(sha);
      if (!found || found.type !== type) throw new HttpError(404, 'Not Found');
      return found;
    };
    if (method === 'GET' && (p = r(/^\/git\/blobs\/([0-9a-f]{40})$/))) {
      const blob = object(p[0]!, 'blob');
      return [200, { sha: p[0], size: blob.content.length, content: blob.content.toString('base64'), encoding: 'base64' }];
    }
    if (method === 'GET' && (p = r(/^\/git\/trees\/([0-9a-f]{40})$/))) {
      const tree = object(p[0]!, 'tree');
      return [200, { sha: p[0], truncated: false, tree: tree.tree!.map((i) => ({ path: i.name, mode: i.type === 'tree' ? '040000' : i.mode, type: i.type, sha: i.sha })) }];
    }
    if (method === 'GET' && (p = r(/^\/git\/commits\/([0-9a-f]{40})$/))) {
      const { commit } = object(p[0]!, 'commit');
      return [200, { sha: p[0], tree: { sha: commit!.tree }, parents: commit!.parents.map((sha) => ({ sha })), message: commit!.message, author: commit!.author, committer: commit!.committer }];
    }
    if (method === 'POST' && r(/^\/git\/blobs$/)) {
      const content = b.encoding === 'base64' ? Buffer.from(String(b.content), 'base64') : Buffer.from(String(b.content));
      return [201, { sha: this.store(repo, 'blob', content) }];
    }
    if (method === 'POST' && r(/^\/git\/trees$/)) {
      const items = (b.tree as { path: string; mode: string; type: 'blob' | 'tree'; sha: string }[]).map((entry) => {
        if (entry.path.includes('/')) throw new HttpError(422, 'this fake takes one directory per tree');
        object(entry.sha, entry.type);
        return { mode: entry.mode, name: entry.path, type: entry.type, sha: entry.sha };
      });
      return [201, { sha: this.storeTree(repo, items) }];
    }
    if (method === 'POST' && r(/^\/git\/commits$/)) {
      const parents = (b.parents as string[] | undefined) ?? [];
      object(String(b.tree), 'tree');
      parents.forEach((sha) => object(sha, 'commit'));
      const person = (value: unknown): Person => ({ ...(value as Omit<Person, 'date'>), date: (value as Person).date ?? '2026-11-21T00:00:00Z' });
      const author = person(b.author ?? { name: this.options.user.login, email: `${this.options.user.login}@users.noreply.github.com` });
      const sha = this.storeCommit(repo, { tree: String(b.tree), parents, author, committer: b.committer ? person(b.committer) : author, message: String(b.message) });
      return [201, { sha }];
    }
    if (method === 'GET' && (p = r(/^\/git\/ref\/(.+)$/))) {
      const sha = repo.refs.get(p[0]!);
      if (!sha) throw new HttpError(404, 'Not Found');
      return [200, { ref: `refs/${p[0]}`, object: { sha, type: 'commit' } }];
    }
    if (method === 'POST' && r(/^\/git\/refs$/)) {
      const ref = String(b.ref).replace(/^refs\//, '');
      if (repo.refs.has(ref)) throw new HttpError(422, 'Reference already exists');
      object(String(b.sha), 'commit');
      repo.refs.set(ref, String(b.sha));
      return [201, { ref: `refs/${ref}`, object: { sha: b.sha, type: 'commit' } }];
    }
    if ((p = r(/^\/git\/refs\/(.+)$/))) {
      const ref = p[0]!;
      if (!repo.refs.has(ref)) throw new HttpError(422, 'Reference does not exist');
      if (method === 'PATCH') {
        object(String(b.sha), 'commit');
        if (b.force !== true && !this.isAncestor(repo, repo.refs.get(ref)!, String(b.sha))) throw new HttpError(422, 'Update is not a fast forward');
        repo.refs.set(ref, String(b.sha));
        return [200, { ref: `refs/${ref}`, object: { sha: b.sha, type: 'commit' } }];
      }
      if (method === 'DELETE') {
        if (ref === `heads/${repo.default_branch}`) throw new HttpError(422, 'Cannot delete the default branch');
        repo.refs.delete(ref);
        return [204, undefined];
      }
    }
    throw new HttpError(404, 'Not Found');
  }

  private isAncestor(repo: FakeRepository, ancestor: string, sha: string): boolean {
    if (ancestor === sha) return true;
    return (repo.objects.get(sha)?.commit?.parents ?? []).some((parent) => this.isAncestor(repo, ancestor, parent));
  }

  private org(login: string): (Organization & { type: 'Organization' }) | undefined {
    const org = this.options.organizations?.find((o) => o.login.toLowerCase() === login.toLowerCase());
    return org ? { ...org, type: 'Organization' } : undefined;
  }

  private environmentJson(name: string, env: Environment) {
    const accounts = [this.options.user, ...(this.options.otherUsers ?? [])];
    const teams = (this.options.organizations ?? []).flatMap((o) => o.teams ?? []);
    return {
      id: 1,
      name,
      deployment_branch_policy: env.deployment_branch_policy,
      protection_rules: [
        ...(env.reviewers.length > 0
          ? [
              {
                id: 2,
                type: 'required_reviewers',
                prevent_self_review: false,
                reviewers: env.reviewers.map((r) => ({
                  type: r.type,
                  reviewer: r.type === 'User' ? accounts.find((a) => a.id === r.id) : teams.find((t) => t.id === r.id),
                })),
              },
            ]
          : []),
        ...(env.deployment_branch_policy ? [{ id: 3, type: 'branch_policy' }] : []),
      ],
    };
  }
}
