import { join } from 'node:path';
import { describe, it } from 'vitest';
import { awsJson } from '../support/aws-cli.js';
import { startMoto } from '../support/moto.js';
import { expectRolesCoverEnvironments } from './api-coverage.js';
import { eksMotoGaps } from './eks-moto-gaps.js';
import {
  addFile,
  applyRoots,
  environmentsOf,
  outputs,
  prepareForMoto,
  renderVariant,
  replanLogged,
  requireTerraform,
  resolvedVariant,
  terraform,
} from '../support/terraform.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { requireTool } from '../support/tools.js';

// What this proves and what it cannot. The real AWS provider (5.100) creates, against moto 5.2.1, everything of an eks
// environment moto emulates — the VPC (subnets, gateways, NAT, routes, S3 endpoint, flow logs), the KMS key and alias,
// the log group, the cluster, node and pod roles, the launch template, the EKS cluster and its managed node group — then
// re-plans with no changes and destroys it all.
//
// moto's gaps are closed in the test only, by the override file of ./eks-moto-gaps.ts, which names each; never in the
// templates.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the AWS CLI's answers, read as the test needs them
const aws = (env: Record<string, string>, args: readonly string[]) => awsJson<any>(env, args);

describe('Terraform apply of the eks target against a local AWS (moto)', () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');

  // One variant: the one with two environments (applied at once), Graviton nodes, a public endpoint for listed ranges and
  // the pods' own role. The other eks variants differ from it in values only (validated, planned and tested elsewhere);
  // an apply costs minutes on these machines.
  it.concurrent.for(['eks-multi-env'] as const)(
    'variant %s: applies bootstrap then each environment, re-plans with no changes, and destroys',
    { timeout: 1_200_000 },
    async (variant, { expect }) => {
      // GIVEN the rendered variant aimed at its own moto server, with moto's gaps closed in the module's copy
      const { region, name } = resolvedVariant(variant);
      const moto = await startMoto({ region });
      try {
        const environments = environmentsOf(variant);
        const repo = writeFiles(tempDir(`tf-apply-${variant}-`), renderVariant(variant));
        addFile(join(repo, 'terraform/modules/eks-cluster'), 'moto_gaps_override.tf', eksMotoGaps);
        const roots = prepareForMoto(repo, environments);

        // WHEN the bootstrap root and then every environment root are applied (environments at once: they share
        // only what the bootstrap made)
        await applyRoots(roots, moto.env, { logApiCalls: true, concurrentEnvironments: true });

        // THEN each environment has its cluster, private and public as asked, logging, secrets encrypted with its key
        for (const [i, environment] of environments.entries()) {
          const out = await outputs(roots[i + 1]!, moto.env);
          const clusterName = `${name}-${environment}`;
          expect(out.cluster_name).toBe(clusterName);
          expect(out.deploy_role_arn).toBe(`arn:aws:iam::123456789012:role/${name}-${environment}-deploy`);
          const { cluster } = await aws(moto.env, ['eks', 'describe-cluster', '--name', clusterName]);
          const options = resolvedVariant(variant);
          expect(cluster.version).toBe(options.kubernetesVersion);
          expect(cluster.resourcesVpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: options.publicAccessCidrs!.length > 0 });
          expect(cluster.logging.clusterLogging[0].enabled).toBe(true);
          expect([...cluster.logging.clusterLogging[0].types].sort()).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
          expect(cluster.encryptionConfig[0].resources).toEqual(['secrets']);
          const key = await aws(moto.env, ['kms', 'describe-key', '--key-id', cluster.encryptionConfig[0].provider.keyArn]);
          expect(key.KeyMetadata.KeyState).toBe('Enabled');
          // AND its node group: in the private subnets, AL2023, the options' sizes, through the launch template
          const { nodegroup } = await aws(moto.env, ['eks', 'describe-nodegroup', '--cluster-name', clusterName, '--nodegroup-name', `${clusterName}-default`]);
          expect(nodegroup).toMatchObject({ amiType: expect.stringMatching(/^AL2023_/), instanceTypes: options.nodeInstanceTypes, scalingConfig: { minSize: options.minSize, desiredSize: options.desiredSize, maxSize: options.maxSize } });
          const privateSubnets = (await aws(moto.env, ['ec2', 'describe-subnets', '--filters', `Name=tag:Name,Values=${clusterName}-private-*`])).Subnets.map((s: { SubnetId: string }) => s.SubnetId);
          expect([...nodegroup.subnets].sort()).toEqual([...privateSubnets].sort());
          // AND the launch template makes IMDSv2-only nodes with hop limit 1 and encrypted gp3 volumes
          const versions = await aws(moto.env, ['ec2', 'describe-launch-template-versions', '--launch-template-id', nodegroup.launchTemplate.id]);
          const data = versions.LaunchTemplateVersions[0].LaunchTemplateData;
          expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' });
          expect(data.BlockDeviceMappings[0].Ebs).toMatchObject({ Encrypted: true, VolumeType: 'gp3' });
        }

        // AND a second plan of every root finds nothing to change (exit code 0; 2 would mean a perpetual diff)
        const { logs, drift } = await replanLogged(roots, moto.env);
        expect(drift).toEqual([]);

        // AND the read-only plan role, and each environment's infra role, grant every API action that plan called;
        // of what the first apply called, the infra role grants everything but the IAM writes (an administrator's)
        await expectRolesCoverEnvironments(expect, moto.env, name, environments, roots, logs);

        // AND everything is destroyed: environments, then the bootstrap
        await Promise.all(roots.slice(1).map((root) => terraform(root, ['destroy', '-auto-approve', '-input=false'], { env: moto.env })));
        await terraform(roots[0]!, ['destroy', '-auto-approve', '-input=false'], { env: moto.env });
        const clusters = await aws(moto.env, ['eks', 'list-clusters']);
        expect(clusters.clusters).toEqual([]);
        const remaining = await aws(moto.env, ['iam', 'list-roles']);
        expect(remaining.Roles.map((role: { RoleName: string }) => role.RoleName).filter((role: string) => role.startsWith(name))).toEqual([]);
      } finally {
        await moto.stop();
      }
    },
  );
});
