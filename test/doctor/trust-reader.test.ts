import { describe, expect, it } from 'vitest';
import { checkTrustConditions, readTrust } from '../../src/doctor/trust-reader.js';
import { fixtureRepo, trustModule, withEdit } from './fixture-repo.js';

const messages = (findings: readonly { message: string }[]) => findings.map((f) => f.message);

describe('readTrust', () => {
  it('reads every role GitHub assumes, with its literal subjects, from the bootstrap and environment roots', () => {
    // GIVEN the fixture repository
    // WHEN
    const { roles, findings } = readTrust(fixtureRepo());
    // THEN
    expect(findings).toEqual([]);
    expect(roles.map((r) => [r.key, r.name, r.subjects, r.canWrite, r.file])).toEqual([
      ['plan_role', 'demo-plan', ['repo:acme/demo:pull_request', 'repo:acme/demo:ref:refs/heads/main'], false, 'terraform/bootstrap/main.tf'],
      ['deploy_role', 'demo-production-deploy', ['repo:acme/demo:environment:production'], true, 'terraform/environments/production/main.tf'],
      ['infra_role', 'demo-production-infra', ['repo:acme/demo:environment:production'], true, 'terraform/environments/production/main.tf'],
    ]);
  });

  it('finds the module by its source when the call has another name', () => {
    const files = withEdit(fixtureRepo(), 'terraform/bootstrap/main.tf', (t) => t.replace('module "github_oidc_roles"', 'module "ci_roles"'));
    expect(readTrust(files).roles.map((r) => r.name)).toContain('demo-plan');
  });

  it('ignores other modules and roots outside bootstrap/ and environments/', () => {
    const files = new Map(fixtureRepo())
      .set('terraform/environments/production/other.tf', 'module "ecr" {\n  source = "../../modules/ecr"\n  deploy_role = var.x\n}\n')
      .set('terraform/modules/github-oidc-roles/examples.tf', 'module "github_oidc_roles" {\n  plan_role = { name = "elsewhere", subjects = [] }\n}\n');
    const { roles, findings } = readTrust(files);
    expect(findings).toEqual([]);
    expect(roles.map((r) => r.name)).not.toContain('elsewhere');
  });

  it('reports "cannot read trust" for subjects that are not literal, and keeps the role with unknown subjects', () => {
    // GIVEN subjects computed by Terraform
    const files = withEdit(fixtureRepo(), 'terraform/environments/production/main.tf', (t) =>
      t.replace('subjects = ["repo:acme/demo:environment:production"] }', 'subjects = ["repo:${var.repo}:environment:production"] }'),
    );
    // WHEN
    const { roles, findings } = readTrust(files);
    // THEN
    expect(messages(findings)).toEqual([expect.stringMatching(/^cannot read trust for role demo-production-deploy \(line 5\): its subjects are not a literal list/)]);
    expect(roles.find((r) => r.name === 'demo-production-deploy')?.subjects).toBeNull();
  });

  it('reports "cannot read trust" for a role value or name that is not literal', () => {
    const files = withEdit(fixtureRepo(), 'terraform/environments/production/main.tf', (t) =>
      t.replace(/deploy_role = \{[^\n]*\}/, 'deploy_role = var.deploy_role').replace('name     = "demo-production-infra"', 'name     = "${var.name}-infra"'),
    );
    const { findings } = readTrust(files);
    expect(messages(findings)).toEqual([
      expect.stringMatching(/^cannot read trust for role deploy_role \(line 5\): write it as a literal/),
      expect.stringMatching(/^cannot read trust for role infra_role \(line 6\): its name is not a literal string/),
    ]);
  });

  it('flags a write role that trusts pull requests, patterns, and subjects of no repository', () => {
    const files = withEdit(fixtureRepo(), 'terraform/environments/production/main.tf', (t) =>
      t.replace('subjects = ["repo:acme/demo:environment:production"] }', 'subjects = ["repo:acme/demo:pull_request", "repo:acme/*:environment:production", "environment:production"] }'),
    );
    const found = messages(readTrust(files).findings);
    expect(found).toEqual([
      expect.stringMatching(/^role demo-production-deploy can change things and trusts "repo:acme\/demo:pull_request"/),
      expect.stringMatching(/^role demo-production-deploy trusts the pattern "repo:acme\/\*:environment:production"/),
      expect.stringMatching(/^role demo-production-deploy trusts "environment:production" \(line 5\), which is not a GitHub repository subject/),
    ]);
  });

  it('lets the read-only plan role trust pull requests', () => {
    expect(readTrust(fixtureRepo()).roles.find((r) => r.key === 'plan_role')?.subjects).toContain('repo:acme/demo:pull_request');
    expect(readTrust(fixtureRepo()).findings).toEqual([]);
  });

  it('flags a role declared twice, an override of the module, and a root it cannot parse', () => {
    const files = new Map(fixtureRepo())
      .set('terraform/environments/staging/main.tf', 'module "github_oidc_roles" {\n  source = "../../modules/github-oidc-roles"\n  deploy_role = { name = "demo-production-deploy", subjects = [] }\n}\n')
      .set('terraform/environments/production/roles_override.tf', 'module "github_oidc_roles" {\n  deploy_role = { name = "x", subjects = ["repo:evil/fork:pull_request"] }\n}\n')
      .set('terraform/environments/production/broken.tf', 'module "github_oidc_roles" {\n  deploy_role = { name = "x"\n');
    const found = readTrust(files).findings.map((f) => `${f.file}: ${f.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^terraform\/environments\/staging\/main.tf: declares role demo-production-deploy again/),
        expect.stringMatching(/^terraform\/environments\/production\/roles_override.tf: overrides module "github_oidc_roles"/),
        expect.stringMatching(/^terraform\/environments\/production\/broken.tf: cannot parse/),
      ]),
    );
  });
});

describe('checkTrustConditions', () => {
  const moduleFile = 'terraform/modules/github-oidc-roles/main.tf';

  it('accepts StringEquals on both aud and sub (aws_iam_policy_document conditions)', () => {
    expect(checkTrustConditions(fixtureRepo())).toEqual([]);
  });

  it('accepts StringEquals written as a jsonencode policy', () => {
    const files = new Map(fixtureRepo()).set(
      moduleFile,
      `resource "aws_iam_role" "this" {
  assume_role_policy = jsonencode({
    Statement = [{
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = var.subjects
        }
      }
    }]
  })
}
`,
    );
    expect(checkTrustConditions(files)).toEqual([]);
  });

  it.each([
    ['StringLike', 'matches token.actions.githubusercontent.com:sub with StringLike'],
    ['ForAllValues:StringEquals', 'matches token.actions.githubusercontent.com:sub with ForAllValues:StringEquals'],
    ['ForAnyValue:StringLike', 'matches token.actions.githubusercontent.com:sub with ForAnyValue:StringLike'],
  ])('flags the subject matched with %s', (operator, expected) => {
    // GIVEN the sub condition loosened
    const files = withEdit(fixtureRepo(), moduleFile, () =>
      trustModule.replace(/test {5}= "StringEquals"\n(\s+)variable = "token.actions.githubusercontent.com:sub"/, `test     = "${operator}"\n$1variable = "token.actions.githubusercontent.com:sub"`),
    );
    // WHEN / THEN
    expect(messages(checkTrustConditions(files))).toEqual([expect.stringContaining(expected)]);
  });

  it('flags a jsonencode policy matching the subject with StringLike', () => {
    const files = new Map(fixtureRepo()).set(
      moduleFile,
      `locals {
  trust = jsonencode({ Condition = {
    StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
    StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:acme/*" }
  } })
}
`,
    );
    expect(messages(checkTrustConditions(files))).toEqual([expect.stringContaining('with StringLike (line 4)')]);
  });

  it('flags a trust policy that does not check the audience', () => {
    const files = withEdit(fixtureRepo(), moduleFile, (t) => t.replace(/condition \{\n\s+test\s+= "StringEquals"\n\s+variable = "token.actions.githubusercontent.com:aud"[^}]*\}/, ''));
    expect(messages(checkTrustConditions(files))).toEqual([expect.stringMatching(/^no condition on token.actions.githubusercontent.com:aud found/)]);
  });

  it('flags a missing roles module', () => {
    const files = new Map(fixtureRepo());
    files.delete(moduleFile);
    expect(messages(checkTrustConditions(files))).toEqual(['is missing: cannot check how the roles trust GitHub tokens']);
  });
});
