import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../src/options/index.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { singleAccountPresetNamesFor, type PresetName } from '../support/presets.js';

// The ec2 target's roles in one account; other targets' applied IAM, and presets with accounts
// (applied-iam-accounts.test.ts), have their own tests.
const presetNames = singleAccountPresetNamesFor('ec2');
import { requireTerraform, resolvedVariant } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { applyRoles } from './apply-roles.js';
import { createGitHubOidcProvider, createRole, identityPolicies, readRole, type AppliedRole } from './applied-roles.js';
import { actionPatterns, allowedAccessLevels, permissionFindings, projectedPolicySizes, tags } from './permission-cases.js';
import { permissionAllows, statementsOf, type PolicyDocument } from './simulator.js';
import { account, githubProvider, subjectPrefix, trustFindings, trustMatrix } from './trust-cases.js';

// The roles are read back from IAM after a real `terraform apply` (against moto) and evaluated with iam-simulate: what
// is checked is the JSON Terraform produced, not a re-derivation from the templates. Both presets are applied to one
// moto server; the account already has the GitHub OIDC provider, so both bootstraps run with
// create_github_oidc_provider=false (the path for accounts that have one). That the plan and infra roles grant every
// API call a real plan makes is checked where the full roots are applied: test/terraform/apply.test.ts.

interface Applied {
  readonly options: ResolvedOptions;
  readonly plan: AppliedRole;
  readonly environments: Record<string, { deploy: AppliedRole; infra: AppliedRole; instance: AppliedRole }>;
}

let moto: MotoServer;
const applied = {} as Record<PresetName, Applied>;

beforeAll(async () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');
  moto = await startMoto();
  expect(await createGitHubOidcProvider(moto.env)).toBe(githubProvider);
  await Promise.all(
    presetNames.map(async (preset) => {
      // Only the roles, their policies and what those reference are applied (-target): instances, security groups
      // and the state bucket's settings are applied, re-planned and destroyed by test/terraform/apply.test.ts.
      const { options, plan, role } = await applyRoles(moto.env, preset, {
        environmentTargets: ['module.github_oidc_roles', 'module.ec2_app.aws_iam_role_policy_attachment.ssm_core', 'module.ec2_app.aws_iam_role_policy.pull', 'module.ec2_app.aws_iam_role_policy.service'],
        kinds: ['deploy', 'infra', 'instance'],
      });
      const environments: Applied['environments'] = {};
      for (const env of options.environments) environments[env] = { deploy: role(env, 'deploy'), infra: role(env, 'infra'), instance: role(env, 'instance') };
      applied[preset] = { options, plan, environments };
    }),
  );
}, 600_000);

afterAll(async () => {
  await moto?.stop();
});

const arn = (options: ResolvedOptions) => {
  const ec2 = `arn:aws:ec2:${options.region}:${account}`;
  return {
    repository: (name = options.name) => `arn:aws:ecr:${options.region}:${account}:repository/${name}`,
    document: (env: string) => `arn:aws:ssm:${options.region}:${account}:document/${options.name}-${env}-deploy`,
    // AWS-owned documents have no account in their ARN; the simulator needs one (policies here name none of them).
    awsDocument: (name: string) => `arn:aws:ssm:${options.region}:${account}:document/${name}`,
    parameter: (path: string) => `arn:aws:ssm:${options.region}:${account}:parameter${path}`,
    lastKnownGood: (env: string) => `arn:aws:ssm:${options.region}:${account}:parameter/${options.name}/${env}/last-known-good-image`,
    instance: (_env: string, id = 'i-0123456789abcdef0') => `${ec2}:instance/${id}`,
    securityGroup: (_env: string) => `${ec2}:security-group/sg-0123456789abcdef0`,
    role: (name: string) => `arn:aws:iam::${account}:role/${name}`,
    state: (key: string) => `arn:aws:s3:::${options.name}-tfstate-${account}/${key}`,
  };
};

describe.each(presetNames)('IAM of preset %s, as applied', (preset) => {
  describe('trust: every intended subject is accepted, at least 12 hostile ones are refused', () => {
    it('plan role', () => {
      // GIVEN the applied plan role and the tokens it must accept and refuse
      const { options, plan } = applied[preset];
      const matrix = trustMatrix(options, { kind: 'plan' });
      expect(matrix.hostile.length).toBeGreaterThanOrEqual(12);
      // WHEN each token is evaluated against its trust policy THEN exactly the intended ones get in
      expect(trustFindings(plan, matrix)).toEqual([]);
      expect(plan.maxSessionDuration).toBe(3600);
    });

    it('deploy and infra roles of every environment', () => {
      const { options, environments } = applied[preset];
      for (const env of options.environments) {
        for (const kind of ['deploy', 'infra'] as const) {
          const matrix = trustMatrix(options, { kind, environment: env });
          expect(matrix.hostile.length).toBeGreaterThanOrEqual(12);
          expect(trustFindings(environments[env]![kind], matrix)).toEqual([]);
          expect(environments[env]![kind].maxSessionDuration).toBe(3600);
        }
      }
    });

    it('the instance role is assumable by EC2 only', () => {
      for (const { instance } of Object.values(applied[preset].environments)) {
        const statements = statementsOf(instance.trust);
        expect(statements).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } })]);
      }
    });
  });

  describe('permissions', () => {
    it.each(resolvedVariant(preset).environments)('deploy role of %s: its job on its resources, nothing else', async (env) => {
      // GIVEN the applied deploy role of this environment
      const { options, environments } = applied[preset];
      const a = arn(options);
      const other = options.environments.find((e) => e !== env) ?? 'staging';
      const lkg = `/${options.name}/${env}/last-known-good-image`;
      // WHEN the requests of a deploy and of an attacker holding the role are simulated
      const findings = await permissionFindings(
        environments[env]!.deploy,
        [
          { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
          ...['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability', 'ecr:DescribeImages'].map(
            (action) => ({ label: `${action} on its repository`, action, resource: a.repository() }),
          ),
          { label: 'send its own document', action: 'ssm:SendCommand', resource: a.document(env) },
          { label: 'send to an instance of its environment', action: 'ssm:SendCommand', resource: a.instance(env), context: { ...tags(options.name, env, 'ssm:resourceTag'), ...tags(options.name, env, 'aws:ResourceTag') } },
          { label: 'follow its commands', action: 'ssm:ListCommandInvocations', resource: '*' },
          { label: 'read an invocation', action: 'ssm:GetCommandInvocation', resource: '*' },
          { label: 'check instances are Online', action: 'ssm:DescribeInstanceInformation', resource: '*' },
          { label: 'find its instances by tag', action: 'ec2:DescribeInstances', resource: '*' },
          { label: 'read last-known-good', action: 'ssm:GetParameter', resource: a.parameter(lkg) },
          { label: 'record last-known-good', action: 'ssm:PutParameter', resource: a.parameter(lkg) },
        ],
        [
          { label: `send to an instance of environment ${other}`, action: 'ssm:SendCommand', resource: a.instance(env, 'i-0fedcba9876543210'), context: { ...tags(options.name, other, 'ssm:resourceTag'), ...tags(options.name, other, 'aws:ResourceTag') } },
          { label: 'send to an instance of another app', action: 'ssm:SendCommand', resource: a.instance(env, 'i-0fedcba9876543211'), context: { ...tags('billing', env, 'ssm:resourceTag'), ...tags('billing', env, 'aws:ResourceTag') } },
          { label: 'send to an untagged instance', action: 'ssm:SendCommand', resource: a.instance(env, 'i-0fedcba9876543212') },
          { label: 'send AWS-RunShellScript', action: 'ssm:SendCommand', resource: a.awsDocument('AWS-RunShellScript') },
          { label: 'send AWS-RunPowerShellScript', action: 'ssm:SendCommand', resource: a.awsDocument('AWS-RunPowerShellScript') },
          { label: `send the deploy document of ${other}`, action: 'ssm:SendCommand', resource: a.document(other) },
          { label: 'open a shell with Session Manager', action: 'ssm:StartSession', resource: a.instance(env), context: tags(options.name, env, 'ssm:resourceTag') },
          { label: 'rewrite its own document', action: 'ssm:UpdateDocument', resource: a.document(env) },
          { label: 'push to another repository', action: 'ecr:PutImage', resource: a.repository('other-app') },
          { label: 'push to a look-alike repository', action: 'ecr:PutImage', resource: a.repository(`${options.name}-evil`) },
          { label: 'delete images', action: 'ecr:BatchDeleteImage', resource: a.repository() },
          { label: 'make tags mutable', action: 'ecr:PutImageTagMutability', resource: a.repository() },
          { label: 'set a repository policy', action: 'ecr:SetRepositoryPolicy', resource: a.repository() },
          { label: `record last-known-good of ${other}`, action: 'ssm:PutParameter', resource: a.lastKnownGood(other) },
          { label: 'write another parameter of its environment', action: 'ssm:PutParameter', resource: a.parameter(`/${options.name}/${env}/other`) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
          { label: 'change its own policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'attach a policy to itself', action: 'iam:AttachRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'change its own trust', action: 'iam:UpdateAssumeRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'pass the instance role', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`) },
          { label: 'launch instances', action: 'ec2:RunInstances', resource: a.instance(env) },
          { label: 'terminate instances', action: 'ec2:TerminateInstances', resource: a.instance(env), context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'read the Terraform state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
        ],
      );
      // THEN it can do exactly its job
      expect(findings).toEqual([]);
    });

    it('plan role: reads what plan refreshes, writes nothing', async () => {
      // GIVEN the applied plan role
      const { options, plan } = applied[preset];
      const a = arn(options);
      const env = options.environments[0]!;
      const role = a.role(`${options.name}-${env}-infra`);
      // WHEN plan's reads and a sample of writes across every service it touches are simulated
      const findings = await permissionFindings(
        plan,
        [
          { label: 'read the state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'list the state bucket', action: 's3:ListBucket', resource: `arn:aws:s3:::${options.name}-tfstate-${account}` },
          { label: 'describe instances', action: 'ec2:DescribeInstances', resource: '*' },
          { label: 'read an application role', action: 'iam:GetRole', resource: role },
          { label: 'read the GitHub provider', action: 'iam:GetOpenIDConnectProvider', resource: githubProvider },
          { label: 'read the deploy document', action: 'ssm:GetDocument', resource: a.document(env) },
          { label: 'read the AMI parameter', action: 'ssm:GetParameter', resource: `arn:aws:ssm:${options.region}:${account}:parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64` },
          { label: 'read the repository', action: 'ecr:DescribeRepositories', resource: a.repository() },
        ],
        [
          { label: 'write the state', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'take the state lock', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate.tflock`) },
          { label: 'delete the state', action: 's3:DeleteObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'change the bucket policy', action: 's3:PutBucketPolicy', resource: `arn:aws:s3:::${options.name}-tfstate-${account}` },
          { label: 'read another bucket', action: 's3:GetObject', resource: 'arn:aws:s3:::payroll-exports/2026.csv' },
          { label: 'launch an instance', action: 'ec2:RunInstances', resource: a.instance(env) },
          { label: 'terminate an instance', action: 'ec2:TerminateInstances', resource: a.instance(env), context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'open a port', action: 'ec2:AuthorizeSecurityGroupIngress', resource: a.securityGroup(env), context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'tag an instance', action: 'ec2:CreateTags', resource: a.instance(env) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
          { label: 'change a role policy', action: 'iam:PutRolePolicy', resource: role },
          { label: 'attach a policy', action: 'iam:AttachRolePolicy', resource: role },
          { label: 'change a trust policy', action: 'iam:UpdateAssumeRolePolicy', resource: role },
          { label: 'pass a role', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`) },
          { label: 'assume a role', action: 'sts:AssumeRole', resource: role },
          { label: 'push an image', action: 'ecr:PutImage', resource: a.repository() },
          { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
          { label: 'delete an image', action: 'ecr:BatchDeleteImage', resource: a.repository() },
          { label: 'run the deploy document', action: 'ssm:SendCommand', resource: a.document(env) },
          { label: 'write a parameter', action: 'ssm:PutParameter', resource: a.lastKnownGood(env) },
          { label: 'change the deploy document', action: 'ssm:UpdateDocument', resource: a.document(env) },
          { label: 'delete the deploy document', action: 'ssm:DeleteDocument', resource: a.document(env) },
          { label: 'create a KMS grant', action: 'kms:CreateGrant', resource: `arn:aws:kms:${options.region}:${account}:key/0b7ef1f6-0d24-4dcb-8d1e-0c7a3b1d2e3f` },
        ],
      );
      // THEN it reads and never writes
      expect(findings).toEqual([]);
    });

    it('plan role: every action any of its statements allows is a Read or List action', async () => {
      // GIVEN every Allow statement of the applied plan role WHEN each action pattern is expanded with iam-data
      const levels = await allowedAccessLevels(applied[preset].plan);
      // THEN none is Write or Tagging: the whole policy is read-only, not just a sample of it
      expect(levels.size).toBeGreaterThan(50);
      expect([...levels].filter(([, level]) => level !== 'Read' && level !== 'List')).toEqual([]);
    });

    it.each(resolvedVariant(preset).environments)('infra role of %s: manages its environment, cannot touch identities', async (env) => {
      // GIVEN the applied infra role of this environment
      const { options, environments } = applied[preset];
      const a = arn(options);
      const other = options.environments.find((e) => e !== env) ?? 'staging';
      const self = a.role(`${options.name}-${env}-infra`);
      const admin = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' };
      // WHEN an apply's requests and escalation attempts are simulated
      const findings = await permissionFindings(
        environments[env]!.infra,
        [
          { label: 'read its state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'write its state', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'take its state lock', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate.tflock`) },
          { label: 'release its state lock', action: 's3:DeleteObject', resource: a.state(`environments/${env}/terraform.tfstate.tflock`) },
          { label: 'launch a tagged instance', action: 'ec2:RunInstances', resource: a.instance(env), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'terminate its instance', action: 'ec2:TerminateInstances', resource: a.instance(env), context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'change its security group', action: 'ec2:AuthorizeSecurityGroupIngress', resource: a.securityGroup(env), context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'create a tagged security group', action: 'ec2:CreateSecurityGroup', resource: a.securityGroup(env), context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'update its deploy document', action: 'ssm:UpdateDocument', resource: a.document(env) },
          { label: 'pass the instance role to EC2', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: 'read roles to refresh them', action: 'iam:GetRole', resource: self },
        ],
        [
          { label: 'change its own policy', action: 'iam:PutRolePolicy', resource: self },
          { label: 'attach AdministratorAccess to itself', action: 'iam:AttachRolePolicy', resource: self, context: admin },
          { label: 'change its own trust', action: 'iam:UpdateAssumeRolePolicy', resource: self },
          { label: 'remove its own permissions boundary', action: 'iam:DeleteRolePermissionsBoundary', resource: self },
          { label: 'attach AdministratorAccess to the instance role', action: 'iam:AttachRolePolicy', resource: a.role(`${options.name}-${env}-instance`), context: admin },
          { label: 'change the instance role policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-instance`) },
          { label: 'change the deploy role policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'change the deploy role trust', action: 'iam:UpdateAssumeRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: `change the infra role of ${other}`, action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${other}-infra`) },
          { label: 'change the plan role', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-plan`) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role(`${options.name}-${env}-escalate`) },
          { label: 'create an access key', action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${account}:user/admin` },
          { label: 'pass itself to EC2', action: 'iam:PassRole', resource: self, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: 'pass the instance role to Lambda', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-instance`), context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
          { label: 'assume the deploy role', action: 'sts:AssumeRole', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: `write the state of ${other}`, action: 's3:PutObject', resource: a.state(`environments/${other}/terraform.tfstate`) },
          { label: 'write the bootstrap state', action: 's3:PutObject', resource: a.state('bootstrap/terraform.tfstate') },
          { label: 'launch an untagged instance', action: 'ec2:RunInstances', resource: a.instance(env) },
          { label: `launch an instance tagged for ${other}`, action: 'ec2:RunInstances', resource: a.instance(env), context: tags(options.name, other, 'aws:RequestTag') },
          { label: `terminate an instance of ${other}`, action: 'ec2:TerminateInstances', resource: a.instance(env), context: tags(options.name, other, 'aws:ResourceTag') },
          { label: 'terminate an instance of another app', action: 'ec2:TerminateInstances', resource: a.instance(env), context: tags('billing', env, 'aws:ResourceTag') },
          { label: `update the deploy document of ${other}`, action: 'ssm:UpdateDocument', resource: a.document(other) },
          { label: 'run AWS-RunShellScript', action: 'ssm:SendCommand', resource: a.awsDocument('AWS-RunShellScript') },
          { label: 'push an image', action: 'ecr:PutImage', resource: a.repository() },
          { label: 'delete the image repository', action: 'ecr:DeleteRepository', resource: a.repository() },
        ],
      );
      // THEN it can apply its environment and cannot escalate
      expect(findings).toEqual([]);
    });

    it('instance role: SSM agent and pulls from its own repository only', async () => {
      const { options, environments } = applied[preset];
      const a = arn(options);
      for (const [env, { instance }] of Object.entries(environments)) {
        const findings = await permissionFindings(
          instance,
          [
            { label: 'register with SSM', action: 'ssm:UpdateInstanceInformation', resource: a.instance(env) },
            { label: 'open the SSM message channel', action: 'ssmmessages:CreateControlChannel', resource: '*' },
            { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
            { label: 'pull its images', action: 'ecr:BatchGetImage', resource: a.repository() },
            { label: 'pull layers', action: 'ecr:GetDownloadUrlForLayer', resource: a.repository() },
          ],
          [
            { label: 'pull from another repository', action: 'ecr:BatchGetImage', resource: a.repository('other-app') },
            { label: 'push images', action: 'ecr:PutImage', resource: a.repository() },
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
    // GIVEN every policy read back: trust, inline and attached, of every role of the preset
    const { plan, environments } = applied[preset];
    // WHEN each is looked up THEN each names (or, with a wildcard, matches) at least one real action
    const { patterns, unknown } = await actionPatterns([plan, ...Object.values(environments).flatMap((e) => [e.deploy, e.infra, e.instance])]);
    expect(patterns.size).toBeGreaterThan(60);
    expect(unknown).toEqual([]);
  });
});

/** A trust policy for the GitHub provider with the right audience and `subject` as its only other condition. */
function githubTrust(subject: Record<string, Record<string, string>>): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: githubProvider },
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, ...subject },
      },
    ],
  };
}

describe('the checks fail on deliberately broken policies', () => {
  it('a trust policy matching sub with StringLike on the owner lets forks of look-alikes and other branches in', async () => {
    // GIVEN a role created in the same IAM with the classic mistake: sub matched with StringLike "repo:acme/*"
    const options = resolvedVariant('default');
    const broken = githubTrust({ StringLike: { 'token.actions.githubusercontent.com:sub': `${subjectPrefix(options)}:*` } });
    await createRole(moto.env, 'demo-broken-deploy', broken);
    const role = await readRole(moto.env, 'demo-broken-deploy');
    // WHEN it is checked with the deploy role's matrix
    const findings = trustFindings(role, trustMatrix(options, { kind: 'deploy', environment: 'production' }));
    // THEN the check fails, naming the way in
    expect(findings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^demo-broken-deploy accepts a pull request/),
        expect.stringMatching(/^demo-broken-deploy accepts another branch/),
        expect.stringMatching(/^demo-broken-deploy accepts a tag/),
      ]),
    );
  });

  it('a trust policy with ForAllValues on sub lets a token without any subject in', async () => {
    // GIVEN sub matched with ForAllValues:StringEquals, which holds vacuously when the key is absent
    const options = resolvedVariant('default');
    const broken = githubTrust({ 'ForAllValues:StringEquals': { 'token.actions.githubusercontent.com:sub': `${subjectPrefix(options)}:environment:production` } });
    await createRole(moto.env, 'demo-forall-deploy', broken);
    const findings = trustFindings(await readRole(moto.env, 'demo-forall-deploy'), trustMatrix(options, { kind: 'deploy', environment: 'production' }));
    expect(findings).toEqual([expect.stringMatching(/^demo-forall-deploy accepts no subject at all/)]);
  });

  it('a deploy policy with a wildcard document lets AWS-RunShellScript through', async () => {
    // GIVEN the applied deploy role's policies with its document statement widened to every document
    const options = resolvedVariant('default');
    const deploy = applied.default.environments.production!.deploy;
    const widened = identityPolicies(deploy).map(({ name, policy }) => ({
      name,
      policy: {
        ...policy,
        Statement: statementsOf(policy).map((s) => (s.Sid === 'RunOwnDeployDocument' ? { ...s, Resource: `arn:aws:ssm:${options.region}:*:document/*` } : s)),
      },
    }));
    // WHEN AWS-RunShellScript is simulated THEN it is allowed: the permission check would catch the widening
    const request = { action: 'ssm:SendCommand', resource: `arn:aws:ssm:${options.region}:${account}:document/AWS-RunShellScript` };
    expect(await permissionAllows(deploy.arn, identityPolicies(deploy), request)).toBe(false);
    expect(await permissionAllows(deploy.arn, widened, request)).toBe(true);
  });
});
