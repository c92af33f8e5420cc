import { resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../src/options/index.js';
import { ecsEnvironment } from '../../src/components/compute-ecs.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { addFile, applyRoots, prepareForMoto, renderVariant, requireTerraform, resolvedVariant } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { createGitHubOidcProvider, identityPolicies, readRoles, type AppliedRole } from './applied-roles.js';
import { expandAction, list, permissionAllows, statementsOf, type PermissionRequest, type PolicyDocument } from './simulator.js';
import { projectedPolicySizes } from './permission-cases.js';
import { account, githubProvider, trustFindings, trustMatrix } from './trust-cases.js';

// The ecs target's roles, read back from IAM after a real `terraform apply` of the two-environment preset (staging and
// production, so every "the other environment" case names a real role, service and key) against moto, and evaluated
// with iam-simulate. The account already has the GitHub provider (create_github_oidc_provider=false). Only the roles,
// their policies and what they reference are applied (-target); the whole stack is applied, re-planned and destroyed by
// test/terraform/apply-ecs.test.ts, which also checks the plan and infra roles against every call Terraform makes.

const preset = 'ecs-multi-env';
const launcher = resolve(import.meta.dirname, '../support/moto-ecs-launcher.py');

interface EnvironmentRoles {
  readonly deploy: AppliedRole;
  readonly infra: AppliedRole;
  readonly task: Record<string, AppliedRole>;
  readonly exec: Record<string, AppliedRole>;
}

let moto: MotoServer;
let options: ResolvedOptions;
let plan: AppliedRole;
const roles: Record<string, EnvironmentRoles> = {};
/** Each environment's KMS key as applied: its ARN and its key policy (KMS requires one besides the identity policy). */
const keys: Record<string, { arn: string; policy: PolicyDocument }> = {};

beforeAll(async () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');
  options = resolvedVariant(preset);
  moto = await startMoto({ launcher, region: options.region, env: { AWS_DEFAULT_REGION: options.region } });
  expect(await createGitHubOidcProvider(moto.env)).toBe(githubProvider);
  const roots = prepareForMoto(writeFiles(tempDir(`iam-${preset}-`), renderVariant(preset)), options.environments);
  for (const root of roots) addFile(root, 'moto_provider_override.tf', 'provider "aws" {\n  s3_use_path_style = true\n  max_retries       = 2\n}\n');
  await applyRoots(roots, moto.env, {
    bootstrapArgs: ['-var', 'create_github_oidc_provider=false', '-target=module.github_oidc_roles', '-target=module.ecr'],
    environmentArgs: ['-target=module.github_oidc_roles', '-target=module.api.aws_iam_role_policy.execution', '-target=module.frontend.aws_iam_role_policy.execution', '-target=module.cluster.aws_kms_alias.this'],
    concurrentEnvironments: true,
  });
  const names = [`${options.name}-plan`];
  for (const env of options.environments) {
    names.push(`${options.name}-${env}-deploy`, `${options.name}-${env}-infra`);
    for (const service of ['api', 'frontend']) names.push(`${options.name}-${env}-${service}-task`, `${options.name}-${env}-${service}-exec`);
  }
  const read = await readRoles(moto.env, names);
  plan = read.get(`${options.name}-plan`)!;
  for (const env of options.environments) {
    const role = (suffix: string) => read.get(`${options.name}-${env}-${suffix}`)!;
    roles[env] = {
      deploy: role('deploy'),
      infra: role('infra'),
      task: { api: role('api-task'), frontend: role('frontend-task') },
      exec: { api: role('api-exec'), frontend: role('frontend-exec') },
    };
    const id = (await awsJson<{ KeyMetadata: { Arn: string; KeyId: string } }>(['kms', 'describe-key', '--key-id', `alias/${options.name}-${env}`])).KeyMetadata;
    const policy = (await awsJson<{ Policy: string }>(['kms', 'get-key-policy', '--key-id', id.KeyId, '--policy-name', 'default'])).Policy;
    keys[env] = { arn: id.Arn, policy: JSON.parse(policy) as PolicyDocument };
  }
}, 900_000);

async function awsJson<T>(args: string[]): Promise<T> {
  const { stdout } = await execa('aws', [...args, '--output', 'json'], { env: moto.env, stdin: 'ignore' });
  return JSON.parse(stdout) as T;
}

afterAll(async () => {
  await moto?.stop();
});

interface PermissionCase extends PermissionRequest {
  readonly label: string;
}

async function findings(role: AppliedRole, allowed: readonly PermissionCase[], denied: readonly PermissionCase[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of allowed) if (!(await permissionAllows(role.arn, identityPolicies(role), c))) found.push(`${role.name} cannot ${c.label}`);
  for (const c of denied) if (await permissionAllows(role.arn, identityPolicies(role), c)) found.push(`${role.name} CAN ${c.label}`);
  return found;
}

function arns(env: string) {
  const { name, region } = options;
  const ecs = ecsEnvironment({ name, appPort: 8000, options }, { name: env, isLast: env === options.environments.at(-1) });
  return {
    ecs,
    repository: (service: string, app = name) => `arn:aws:ecr:${region}:${account}:repository/${app}-${service}`,
    service: (service: string, cluster = ecs.clusterName) => `arn:aws:ecs:${region}:${account}:service/${cluster}/${service}`,
    cluster: (cluster = ecs.clusterName) => `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
    task: (cluster = ecs.clusterName) => `arn:aws:ecs:${region}:${account}:task/${cluster}/0123456789abcdef0123456789abcdef`,
    taskDefinition: (family: string) => `arn:aws:ecs:${region}:${account}:task-definition/${family}:7`,
    role: (roleName: string) => `arn:aws:iam::${account}:role/${roleName}`,
    parameter: (path: string) => `arn:aws:ssm:${region}:${account}:parameter${path}`,
    logStream: (group: string) => `arn:aws:logs:${region}:${account}:log-group:${group}:log-stream:api/api/0123`,
    logGroup: (group: string) => `arn:aws:logs:${region}:${account}:log-group:${group}`,
    key: () => keys[env]!.arn,
    keyPolicy: () => keys[env]!.policy,
    loadBalancer: (lb = ecs.loadBalancerName) => `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/${lb}/0123456789abcdef`,
    vpc: () => `arn:aws:ec2:${region}:${account}:vpc/vpc-0123456789abcdef0`,
    // Scalable targets are named by an id AWS makes up: only their tags say whose they are.
    scalableTarget: () => `arn:aws:application-autoscaling:${region}:${account}:scalable-target/0123456789abcdef0123456789abcdef0123`,
    alarm: (alarmName: string) => `arn:aws:cloudwatch:${region}:${account}:alarm:${alarmName}`,
    state: (key: string) => `arn:aws:s3:::${name}-tfstate-${account}/${key}`,
  };
}

const tagged = (prefix: 'aws:ResourceTag' | 'aws:RequestTag', app: string, environment: string) => ({ [`${prefix}/App`]: app, [`${prefix}/Environment`]: environment });
/** What Application Auto Scaling puts in the context of a request about an ECS service's task count. */
const ecsTaskCount = { 'application-autoscaling:service-namespace': 'ecs', 'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount' };

describe(`IAM of preset ${preset}, as applied`, () => {
  it('trust: every intended subject is accepted and every hostile one refused, for the plan, deploy and infra roles', () => {
    const plans = trustMatrix(options, { kind: 'plan' });
    expect(plans.hostile.length).toBeGreaterThanOrEqual(12);
    expect(trustFindings(plan, plans)).toEqual([]);
    for (const env of options.environments) {
      for (const kind of ['deploy', 'infra'] as const) {
        const matrix = trustMatrix(options, { kind, environment: env });
        expect(matrix.hostile.length).toBeGreaterThanOrEqual(12);
        expect(trustFindings(roles[env]![kind], matrix)).toEqual([]);
        expect(roles[env]![kind].maxSessionDuration).toBe(3600);
      }
    }
  });

  it('task and execution roles are assumable by ECS tasks of this account only', () => {
    for (const env of options.environments) {
      for (const role of [...Object.values(roles[env]!.task), ...Object.values(roles[env]!.exec)]) {
        expect(statementsOf(role.trust)).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'ecs-tasks.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${options.region}:${account}:*` } },
          }),
        ]);
      }
    }
  });

  it('no role has an AWS managed policy attached (no *FullAccess, no PowerUser)', () => {
    const all = [plan, ...Object.values(roles).flatMap((r) => [r.deploy, r.infra, ...Object.values(r.task), ...Object.values(r.exec)])];
    expect(all.flatMap((role) => role.attached.map((p) => `${role.name}: ${p.arn}`))).toEqual([]);
    expect(Object.values(roles).flatMap((r) => Object.values(r.task)).flatMap((role) => role.inline)).toEqual([]);
  });

  it.each(['staging', 'production'])('deploy role of %s: deploys its own services, passes their roles to ECS tasks only, pushes only to its repositories, writes no IAM', async (env) => {
    const other = options.environments.find((e) => e !== env)!;
    const a = arns(env);
    const o = arns(other);
    const own = a.ecs.services;
    const passTo = (_role: string, service: string) => ({ 'iam:PassedToService': service, 'iam:AssociatedResourceArn': a.taskDefinition(`${a.ecs.clusterName}-api`) });
    const result = await findings(
      roles[env]!.deploy,
      [
        { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
        ...own.flatMap((s) =>
          ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability', 'ecr:DescribeImages'].map((action) => ({
            label: `${action} on ${s.repository}`,
            action,
            resource: a.repository(s.key),
          })),
        ),
        ...own.map((s) => ({ label: `register a revision of its family ${s.family}`, action: 'ecs:RegisterTaskDefinition', resource: a.taskDefinition(s.family) })),
        { label: 'read a task definition', action: 'ecs:DescribeTaskDefinition', resource: '*' },
        ...own.flatMap((s) => [
          { label: `update its service ${s.key}`, action: 'ecs:UpdateService', resource: a.service(s.key) },
          { label: `describe its service ${s.key}`, action: 'ecs:DescribeServices', resource: a.service(s.key) },
        ]),
        { label: "read its cluster's stopped tasks", action: 'ecs:DescribeTasks', resource: a.task() },
        ...own.flatMap((s) => [
          { label: `pass ${s.taskRoleName} to ECS tasks`, action: 'iam:PassRole', resource: a.role(s.taskRoleName), context: passTo(s.taskRoleName, 'ecs-tasks.amazonaws.com') },
          { label: `pass ${s.executionRoleName} to ECS tasks`, action: 'iam:PassRole', resource: a.role(s.executionRoleName), context: passTo(s.executionRoleName, 'ecs-tasks.amazonaws.com') },
        ]),
      ],
      [
        ...o.ecs.services.map((s) => ({ label: `update ${other}'s service ${s.key}`, action: 'ecs:UpdateService', resource: o.service(s.key) })),
        { label: 'update a service of another application', action: 'ecs:UpdateService', resource: a.service('api', `billing-${env}`) },
        { label: 'update another service in its own cluster', action: 'ecs:UpdateService', resource: a.service('worker') },
        { label: 'create a service', action: 'ecs:CreateService', resource: a.service('backdoor'), context: { 'ecs:cluster': a.cluster() } },
        { label: 'delete its service', action: 'ecs:DeleteService', resource: a.service('api'), context: { 'ecs:cluster': a.cluster() } },
        { label: 'run a one-off task with its roles', action: 'ecs:RunTask', resource: a.taskDefinition(`${a.ecs.clusterName}-api`) },
        { label: 'exec into a task', action: 'ecs:ExecuteCommand', resource: a.task() },
        { label: 'deregister task definitions', action: 'ecs:DeregisterTaskDefinition', resource: '*' },
        // deploy.sh copies the family's newest revision: one added to the other environment's family is what it runs next.
        ...o.ecs.services.map((s) => ({ label: `register a revision of ${other}'s family ${s.family}`, action: 'ecs:RegisterTaskDefinition', resource: o.taskDefinition(s.family) })),
        { label: 'register a revision of another application', action: 'ecs:RegisterTaskDefinition', resource: a.taskDefinition(`billing-${env}-api`) },
        { label: `register a revision of a look-alike environment's family (${env}-eu)`, action: 'ecs:RegisterTaskDefinition', resource: a.taskDefinition(`${a.ecs.clusterName}-eu-api`) },
        { label: `read ${other}'s tasks`, action: 'ecs:DescribeTasks', resource: o.task() },
        ...own.flatMap((s) => [
          { label: `pass ${s.taskRoleName} to EC2`, action: 'iam:PassRole', resource: a.role(s.taskRoleName), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: `pass ${s.taskRoleName} to Lambda`, action: 'iam:PassRole', resource: a.role(s.taskRoleName), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        ]),
        ...o.ecs.services.map((s) => ({ label: `pass ${other}'s ${s.taskRoleName} to ECS tasks`, action: 'iam:PassRole', resource: o.role(s.taskRoleName), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } })),
        { label: 'pass the infra role to ECS tasks', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-infra`), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { label: 'pass an administrator role to ECS tasks', action: 'iam:PassRole', resource: a.role('Admin'), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { label: 'push to another application’s repository', action: 'ecr:PutImage', resource: a.repository('api', 'billing') },
        { label: 'push to a look-alike repository', action: 'ecr:PutImage', resource: a.repository('api-evil') },
        { label: 'delete images', action: 'ecr:BatchDeleteImage', resource: a.repository('api') },
        { label: 'make tags mutable', action: 'ecr:PutImageTagMutability', resource: a.repository('api') },
        { label: 'set a repository policy', action: 'ecr:SetRepositoryPolicy', resource: a.repository('api') },
        { label: 'read the secrets', action: 'ssm:GetParameters', resource: a.parameter(`/${options.name}/${env}/api/DATABASE_URL`) },
        { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
        { label: 'change a task role', action: 'iam:PutRolePolicy', resource: a.role(own[0]!.taskRoleName) },
        { label: 'attach a policy to itself', action: 'iam:AttachRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
        { label: 'change its own trust', action: 'iam:UpdateAssumeRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
        { label: 'read the Terraform state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
      ],
    );
    expect(result).toEqual([]);
  });

  it.each(['staging', 'production'])('execution roles of %s: each pulls its image, writes its logs and reads its own secrets, nothing else', async (env) => {
    const other = options.environments.find((e) => e !== env)!;
    const a = arns(env);
    const o = arns(other);
    for (const s of a.ecs.services) {
      const otherService = a.ecs.services.find((x) => x.key !== s.key)!;
      const viaSsm = { 'kms:ViaService': `ssm.${options.region}.amazonaws.com` };
      const result = await findings(
        roles[env]!.exec[s.key]!,
        [
          { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
          { label: 'pull its image', action: 'ecr:BatchGetImage', resource: a.repository(s.key) },
          { label: 'pull its layers', action: 'ecr:GetDownloadUrlForLayer', resource: a.repository(s.key) },
          { label: 'write its logs', action: 'logs:PutLogEvents', resource: a.logStream(s.logGroup) },
          { label: 'read its secrets', action: 'ssm:GetParameters', resource: a.parameter(`${s.secretsPath}/DATABASE_URL`) },
          { label: 'decrypt them through SSM', action: 'kms:Decrypt', resource: a.key(), context: viaSsm, resourcePolicy: a.keyPolicy() },
        ],
        [
          { label: `read the ${otherService.key} service's secrets`, action: 'ssm:GetParameters', resource: a.parameter(`${otherService.secretsPath}/DATABASE_URL`) },
          { label: `read ${other}'s secrets`, action: 'ssm:GetParameters', resource: a.parameter(`/${options.name}/${other}/${s.key}/DATABASE_URL`) },
          { label: 'read the environment path above its own', action: 'ssm:GetParameters', resource: a.parameter(`/${options.name}/${env}/DATABASE_URL`) },
          { label: 'decrypt through another service', action: 'kms:Decrypt', resource: a.key(), context: { 'kms:ViaService': `s3.${options.region}.amazonaws.com` }, resourcePolicy: a.keyPolicy() },
          { label: `decrypt with ${other}'s key`, action: 'kms:Decrypt', resource: o.key(), context: viaSsm, resourcePolicy: o.keyPolicy() },
          { label: `pull the ${otherService.key} image`, action: 'ecr:BatchGetImage', resource: a.repository(otherService.key) },
          { label: 'push images', action: 'ecr:PutImage', resource: a.repository(s.key) },
          { label: "write the other service's logs", action: 'logs:PutLogEvents', resource: a.logStream(otherService.logGroup) },
          { label: 'delete its log group', action: 'logs:DeleteLogGroup', resource: a.logGroup(s.logGroup) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
        ],
      );
      expect(result).toEqual([]);
    }
  });

  it('task roles grant the application nothing', async () => {
    const a = arns(options.environments[0]!);
    for (const role of Object.values(roles[options.environments[0]!]!.task)) {
      expect(
        await findings(role, [], [
          { label: 'read an object', action: 's3:GetObject', resource: 'arn:aws:s3:::payroll-exports/2026.csv' },
          { label: 'read the secrets', action: 'ssm:GetParameters', resource: a.parameter(`/${options.name}/${options.environments[0]}/api/DATABASE_URL`) },
          { label: 'update its service', action: 'ecs:UpdateService', resource: a.service('api') },
        ]),
      ).toEqual([]);
    }
  });

  it('plan role: reads what plan refreshes, writes nothing', async () => {
    const a = arns(options.environments[0]!);
    const result = await findings(
      plan,
      [
        { label: 'read the state', action: 's3:GetObject', resource: a.state(`environments/${options.environments[0]}/terraform.tfstate`) },
        { label: 'describe the services', action: 'ecs:DescribeServices', resource: '*' },
        { label: 'describe load balancers', action: 'elasticloadbalancing:DescribeLoadBalancers', resource: '*' },
        { label: 'describe keys', action: 'kms:DescribeKey', resource: a.key(), resourcePolicy: a.keyPolicy() },
        { label: 'read a task role', action: 'iam:GetRole', resource: a.role(a.ecs.services[0]!.taskRoleName) },
        { label: 'read the repositories', action: 'ecr:DescribeRepositories', resource: a.repository('api') },
      ],
      [
        { label: 'write the state', action: 's3:PutObject', resource: a.state(`environments/${options.environments[0]}/terraform.tfstate`) },
        { label: 'update a service', action: 'ecs:UpdateService', resource: a.service('api') },
        { label: 'register a task definition', action: 'ecs:RegisterTaskDefinition', resource: '*' },
        { label: 'delete the load balancer', action: 'elasticloadbalancing:DeleteLoadBalancer', resource: a.loadBalancer() },
        { label: 'schedule the key for deletion', action: 'kms:ScheduleKeyDeletion', resource: a.key(), resourcePolicy: a.keyPolicy() },
        { label: 'pass a task role', action: 'iam:PassRole', resource: a.role(a.ecs.services[0]!.taskRoleName), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { label: 'read the secrets', action: 'ssm:GetParameters', resource: a.parameter(`/${options.name}/${options.environments[0]}/api/DATABASE_URL`) },
        { label: 'push an image', action: 'ecr:PutImage', resource: a.repository('api') },
      ],
    );
    expect(result).toEqual([]);
  });

  it.each(['staging', 'production'])('infra role of %s: applies its environment, not the other one, and never IAM', async (env) => {
    const other = options.environments.find((e) => e !== env)!;
    const a = arns(env);
    const o = arns(other);
    const result = await findings(
      roles[env]!.infra,
      [
        { label: 'write its state', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
        { label: 'create a VPC with its tags', action: 'ec2:CreateVpc', resource: a.vpc(), context: tagged('aws:RequestTag', options.name, env) },
        { label: 'delete its VPC', action: 'ec2:DeleteVpc', resource: a.vpc(), context: tagged('aws:ResourceTag', options.name, env) },
        { label: 'create a key with its tags', action: 'kms:CreateKey', resource: '*', context: tagged('aws:RequestTag', options.name, env) },
        { label: 'schedule its key for deletion', action: 'kms:ScheduleKeyDeletion', resource: a.key(), context: tagged('aws:ResourceTag', options.name, env), resourcePolicy: a.keyPolicy() },
        { label: 'create its load balancer', action: 'elasticloadbalancing:CreateLoadBalancer', resource: a.loadBalancer() },
        { label: 'delete its load balancer', action: 'elasticloadbalancing:DeleteLoadBalancer', resource: a.loadBalancer() },
        { label: 'create its service', action: 'ecs:CreateService', resource: a.service('api'), context: { 'ecs:cluster': a.cluster() } },
        { label: 'update its service', action: 'ecs:UpdateService', resource: a.service('api'), context: { 'ecs:cluster': a.cluster() } },
        { label: 'create its log group', action: 'logs:CreateLogGroup', resource: a.logGroup(a.ecs.services[0]!.logGroup) },
        { label: 'pass a task role to ECS tasks', action: 'iam:PassRole', resource: a.role(a.ecs.services[0]!.taskRoleName), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        ...a.ecs.services.map((s) => ({ label: `register a task definition of its family ${s.family}`, action: 'ecs:RegisterTaskDefinition', resource: a.taskDefinition(s.family) })),
        // Application Auto Scaling, as the provider calls it: RegisterScalableTarget with the tags (default_tags) on
        // create, TagResource as its dependent action, then everything else on the target that carries them.
        { label: 'register a scalable target with its tags', action: 'application-autoscaling:RegisterScalableTarget', resource: a.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:RequestTag', options.name, env) } },
        { label: 'tag a new scalable target with its tags', action: 'application-autoscaling:TagResource', resource: a.scalableTarget(), context: tagged('aws:RequestTag', options.name, env) },
        { label: 'change the bounds of its scalable target', action: 'application-autoscaling:RegisterScalableTarget', resource: a.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', options.name, env) } },
        { label: 'put a scaling policy on its scalable target', action: 'application-autoscaling:PutScalingPolicy', resource: a.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', options.name, env) } },
        { label: 'delete a scaling policy of its scalable target', action: 'application-autoscaling:DeleteScalingPolicy', resource: a.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', options.name, env) } },
        { label: 'deregister its scalable target', action: 'application-autoscaling:DeregisterScalableTarget', resource: a.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', options.name, env) } },
        { label: 'untag its scalable target', action: 'application-autoscaling:UntagResource', resource: a.scalableTarget(), context: { ...tagged('aws:ResourceTag', options.name, env), 'aws:TagKeys': ['ManagedBy'] } },
        ...a.ecs.services.flatMap((s) =>
          ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'].map((action) => ({
            label: `${action} on the target tracking alarm of its service ${s.key}`,
            action,
            resource: a.alarm(`TargetTracking-service/${a.ecs.clusterName}/${s.serviceName}-AlarmHigh-0123abcd-4567-89ab-cdef-0123456789ab`),
          })),
        ),
      ],
      [
        { label: `write ${other}'s state`, action: 's3:PutObject', resource: a.state(`environments/${other}/terraform.tfstate`) },
        { label: 'create an untagged VPC', action: 'ec2:CreateVpc', resource: a.vpc() },
        { label: `create a VPC tagged for ${other}`, action: 'ec2:CreateVpc', resource: a.vpc(), context: tagged('aws:RequestTag', options.name, other) },
        { label: `delete ${other}'s VPC`, action: 'ec2:DeleteVpc', resource: a.vpc(), context: tagged('aws:ResourceTag', options.name, other) },
        { label: "delete another application's VPC", action: 'ec2:DeleteVpc', resource: a.vpc(), context: tagged('aws:ResourceTag', 'billing', env) },
        { label: `schedule ${other}'s key for deletion`, action: 'kms:ScheduleKeyDeletion', resource: o.key(), context: tagged('aws:ResourceTag', options.name, other), resourcePolicy: o.keyPolicy() },
        { label: `delete ${other}'s load balancer`, action: 'elasticloadbalancing:DeleteLoadBalancer', resource: o.loadBalancer() },
        { label: `update ${other}'s service`, action: 'ecs:UpdateService', resource: o.service('api'), context: { 'ecs:cluster': o.cluster() } },
        { label: `delete ${other}'s log group`, action: 'logs:DeleteLogGroup', resource: o.logGroup(o.ecs.services[0]!.logGroup) },
        { label: 'change a task role policy', action: 'iam:PutRolePolicy', resource: a.role(a.ecs.services[0]!.taskRoleName) },
        { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
        { label: 'create a service-linked role', action: 'iam:CreateServiceLinkedRole', resource: a.role('aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS') },
        { label: 'pass a task role to EC2', action: 'iam:PassRole', resource: a.role(a.ecs.services[0]!.taskRoleName), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        { label: `pass ${other}'s task role`, action: 'iam:PassRole', resource: o.role(o.ecs.services[0]!.taskRoleName), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { label: 'pass the deploy role', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-deploy`), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { label: 'assume the deploy role', action: 'sts:AssumeRole', resource: a.role(`${options.name}-${env}-deploy`) },
        // It takes no resource ARN, so it would reach every family: Terraform never deregisters (skip_destroy).
        { label: 'deregister task definitions', action: 'ecs:DeregisterTaskDefinition', resource: '*' },
        ...o.ecs.services.map((s) => ({ label: `register a task definition of ${other}'s family ${s.family}`, action: 'ecs:RegisterTaskDefinition', resource: o.taskDefinition(s.family) })),
        { label: 'register a task definition of another application', action: 'ecs:RegisterTaskDefinition', resource: a.taskDefinition(`billing-${env}-api`) },
        { label: `register a task definition of a look-alike environment's family (${env}-eu)`, action: 'ecs:RegisterTaskDefinition', resource: a.taskDefinition(`${a.ecs.clusterName}-eu-api`) },
        // Scalable targets of the other environment (same account, same ARN pattern: only the tags differ) …
        ...(['RegisterScalableTarget', 'PutScalingPolicy', 'DeleteScalingPolicy', 'DeregisterScalableTarget'] as const).map((action) => ({
          label: `${action} on ${other}'s scalable target`,
          action: `application-autoscaling:${action}`,
          resource: o.scalableTarget(),
          context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', options.name, other) },
        })),
        { label: `re-register ${other}'s scalable target with its own tags`, action: 'application-autoscaling:RegisterScalableTarget', resource: o.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', options.name, other), ...tagged('aws:RequestTag', options.name, env) } },
        { label: `take ${other}'s scalable target over by tagging it`, action: 'application-autoscaling:TagResource', resource: o.scalableTarget(), context: { ...tagged('aws:ResourceTag', options.name, other), ...tagged('aws:RequestTag', options.name, env) } },
        { label: `untag ${other}'s scalable target`, action: 'application-autoscaling:UntagResource', resource: o.scalableTarget(), context: { ...tagged('aws:ResourceTag', options.name, other), 'aws:TagKeys': ['Environment'] } },
        { label: `register a scalable target tagged for ${other}`, action: 'application-autoscaling:RegisterScalableTarget', resource: a.scalableTarget(), context: { ...ecsTaskCount, ...tagged('aws:RequestTag', options.name, other) } },
        { label: 'register an untagged scalable target', action: 'application-autoscaling:RegisterScalableTarget', resource: a.scalableTarget(), context: ecsTaskCount },
        // … of another application in the account …
        ...(['RegisterScalableTarget', 'PutScalingPolicy', 'DeregisterScalableTarget'] as const).map((action) => ({
          label: `${action} on another application's scalable target`,
          action: `application-autoscaling:${action}`,
          resource: a.scalableTarget(),
          context: { ...ecsTaskCount, ...tagged('aws:ResourceTag', 'billing', env) },
        })),
        // … and anything but an ECS service's task count, even with its tags.
        {
          label: 'register a DynamoDB table as a scalable target with its tags',
          action: 'application-autoscaling:RegisterScalableTarget',
          resource: a.scalableTarget(),
          context: { 'application-autoscaling:service-namespace': 'dynamodb', 'application-autoscaling:scalable-dimension': 'dynamodb:table:ReadCapacityUnits', ...tagged('aws:RequestTag', options.name, env) },
        },
        ...o.ecs.services.map((s) => ({
          label: `put the target tracking alarm of ${other}'s service ${s.key}`,
          action: 'cloudwatch:PutMetricAlarm',
          resource: o.alarm(`TargetTracking-service/${o.ecs.clusterName}/${s.serviceName}-AlarmHigh-0123abcd-4567-89ab-cdef-0123456789ab`),
        })),
        { label: 'delete the target tracking alarm of a look-alike cluster', action: 'cloudwatch:DeleteAlarms', resource: a.alarm(`TargetTracking-service/${a.ecs.clusterName}-eu/api-AlarmLow-0123abcd-4567-89ab-cdef-0123456789ab`) },
      ],
    );
    expect(result).toEqual([]);
  });

  it("every role's policies fit IAM's quotas (inline 10,240 characters a role, managed 6,144 each), with the longest name, environments and region the options allow", () => {
    const all = [plan, ...Object.values(roles).flatMap((r) => [r.deploy, r.infra, ...Object.values(r.task), ...Object.values(r.exec)])];
    const { over, grows } = projectedPolicySizes(options, all);
    expect(over).toEqual([]);
    // AND the projection projects: the largest, the infra role's, grows with the names
    expect(grows).toBeGreaterThan(500);
  });

  it('every action in every policy of every role exists (iam-data)', async () => {
    const all = [plan, ...Object.values(roles).flatMap((r) => [r.deploy, r.infra, ...Object.values(r.task), ...Object.values(r.exec)])];
    const patterns = new Set<string>();
    for (const role of all) {
      for (const policy of [role.trust, ...identityPolicies(role).map((p) => p.policy)]) {
        for (const statement of statementsOf(policy)) for (const action of [...list(statement.Action), ...list(statement.NotAction)]) patterns.add(action);
      }
    }
    const unknown: string[] = [];
    for (const pattern of patterns) if ((await expandAction(pattern)).length === 0) unknown.push(pattern);
    expect(patterns.size).toBeGreaterThan(100);
    expect(unknown).toEqual([]);
  });

  it('the checks fail on a deliberately broken deploy policy: PassRole without iam:PassedToService lets the task role reach EC2', async () => {
    // GIVEN the applied deploy role's policies with the PassRole condition removed
    const env = options.environments[0]!;
    const deploy = roles[env]!.deploy;
    const a = arns(env);
    const loosened = identityPolicies(deploy).map(({ name, policy }) => ({
      name,
      policy: {
        ...policy,
        Statement: statementsOf(policy).map((st) => {
          if (st.Sid !== 'PassServiceRolesToEcsTasks') return st;
          const { Condition, ...unconditioned } = st;
          void Condition;
          return unconditioned;
        }),
      },
    }));
    const request = { action: 'iam:PassRole', resource: a.role(a.ecs.services[0]!.taskRoleName), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } };
    // WHEN passing the task role to EC2 is simulated THEN the applied policy refuses it and the loosened one allows it
    expect(await permissionAllows(deploy.arn, identityPolicies(deploy), request)).toBe(false);
    expect(await permissionAllows(deploy.arn, loosened, request)).toBe(true);
  });
});
