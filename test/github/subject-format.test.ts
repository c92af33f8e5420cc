import { describe, expect, it } from 'vitest';
import type { GithubRepository } from '../../src/github/github-context.js';
import { decideSubjectFormat } from '../../src/github/subject-format.js';

const repository = (createdAt = '2026-11-20T10:00:00Z'): GithubRepository => ({
  owner: 'acme',
  name: 'demo',
  fullName: 'acme/demo',
  ownerId: '9000',
  id: '123456',
  ownerIsOrganization: true,
  private: true,
  defaultBranch: 'main',
  htmlUrl: 'https://github.com/acme/demo',
  cloneUrl: 'https://github.com/acme/demo.git',
  createdAt,
});
const dotcom = 'https://api.github.com';
const ghes = 'https://ghe.example/api/v3';

describe('the OIDC subject format a repository presents', () => {
  it('takes sub_claim_prefix as authoritative, even next to use_immutable_subject: false (as GitHub answers for new repositories)', () => {
    // GIVEN the answer GitHub gives a repository that got immutable subjects by default
    const answer = { use_default: true, use_immutable_subject: false, sub_claim_prefix: 'repo:acme@9000/demo@123456' };
    // WHEN decided THEN subjects carry the ids
    expect(decideSubjectFormat(answer, repository(), dotcom)).toMatchObject({ ids: { ownerId: '9000', repoId: '123456' }, prefix: 'repo:acme@9000/demo@123456' });
  });

  it('uses names when the prefix names the repository', () => {
    const format = decideSubjectFormat({ use_default: true, sub_claim_prefix: 'repo:acme/demo' }, repository('2020-01-01T00:00:00Z'), dotcom);
    expect(format).toMatchObject({ owner: 'acme', repo: 'demo', prefix: 'repo:acme/demo' });
    expect(format.ids).toBeUndefined();
  });

  it("spells names as GitHub's prefix does (subjects are case-sensitive)", () => {
    const format = decideSubjectFormat({ sub_claim_prefix: 'repo:Acme@9000/Demo@123456' }, repository(), dotcom);
    expect(format).toMatchObject({ owner: 'Acme', repo: 'Demo' });
  });

  it('refuses a prefix whose ids are not this repository’s, or whose form it does not know', () => {
    expect(() => decideSubjectFormat({ sub_claim_prefix: 'repo:acme@1/demo@2' }, repository(), dotcom)).toThrow(/refusing to render trust policies/);
    expect(() => decideSubjectFormat({ sub_claim_prefix: 'repository_owner_id:9000' }, repository(), dotcom)).toThrow(/refusing/);
  });

  it('refuses a custom subject template, and says how to reset it', () => {
    const answer = { use_default: false, include_claim_keys: ['repository_owner_id', 'context'] };
    expect(() => decideSubjectFormat(answer, repository(), dotcom)).toThrow(/custom OIDC subject template .*use_default=true/);
  });

  it('without a prefix: an explicit opt-in, then GitHub’s documented rule by creation date', () => {
    expect(decideSubjectFormat({ use_default: true, use_immutable_subject: true }, repository('2020-01-01T00:00:00Z'), dotcom).ids).toBeDefined();
    expect(decideSubjectFormat({ use_default: true }, repository('2026-07-15T00:00:00Z'), dotcom).ids).toBeDefined();
    expect(decideSubjectFormat({ use_default: true }, repository('2026-07-14T23:59:59Z'), dotcom).ids).toBeUndefined();
  });

  it('uses names on GitHub Enterprise Server, which has no immutable subjects', () => {
    expect(decideSubjectFormat(undefined, repository(), ghes).prefix).toBe('repo:acme/demo');
    expect(decideSubjectFormat({ use_default: true }, repository(), ghes).prefix).toBe('repo:acme/demo');
  });
});
