/**
 * A small repository that follows the contract of src/components/README.md (roles declared literally in
 * `module "github_oidc_roles"`), written by hand so doctor's tests do not depend on the templates.
 */
export const fixtureSubjectPrefix = 'repo:acme/demo';

export const trustModule = `
data "aws_iam_policy_document" "trust" {
  for_each = local.roles
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = each.value.subjects
    }
  }
}
`;

export const bootstrapMain = `
module "github_oidc_roles" {
  source            = "../modules/github-oidc-roles"
  oidc_provider_arn = aws_iam_openid_connect_provider.github.arn # a reference: not read, not needed
  plan_role = { name = "demo-plan", subjects = ["repo:acme/demo:pull_request", "repo:acme/demo:ref:refs/heads/main"] }
}
`;

export const environmentMain = (env: string) => `
module "github_oidc_roles" {
  source = "../../modules/github-oidc-roles"
  # Literal on purpose: doctor reads these.
  deploy_role = { name = "demo-${env}-deploy", subjects = ["repo:acme/demo:environment:${env}"] }
  infra_role  = {
    name     = "demo-${env}-infra"
    subjects = ["repo:acme/demo:environment:${env}"]
  }
}
`;

export const deployWorkflow = (env: string) => `
name: deploy
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions: {}
jobs:
  deploy-${env}:
    if: vars.PIPELINE_ENABLED == 'true' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-24.04
    environment: ${env}
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1
        with:
          role-to-assume: arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/demo-${env}-deploy
          aws-region: us-east-1
      - run: sh scripts/deploy.sh --environment ${env}
`;

export const planWorkflow = `
name: terraform
on:
  pull_request:
  push:
    branches: [main]
permissions: {}
jobs:
  plan:
    if: vars.PIPELINE_ENABLED == 'true'
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: aws-actions/configure-aws-credentials@b47578312673ae6fa5b5096b330d9fbac3d116df # v4.2.1
        with:
          role-to-assume: arn:aws:iam::\${{ vars.AWS_ACCOUNT_ID }}:role/demo-plan
          aws-region: us-east-1
`;

/** A clean fixture repository with one environment, `production`. */
export function fixtureRepo(): Map<string, string> {
  return new Map([
    ['.github/workflows/deploy.yml', deployWorkflow('production')],
    ['.github/workflows/terraform.yml', planWorkflow],
    ['terraform/bootstrap/main.tf', bootstrapMain],
    ['terraform/environments/production/main.tf', environmentMain('production')],
    ['terraform/modules/github-oidc-roles/main.tf', trustModule],
  ]);
}

/** The fixture with one file's text changed by `edit` (which must change it). */
export function withEdit(files: ReadonlyMap<string, string>, path: string, edit: (text: string) => string): Map<string, string> {
  const before = files.get(path);
  if (before === undefined) throw new Error(`fixture has no ${path}`);
  const after = edit(before);
  if (after === before) throw new Error(`the edit of ${path} changed nothing: the broken variant would not be broken`);
  return new Map(files).set(path, after);
}
