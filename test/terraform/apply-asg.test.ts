import { join } from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'vitest';
import { readRoles } from '../iam/applied-roles.js';
import { addAsgMotoDrift, awsCli, groupInstances, until, uploadRelease } from '../support/asg-fleet.js';
import { singleAccountPresetNamesFor } from '../support/presets.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { runScript, startAsgMoto } from '../support/script-runner.js';
import {
  applyRoots,
  environmentsOf,
  outputs,
  prepareForMoto,
  renderVariant,
  requireTerraform,
  resolvedVariant,
  terraform,
} from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { expectRolesCoverRuns } from './api-coverage.js';

// What this proves: every resource the asg templates declare — release bucket (versioning, encryption, lifecycle,
// TLS-only policy), VPC, subnets, NAT gateways, endpoints, load balancer, target group, listener, launch template, Auto
// Scaling group with its lifecycle hook and scaling policy, AMI and last-known-good parameters, deploy document, roles —
// is created by the real AWS provider (5.100) against moto 5.2.1, re-planned clean, and destroyed; that after a deploy
// (deploy.sh), a bake (bake.sh) and a scale-out the plan is still clean (the pipeline owns the last-known-good and AMI
// parameters' values, the launch template's default version and the group's desired capacity; Terraform ignores or
// never reads those); and that the plan and infra roles grant every API action the plans and the first apply called
// (IAM writes aside, which only an administrator's apply makes).
//
// moto runs patched by test/support/moto-asg-launcher.py (the group boots its instances and waits in the lifecycle
// hook, so a deploy can run). moto's gaps, handled here and never in the templates:
// - drift moto invents, ignored by an override file in terraform/modules/asg-fleet (addAsgMotoDrift): the scaling
//   policy comes back `enabled = false` with an empty predictive_scaling_configuration; a security group rule that
//   references a security group loses its description. (The launch template's echo of the provider's default_tags as a
//   `launch-template` tag specification is undone by the launcher instead, so the template's own ignore_changes is what
//   keeps the plan clean after a bake.)
// - lifecycle hooks given at creation (initial_lifecycle_hook) and StartInstanceRefresh are not implemented by stock moto
//   (StartInstanceRefresh answers 500, which the provider retries for minutes): the launcher implements both. No apply
//   here changes the group's launch template, so the provider's own instance refresh is never started.
// - scale-in protection would hang destroy on moto: the templates do not use it.
// - moto ignores the conditions of bucket policies, so the release bucket's TLS-only Deny would refuse the deploy's
//   upload over moto's plain HTTP: the launcher does not apply a Deny conditioned on aws:SecureTransport (real clients
//   use HTTPS). The policy itself is read back and checked below.
// moto does not enforce IAM or bucket policies (test/iam evaluates the policies); the environment roots use a local
// backend here (the S3 backend block is checked by `terraform validate`).

async function aws(env: Record<string, string>, args: string[]): Promise<unknown> {
  const { stdout } = await execa('aws', [...args, '--output', 'json'], { env, stdin: 'ignore' });
  return JSON.parse(stdout) as unknown;
}

describe('asg Terraform against a local AWS (moto)', () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');

  // One preset: an asg root is the heaviest apply of the suite (network, load balancer, fleet). Roots of several
  // environments are applied by apply-accounts.test.ts (asg-multi-account); the other single-account preset's Terraform
  // (another region, Graviton, other sizes) is validated by fmt-validate.test.ts and its roles by applied-iam-asg.test.ts.
  it.concurrent.for(singleAccountPresetNamesFor('asg').filter((preset) => preset === 'asg'))(
    'preset %s: applies bootstrap then each environment, re-plans clean (also after a deploy, a bake and a scale-out), and destroys',
    { timeout: 1_200_000 },
    async (preset, { expect }) => {
      // GIVEN the rendered preset aimed at its own moto, in the preset's region
      const { region, name } = resolvedVariant(preset);
      const sandbox = tempDir(`moto-asg-apply-${preset}-`);
      const moto = await startAsgMoto(sandbox, region);
      try {
        const environments = environmentsOf(preset);
        const repo = writeFiles(tempDir(`tf-apply-${preset}-`), renderVariant(preset));
        const roots = prepareForMoto(repo, environments);
        addAsgMotoDrift(repo);

        // WHEN the bootstrap root and then every environment root are applied
        await applyRoots(roots, moto.env, { logApiCalls: true, concurrentEnvironments: true });

        // THEN the release bucket is versioned, encrypted, private and TLS-only, and keeps current releases
        const bootstrap = await outputs(roots[0]!, moto.env);
        const bucket = `${name}-releases-123456789012`;
        expect(bootstrap.release_bucket_name).toBe(bucket);
        expect(await aws(moto.env, ['s3api', 'get-bucket-versioning', '--bucket', bucket])).toMatchObject({ Status: 'Enabled' });
        expect(await aws(moto.env, ['s3api', 'get-bucket-encryption', '--bucket', bucket])).toMatchObject({
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        });
        expect(await aws(moto.env, ['s3api', 'get-public-access-block', '--bucket', bucket])).toMatchObject({
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        });
        const policy = JSON.parse(((await aws(moto.env, ['s3api', 'get-bucket-policy', '--bucket', bucket])) as { Policy: string }).Policy) as { Statement: { Sid: string; Condition: unknown }[] };
        expect(policy.Statement).toEqual([expect.objectContaining({ Sid: 'DenyInsecureTransport', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
        const lifecycle = (await aws(moto.env, ['s3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket])) as { Rules: Record<string, unknown>[] };
        expect(lifecycle.Rules).toEqual([expect.objectContaining({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]);
        expect(lifecycle.Rules[0]).not.toHaveProperty('Expiration');

        for (const [i, environment] of environments.entries()) {
          const out = await outputs(roots[i + 1]!, moto.env);
          const group = `${name}-${environment}`;
          expect(out.autoscaling_group_name).toBe(group);
          expect(out.deploy_role_arn).toBe(`arn:aws:iam::123456789012:role/${name}-${environment}-deploy`);
          // AND the group checks health at the load balancer, propagates the deploy role's tags, holds new instances
          // in a launch hook, and launches from the template by its default version
          const described = (await aws(moto.env, ['autoscaling', 'describe-auto-scaling-groups', '--auto-scaling-group-names', group])) as {
            AutoScalingGroups: { HealthCheckType: string; Tags: { Key: string; Value: string; PropagateAtLaunch: boolean }[]; LaunchTemplate: { Version: string }; TargetGroupARNs: string[] }[];
          };
          const asg = described.AutoScalingGroups[0]!;
          expect(asg.HealthCheckType).toBe('ELB');
          expect(asg.Tags).toEqual(expect.arrayContaining([expect.objectContaining({ Key: 'App', Value: name, PropagateAtLaunch: true }), expect.objectContaining({ Key: 'Environment', Value: environment, PropagateAtLaunch: true })]));
          expect(asg.LaunchTemplate.Version).toBe('$Default');
          expect(asg.TargetGroupARNs).toEqual([out.target_group_arn]);
          const hooks = (await aws(moto.env, ['autoscaling', 'describe-lifecycle-hooks', '--auto-scaling-group-name', group])) as { LifecycleHooks: Record<string, unknown>[] };
          expect(hooks.LifecycleHooks).toEqual([expect.objectContaining({ LifecycleHookName: `${group}-launch`, LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', DefaultResult: 'ABANDON', HeartbeatTimeout: 1800 })]);
          // AND the template requires IMDSv2, encrypts its gp3 root volume, has no key pair and reads its AMI from the parameter
          const template = (await aws(moto.env, ['ec2', 'describe-launch-template-versions', '--launch-template-name', group, '--versions', '$Default'])) as {
            LaunchTemplateVersions: { LaunchTemplateData: Record<string, unknown> }[];
          };
          const data = template.LaunchTemplateVersions[0]!.LaunchTemplateData;
          expect(data.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' });
          expect(data.BlockDeviceMappings).toEqual([expect.objectContaining({ DeviceName: '/dev/xvda', Ebs: expect.objectContaining({ Encrypted: true, VolumeType: 'gp3', VolumeSize: 20 }) })]);
          expect(data).not.toHaveProperty('KeyName');
          expect(data.ImageId).toBe(`resolve:ssm:/${name}/${environment}/ami-id`);
          // AND the target group checks /ready
          const groups = (await aws(moto.env, ['elbv2', 'describe-target-groups', '--target-group-arns', String(out.target_group_arn)])) as { TargetGroups: Record<string, unknown>[] };
          expect(groups.TargetGroups[0]).toMatchObject({ HealthCheckPath: '/ready', Port: 8000, TargetType: 'instance' });
        }

        // AND a second plan of every root finds nothing to change; the JSON log records every AWS call it made
        const plan = async (label: string) => {
          const logs = roots.map((root) => join(root, `plan-${label}-log.json`));
          await Promise.all(
            roots.map(async (root, i) => {
              const env = { ...moto.env, TF_LOG: 'json', TF_LOG_PATH: logs[i]! };
              const run = await terraform(root, ['plan', '-detailed-exitcode', '-input=false'], { env, okExitCodes: [0, 2] });
              expect(run.exitCode, `${label}: ${root}:\n${run.stdout}`).toBe(0);
            }),
          );
          return logs;
        };
        const logs = await plan('applied');

        // AND the read-only plan role, and each environment's infra role, grant every API action a plan called; of
        // what the first apply called, the infra role grants everything but the IAM writes
        const roles = await readRoles(moto.env, [`${name}-plan`, ...environments.map((environment) => `${name}-${environment}-infra`)]);
        for (const [i, environment] of environments.entries()) {
          await expectRolesCoverRuns(
            expect,
            environment,
            { plan: roles.get(`${name}-plan`)!, infra: roles.get(`${name}-${environment}-infra`)! },
            { plan: logs[i + 1]!, apply: join(roots[i + 1]!, 'apply-log.json') },
          );
        }

        if (preset === 'asg') {
          // WHEN the pipeline does its part in production: a deploy, a bake, and the group scaling out
          const environment = environments[0]!;
          const group = `${name}-${environment}`;
          const release = uploadRelease(moto, bucket, 'a'.repeat(40));
          const env = { ...moto.env, DEPLOY_POLL_INTERVAL: '0.2' };
          const deployed = runScript(join(repo, 'scripts', 'deploy.sh'), ['--environment', environment, '--release', release.commit, '--timeout', '1'], env, 600_000);
          expect(deployed.status, deployed.stdout + deployed.stderr).toBe(0);
          const baked = runScript(join(repo, 'scripts', 'bake.sh'), ['--environment', environment, '--poll-interval', '0.2'], env, 600_000);
          expect(baked.status, baked.stdout + baked.stderr).toBe(0);
          awsCli(moto, 'autoscaling', 'set-desired-capacity', '--auto-scaling-group-name', group, '--desired-capacity', '3');
          await until('3 instances in service', () => (groupInstances(moto, group).InService ?? []).length === 3, 120);
          // THEN Terraform still wants to change nothing: those are the pipeline's, not Terraform's
          expect(awsCli(moto, 'ec2', 'describe-launch-template-versions', '--launch-template-name', group, '--versions', '$Default', '--query', 'LaunchTemplateVersions[0].VersionNumber', '--output', 'text')).not.toBe('1');
          await plan('after-pipeline');
          // (releases are never deleted by Terraform: empty the versioned bucket so the bootstrap can be destroyed)
          for (const version of JSON.parse(awsCli(moto, 's3api', 'list-object-versions', '--bucket', bucket, '--query', 'Versions[].[Key,VersionId]', '--output', 'json')) as [string, string][]) {
            awsCli(moto, 's3api', 'delete-object', '--bucket', bucket, '--key', version[0], '--version-id', version[1]);
          }
        }

        // AND everything is destroyed: environments, then the bootstrap
        await Promise.all(roots.slice(1).map((root) => terraform(root, ['destroy', '-auto-approve', '-input=false'], { env: moto.env })));
        await terraform(roots[0]!, ['destroy', '-auto-approve', '-input=false'], { env: moto.env });
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
