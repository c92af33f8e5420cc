import type { Octokit } from '@octokit/rest';
import { explainFailure, httpStatus, type FailureContext, type SpecialCases } from './github-error.js';

/** What every step needs: the client, where messages go, and how to name the token in errors. */
export interface GithubContext extends FailureContext {
  readonly octokit: Octokit;
  /** One progress line on stdout. */
  readonly say: (line: string) => void;
}

/** A repository as the API describes it; names in GitHub's own case (OIDC subjects are case-sensitive). */
export interface GithubRepository {
  readonly owner: string;
  readonly name: string;
  /** `owner/name` */
  readonly fullName: string;
  readonly ownerId: string;
  readonly id: string;
  readonly ownerIsOrganization: boolean;
  readonly private: boolean;
  readonly defaultBranch: string;
  readonly htmlUrl: string;
  /** HTTPS clone URL, without credentials. */
  readonly cloneUrl: string;
  readonly createdAt: string;
}

export interface RepositoryData {
  readonly name: string;
  readonly full_name: string;
  readonly id: number;
  readonly owner: { readonly login: string; readonly id: number; readonly type?: string };
  readonly private: boolean;
  readonly default_branch?: string;
  readonly html_url: string;
  readonly clone_url: string;
  readonly created_at?: string | null;
}

export function toRepository(data: RepositoryData): GithubRepository {
  return {
    owner: data.owner.login,
    name: data.name,
    fullName: data.full_name,
    ownerId: String(data.owner.id),
    id: String(data.id),
    ownerIsOrganization: data.owner.type === 'Organization',
    private: data.private,
    defaultBranch: data.default_branch ?? 'main',
    htmlUrl: data.html_url,
    cloneUrl: data.clone_url,
    createdAt: data.created_at ?? '',
  };
}

/** Runs one API call; a failure becomes a one-line GithubError that says what we were doing. */
export async function call<T>(ctx: GithubContext, action: string, run: () => Promise<{ data: T }>, special?: SpecialCases): Promise<T> {
  try {
    return (await run()).data;
  } catch (error) {
    throw explainFailure(error, action, ctx, special);
  }
}

/** Like `call`, for reads where 404 means "not there yet". */
export async function read<T>(ctx: GithubContext, action: string, run: () => Promise<{ data: T }>): Promise<T | undefined> {
  try {
    return (await run()).data;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw explainFailure(error, action, ctx);
  }
}
