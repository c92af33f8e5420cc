import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../src/options/index.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { singleAccountPresetNamesFor, type PresetName } from '../support/presets.js';
import { requireTerraform, resolvedVariant } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { applyRoles } from './apply-roles.js';
import { createGitHubOidcProvider, identityPolicies, type AppliedRole } from './applied-roles.js';
import { actionPatterns, allowedAccessLevels, permissionFindings, projectedPolicySizes, tags } from './permission-cases.js';
import { statementsOf } from './simulator.js';
import { account, appliedTrustFindings, githubProvider } from './trust-cases.js';

// The asg target's roles, read back from IAM after a real `terraform apply` (against moto) and evaluated with
// iam-simulate: the JSON Terraform produced, not a re-derivation from the templates. Only the roles, their policies
// and what those reference are applied (-target=module.github_oidc_roles and the instance role's policies); every
// resource is applied, re-planned and destroyed by test/terraform/apply-asg.test.ts, which also checks that the plan and
// infra roles grant every API call a real plan makes.
const presetNames = singleAccountPresetNamesFor('asg');

interface Applied {
  readonly options: ResolvedOptions;
  readonly plan: AppliedRole;
  readonly environments: Record<string, { deploy: AppliedRole; infra: AppliedRole; instance: AppliedRole; targetGroup: string; launchTemplate: string; vpc: string }>;
}

let moto: MotoServer;
const applied = {} as Record<PresetName, Applied>;

async function awsJson<T>(env: Record<string, string>, args: string[]): Promise<T> {
  const { execa } = await import('execa');
  const { stdout } = await execa('aws', [...args, '--output', 'json'], { env, stdin: 'ignore' });
  return JSON.parse(stdout) as T;
}

beforeAll(async () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');
  moto = await startMoto();
  expect(await createGitHubOidcProvider(moto.env)).toBe(githubProvider);
  await Promise.all(
    presetNames.map(async (preset) => {
      // Each preset in its own region of the one moto: their environments may share names.
      const region = resolvedVariant(preset).region;
      const env = { ...moto.env, AWS_REGION: region, AWS_DEFAULT_REGION: region };
      const { options, plan, role: roleOf } = await applyRoles(env, preset, {
        environmentTargets: ['module.github_oidc_roles', 'module.fleet.aws_iam_role_policy_attachment.ssm_core', 'module.fleet.aws_iam_role_policy.releases', 'module.fleet.aws_iam_role_policy.service'],
        kinds: ['deploy', 'infra', 'instance'],
      });
      const environments: Applied['environments'] = {};
      for (const e of options.environments) {
        const role = (kind: string) => roleOf(e, kind);
        const templates = await awsJson<{ LaunchTemplates: { LaunchTemplateId: string }[] }>(env, ['ec2', 'describe-launch-templates', '--launch-template-names', `${options.name}-${e}`]);
        const deployPolicy = JSON.stringify(identityPolicies(role('deploy')));
        const targetGroup = /arn:aws:elasticloadbalancing:[^"]*:targetgroup\/[^"]+/.exec(deployPolicy)![0];
        const vpc = /arn:aws:ec2:[^"]*:vpc\/vpc-[0-9a-f]+/.exec(JSON.stringify(identityPolicies(role('infra'))))![0];
        environments[e] = { deploy: role('deploy'), infra: role('infra'), instance: role('instance'), targetGroup, launchTemplate: templates.LaunchTemplates[0]!.LaunchTemplateId, vpc };
      }
      applied[preset] = { options, plan, environments };
    }),
  );
}, 900_000);

afterAll(async () => {
  await moto?.stop();
});

const arn = (options: ResolvedOptions) => {
  const ec2 = `arn:aws:ec2:${options.region}:${account}`;
  const bucket = `${options.name}-releases-${account}`;
  return {
    bucket: (name = bucket) => `arn:aws:s3:::${name}`,
    object: (key: string, name = bucket) => `arn:aws:s3:::${name}/${key}`,
    document: (env: string) => `arn:aws:ssm:${options.region}:${account}:document/${options.name}-${env}-deploy`,
    awsDocument: (name: string) => `arn:aws:ssm:${options.region}:${account}:document/${name}`,
    parameter: (path: string) => `arn:aws:ssm:${options.region}:${account}:parameter${path}`,
    instance: (id = 'i-0123456789abcdef0') => `${ec2}:instance/${id}`,
    image: (id = 'ami-0123456789abcdef0') => `arn:aws:ec2:${options.region}::image/${id}`,
    snapshot: (id = 'snap-0123456789abcdef0') => `arn:aws:ec2:${options.region}::snapshot/${id}`,
    launchTemplate: (id: string) => `${ec2}:launch-template/${id}`,
    vpc: () => `${ec2}:vpc/vpc-0123456789abcdef0`,
    group: (name: string) => `arn:aws:autoscaling:${options.region}:${account}:autoScalingGroup:6d5af669-eb3b-4530-894b-e314a667f2e7:autoScalingGroupName/${name}`,
    targetGroup: (name: string) => `arn:aws:elasticloadbalancing:${options.region}:${account}:targetgroup/${name}/50dc6c495c0c9188`,
    loadBalancer: (name: string) => `arn:aws:elasticloadbalancing:${options.region}:${account}:loadbalancer/app/${name}/50dc6c495c0c9188`,
    role: (name: string) => `arn:aws:iam::${account}:role/${name}`,
    state: (key: string) => `arn:aws:s3:::${options.name}-tfstate-${account}/${key}`,
  };
};

describe.each(presetNames)('IAM of preset %s, as applied', (preset) => {
  describe('trust: every intended subject is accepted, at least 12 hostile ones are refused', () => {
    it('plan role, and the deploy and infra roles of every environment', () => {
      const { options, plan, environments } = applied[preset];
      expect(appliedTrustFindings(options, plan, environments)).toEqual([]);
    });

    it('the instance role is assumable by EC2 only', () => {
      for (const { instance } of Object.values(applied[preset].environments)) {
        expect(statementsOf(instance.trust)).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } })]);
      }
    });
  });

  describe('permissions', () => {
    it.each(resolvedVariant(preset).environments)('deploy role of %s: uploads, drains and deploys its own fleet, bakes its own images; nothing else', async (env) => {
      // GIVEN the applied deploy role of this environment, its target group and launch template
      const { options, environments } = applied[preset];
      const a = arn(options);
      const own = environments[env]!;
      const other = options.environments.find((e) => e !== env) ?? 'staging';
      const group = `${options.name}-${env}`;
      const release = `releases/${'a'.repeat(40)}.tar.gz`;
      const mine = tags(options.name, env, 'aws:ResourceTag');
      // WHEN a deploy's and a bake's requests, and an attacker's, are simulated
      const findings = await permissionFindings(
        own.deploy,
        [
          { label: 'upload a release', action: 's3:PutObject', resource: a.object(release) },
          { label: 'read a release back', action: 's3:GetObject', resource: a.object(release) },
          { label: 'look for a release', action: 's3:ListBucket', resource: a.bucket(), context: { 's3:prefix': release } },
          { label: 'send its own document', action: 'ssm:SendCommand', resource: a.document(env) },
          { label: 'send to an instance of its fleet', action: 'ssm:SendCommand', resource: a.instance(), context: { ...tags(options.name, env, 'ssm:resourceTag'), ...mine } },
          { label: 'follow its commands', action: 'ssm:ListCommandInvocations', resource: '*' },
          { label: 'check instances are Online', action: 'ssm:DescribeInstanceInformation', resource: '*' },
          { label: 'read its group', action: 'autoscaling:DescribeAutoScalingGroups', resource: '*' },
          { label: 'read target health', action: 'elasticloadbalancing:DescribeTargetHealth', resource: '*' },
          { label: 'drain an instance from its target group', action: 'elasticloadbalancing:DeregisterTargets', resource: own.targetGroup },
          { label: 'put an instance back in its target group', action: 'elasticloadbalancing:RegisterTargets', resource: own.targetGroup },
          { label: 'complete a launch of its group', action: 'autoscaling:CompleteLifecycleAction', resource: a.group(group) },
          { label: 'refresh its group', action: 'autoscaling:StartInstanceRefresh', resource: a.group(group) },
          { label: 'record last-known-good', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/last-known-good-release`) },
          { label: 'record the baked AMI', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/ami-id`) },
          { label: 'image an instance of its fleet', action: 'ec2:CreateImage', resource: a.instance(), context: mine },
          { label: 'create an image tagged for its environment', action: 'ec2:CreateImage', resource: a.image(), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'tag the image as it is created', action: 'ec2:CreateTags', resource: a.snapshot(), context: { 'ec2:CreateAction': 'CreateImage' } },
          { label: 'deregister an old image of its environment', action: 'ec2:DeregisterImage', resource: a.image(), context: mine },
          { label: 'delete an old snapshot of its environment', action: 'ec2:DeleteSnapshot', resource: a.snapshot(), context: mine },
          { label: 'add a version to its launch template', action: 'ec2:CreateLaunchTemplateVersion', resource: a.launchTemplate(own.launchTemplate) },
          { label: 'make it the default', action: 'ec2:ModifyLaunchTemplate', resource: a.launchTemplate(own.launchTemplate) },
        ],
        [
          { label: `send to an instance of ${other}`, action: 'ssm:SendCommand', resource: a.instance('i-0fedcba9876543210'), context: { ...tags(options.name, other, 'ssm:resourceTag'), ...tags(options.name, other, 'aws:ResourceTag') } },
          { label: 'send to an instance of another app', action: 'ssm:SendCommand', resource: a.instance('i-0fedcba9876543211'), context: { ...tags('billing', env, 'ssm:resourceTag'), ...tags('billing', env, 'aws:ResourceTag') } },
          { label: 'send to an untagged instance', action: 'ssm:SendCommand', resource: a.instance('i-0fedcba9876543212') },
          { label: 'send AWS-RunShellScript', action: 'ssm:SendCommand', resource: a.awsDocument('AWS-RunShellScript') },
          { label: `send the deploy document of ${other}`, action: 'ssm:SendCommand', resource: a.document(other) },
          { label: 'open a shell with Session Manager', action: 'ssm:StartSession', resource: a.instance(), context: tags(options.name, env, 'ssm:resourceTag') },
          { label: 'upload to another bucket', action: 's3:PutObject', resource: a.object(release, 'payroll-exports') },
          { label: 'upload outside releases/', action: 's3:PutObject', resource: a.object('scripts/boot.sh') },
          { label: 'upload to a look-alike prefix', action: 's3:PutObject', resource: a.object(`releases-evil/${'a'.repeat(40)}.tar.gz`) },
          { label: 'read the Terraform state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'delete a release', action: 's3:DeleteObject', resource: a.object(release) },
          { label: 'change the bucket policy', action: 's3:PutBucketPolicy', resource: a.bucket() },
          { label: 'drain from another target group', action: 'elasticloadbalancing:DeregisterTargets', resource: a.targetGroup('billing-tg') },
          { label: `register in the target group of ${other}`, action: 'elasticloadbalancing:RegisterTargets', resource: a.targetGroup(`${options.name}-${other}`) },
          { label: 'delete its target group', action: 'elasticloadbalancing:DeleteTargetGroup', resource: own.targetGroup },
          { label: 'delete the load balancer', action: 'elasticloadbalancing:DeleteLoadBalancer', resource: a.loadBalancer(`${options.name}-${env}`) },
          { label: `complete a launch of the group of ${other}`, action: 'autoscaling:CompleteLifecycleAction', resource: a.group(`${options.name}-${other}`) },
          { label: 'complete a launch of another app', action: 'autoscaling:CompleteLifecycleAction', resource: a.group(`billing-${env}`) },
          { label: 'resize its group', action: 'autoscaling:UpdateAutoScalingGroup', resource: a.group(group) },
          { label: 'set its capacity', action: 'autoscaling:SetDesiredCapacity', resource: a.group(group) },
          { label: 'terminate an instance of its group', action: 'autoscaling:TerminateInstanceInAutoScalingGroup', resource: a.group(group) },
          { label: 'delete its group', action: 'autoscaling:DeleteAutoScalingGroup', resource: a.group(group) },
          { label: 'add a version to another launch template', action: 'ec2:CreateLaunchTemplateVersion', resource: a.launchTemplate('lt-0fedcba9876543210') },
          { label: `image an instance of ${other}`, action: 'ec2:CreateImage', resource: a.instance('i-0fedcba9876543210'), context: tags(options.name, other, 'aws:ResourceTag') },
          { label: 'create an image tagged for another environment', action: 'ec2:CreateImage', resource: a.image(), context: tags(options.name, other, 'aws:RequestTag') },
          { label: `deregister an image of ${other}`, action: 'ec2:DeregisterImage', resource: a.image(), context: tags(options.name, other, 'aws:ResourceTag') },
          { label: 'delete an untagged snapshot', action: 'ec2:DeleteSnapshot', resource: a.snapshot() },
          { label: 'tag a snapshot after the fact', action: 'ec2:CreateTags', resource: a.snapshot() },
          { label: `record last-known-good of ${other}`, action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${other}/last-known-good-release`) },
          { label: 'write another parameter of its environment', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/other`) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
          { label: 'change its own policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'attach a policy to itself', action: 'iam:AttachRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'change its own trust', action: 'iam:UpdateAssumeRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'pass the instance role', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: 'launch instances', action: 'ec2:RunInstances', resource: a.instance() },
          { label: 'terminate instances', action: 'ec2:TerminateInstances', resource: a.instance(), context: mine },
        ],
      );
      // THEN it can do exactly its job
      expect(findings).toEqual([]);
    });

    it('plan role: reads what plan refreshes, writes nothing', async () => {
      const { options, plan } = applied[preset];
      const a = arn(options);
      const env = options.environments[0]!;
      const findings = await permissionFindings(
        plan,
        [
          { label: 'read the state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'describe instances and networks', action: 'ec2:DescribeLaunchTemplateVersions', resource: '*' },
          { label: 'describe the group', action: 'autoscaling:DescribeAutoScalingGroups', resource: '*' },
          { label: 'describe the lifecycle hooks', action: 'autoscaling:DescribeLifecycleHooks', resource: '*' },
          { label: 'describe the load balancer', action: 'elasticloadbalancing:DescribeLoadBalancers', resource: '*' },
          { label: 'read the instance role', action: 'iam:GetRole', resource: a.role(`${options.name}-${env}-instance`) },
          { label: 'read the deploy document', action: 'ssm:GetDocument', resource: a.document(env) },
          { label: 'read the AMI parameter', action: 'ssm:GetParameter', resource: a.parameter(`/${options.name}/${env}/ami-id`) },
        ],
        [
          { label: 'write the state', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'upload a release', action: 's3:PutObject', resource: a.object(`releases/${'a'.repeat(40)}.tar.gz`) },
          { label: 'resize the group', action: 'autoscaling:UpdateAutoScalingGroup', resource: a.group(`${options.name}-${env}`) },
          { label: 'drain an instance', action: 'elasticloadbalancing:DeregisterTargets', resource: a.targetGroup(`${options.name}-${env}`) },
          { label: 'run the deploy document', action: 'ssm:SendCommand', resource: a.document(env) },
          { label: 'write a parameter', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/ami-id`) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
          { label: 'pass a role', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`) },
        ],
      );
      expect(findings).toEqual([]);
    });

    it('plan role: every action any of its statements allows is a Read or List action', async () => {
      const levels = await allowedAccessLevels(applied[preset].plan);
      expect(levels.size).toBeGreaterThan(50);
      expect([...levels].filter(([, level]) => level !== 'Read' && level !== 'List')).toEqual([]);
    });

    it.each(resolvedVariant(preset).environments)('infra role of %s: manages its environment, cannot touch identities', async (env) => {
      const { options, environments } = applied[preset];
      const a = arn(options);
      const other = options.environments.find((e) => e !== env) ?? 'staging';
      const self = a.role(`${options.name}-${env}-infra`);
      const admin = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' };
      const mine = tags(options.name, env, 'aws:ResourceTag');
      const findings = await permissionFindings(
        environments[env]!.infra,
        [
          { label: 'write its state', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'create a tagged launch template', action: 'ec2:CreateLaunchTemplate', resource: a.launchTemplate('lt-0123456789abcdef0'), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'change its launch template', action: 'ec2:CreateLaunchTemplateVersion', resource: a.launchTemplate(environments[env]!.launchTemplate), context: mine },
          { label: 'create its group, tagged', action: 'autoscaling:CreateAutoScalingGroup', resource: a.group(`${options.name}-${env}`), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'update its group', action: 'autoscaling:UpdateAutoScalingGroup', resource: a.group(`${options.name}-${env}`) },
          { label: 'create a tagged VPC', action: 'ec2:CreateVpc', resource: a.vpc(), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'delete its VPC', action: 'ec2:DeleteVpc', resource: a.vpc(), context: mine },
          { label: 'create a tagged target group', action: 'elasticloadbalancing:CreateTargetGroup', resource: a.targetGroup('app-x'), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'change its load balancer', action: 'elasticloadbalancing:ModifyLoadBalancerAttributes', resource: a.loadBalancer(`${options.name}-${env}`), context: mine },
          { label: 'update its deploy document', action: 'ssm:UpdateDocument', resource: a.document(env) },
          { label: 'create the AMI parameter', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/ami-id`) },
          { label: 'pass the instance role to EC2', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: 'empty the default security group of its VPC', action: 'ec2:RevokeSecurityGroupIngress', resource: `arn:aws:ec2:${options.region}:${account}:security-group/sg-0123456789abcdef0`, context: { 'ec2:Vpc': environments[env]!.vpc } },
          { label: 'create its flow-log group', action: 'logs:CreateLogGroup', resource: `arn:aws:logs:${options.region}:${account}:log-group:/${options.name}-${env}/vpc-flow-logs` },
          { label: 'pass the flow-log role to VPC flow logs', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-flow-logs`), context: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
        ],
        [
          { label: 'empty an untagged security group of another VPC', action: 'ec2:RevokeSecurityGroupIngress', resource: `arn:aws:ec2:${options.region}:${account}:security-group/sg-0123456789abcdef1`, context: { 'ec2:Vpc': `arn:aws:ec2:${options.region}:${account}:vpc/vpc-0fedcba9876543210` } },
          { label: 'create a log group of another application', action: 'logs:CreateLogGroup', resource: `arn:aws:logs:${options.region}:${account}:log-group:/billing-${env}/vpc-flow-logs` },
          { label: 'pass the flow-log role to EC2', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-flow-logs`), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: 'change its own policy', action: 'iam:PutRolePolicy', resource: self },
          { label: 'attach AdministratorAccess to itself', action: 'iam:AttachRolePolicy', resource: self, context: admin },
          { label: 'change its own trust', action: 'iam:UpdateAssumeRolePolicy', resource: self },
          { label: 'change the instance role policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-instance`) },
          { label: 'change the deploy role policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role(`${options.name}-${env}-escalate`) },
          { label: 'pass the instance role to Lambda', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
          { label: 'assume the deploy role', action: 'sts:AssumeRole', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: `write the state of ${other}`, action: 's3:PutObject', resource: a.state(`environments/${other}/terraform.tfstate`) },
          { label: `update the group of ${other}`, action: 'autoscaling:UpdateAutoScalingGroup', resource: a.group(`${options.name}-${other}`) },
          { label: 'create an untagged launch template', action: 'ec2:CreateLaunchTemplate', resource: a.launchTemplate('lt-0123456789abcdef0') },
          { label: `delete the VPC of ${other}`, action: 'ec2:DeleteVpc', resource: a.vpc(), context: tags(options.name, other, 'aws:ResourceTag') },
          { label: `change the load balancer of ${other}`, action: 'elasticloadbalancing:ModifyLoadBalancerAttributes', resource: a.loadBalancer(`${options.name}-${other}`), context: tags(options.name, other, 'aws:ResourceTag') },
          { label: 'upload a release', action: 's3:PutObject', resource: a.object(`releases/${'a'.repeat(40)}.tar.gz`) },
          { label: 'run AWS-RunShellScript', action: 'ssm:SendCommand', resource: a.awsDocument('AWS-RunShellScript') },
          { label: 'drain an instance', action: 'elasticloadbalancing:DeregisterTargets', resource: a.targetGroup(`${options.name}-${env}`) },
        ],
      );
      expect(findings).toEqual([]);
    });

    it('instance role: SSM agent, its releases, last-known-good and its own launch; nothing else', async () => {
      const { options, environments } = applied[preset];
      const a = arn(options);
      for (const [env, { instance }] of Object.entries(environments)) {
        const other = options.environments.find((e) => e !== env) ?? 'staging';
        const findings = await permissionFindings(
          instance,
          [
            { label: 'register with SSM', action: 'ssm:UpdateInstanceInformation', resource: a.instance() },
            { label: 'open the SSM message channel', action: 'ssmmessages:CreateControlChannel', resource: '*' },
            { label: 'download a release', action: 's3:GetObject', resource: a.object(`releases/${'a'.repeat(40)}.tar.gz`) },
            { label: 'read last-known-good', action: 'ssm:GetParameter', resource: a.parameter(`/${options.name}/${env}/last-known-good-release`) },
            { label: 'complete its own launch', action: 'autoscaling:CompleteLifecycleAction', resource: a.group(`${options.name}-${env}`) },
          ],
          [
            { label: 'upload a release', action: 's3:PutObject', resource: a.object(`releases/${'a'.repeat(40)}.tar.gz`) },
            { label: 'read outside releases/', action: 's3:GetObject', resource: a.object('private/config.json') },
            { label: 'read another bucket', action: 's3:GetObject', resource: a.object('x', 'payroll-exports') },
            { label: 'write last-known-good', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/last-known-good-release`) },
            { label: `complete a launch of the group of ${other}`, action: 'autoscaling:CompleteLifecycleAction', resource: a.group(`${options.name}-${other}`) },
            { label: 'resize its group', action: 'autoscaling:SetDesiredCapacity', resource: a.group(`${options.name}-${env}`) },
            { label: 'drain itself', action: 'elasticloadbalancing:DeregisterTargets', resource: a.targetGroup(`${options.name}-${env}`) },
            { label: 'send commands to other instances', action: 'ssm:SendCommand', resource: a.awsDocument('AWS-RunShellScript') },
            { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
            { label: 'read the Terraform state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          ],
        );
        expect(findings).toEqual([]);
      }
    });
  });

  it("every role's policies fit IAM's quotas (inline 10,240 characters a role, managed 6,144 each), with the longest name, environments and region the options allow", () => {
    const { options, plan, environments } = applied[preset];
    const { over, grows } = projectedPolicySizes(options, [plan, ...Object.values(environments).flatMap((e) => [e.deploy, e.infra, e.instance])]);
    expect(over).toEqual([]);
    // AND the projection projects: the largest policy grows with the names
    expect(grows).toBeGreaterThan(200);
  });

  it('every action in every policy of every role exists (iam-data)', async () => {
    const { plan, environments } = applied[preset];
    const { patterns, unknown } = await actionPatterns([plan, ...Object.values(environments).flatMap((e) => [e.deploy, e.infra, e.instance])]);
    expect(patterns.size).toBeGreaterThan(80);
    expect(unknown).toEqual([]);
  });
});
