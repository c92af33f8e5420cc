import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../src/options/index.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { singleAccountPresetNamesFor, type PresetName } from '../support/presets.js';
import { requireTerraform, resolvedVariant } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { applyRoles } from './apply-roles.js';
import { createGitHubOidcProvider, identityPolicies, type AppliedRole } from './applied-roles.js';
import { expandAction, list, permissionAllows, statementsOf } from './simulator.js';
import { actionPatterns, allowedAccessLevels, permissionFindings, projectedPolicySizes, tags } from './permission-cases.js';
import { account, githubProvider, trustFindings, trustMatrix } from './trust-cases.js';

// The eks target's roles, read back from IAM after a real `terraform apply` against moto and evaluated with
// iam-simulate: the GitHub-assumable roles (plan, and per environment deploy and infra) against the hostile-subject
// matrix of test/iam/trust-cases.ts, what each may and may not do, and the roles AWS services assume (control plane,
// nodes, the pods' role through EKS Pod Identity). Only the roles and what they reference are applied (-target); the
// whole environment is applied by test/terraform/apply-eks.test.ts.

// (the preset with accounts is applied account by account: test/iam/applied-iam-accounts.test.ts)
const presetNames = singleAccountPresetNamesFor('eks');

interface Applied {
  readonly options: ResolvedOptions;
  readonly plan: AppliedRole;
  readonly environments: Record<string, Record<'deploy' | 'infra' | 'cluster' | 'node', AppliedRole> & { pod?: AppliedRole }>;
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
      const pod = resolvedVariant(preset).serviceIamStatements.length > 0;
      const { options, plan, role } = await applyRoles({ ...moto.env, AWS_REGION: resolvedVariant(preset).region, AWS_DEFAULT_REGION: resolvedVariant(preset).region }, preset, {
        environmentTargets: [
          'module.github_oidc_roles',
          'module.eks_cluster.aws_iam_role_policy_attachment.cluster',
          'module.eks_cluster.aws_iam_role_policy_attachment.node',
          ...(pod ? ['module.eks_cluster.aws_iam_role_policy.pod'] : []),
        ],
        kinds: ['deploy', 'infra', 'cluster', 'node', ...(pod ? ['pod'] : [])],
      });
      const environments: Applied['environments'] = {};
      for (const env of options.environments) {
        environments[env] = { deploy: role(env, 'deploy'), infra: role(env, 'infra'), cluster: role(env, 'cluster'), node: role(env, 'node'), ...(pod ? { pod: role(env, 'pod') } : {}) };
      }
      applied[preset] = { options, plan, environments };
    }),
  );
}, 900_000);

afterAll(async () => {
  await moto?.stop();
});

const arns = (options: ResolvedOptions) => {
  const eks = `arn:aws:eks:${options.region}:${account}`;
  const ec2 = `arn:aws:ec2:${options.region}:${account}`;
  return {
    cluster: (env: string, app = options.name) => `${eks}:cluster/${app}-${env}`,
    nodegroup: (env: string) => `${eks}:nodegroup/${options.name}-${env}/${options.name}-${env}-default/0a1b2c3d`,
    accessEntry: (env: string) => `${eks}:access-entry/${options.name}-${env}/role/${account}/attacker/0a1b2c3d`,
    repository: (name = options.name) => `arn:aws:ecr:${options.region}:${account}:repository/${name}`,
    role: (name: string) => `arn:aws:iam::${account}:role/${name}`,
    state: (key: string) => `arn:aws:s3:::${options.name}-tfstate-${account}/${key}`,
    vpc: `${ec2}:vpc/vpc-0123456789abcdef0`,
    subnet: `${ec2}:subnet/subnet-0123456789abcdef0`,
    securityGroup: `${ec2}:security-group/sg-0123456789abcdef0`,
    key: `arn:aws:kms:${options.region}:${account}:key/0b7ef1f6-0d24-4dcb-8d1e-0c7a3b1d2e3f`,
  };
};

/** A KMS key's default policy (what the eks-cluster module's key has): IAM policies of the account decide. */
const defaultKeyPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
};

/** Every action (canonical case) an Allow statement of the role's policies grants, wildcards expanded. */
async function allowedActions(role: AppliedRole): Promise<Map<string, string[]>> {
  const actions = new Map<string, string[]>();
  for (const { policy } of identityPolicies(role)) {
    for (const statement of statementsOf(policy).filter((s) => s.Effect === 'Allow')) {
      for (const pattern of list(statement.Action)) for (const action of await expandAction(pattern)) actions.set(action, [...(actions.get(action) ?? []), ...list(statement.Resource)]);
    }
  }
  return actions;
}

describe.each(presetNames)('IAM of preset %s (eks), as applied', (preset) => {
  describe('trust: every intended subject is accepted, every hostile one refused', () => {
    it('plan role', () => {
      const { options, plan } = applied[preset];
      const matrix = trustMatrix(options, { kind: 'plan' });
      expect(matrix.hostile.length).toBeGreaterThanOrEqual(12);
      expect(trustFindings(plan, matrix)).toEqual([]);
    });

    it('deploy and infra roles of every environment', () => {
      const { options, environments } = applied[preset];
      for (const env of options.environments) {
        for (const kind of ['deploy', 'infra'] as const) {
          const matrix = trustMatrix(options, { kind, environment: env });
          expect(trustFindings(environments[env]![kind], matrix)).toEqual([]);
          expect(environments[env]![kind].maxSessionDuration).toBe(3600);
        }
      }
    });

    it('the control plane role is assumable by EKS only, the node role by EC2 only', () => {
      for (const { cluster, node } of Object.values(applied[preset].environments)) {
        expect(statementsOf(cluster.trust)).toEqual([expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' } })]);
        expect(statementsOf(node.trust)).toEqual([expect.objectContaining({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } })]);
      }
    });
  });

  describe('permissions', () => {
    it.each(resolvedVariant(preset).environments)('deploy role of %s: pushes its image and describes its own cluster; writes no IAM', async (env) => {
      // GIVEN the applied deploy role
      const { options, environments } = applied[preset];
      const a = arns(options);
      const other = options.environments.find((e) => e !== env) ?? 'staging';
      const deploy = environments[env]!.deploy;
      // WHEN a deploy's requests and an attacker's are simulated
      const findings = await permissionFindings(
        deploy,
        [
          { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
          ...['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability', 'ecr:DescribeImages'].map((action) => ({ label: `${action} on its repository`, action, resource: a.repository() })),
          { label: 'describe its cluster (update-kubeconfig)', action: 'eks:DescribeCluster', resource: a.cluster(env) },
        ],
        [
          { label: `describe the cluster of ${other}`, action: 'eks:DescribeCluster', resource: a.cluster(other) },
          { label: 'describe a cluster of another app', action: 'eks:DescribeCluster', resource: a.cluster(env, 'billing') },
          { label: 'list clusters', action: 'eks:ListClusters', resource: '*' },
          { label: 'grant itself an access entry', action: 'eks:CreateAccessEntry', resource: a.cluster(env) },
          { label: 'associate cluster admin', action: 'eks:AssociateAccessPolicy', resource: a.accessEntry(env) },
          { label: 'open the public endpoint', action: 'eks:UpdateClusterConfig', resource: a.cluster(env) },
          { label: 'scale the node group', action: 'eks:UpdateNodegroupConfig', resource: a.nodegroup(env) },
          { label: 'delete the cluster', action: 'eks:DeleteCluster', resource: a.cluster(env) },
          { label: 'push to another repository', action: 'ecr:PutImage', resource: a.repository('other-app') },
          { label: 'delete images', action: 'ecr:BatchDeleteImage', resource: a.repository() },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role('attacker') },
          { label: 'change its own policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'attach a policy to the node role', action: 'iam:AttachRolePolicy', resource: a.role(`${options.name}-${env}-node`) },
          { label: 'pass the node role', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-node`) },
          { label: 'read the Terraform state', action: 's3:GetObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
        ],
      );
      expect(findings).toEqual([]);
      // AND the whole policy, expanded: no IAM action at all, and the only EKS action is DescribeCluster on its cluster
      const actions = await allowedActions(deploy);
      expect([...actions.keys()].filter((action) => action.startsWith('iam:'))).toEqual([]);
      expect([...actions.entries()].filter(([action]) => action.startsWith('eks:'))).toEqual([['eks:DescribeCluster', [a.cluster(env)]]]);
    });

    it('plan role: every action any of its statements allows is a Read or List action', async () => {
      const levels = await allowedAccessLevels(applied[preset].plan);
      expect(levels.size).toBeGreaterThan(40);
      expect([...levels].filter(([, level]) => level !== 'Read' && level !== 'List')).toEqual([]);
    });

    it('plan role: reads the clusters and keys of this app, nothing of another app', async () => {
      const { options, plan } = applied[preset];
      const a = arns(options);
      const env = options.environments[0]!;
      const findings = await permissionFindings(
        plan,
        [
          { label: 'describe the cluster', action: 'eks:DescribeCluster', resource: a.cluster(env) },
          { label: 'describe the node group', action: 'eks:DescribeNodegroup', resource: a.nodegroup(env) },
          { label: 'read a tagged key', action: 'kms:DescribeKey', resource: a.key, context: { 'aws:ResourceTag/App': options.name }, resourcePolicy: defaultKeyPolicy },
        ],
        [
          { label: 'describe a cluster of another app', action: 'eks:DescribeCluster', resource: a.cluster(env, 'billing') },
          { label: "read another app's key", action: 'kms:DescribeKey', resource: a.key, context: { 'aws:ResourceTag/App': 'billing' }, resourcePolicy: defaultKeyPolicy },
          { label: 'decrypt with a key', action: 'kms:Decrypt', resource: a.key, context: { 'aws:ResourceTag/App': options.name }, resourcePolicy: defaultKeyPolicy },
        ],
      );
      expect(findings).toEqual([]);
    });

    it.each(resolvedVariant(preset).environments)('infra role of %s: manages its cluster and tagged resources, cannot touch identities', async (env) => {
      const { options, environments } = applied[preset];
      const a = arns(options);
      const other = options.environments.find((e) => e !== env) ?? 'staging';
      const self = a.role(`${options.name}-${env}-infra`);
      const admin = { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' };
      const findings = await permissionFindings(
        environments[env]!.infra,
        [
          { label: 'write its state', action: 's3:PutObject', resource: a.state(`environments/${env}/terraform.tfstate`) },
          { label: 'change its cluster', action: 'eks:UpdateClusterConfig', resource: a.cluster(env) },
          { label: 'scale its node group', action: 'eks:UpdateNodegroupConfig', resource: a.nodegroup(env) },
          { label: 'create an access entry in its cluster', action: 'eks:CreateAccessEntry', resource: a.cluster(env) },
          { label: 'pass the node role to EKS', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-node`), context: { 'iam:PassedToService': 'eks.amazonaws.com' } },
          { label: 'pass the cluster role to EKS', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-cluster`), context: { 'iam:PassedToService': 'eks.amazonaws.com' } },
          { label: 'create a tagged VPC', action: 'ec2:CreateVpc', resource: a.vpc, context: tags(options.name, env, 'aws:RequestTag') },
          { label: 'delete its subnet', action: 'ec2:DeleteSubnet', resource: a.subnet, context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'open a port of its security group', action: 'ec2:AuthorizeSecurityGroupIngress', resource: a.securityGroup, context: tags(options.name, env, 'aws:ResourceTag') },
          { label: 'rotate its key', action: 'kms:EnableKeyRotation', resource: a.key, context: tags(options.name, env, 'aws:ResourceTag'), resourcePolicy: defaultKeyPolicy },
        ],
        [
          { label: 'change its own policy', action: 'iam:PutRolePolicy', resource: self },
          { label: 'attach AdministratorAccess to the node role', action: 'iam:AttachRolePolicy', resource: a.role(`${options.name}-${env}-node`), context: admin },
          { label: 'change the pod role policy', action: 'iam:PutRolePolicy', resource: a.role(`${options.name}-${env}-pod`) },
          { label: 'change the deploy role trust', action: 'iam:UpdateAssumeRolePolicy', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: 'create a role', action: 'iam:CreateRole', resource: a.role(`${options.name}-${env}-escalate`) },
          { label: 'pass the node role to EC2', action: 'iam:PassRole', resource: a.role(`${options.name}-${env}-node`), context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
          { label: 'pass itself to EKS', action: 'iam:PassRole', resource: self, context: { 'iam:PassedToService': 'eks.amazonaws.com' } },
          { label: 'assume the deploy role', action: 'sts:AssumeRole', resource: a.role(`${options.name}-${env}-deploy`) },
          { label: `change the cluster of ${other}`, action: 'eks:UpdateClusterConfig', resource: a.cluster(other) },
          { label: `delete the cluster of ${other}`, action: 'eks:DeleteCluster', resource: a.cluster(other) },
          { label: 'change a cluster of another app', action: 'eks:UpdateClusterConfig', resource: a.cluster(env, 'billing') },
          { label: `write the state of ${other}`, action: 's3:PutObject', resource: a.state(`environments/${other}/terraform.tfstate`) },
          { label: 'create an untagged VPC', action: 'ec2:CreateVpc', resource: a.vpc },
          { label: `delete a subnet of ${other}`, action: 'ec2:DeleteSubnet', resource: a.subnet, context: tags(options.name, other, 'aws:ResourceTag') },
          { label: 'delete an untagged subnet', action: 'ec2:DeleteSubnet', resource: a.subnet },
          { label: "schedule deletion of another app's key", action: 'kms:ScheduleKeyDeletion', resource: a.key, context: tags('billing', env, 'aws:ResourceTag'), resourcePolicy: defaultKeyPolicy },
          { label: 'change a key policy', action: 'kms:PutKeyPolicy', resource: a.key, context: tags(options.name, env, 'aws:ResourceTag'), resourcePolicy: defaultKeyPolicy },
          { label: 'push an image', action: 'ecr:PutImage', resource: a.repository() },
        ],
      );
      expect(findings).toEqual([]);
    });
  });

  it("the pods' role: only this cluster's Pod Identity, for this namespace and service account", () => {
    const { options, environments } = applied[preset];
    for (const [env, roles] of Object.entries(environments)) {
      if (!roles.pod) continue;
      const cluster = arns(options).cluster(env);
      const namespace = options.namespace ?? options.name;
      const [statement] = statementsOf(roles.pod.trust);
      expect(statement).toMatchObject({ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } });
      expect(statement!.Condition?.StringEquals).toMatchObject({
        'aws:SourceAccount': account,
        'aws:RequestTag/eks-cluster-arn': cluster,
        'aws:RequestTag/kubernetes-namespace': namespace,
        'aws:RequestTag/kubernetes-service-account': options.name,
      });
    }
    expect(Object.values(environments).some((roles) => roles.pod) || options.serviceIamStatements.length === 0).toBe(true);
  });

  it("every role's policies fit IAM's quotas (inline 10,240 characters a role, managed 6,144 each), with the longest name, environments and region the options allow", () => {
    const { options, plan, environments } = applied[preset];
    const { over, grows } = projectedPolicySizes(options, [plan, ...Object.values(environments).flatMap((e) => [e.deploy, e.infra, e.cluster, e.node, ...(e.pod ? [e.pod] : [])])]);
    expect(over).toEqual([]);
    // AND the projection projects: the largest policy grows with the names
    expect(grows).toBeGreaterThan(200);
  });

  it('every action in every policy of every role exists (iam-data)', async () => {
    const { plan, environments } = applied[preset];
    const roles = [plan, ...Object.values(environments).flatMap((e) => [e.deploy, e.infra, e.cluster, e.node, ...(e.pod ? [e.pod] : [])])];
    const { patterns, unknown } = await actionPatterns(roles);
    expect(patterns.size).toBeGreaterThan(60);
    expect(unknown).toEqual([]);
  });
});

describe('the checks fail on a deliberately broken deploy policy', () => {
  it('a deploy role with eks:DescribeCluster on every cluster is caught', async () => {
    const preset = presetNames[0]!;
    const { options, environments } = applied[preset];
    const env = options.environments[0]!;
    const deploy = environments[env]!.deploy;
    const widened = identityPolicies(deploy).map(({ name, policy }) => ({
      name,
      policy: { ...policy, Statement: statementsOf(policy).map((s) => (s.Sid === 'DescribeOwnCluster' ? { ...s, Resource: `arn:aws:eks:${options.region}:*:cluster/*` } : s)) },
    }));
    const request = { action: 'eks:DescribeCluster', resource: arns(options).cluster(env, 'billing') };
    expect(await permissionAllows(deploy.arn, identityPolicies(deploy), request)).toBe(false);
    expect(await permissionAllows(deploy.arn, widened, request)).toBe(true);
  });
});
