import { describe, it } from 'vitest';
import { awsJson as aws } from '../support/aws-cli.js';
import { startMoto } from '../support/moto.js';
import { singleAccountPresetNamesFor } from '../support/presets.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { expectRolesCoverEnvironments } from './api-coverage.js';
import {
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
import { requireTool } from '../support/tools.js';

// What this proves and what it cannot: every resource the templates declare is created by the real AWS provider
// (5.100) against moto 5.2.1 — S3 bucket and its settings, IAM OIDC provider, roles and policies, instance profile, ECR
// repository and lifecycle policy, security group and rules, SSM document and parameter, EC2 instance — and
// re-planned clean; and that the plan and infra roles grant every API action that re-plan called. moto does not enforce
// IAM, allowedPattern or bucket policies (test/iam evaluates the policies), and the environment roots use a local
// backend here (the S3 backend block is checked by `terraform validate`). Every resource type the templates declare
// is emulated by moto; none had to be left out. The S3 lifecycle configuration alone costs ~1 minute: the provider
// polls until the rules read back the same for a while, against AWS as well.

describe('Terraform apply against a local AWS (moto)', () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');

  // Presets with accounts are applied account by account: apply-accounts.test.ts.
  it.concurrent.for(singleAccountPresetNamesFor('ec2'))(
    'preset %s: applies bootstrap then each environment, re-plans with no changes, and destroys',
    { timeout: 900_000 },
    async (preset, { expect }) => {
      // GIVEN the rendered preset aimed at its own moto server, in the preset's region
      const { region, name } = resolvedVariant(preset);
      const moto = await startMoto({ region });
      try {
        const environments = environmentsOf(preset);
        const roots = prepareForMoto(writeFiles(tempDir(`tf-apply-${preset}-`), renderVariant(preset)), environments);

        // WHEN the bootstrap root and then every environment root are applied, in promotion order
        await applyRoots(roots, moto.env, { logApiCalls: true });

        // THEN the outputs name what the workflows and scripts rely on
        const bootstrap = await outputs(roots[0]!, moto.env);
        expect(bootstrap.state_bucket_name).toBe(`${name}-tfstate-123456789012`);
        expect(bootstrap.plan_role_arn).toBe(`arn:aws:iam::123456789012:role/${name}-plan`);
        for (const [i, environment] of environments.entries()) {
          const out = await outputs(roots[i + 1]!, moto.env);
          expect(out.deploy_role_arn).toBe(`arn:aws:iam::123456789012:role/${name}-${environment}-deploy`);
          expect(out.ssm_document_name).toBe(`${name}-${environment}-deploy`);
          // AND the instance really runs with IMDSv2 only, hop limit 2, an encrypted gp3 root volume, and the tags the
          // deploy role's conditions match
          const described = (await aws(moto.env, ['ec2', 'describe-instances', '--instance-ids', String(out.instance_id)])) as {
            Reservations: { Instances: { MetadataOptions: Record<string, unknown>; Tags: { Key: string; Value: string }[] }[] }[];
          };
          const instance = described.Reservations[0]!.Instances[0]!;
          expect(instance.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' });
          expect(instance.Tags).toEqual(expect.arrayContaining([{ Key: 'App', Value: name }, { Key: 'Environment', Value: environment }]));
          const volumes = (await aws(moto.env, ['ec2', 'describe-volumes', '--filters', `Name=attachment.instance-id,Values=${String(out.instance_id)}`])) as {
            Volumes: { Encrypted: boolean; VolumeType: string; Size: number }[];
          };
          expect(volumes.Volumes).toEqual([expect.objectContaining({ Encrypted: true, VolumeType: 'gp3', Size: 20 })]);
        }

        // AND a second plan of every root finds nothing to change (exit code 0; 2 would mean a perpetual diff); the JSON
        // log records every AWS call the provider made for it
        const { logs, drift } = await replanLogged(roots, moto.env);
        expect(drift).toEqual([]);

        // AND the read-only plan role, and each environment's infra role, grant every API action the plan of an
        // environment called, and all but the IAM writes of its first apply
        await expectRolesCoverEnvironments(expect, moto.env, name, environments, roots, logs);

        // AND everything is destroyed: environments in reverse order, then the bootstrap
        for (const root of [...roots.slice(1).reverse(), roots[0]!]) {
          await terraform(root, ['destroy', '-auto-approve', '-input=false'], { env: moto.env });
        }
        const remaining = (await aws(moto.env, ['iam', 'list-roles'])) as { Roles: { RoleName: string }[] };
        expect(remaining.Roles.map((role) => role.RoleName).filter((role) => role.startsWith(name))).toEqual([]);
        const buckets = (await aws(moto.env, ['s3api', 'list-buckets'])) as { Buckets: unknown[] };
        expect(buckets.Buckets).toEqual([]);
      } finally {
        await moto.stop();
      }
    },
  );
});
