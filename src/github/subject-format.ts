import { read, type GithubContext, type GithubRepository } from './github-context.js';
import { GithubError } from './github-error.js';

/** GitHub's documented switch date: repositories created (or renamed, transferred) since then get immutable subjects. */
export const immutableSubjectsSince = '2026-07-15T00:00:00Z';

/** `GET /repos/{owner}/{repo}/actions/oidc/customization/sub` */
export interface OidcSubjectAnswer {
  readonly use_default?: boolean;
  readonly include_claim_keys?: readonly string[];
  /** Whether the repository opted in; repositories that get the format by default may still say false. */
  readonly use_immutable_subject?: boolean;
  /** The prefix its tokens' `sub` starts with: `repo:OWNER/REPO` or `repo:OWNER@ID/REPO@ID`. */
  readonly sub_claim_prefix?: string;
}

/** The subject format trust policies must match, with the names spelled exactly as GitHub presents them. */
export interface SubjectFormat {
  readonly owner: string;
  readonly repo: string;
  /** Set when subjects carry the immutable ids. */
  readonly ids?: { readonly ownerId: string; readonly repoId: string };
  readonly prefix: string;
  /** Why this format, for the progress line. */
  readonly why: string;
}

/** github.com and GHE.com (data residency) have immutable subjects; GitHub Enterprise Server does not. */
export function isGithubCloud(apiUrl: string): boolean {
  const host = new URL(apiUrl).host;
  return host === 'api.github.com' || host.endsWith('.ghe.com');
}

const immutablePrefix = /^repo:([^@/:]+)@(\d+)\/([^@/:]+)@(\d+)$/;
const namePrefix = /^repo:([^@/:]+)\/([^@/:]+)$/;

/**
 * Which subjects the repository's tokens carry. `sub_claim_prefix` is authoritative (GitHub has been seen answering
 * `use_immutable_subject: false` next to an immutable prefix for repositories that got the format by default);
 * without it, an explicit opt-in, then GitHub's documented rule (cloud repositories created since the switch date).
 */
export function decideSubjectFormat(answer: OidcSubjectAnswer | undefined, repository: GithubRepository, apiUrl: string): SubjectFormat {
  const { owner, name: repo, ownerId, id: repoId, fullName } = repository;
  const byNames = (why: string): SubjectFormat => ({ owner, repo, prefix: `repo:${owner}/${repo}`, why });
  const byIds = (why: string): SubjectFormat => ({ owner, repo, ids: { ownerId, repoId }, prefix: `repo:${owner}@${ownerId}/${repo}@${repoId}`, why });
  if (!answer) return byNames('GitHub Enterprise Server subjects name the repository');
  if (answer.use_default === false && (answer.include_claim_keys?.length ?? 0) > 0) {
    throw new GithubError(
      `${fullName} uses a custom OIDC subject template (${answer.include_claim_keys!.join(', ')}), which the generated trust policies do not match; ` +
        `reset it with \`gh api -X PUT repos/${fullName}/actions/oidc/customization/sub -F use_default=true\` and run the same command again`,
    );
  }
  const prefix = answer.sub_claim_prefix?.trim();
  if (prefix) {
    const ids = immutablePrefix.exec(prefix);
    if (ids && ids[2] === ownerId && ids[4] === repoId) {
      return { owner: ids[1]!, repo: ids[3]!, ids: { ownerId, repoId }, prefix, why: 'as GitHub reports for this repository' };
    }
    const names = namePrefix.exec(prefix);
    if (names && `${names[1]}/${names[2]}`.toLowerCase() === fullName.toLowerCase()) {
      return { owner: names[1]!, repo: names[2]!, prefix, why: 'as GitHub reports for this repository' };
    }
    throw new GithubError(`GitHub reports the OIDC subject prefix "${prefix}" for ${fullName} (id ${repoId}, owner id ${ownerId}); refusing to render trust policies that would not match it`);
  }
  if (answer.use_immutable_subject === true) return byIds('the repository opted in to immutable subjects');
  if (!isGithubCloud(apiUrl)) return byNames('GitHub Enterprise Server subjects name the repository');
  return repository.createdAt && Date.parse(repository.createdAt) >= Date.parse(immutableSubjectsSince)
    ? byIds(`GitHub gives repositories created since ${immutableSubjectsSince.slice(0, 10)} immutable subjects`)
    : byNames(`created before ${immutableSubjectsSince.slice(0, 10)} and not opted in to immutable subjects`);
}

/** Step 2: reads which subject format the repository's tokens will carry. */
export async function readSubjectFormat(ctx: GithubContext, repository: GithubRepository): Promise<SubjectFormat> {
  const { owner, name } = repository;
  const action = `read the OIDC subject format of ${repository.fullName}`;
  const answer = await read(ctx, action, () => ctx.octokit.rest.actions.getCustomOidcSubClaimForRepo({ owner, repo: name }));
  if (!answer && isGithubCloud(ctx.apiUrl)) {
    throw new GithubError(`cannot ${action} (404); the token needs the repo scope (classic) or Actions: read (fine-grained)`);
  }
  const format = decideSubjectFormat(answer as OidcSubjectAnswer | undefined, repository, ctx.apiUrl);
  ctx.say(`GitHub: OIDC subjects of ${repository.fullName} start with ${format.prefix} (${format.why})`);
  return format;
}
