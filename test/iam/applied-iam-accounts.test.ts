import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedOptions } from '../../src/options/index.js';
import { templateData, type TemplateData } from '../../src/render/template-data.js';
import { awsJson as aws } from '../support/aws-cli.js';
import { ecsEnvironment } from '../../src/components/compute-ecs.js';
import { ecsRolesOnly } from '../support/ecs-accounts.js';
import { accountEnv, startMoto, type MotoServer } from '../support/moto.js';
import { accountPresetNamesFor, presets, targetOf, testGeneratorVersion, type PresetName } from '../support/presets.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { prepareForMoto, renderVariant, requireTerraform, resolvedVariant, terraform } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { identityPolicies, readRoles, type AppliedRole } from './applied-roles.js';
import { permissionFindings } from './permission-cases.js';
import { permissionAllows, statementsOf, trustAllows, type PermissionRequest, type PolicyDocument } from './simulator.js';
import { githubProviderOf, subjectPrefix, trustFindings, trustMatrix } from './trust-cases.js';

// Environments in separate accounts, as applied: the roles, their policies and the registry's repository policy are
// read back from each account of one moto server (assume-role into an account acts in it) after a real `terraform
// apply` of each root with that account's credentials, and evaluated with iam-simulate, across accounts as AWS
// decides: a request into another account needs both the caller's policies and the resource's policy. What only the
// full roots create (instances, the state bucket's settings) is applied by test/terraform/apply-accounts.test.ts.
// The artifact store is the image repository for ec2 (its repository policy), one repository per service for ecs (each
// pulled by its own service's execution role; test/support/ecs-accounts.ts says what of an ecs root is applied), the
// release bucket for asg (its bucket policy).

interface AccountRoles {
  readonly options: ResolvedOptions;
  readonly data: TemplateData;
  /** Account id → its plan role. */
  readonly plan: Record<string, AppliedRole>;
  /** Per environment: its GitHub roles, and the roles that read the artifact (ec2, asg: the instance role; ecs: each execution role; eks: the node role). */
  readonly environments: Record<string, { deploy: AppliedRole; infra: AppliedRole; pullers: readonly Puller[] }>;
  /** Every role of every account, with the account it was read from. */
  readonly all: readonly { account: string; role: AppliedRole }[];
  /** The registry's repositories (ec2: one; ecs: one per service), each with its policy as applied; none for asg. */
  readonly repositories: Record<string, PolicyDocument>;
  /** The release bucket's policy (asg only). */
  readonly bucketPolicy?: PolicyDocument;
  /** A parameter of the first environment no other account's role may read, under `/<name>/<first>/`. */
  readonly firstEnvironmentParameter: string;
}

/** A role that reads the artifact, and the repository it pulls from (ec2, ecs; asg: the app's name). */
interface Puller {
  readonly role: AppliedRole;
  readonly repository: string;
}

const presetNames = [...accountPresetNamesFor('ec2'), ...accountPresetNamesFor('asg'), ...accountPresetNamesFor('ecs'), ...accountPresetNamesFor('eks')];
const isAsg = (preset: PresetName) => targetOf(presets[preset]) === 'asg';
/** What each target's roots must apply for its roles, their policies and the artifact store's policy to exist. */
const applyTargets = {
  ec2: {
    bootstrap: ['module.github_oidc_roles', 'module.ecr'],
    environment: ['module.github_oidc_roles', 'module.ec2_app.aws_iam_role_policy_attachment.ssm_core', 'module.ec2_app.aws_iam_role_policy.pull', 'module.ec2_app.aws_iam_role_policy.service'],
  },
  asg: {
    bootstrap: ['module.github_oidc_roles', 'module.release_bucket'],
    environment: ['module.github_oidc_roles', 'module.fleet.aws_iam_role_policy_attachment.ssm_core', 'module.fleet.aws_iam_role_policy.releases', 'module.fleet.aws_iam_role_policy.service'],
  },
  // ecs environments: ecsRolesOnly (test/support/ecs-accounts.ts).
  ecs: { bootstrap: ['module.github_oidc_roles', 'module.ecr'], environment: [] as string[] },
  eks: { bootstrap: ['module.github_oidc_roles', 'module.ecr'], environment: ['module.github_oidc_roles', 'module.eks_cluster.aws_iam_role_policy_attachment.node'] },
};
/**
 * What a pulling role is granted on the repository: ec2-app's and ecs's policies grant these three; eks's node role has
 * AmazonEC2ContainerRegistryPullOnly, what a pull by the kubelet calls (not ecr:BatchCheckLayerAvailability, a push's check).
 */
const pullActions = (target: string) => ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', ...(target === 'eks' ? [] : ['ecr:BatchCheckLayerAvailability'])];
/** Whether a later environment's deploy role reads image tags in the registry: rollback.sh does for ec2 and ecs; eks rolls back Kubernetes revisions. */
const deployReadsTags = (target: string) => target !== 'eks';
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
      const target = targetOf(options) as keyof typeof applyTargets;
      const ecs = target === 'ecs';
      const targets = applyTargets[target];
      const admin = Object.fromEntries(await Promise.all(data.accounts.list.map(async (a) => [a.id, await accountEnv(moto, a.id)] as const)));
      // The bootstrap once per account (a workspace each), with the account's environments: its roles and, in the
      // registry's account, the repository and its policy. Then each environment's roles, in its account.
      await terraform(bootstrap!, ['init', '-input=false'], { env: moto.env });
      for (const account of data.accounts.list) await terraform(bootstrap!, ['workspace', 'new', account.id], { env: moto.env });
      await Promise.all(
        data.accounts.list.map((account) =>
          terraform(bootstrap!, ['apply', '-auto-approve', '-input=false', '-var', `environments=${JSON.stringify(account.environments)}`, ...targets.bootstrap.map((t) => `-target=${t}`)], {
            env: { ...admin[account.id]!, TF_WORKSPACE: account.id },
          }),
        ),
      );
      await Promise.all(
        data.environments.map(async (env, i) => {
          const credentials = admin[env.accountId!]!;
          await terraform(roots[i]!, ['init', '-input=false'], { env: credentials });
          const environmentTargets = ecs ? ecsRolesOnly(roots[i]!, data, env) : targets.environment.map((t) => `-target=${t}`);
          await terraform(roots[i]!, ['apply', '-auto-approve', '-input=false', ...environmentTargets], { env: credentials });
        }),
      );
      const plan: Record<string, AppliedRole> = {};
      const environments: AccountRoles['environments'] = {};
      const all: { account: string; role: AppliedRole }[] = [];
      const ecsOf = (env: string) => ecsEnvironment(data, data.environments.find((e) => e.name === env)!);
      // The roles that read the artifact, by environment, with the repository each pulls from; and ecs's task roles.
      const pullersOf = (env: string): { name: string; repository: string }[] =>
        ecs
          ? ecsOf(env).services.map((s) => ({ name: s.executionRoleName, repository: s.repository }))
          : [{ name: `${options.name}-${env}-${target === 'eks' ? 'node' : 'instance'}`, repository: options.name }];
      const taskRoles = (env: string) => (ecs ? ecsOf(env).services.map((s) => s.taskRoleName) : []);
      for (const account of data.accounts.list) {
        const names = [
          `${options.name}-plan`,
          ...account.environments.flatMap((env) => [`${options.name}-${env}-deploy`, `${options.name}-${env}-infra`, ...pullersOf(env).map((p) => p.name), ...taskRoles(env)]),
        ];
        const roles = await readRoles(admin[account.id]!, names);
        plan[account.id] = roles.get(`${options.name}-plan`)!;
        for (const env of account.environments) {
          const role = (name: string) => roles.get(name)!;
          environments[env] = {
            deploy: role(`${options.name}-${env}-deploy`),
            infra: role(`${options.name}-${env}-infra`),
            pullers: pullersOf(env).map((p) => ({ role: role(p.name), repository: p.repository })),
          };
        }
        all.push(...[...roles.values()].map((role) => ({ account: account.id, role })));
      }
      const registry = data.accounts.artifactAccountId!;
      const first = data.firstEnvironment.name;
      if (isAsg(preset)) {
        const policy = (await aws<{ Policy: string }>(admin[registry]!, ['s3api', 'get-bucket-policy', '--bucket', `${options.name}-releases-${registry}`])).Policy;
        applied[preset] = { options, data, plan, environments, all, repositories: {}, bucketPolicy: JSON.parse(policy) as PolicyDocument, firstEnvironmentParameter: 'last-known-good-release' };
        return;
      }
      const repositoryNames = [...new Set(pullersOf(first).map((p) => p.repository))];
      const repositories = Object.fromEntries(
        await Promise.all(
          repositoryNames.map(async (repository) => {
            const policy = await aws<{ policyText: string }>(admin[registry]!, ['ecr', 'get-repository-policy', '--repository-name', repository]);
            return [repository, JSON.parse(policy.policyText) as PolicyDocument] as const;
          }),
        ),
      );
      // ec2: the last-known-good image; ecs: a secret of the first environment's api service.
      const firstEnvironmentParameter = ecs ? 'api/DATABASE_URL' : 'last-known-good-image';
      applied[preset] = { options, data, plan, environments, all, repositories, firstEnvironmentParameter };
    }),
  );
}, 600_000);

afterAll(async () => {
  await moto?.stop();
});

/** An environment's roles: its GitHub roles and those that read the artifact. */
function rolesOf(environment: AccountRoles['environments'][string]): AppliedRole[] {
  return [environment.deploy, environment.infra, ...environment.pullers.map((p) => p.role)];
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

  /**
   * What a later account's role must not reach in the first environment's account beyond the artifact store: its state,
   * a parameter of its own (`/<name>/<first>/<parameter>`, as SSM and ECS read it), its roles.
   */
  const firstAccountBeyondTheStore = (parameter: string) => {
    const { options, data, environments } = applied[preset];
    const a = arns();
    const first = data.firstEnvironment;
    const inFirst = (request: Omit<PermissionRequest, 'resourceAccount'>) => ({ ...request, resourceAccount: a.registry });
    return [
      { label: `read ${first.name}'s state`, ...inFirst({ action: 's3:GetObject', resource: a.state(a.registry, `environments/${first.name}/terraform.tfstate`) }) },
      ...['ssm:GetParameter', 'ssm:GetParameters'].map((action) => ({
        label: `${action} ${first.name}'s ${parameter}`,
        ...inFirst({ action, resource: a.parameter(a.registry, `/${options.name}/${first.name}/${parameter}`) }),
      })),
      ...rolesOf(environments[first.name]!).map((role) => ({ label: `assume ${role.name}`, ...inFirst({ action: 'sts:AssumeRole', resource: role.arn, resourcePolicy: role.trust }) })),
    ];
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
      // AND dev's deploy, infra and artifact-reading roles ask for it with sts:AssumeRole (their policies, and its trust)
      for (const devRole of rolesOf(environments[first.name]!)) {
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

  if (isAsg(preset)) {
    it("a later environment's instance role downloads the releases the first environment uploaded, and nothing else of its account; no later role writes there", async () => {
      // GIVEN the release bucket (in the first environment's account), as applied, and its policy
      const { options, data, environments, all, bucketPolicy, firstEnvironmentParameter } = applied[preset];
      const a = arns();
      const bucket = `arn:aws:s3:::${options.name}-releases-${a.registry}`;
      const release = `${bucket}/releases/${'a'.repeat(40)}.tar.gz`;
      // A request into the bucket's account, with the bucket's policy (null: none, e.g. another bucket of that account).
      const inBucket = (request: Omit<PermissionRequest, 'resourceAccount' | 'resourcePolicy'>, policy: PolicyDocument | null = bucketPolicy!) => ({
        ...request,
        resourceAccount: a.registry,
        ...(policy ? { resourcePolicy: policy } : {}),
      });
      const writes = ['s3:PutObject', 's3:DeleteObject', 's3:PutObjectAcl', 's3:PutObjectTagging'];
      const bucketWrites = ['s3:PutBucketPolicy', 's3:DeleteBucket', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning'];
      // THEN the first environment's deploy role uploads there (its own account), and changes nothing else
      const first = data.firstEnvironment;
      expect(
        await permissionFindings(
          environments[first.name]!.deploy,
          [{ label: 'upload a release', ...inBucket({ action: 's3:PutObject', resource: release }) }],
          [
            { label: 'delete a release', ...inBucket({ action: 's3:DeleteObject', resource: release }) },
            { label: 'write outside releases/', ...inBucket({ action: 's3:PutObject', resource: `${bucket}/other/x` }) },
            ...bucketWrites.map((action) => ({ label: `${action} on the bucket`, ...inBucket({ action, resource: bucket }) })),
          ],
        ),
      ).toEqual([]);
      expect(data.accounts.crossAccountEnvironments.length).toBeGreaterThan(0);
      for (const env of data.accounts.crossAccountEnvironments) {
        const account = env.accountId!;
        const { pullers, deploy, infra } = environments[env.name]!;
        const instance = pullers[0]!.role;
        // AND each later environment's instance role downloads releases across accounts, and does nothing else there
        expect(
          await permissionFindings(
            instance,
            [{ label: 'download a release from the bucket', ...inBucket({ action: 's3:GetObject', resource: release }) }],
            [
              ...writes.map((action) => ({ label: `${action} in the bucket`, ...inBucket({ action, resource: release }) })),
              ...bucketWrites.map((action) => ({ label: `${action} on the bucket`, ...inBucket({ action, resource: bucket }) })),
              { label: 'read outside releases/', ...inBucket({ action: 's3:GetObject', resource: `${bucket}/other/x` }) },
              { label: 'list the bucket', ...inBucket({ action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': 'releases/' } }) },
              ...firstAccountBeyondTheStore(firstEnvironmentParameter),
            ],
          ),
        ).toEqual([]);
        // AND its deploy role reads a release's checksum and lists releases/ there, and never uploads, least of all
        // into another account
        expect(
          await permissionFindings(
            deploy,
            [
              { label: "read a release's checksum", ...inBucket({ action: 's3:GetObject', resource: release }) },
              { label: 'list releases/', ...inBucket({ action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': 'releases/' } }) },
            ],
            [
              ...writes.map((action) => ({ label: `${action} in the bucket`, ...inBucket({ action, resource: release }) })),
              ...bucketWrites.map((action) => ({ label: `${action} on the bucket`, ...inBucket({ action, resource: bucket }) })),
              { label: 'list outside releases/', ...inBucket({ action: 's3:ListBucket', resource: bucket, context: { 's3:prefix': 'other/' } }) },
            ],
          ),
        ).toEqual([]);
        // AND another role of that account with a policy granting downloads (its infra role, given one here) is still
        // refused by the bucket policy: only the roles it names get in
        const widened = [...identityPolicies(infra), { name: 'widened', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: ['s3:GetObject'], Resource: release }] } }];
        expect(await permissionAllows(infra.arn, widened, inBucket({ action: 's3:GetObject', resource: release })), infra.name).toBe(false);
        // (the same policy in the bucket's own account would be enough: the refusal is the bucket policy's)
        expect(await permissionAllows(infra.arn.replace(account, a.registry), widened, { action: 's3:GetObject', resource: release })).toBe(true);
        // AND without the bucket policy, its instance role could not download at all: the grant is the policy's
        expect(await permissionAllows(instance.arn, identityPolicies(instance), inBucket({ action: 's3:GetObject', resource: release }, null))).toBe(false);
      }
      // AND no role of any later account can write to the bucket, whatever its own policy says
      const laterRoles = all.filter(({ account }) => account !== a.registry);
      expect(laterRoles.length).toBeGreaterThan(3);
      for (const { role } of laterRoles) {
        const anything = [...identityPolicies(role), { name: 'everything', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: writes, Resource: release }] } }];
        for (const action of writes) expect(await permissionAllows(role.arn, anything, inBucket({ action, resource: release })), `${role.name} ${action}`).toBe(false);
      }
    });
    return;
  }

  it("a later environment's pulling roles pull what the first environment pushed, each its own repository, and nothing else of the registry's account", async () => {
    // GIVEN the registry's repositories (in the first environment's account), as applied, each with its policy
    const { options, data, environments, repositories, firstEnvironmentParameter } = applied[preset];
    const a = arns();
    const names = Object.keys(repositories);
    // A request into the registry's account, with the resource's policy (the repository's; null: none).
    const inRegistry = (request: Omit<PermissionRequest, 'resourceAccount' | 'resourcePolicy'>, policy: PolicyDocument | null) => ({
      ...request,
      resourceAccount: a.registry,
      ...(policy ? { resourcePolicy: policy } : {}),
    });
    const onRepository = (repository: string, action: string) => inRegistry({ action, resource: a.repository(repository) }, repositories[repository]!);
    const pull = pullActions(options.target);
    // THEN the first environment's deploy role pushes to every one of them (its own account)
    const first = data.firstEnvironment;
    expect(
      await permissionFindings(
        environments[first.name]!.deploy,
        names.flatMap((repository) => ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'].map((action) => ({ label: `${action} to ${repository}`, ...onRepository(repository, action) }))),
        names.flatMap((repository) =>
          ['ecr:BatchDeleteImage', 'ecr:PutImageTagMutability', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepository'].map((action) => ({ label: `${action} on ${repository}`, ...onRepository(repository, action) })),
        ),
      ),
    ).toEqual([]);
    expect(data.accounts.crossAccountEnvironments.length).toBeGreaterThan(0);
    for (const env of data.accounts.crossAccountEnvironments) {
      const account = env.accountId!;
      const { pullers, deploy, infra } = environments[env.name]!;
      expect(pullers.length).toBe(names.length);
      for (const { role, repository } of pullers) {
        // AND each of its pulling roles pulls its own repository across accounts, and does nothing else there: not the
        // other repositories of the registry (another service's, each under its own policy), not another app's
        const others = names.filter((name) => name !== repository);
        expect(
          await permissionFindings(
            role,
            [
              { label: 'log in to ECR (its own account issues the token)', action: 'ecr:GetAuthorizationToken', resource: '*' },
              ...pull.map((action) => ({ label: `${action} from ${repository}`, ...onRepository(repository, action) })),
            ],
            [
              ...['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:BatchDeleteImage', 'ecr:DescribeImages', 'ecr:SetRepositoryPolicy', 'ecr:DeleteRepository', 'ecr:PutImageTagMutability'].map((action) => ({
                label: `${action} on ${repository}`,
                ...onRepository(repository, action),
              })),
              ...others.flatMap((other) => pull.map((action) => ({ label: `${action} from ${other}`, ...onRepository(other, action) }))),
              { label: 'pull from another repository of the registry’s account', ...inRegistry({ action: 'ecr:BatchGetImage', resource: a.repository('other-app') }, null) },
              ...firstAccountBeyondTheStore(firstEnvironmentParameter),
            ],
          ),
        ).toEqual([]);
        // AND without the repository policy, it could not pull at all: the grant is the policy's
        expect(await permissionAllows(role.arn, identityPolicies(role), inRegistry({ action: 'ecr:BatchGetImage', resource: a.repository(repository) }, null))).toBe(false);
      }
      // AND its deploy role reads image tags of every repository there (ec2, ecs: rollback.sh finds an image's commit
      // from them; eks reads nothing there), and never pushes or pulls, least of all into another account
      const readTags = names.map((repository) => ({ label: `read image tags of ${repository}`, ...onRepository(repository, 'ecr:DescribeImages') }));
      expect(
        await permissionFindings(
          deploy,
          deployReadsTags(options.target) ? readTags : [],
          [
            ...(deployReadsTags(options.target) ? [] : readTags),
            ...names.flatMap((repository) => ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:CompleteLayerUpload', ...pull].map((action) => ({ label: `${action} in ${repository}`, ...onRepository(repository, action) }))),
            { label: 'log in to ECR', action: 'ecr:GetAuthorizationToken', resource: '*' },
          ],
        ),
      ).toEqual([]);
      // AND another role of that account with a policy granting pulls (its infra role, given one here) is still
      // refused by the repository policies: only the roles they name get in
      for (const repository of names) {
        const widened = [...identityPolicies(infra), { name: 'widened', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: pull, Resource: a.repository(repository) }] } }];
        for (const action of pull) {
          expect(await permissionAllows(infra.arn, widened, onRepository(repository, action)), `${infra.name} ${action} ${repository}`).toBe(false);
          // (the same policy in the registry's own account would be enough: the refusal is the repository policy's)
          expect(await permissionAllows(infra.arn.replace(account, a.registry), widened, { action, resource: a.repository(repository) })).toBe(true);
        }
      }
    }
  });
});
