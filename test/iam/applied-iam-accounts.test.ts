import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../src/options/index.js';
import { templateData, type TemplateData } from '../../src/render/template-data.js';
import { awsJson as aws } from '../support/aws-cli.js';
import { accountEnv, startMoto, type MotoServer } from '../support/moto.js';
import { accountPresetNamesFor, testGeneratorVersion, type PresetName } from '../support/presets.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { prepareForMoto, renderVariant, requireTerraform, resolvedVariant, terraform } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { identityPolicies, readRoles, type AppliedRole } from './applied-roles.js';
import { permissionAllows, statementsOf, trustAllows, type PermissionRequest, type PolicyDocument } from './simulator.js';
import { githubProviderOf, subjectPrefix, trustFindings, trustMatrix } from './trust-cases.js';

// Environments in separate accounts, as applied: the roles, their policies and the registry's repository policy are
// read back from each account of one moto server (assume-role into an account acts in it) after a real `terraform
// apply` of each root with that account's credentials, and evaluated with iam-simulate, across accounts as AWS
// decides: a request into another account needs both the caller's policies and the resource's policy. What only the
// full roots create (instances, the state bucket's settings) is applied by test/terraform/apply-accounts.test.ts.

interface AccountRoles {
  readonly options: ResolvedOptions;
  readonly data: TemplateData;
  /** Account id → its plan role. */
  readonly plan: Record<string, AppliedRole>;
  /** Per environment: its deploy and infra roles, and the role that pulls the image (`readerKind` of its target). */
  readonly environments: Record<string, { deploy: AppliedRole; infra: AppliedRole; reader: AppliedRole }>;
  /** Every role of every account, with the account it was read from. */
  readonly all: readonly { account: string; role: AppliedRole }[];
  /** The registry's repository policy. */
  readonly repositoryPolicy: PolicyDocument;
}

/**
 * What differs by target: which role pulls the image in a later account (ec2: the instance role; eks: the node group's
 * role, the kubelet pulling), the resources that make the roles and their policies (applied with -target), and whether
 * the later deploy roles read the registry (ec2's rollback.sh reads image tags; eks rolls back Kubernetes revisions).
 */
const byTarget = {
  ec2: {
    readerKind: 'instance',
    // ec2-app's instance role is granted these three on the repository
    pulls: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
    targets: ['module.github_oidc_roles', 'module.ec2_app.aws_iam_role_policy_attachment.ssm_core', 'module.ec2_app.aws_iam_role_policy.pull', 'module.ec2_app.aws_iam_role_policy.service'],
    deployReadsTags: true,
  },
  eks: {
    readerKind: 'node',
    // what AmazonEC2ContainerRegistryPullOnly grants the node role and a pull by the kubelet calls (it does not call
    // ecr:BatchCheckLayerAvailability, a push's check)
    pulls: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    targets: ['module.github_oidc_roles', 'module.eks_cluster.aws_iam_role_policy_attachment.node'],
    deployReadsTags: false,
  },
} as const;

const presetNames = [...accountPresetNamesFor('ec2'), ...accountPresetNamesFor('eks')];
let moto: MotoServer;
const applied = {} as Record<PresetName, AccountRoles>;

beforeAll(async () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');
  moto = await startMoto();
  await Promise.all(
    presetNames.map(async (preset) => {
      const options = resolvedVariant(preset);
      const data = templateData(options, testGeneratorVersion);
      const [bootstrap, ...roots] = prepareForMoto(writeFiles(tempDir(`iam-accounts-${preset}-`), renderVariant(preset)), options.environments);
      const admin = Object.fromEntries(await Promise.all(data.accounts.list.map(async (a) => [a.id, await accountEnv(moto, a.id)] as const)));
      // The bootstrap once per account (a workspace each), with the account's environments: its roles and, in the
      // registry's account, the repository and its policy. Then each environment's roles, in its account.
      await terraform(bootstrap!, ['init', '-input=false'], { env: moto.env });
      for (const account of data.accounts.list) await terraform(bootstrap!, ['workspace', 'new', account.id], { env: moto.env });
      await Promise.all(
        data.accounts.list.map((account) =>
          terraform(bootstrap!, ['apply', '-auto-approve', '-input=false', '-var', `environments=${JSON.stringify(account.environments)}`, '-target=module.github_oidc_roles', '-target=module.ecr'], {
            env: { ...admin[account.id]!, TF_WORKSPACE: account.id },
          }),
        ),
      );
      await Promise.all(
        data.environments.map(async (env, i) => {
          const credentials = admin[env.accountId!]!;
          await terraform(roots[i]!, ['init', '-input=false'], { env: credentials });
          const { targets } = byTarget[options.target as keyof typeof byTarget];
          await terraform(roots[i]!, ['apply', '-auto-approve', '-input=false', ...targets.map((t) => `-target=${t}`)], { env: credentials });
        }),
      );
      const plan: Record<string, AppliedRole> = {};
      const environments: AccountRoles['environments'] = {};
      const all: { account: string; role: AppliedRole }[] = [];
      for (const account of data.accounts.list) {
        const { readerKind } = byTarget[options.target as keyof typeof byTarget];
        const names = [`${options.name}-plan`, ...account.environments.flatMap((env) => ['deploy', 'infra', readerKind].map((kind) => `${options.name}-${env}-${kind}`))];
        const roles = await readRoles(admin[account.id]!, names);
        plan[account.id] = roles.get(`${options.name}-plan`)!;
        for (const env of account.environments) {
          const role = (kind: string) => roles.get(`${options.name}-${env}-${kind}`)!;
          environments[env] = { deploy: role('deploy'), infra: role('infra'), reader: role(readerKind) };
        }
        all.push(...[...roles.values()].map((role) => ({ account: account.id, role })));
      }
      const registry = data.accounts.artifactAccountId!;
      const policy = await aws<{ policyText: string }>(admin[registry]!, ['ecr', 'get-repository-policy', '--repository-name', options.name]);
      applied[preset] = { options, data, plan, environments, all, repositoryPolicy: JSON.parse(policy.policyText) as PolicyDocument };
    }),
  );
}, 600_000);

afterAll(async () => {
  await moto?.stop();
});

/** Findings, one line each: allowed cases that are denied, denied cases that are allowed. */
async function findings(role: AppliedRole, allowed: readonly (PermissionRequest & { label: string })[], denied: readonly (PermissionRequest & { label: string })[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of allowed) if (!(await permissionAllows(role.arn, identityPolicies(role), c))) found.push(`${role.name} cannot ${c.label}`);
  for (const c of denied) if (await permissionAllows(role.arn, identityPolicies(role), c)) found.push(`${role.name} CAN ${c.label}`);
  return found;
}

describe.each(presetNames)('IAM across the accounts of preset %s, as applied', (preset) => {
  const arns = () => {
    const { options, data } = applied[preset];
    const registry = data.accounts.artifactAccountId!;
    return {
      registry,
      repository: (name = options.name, account = registry) => `arn:aws:ecr:${options.region}:${account}:repository/${name}`,
      role: (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`,
      state: (account: string, key: string) => `arn:aws:s3:::${options.name}-tfstate-${account}/${key}`,
      parameter: (account: string, path: string) => `arn:aws:ssm:${options.region}:${account}:parameter${path}`,
    };
  };

  it('every role trusts exactly its subjects, through its own account’s provider only', () => {
    // GIVEN every GitHub-assumed role of every account, and the matrices of tokens each must accept and refuse
    const { options, data, plan, environments } = applied[preset];
    const problems: string[] = [];
    for (const account of data.accounts.list) {
      problems.push(...trustFindings(plan[account.id]!, trustMatrix(options, { kind: 'plan' }, githubProviderOf(account.id))));
    }
    for (const env of data.environments) {
      for (const kind of ['deploy', 'infra'] as const) problems.push(...trustFindings(environments[env.name]![kind], trustMatrix(options, { kind, environment: env.name }, githubProviderOf(env.accountId!))));
    }
    // THEN each accepts exactly its own and refuses the rest
    expect(problems).toEqual([]);
  });

  it("no role in one account trusts another account's OIDC provider", () => {
    // GIVEN every role read back from every account
    const { data, all } = applied[preset];
    const problems: string[] = [];
    for (const { account, role } of all) {
      // WHEN its trust policy's federated principals are listed THEN they are its own account's provider, or none
      const federated = statementsOf(role.trust).flatMap((s) => [(s.Principal as { Federated?: string | string[] } | undefined)?.Federated ?? []].flat());
      for (const provider of federated) if (provider !== githubProviderOf(account)) problems.push(`${role.name} in ${account} trusts ${provider}`);
      // AND a token that every other account's provider vouches for, with the role's own subjects, is refused
      for (const other of data.accounts.list.filter((a) => a.id !== account)) {
        for (const statement of statementsOf(role.trust)) {
          const subjects = [statement.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub'] ?? []].flat();
          for (const sub of subjects) {
            if (trustAllows(role.trust, role.arn, { provider: githubProviderOf(other.id), sub, aud: 'sts.amazonaws.com' })) problems.push(`${role.name} in ${account} accepts ${sub} from ${other.id}'s provider`);
          }
        }
      }
    }
    expect(all.length).toBeGreaterThan(6);
    expect(problems).toEqual([]);
  });

  it('a token of an earlier environment cannot assume any role of a later account, nor can that environment’s roles, nor read its state', async () => {
    // GIVEN the first environment (dev), its roles, and every role of the accounts that do not host it
    const { options, data, all, environments } = applied[preset];
    const first = data.firstEnvironment;
    const devSubject = `${subjectPrefix(options)}:environment:${first.name}`;
    const laterRoles = all.filter(({ account }) => account !== first.accountId);
    expect(laterRoles.length).toBeGreaterThan(3);
    const problems: string[] = [];
    for (const { account, role } of laterRoles) {
      // WHEN a dev token is presented, through that account's provider or dev's own
      for (const provider of [githubProviderOf(account), githubProviderOf(first.accountId!)]) {
        if (trustAllows(role.trust, role.arn, { provider, sub: devSubject, aud: 'sts.amazonaws.com' })) problems.push(`${role.name} accepts a ${first.name} token from ${provider}`);
      }
      // AND dev's deploy, infra and instance (or node) roles ask for it with sts:AssumeRole (their policies, and its trust)
      for (const devRole of Object.values(environments[first.name]!)) {
        const request = { action: 'sts:AssumeRole', resource: role.arn, resourceAccount: account, resourcePolicy: role.trust };
        if (await permissionAllows(devRole.arn, identityPolicies(devRole), request)) problems.push(`${devRole.name} can assume ${role.name}`);
      }
    }
    // AND dev's infra and plan roles reach no later account's state (no bucket there grants them anything)
    const a = arns();
    for (const env of data.accounts.crossAccountEnvironments) {
      const key = `environments/${env.name}/terraform.tfstate`;
      for (const role of [environments[first.name]!.infra, applied[preset].plan[first.accountId!]!]) {
        for (const action of ['s3:GetObject', 's3:PutObject']) {
          const request = { action, resource: a.state(env.accountId!, key), resourceAccount: env.accountId! };
          if (await permissionAllows(role.arn, identityPolicies(role), request)) problems.push(`${role.name} can ${action} ${env.name}'s state`);
        }
      }
    }
    // THEN none gets in
    expect(problems).toEqual([]);
  });

  it("a later environment's instance role (eks: node role) pulls what the first environment pushed, and nothing else of the registry's account", async () => {
    // GIVEN the registry's repository (in the first environment's account), as applied, and its policy
    const { options, data, environments, repositoryPolicy } = applied[preset];
    const a = arns();
    // A request into the registry's account, with the resource's policy (the repository's by default; null: none).
    const inRegistry = (request: Omit<PermissionRequest, 'resourceAccount' | 'resourcePolicy'>, policy: PolicyDocument | null = repositoryPolicy) => ({
      ...request,
      resourceAccount: a.registry,
      ...(policy ? { resourcePolicy: policy } : {}),
    });
    const pull = [...byTarget[options.target as keyof typeof byTarget].pulls];
    // THEN the first environment's deploy role pushes there (its own account)
    const first = data.firstEnvironment;
    expect(
      await findings(
        environments[first.name]!.deploy,
        ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'].map((action) => ({ label: `${action} to the registry`, ...inRegistry({ action, resource: a.repository() }) })),
        ['ecr:BatchDeleteImage', 'ecr:PutImageTagMutability', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepository'].map((action) => ({ label: `${action} on the registry`, ...inRegistry({ action, resource: a.repository() }) })),
      ),
    ).toEqual([]);
    expect(data.accounts.crossAccountEnvironments.length).toBeGreaterThan(0);
    for (const env of data.accounts.crossAccountEnvironments) {
      const account = env.accountId!;
      const { reader: instance, deploy, infra } = environments[env.name]!;
      // AND each later environment's instance role (eks: node role) pulls it across accounts, and does nothing else there
      expect(
        await findings(
          instance,
          [
            { label: 'log in to ECR (its own account issues the token)', action: 'ecr:GetAuthorizationToken', resource: '*' },
            ...pull.map((action) => ({ label: `${action} from the registry`, ...inRegistry({ action, resource: a.repository() }) })),
          ],
          [
            ...['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:BatchDeleteImage', 'ecr:DescribeImages', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepository', 'ecr:PutImageTagMutability'].map((action) => ({
              label: `${action} on the registry`,
              ...inRegistry({ action, resource: a.repository() }),
            })),
            { label: 'pull from another repository of the registry’s account', ...inRegistry({ action: 'ecr:BatchGetImage', resource: a.repository('other-app') }, null) },
            { label: `read ${first.name}'s state`, ...inRegistry({ action: 's3:GetObject', resource: a.state(a.registry, `environments/${first.name}/terraform.tfstate`) }, null) },
            { label: `read ${first.name}'s last-known-good image`, ...inRegistry({ action: 'ssm:GetParameter', resource: a.parameter(a.registry, `/${options.name}/${first.name}/last-known-good-image`) }, null) },
            ...Object.values(environments[first.name]!).map((role) => ({ label: `assume ${role.name}`, ...inRegistry({ action: 'sts:AssumeRole', resource: role.arn }, role.trust) })),
          ],
        ),
      ).toEqual([]);
      // AND its deploy role reads image tags there (ec2: rollback.sh finds an image's commit from them; eks reads
      // nothing there), and never pushes, least of all into another account
      const readTags = { label: 'read image tags in the registry', ...inRegistry({ action: 'ecr:DescribeImages', resource: a.repository() }) };
      const { deployReadsTags } = byTarget[options.target as keyof typeof byTarget];
      expect(
        await findings(
          deploy,
          deployReadsTags ? [readTags] : [],
          [
            ...(deployReadsTags ? [] : [readTags]),
            ...['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload', ...pull].map((action) => ({ label: `${action} in the registry`, ...inRegistry({ action, resource: a.repository() }) })),
            { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
          ],
        ),
      ).toEqual([]);
      // AND another role of that account with a policy granting pulls (its infra role, given one here) is still
      // refused by the repository policy: only the roles it names get in
      const widened = [...identityPolicies(infra), { name: 'widened', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: pull, Resource: a.repository() }] } }];
      for (const action of pull) {
        expect(await permissionAllows(infra.arn, widened, inRegistry({ action, resource: a.repository() })), `${infra.name} ${action}`).toBe(false);
        // (the same policy in the registry's own account would be enough: the refusal is the repository policy's)
        expect(await permissionAllows(infra.arn.replace(account, a.registry), widened, { action, resource: a.repository() })).toBe(true);
      }
      // AND without the repository policy, its instance role could not pull at all: the grant is the policy's
      expect(await permissionAllows(instance.arn, identityPolicies(instance), inRegistry({ action: 'ecr:BatchGetImage', resource: a.repository() }, null))).toBe(false);
    }
  });
});
