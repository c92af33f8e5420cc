import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, onTestFinished } from 'vitest';
import { ecsEnvironment } from '../../src/components/compute-ecs.js';
import { templateData } from '../../src/render/template-data.js';
import { readRoles } from '../iam/applied-roles.js';
import { awsJson as aws } from '../support/aws-cli.js';
import { addAsgMotoDrift } from '../support/asg-fleet.js';
import { ecsRolesOnly } from '../support/ecs-accounts.js';
import { accountEnv, startMoto, type MotoServer } from '../support/moto.js';
import { accountPresetNamesFor, testGeneratorVersion, type PresetName } from '../support/presets.js';
import { startAsgMoto } from '../support/script-runner.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { addFile, outputs, prepareForMoto, renderVariant, requireTerraform, resolvedVariant, terraform } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';
import { expectRolesCoverRuns } from './api-coverage.js';
import { eksMotoGaps } from './eks-moto-gaps.js';

// Environments in separate AWS accounts, applied as the runbook says: the bootstrap root once per account (a Terraform
// workspace per account, so each keeps its own local state), with that account's credentials and its environments as
// input; then each environment root with its own account's credentials. One moto server stands in for every account:
// `sts assume-role` into arn:aws:iam::<account>:role/… returns credentials acting in that account, and what they create
// is invisible from the others (test/support/moto.ts). What moto does not do here, as in apply.test.ts: enforce IAM,
// the document's allowedPattern or bucket and repository policies (test/iam/applied-iam-accounts.test.ts evaluates
// them), or serve the S3 backend (environment roots use a local backend). asg presets run on moto patched by
// moto-asg-launcher.py, with the drift override of apply-asg.test.ts (lifecycle hooks given at creation, drift moto
// invents): its instances boot in their sandboxes and wait for a first release, which no test here deploys. eks:
// moto's gaps for the cluster module are closed by the override file of ./eks-moto-gaps.ts, as in apply-eks.test.ts.

/** What an environment holds that reads the artifact: the role that pulls or downloads (ec2, asg: instances; eks: nodes). */
const readerKind = { ec2: 'instance', asg: 'instance', eks: 'node' } as const;

/**
 * A preset rendered for a moto server, with an administrator's credentials for each of its accounts, the bootstrap
 * initialised with a workspace per account, and how each account runs it (its workspace, its environments as input).
 */
async function preparedAccounts(moto: MotoServer, preset: PresetName) {
  const options = resolvedVariant(preset);
  const data = templateData(options, testGeneratorVersion);
  const [bootstrap, ...roots] = prepareForMoto(writeFiles(tempDir(`tf-accounts-${preset}-`), renderVariant(preset)), options.environments);
  const accounts = data.accounts.list;
  const admin = Object.fromEntries(await Promise.all(accounts.map(async (account) => [account.id, await accountEnv(moto, account.id)] as const)));
  await terraform(bootstrap, ['init', '-input=false'], { env: moto.env });
  for (const account of accounts) await terraform(bootstrap, ['workspace', 'new', account.id], { env: moto.env });
  return {
    options,
    data,
    bootstrap: bootstrap,
    roots,
    accounts,
    admin,
    inWorkspace: (account: string) => ({ ...admin[account]!, TF_WORKSPACE: account }),
    hosted: (account: string) => ['-var', `environments=${JSON.stringify(accounts.find((a) => a.id === account)!.environments)}`],
  };
}

describe('Terraform apply in separate AWS accounts (moto)', () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');

  it.concurrent.for([...accountPresetNamesFor('ec2'), ...accountPresetNamesFor('asg'), ...accountPresetNamesFor('eks')])(
    'preset %s: bootstraps every account, applies each environment in its own, re-plans with no changes, and destroys',
    { timeout: 900_000 },
    async (preset, { expect }) => {
      // GIVEN the rendered preset aimed at one moto server, and an administrator's credentials for each account
      const options = resolvedVariant(preset);
      const data = templateData(options, testGeneratorVersion);
      const { name, region } = options;
      const asg = options.target === 'asg';
      const moto = asg ? await startAsgMoto(tempDir(`moto-accounts-${preset}-`), region) : await startMoto({ region });
      try {
        const environments = data.environments.map((env) => env.name);
        const repo = writeFiles(tempDir(`tf-accounts-${preset}-`), renderVariant(preset));
        if (asg) addAsgMotoDrift(repo);
        if (options.target === 'eks') addFile(join(repo, 'terraform/modules/eks-cluster'), 'moto_gaps_override.tf', eksMotoGaps);
        const [bootstrap, ...roots] = prepareForMoto(repo, environments);
        const reader = readerKind[options.target as keyof typeof readerKind];
        const accounts = data.accounts.list;
        expect(accounts.length).toBeGreaterThan(1);
        const admin = Object.fromEntries(await Promise.all(accounts.map(async (account) => [account.id, await accountEnv(moto, account.id)] as const)));
        const accountOf = (env: string) => data.environments.find((e) => e.name === env)!.accountId!;
        const inWorkspace = (account: string) => ({ ...admin[account]!, TF_WORKSPACE: account });
        const hosted = (account: string) => ['-var', `environments=${JSON.stringify(accounts.find((a) => a.id === account)!.environments)}`];

        // WHEN the bootstrap runs once per account, each in its own workspace (own local state), concurrently
        await terraform(bootstrap!, ['init', '-input=false'], { env: moto.env });
        for (const account of accounts) await terraform(bootstrap!, ['workspace', 'new', account.id], { env: moto.env });
        await Promise.all(accounts.map((account) => terraform(bootstrap!, ['apply', '-auto-approve', '-input=false', ...hosted(account.id)], { env: inWorkspace(account.id) })));
        // AND each environment root with its own account's credentials (they share nothing but what a bootstrap made)
        await Promise.all(
          roots.map(async (root, i) => {
            const env = admin[accountOf(environments[i]!)]!;
            await terraform(root, ['init', '-input=false'], { env });
            await terraform(root, ['apply', '-auto-approve', '-input=false'], { env: { ...env, TF_LOG: 'json', TF_LOG_PATH: join(root, 'apply-log.json') } });
          }),
        );

        // THEN (checked side by side: each is a separate process, and the machine is shared)
        const registry = data.accounts.artifactAccountId!;
        const later = data.accounts.crossAccountEnvironments;
        const [first, second] = accounts.map((account) => account.id);
        const checks: Promise<void>[] = [
          // every account has its own state bucket, OIDC provider and plan role; only the first environment's account
          // holds the image repository
          ...accounts.map(async (account) => {
            const out = await outputs(bootstrap!, inWorkspace(account.id));
            expect(out.state_bucket_name).toBe(`${name}-tfstate-${account.id}`);
            expect(out.github_oidc_provider_arn).toBe(`arn:aws:iam::${account.id}:oidc-provider/token.actions.githubusercontent.com`);
            expect(out.plan_role_arn).toBe(`arn:aws:iam::${account.id}:role/${name}-plan`);
            // (terraform output leaves a null output out)
            if (asg) {
              expect(out.release_bucket_name ?? null).toBe(account.holdsArtifacts ? `${name}-releases-${account.id}` : null);
              const buckets = await aws<{ Buckets: { Name: string }[] }>(admin[account.id]!, ['s3api', 'list-buckets']);
              expect(buckets.Buckets.map((b) => b.Name).filter((b) => b.startsWith(`${name}-releases-`))).toEqual(account.holdsArtifacts ? [`${name}-releases-${account.id}`] : []);
            } else {
              expect(out.ecr_repository_url ?? null).toBe(account.holdsArtifacts ? `${account.id}.dkr.ecr.${region}.amazonaws.com/${name}` : null);
              const repositories = await aws<{ repositories: { repositoryName: string }[] }>(admin[account.id]!, ['ecr', 'describe-repositories']);
              expect(repositories.repositories.map((r) => r.repositoryName)).toEqual(account.holdsArtifacts ? [name] : []);
            }
          }),
          // each environment's roles live in its account, and its deploy document admits the registry's images only
          // (asg: its document and its instances' user data download from the first account's release bucket only;
          // eks: scripts/deploy.sh admits them, which test/scripts/deploy-eks.test.ts runs)
          ...environments.map(async (environment, i) => {
            const account = accountOf(environment);
            const out = await outputs(roots[i]!, admin[account]!);
            expect(out.deploy_role_arn).toBe(`arn:aws:iam::${account}:role/${name}-${environment}-deploy`);
            const readerRole = await aws<{ Role: { Arn: string } }>(admin[account]!, ['iam', 'get-role', '--role-name', `${name}-${environment}-${reader}`]);
            expect(readerRole.Role.Arn).toBe(`arn:aws:iam::${account}:role/${name}-${environment}-${reader}`);
            if (options.target === 'eks') return;
            if (asg) {
              const bucket = `${name}-releases-${registry}`;
              const document = await aws<{ Content: string }>(admin[account]!, ['ssm', 'get-document', '--name', `${name}-${environment}-deploy`]);
              expect(document.Content).toContain(`--bucket '${bucket}'`);
              if (account !== registry) expect(document.Content).not.toContain(`${name}-releases-${account}`);
              const template = await aws<{ LaunchTemplateVersions: { LaunchTemplateData: { UserData: string } }[] }>(admin[account]!, [
                'ec2',
                'describe-launch-template-versions',
                '--launch-template-name',
                `${name}-${environment}`,
                '--versions',
                '$Default',
              ]);
              const userData = Buffer.from(template.LaunchTemplateVersions[0]!.LaunchTemplateData.UserData, 'base64').toString();
              expect(userData).toContain(bucket);
              expect(userData).not.toMatch(/@@[A-Z_]+@@/);
              return;
            }
            const document = await aws<{ Content: string }>(admin[account]!, ['ssm', 'get-document', '--name', `${name}-${environment}-deploy`, '--document-format', 'JSON']);
            const imageUri = (JSON.parse(document.Content) as { parameters: { ImageUri: { allowedPattern: string } } }).parameters.ImageUri;
            expect(imageUri.allowedPattern).toBe(`^${registry}\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com/${name}@sha256:[0-9a-f]{64}$`);
          }),
          // the registry's repository policy (asg: the release bucket's policy) names the later accounts' readers, each
          // pinned to its role
          (async () => {
            if (!asg) return;
            const bucket = await aws<{ Policy: string }>(admin[registry]!, ['s3api', 'get-bucket-policy', '--bucket', `${name}-releases-${registry}`]);
            type Statement = { Sid: string; Action: string | string[]; Principal: { AWS: string | string[] }; Condition: { StringEquals: Record<string, string | string[]> } };
            const statements = (JSON.parse(bucket.Policy) as { Statement: Statement[] }).Statement;
            const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
            const roles = (kind: string) => later.map((env) => `arn:aws:iam::${env.accountId}:role/${name}-${env.name}-${kind}`).sort();
            expect([bySid('ReadReleasesFromOtherAccounts')?.Condition.StringEquals['aws:PrincipalArn']].flat().sort()).toEqual([...roles('instance'), ...roles('deploy')].sort());
            expect([bySid('ListReleasesFromOtherAccounts')?.Condition.StringEquals['aws:PrincipalArn']].flat().sort()).toEqual(roles('deploy'));
            expect([bySid('ReadReleasesFromOtherAccounts')?.Principal.AWS].flat().sort()).toEqual([...new Set(later.map((env) => `arn:aws:iam::${env.accountId}:root`))].sort());
            // (no statement of it grants a write)
            expect(statements.filter((s) => s.Sid !== 'DenyInsecureTransport').flatMap((s) => [s.Action].flat()).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
          })(),
          (async () => {
            if (asg) return;
            const policy = await aws<{ policyText: string }>(admin[registry]!, ['ecr', 'get-repository-policy', '--repository-name', name]);
            const pull = (JSON.parse(policy.policyText) as { Statement: { Sid: string; Condition: { StringEquals: Record<string, string | string[]> } }[] }).Statement.find((s) => s.Sid === 'PullFromOtherAccounts');
            expect([pull?.Condition.StringEquals['aws:PrincipalArn']].flat().sort()).toEqual(later.map((env) => `arn:aws:iam::${env.accountId}:role/${name}-${env.name}-${reader}`).sort());
          })(),
          // nothing of it is visible from an account that hosts no environment (moto's default one)
          (async () => {
            const outsider = await aws<{ Roles: { RoleName: string }[] }>(moto.env, ['iam', 'list-roles']);
            expect(outsider.Roles.filter((role) => role.RoleName.startsWith(name))).toEqual([]);
            expect(await aws(moto.env, ['iam', 'list-open-id-connect-providers'])).toEqual({ OpenIDConnectProviderList: [] });
          })(),
          // a root refuses the credentials of another account before it reads or changes anything
          (async () => {
            const lastRoot = roots[roots.length - 1]!;
            // (-lock=false: the re-plan below holds this state's lock at the same time)
            const refused = await terraform(lastRoot, ['plan', '-input=false', '-lock=false'], { env: admin[first!]!, okExitCodes: [1] });
            expect(refused.stderr).toContain(`AWS account ID not allowed: ${first}`);
          })(),
          // the bootstrap refuses environments the account does not host, naming the ones it does
          (async () => {
            const refused = await terraform(bootstrap!, ['plan', '-input=false', '-lock=false', ...hosted(first!)], { env: inWorkspace(second!), okExitCodes: [1] });
            expect(refused.stderr.replace(/[│\s]+/g, ' ')).toContain(`Account ${second} hosts ${JSON.stringify(accounts.find((a) => a.id === second)!.environments)}`);
          })(),
          // and refuses one account's credentials in another account's workspace, whose state they would misread
          (async () => {
            const refused = await terraform(bootstrap!, ['plan', '-input=false', '-lock=false', ...hosted(second!)], { env: { ...admin[second!]!, TF_WORKSPACE: first! }, okExitCodes: [1] });
            expect(refused.stderr.replace(/[│\s]+/g, ' ')).toContain(`This is the workspace of account ${first}, but the credentials are account ${second}'s`);
          })(),
          // a second plan of every root, in its account, finds nothing to change; the JSON log of each environment's
          // records every AWS call the provider made for it
          ...accounts.map(async (account) => {
            const plan = await terraform(bootstrap!, ['plan', '-detailed-exitcode', '-input=false', ...hosted(account.id)], { env: inWorkspace(account.id), okExitCodes: [0, 2] });
            expect(plan.exitCode, `bootstrap of ${account.id}:\n${plan.stdout}`).toBe(0);
          }),
          ...roots.map(async (root, i) => {
            const env = { ...admin[accountOf(environments[i]!)]!, TF_LOG: 'json', TF_LOG_PATH: join(root, 'plan-log.json') };
            const plan = await terraform(root, ['plan', '-detailed-exitcode', '-input=false'], { env, okExitCodes: [0, 2] });
            expect(plan.exitCode, `${root}:\n${plan.stdout}`).toBe(0);
          }),
        ];
        await Promise.all(checks);

        // AND in each account, the plan role and the environment's infra role grant every call of its plan and (IAM
        // writes aside) of its first apply: the plan role no longer reads the image repository, which is in another
        // account for some environments, and no plan needs it
        await Promise.all(
          environments.map(async (environment, i) => {
            const roles = await readRoles(admin[accountOf(environment)]!, [`${name}-plan`, `${name}-${environment}-infra`]);
            await expectRolesCoverRuns(
              expect,
              environment,
              { plan: roles.get(`${name}-plan`)!, infra: roles.get(`${name}-${environment}-infra`)! },
              { plan: join(roots[i]!, 'plan-log.json'), apply: join(roots[i]!, 'apply-log.json') },
            );
          }),
        );

        // AND everything is destroyed: the environments, then each account's bootstrap
        await Promise.all(roots.map((root, i) => terraform(root, ['destroy', '-auto-approve', '-input=false'], { env: admin[accountOf(environments[i]!)]! })));
        await Promise.all(accounts.map((account) => terraform(bootstrap!, ['destroy', '-auto-approve', '-input=false', ...hosted(account.id)], { env: inWorkspace(account.id) })));
        await Promise.all(
          accounts.map(async (account) => {
            const roles = await aws<{ Roles: { RoleName: string }[] }>(admin[account.id]!, ['iam', 'list-roles']);
            expect(roles.Roles.map((role) => role.RoleName).filter((role) => role.startsWith(name))).toEqual([]);
            expect(await aws(admin[account.id]!, ['s3api', 'list-buckets', '--query', 'Buckets[].Name'])).toEqual([]);
          }),
        );
      } finally {
        await moto.stop();
      }
    },
  );

  it.concurrent.for(accountPresetNamesFor('ecs'))(
    'ecs preset %s: each account bootstraps, only the first holds the repositories, each names its own service’s later execution roles, task definitions name the registry, re-plans clean, destroys',
    { timeout: 900_000 },
    async (preset, { expect }) => {
      // GIVEN the rendered preset on its own moto, an administrator's credentials for each account, and of each
      // environment root what concerns accounts (its roles, execution policies, cluster and task definitions:
      // test/support/ecs-accounts.ts; apply-ecs.test.ts applies and re-plans the rest of an ecs root)
      const moto = await startMoto({ region: resolvedVariant(preset).region });
      onTestFinished(() => moto.stop());
      const { options, data, bootstrap, roots, accounts, admin, inWorkspace, hosted } = await preparedAccounts(moto, preset);
      const { name, region } = options;
      const bootstrapTargets = ['aws_iam_openid_connect_provider.github', 'module.ecr', 'module.github_oidc_roles'].map((t) => `-target=${t}`);
      const targets = data.environments.map((env, i) => ecsRolesOnly(roots[i]!, data, env));
      const ecs = data.environments.map((env) => ecsEnvironment(data, env));
      const registry = data.accounts.artifactAccountId!;
      const registryHost = `${registry}.dkr.ecr.${region}.amazonaws.com`;

      // WHEN each account's bootstrap runs in its own workspace, then each environment with its account's credentials
      await Promise.all(accounts.map((account) => terraform(bootstrap, ['apply', '-auto-approve', '-input=false', ...hosted(account.id), ...bootstrapTargets], { env: inWorkspace(account.id) })));
      await Promise.all(
        data.environments.map(async (env, i) => {
          await terraform(roots[i]!, ['init', '-input=false'], { env: admin[env.accountId!]! });
          const log = { TF_LOG: 'json', TF_LOG_PATH: join(roots[i]!, 'apply-log.json') };
          await terraform(roots[i]!, ['apply', '-auto-approve', '-input=false', ...targets[i]!], { env: { ...admin[env.accountId!]!, ...log } });
        }),
      );

      // THEN only the first environment's account holds the repositories; each one's policy names, for pulls, the
      // execution role of its own service in every later environment, and for image tags their deploy roles
      const services = ecs[0]!.services;
      const later = data.accounts.crossAccountEnvironments;
      expect(later.length).toBeGreaterThan(0);
      const checks: Promise<void>[] = [
        ...accounts.map(async (account) => {
          const listed = await aws<{ repositories: { repositoryName: string }[] }>(admin[account.id]!, ['ecr', 'describe-repositories']);
          expect(listed.repositories.map((r) => r.repositoryName).sort()).toEqual(account.holdsArtifacts ? services.map((s) => s.repository).sort() : []);
          const out = await outputs(bootstrap, inWorkspace(account.id));
          expect(out.ecr_repository_urls).toEqual(account.holdsArtifacts ? Object.fromEntries(services.map((s) => [s.repository, `${registryHost}/${s.repository}`])) : {});
        }),
        ...services.map(async (service) => {
          const policy = await aws<{ policyText: string }>(admin[registry]!, ['ecr', 'get-repository-policy', '--repository-name', service.repository]);
          const statements = (JSON.parse(policy.policyText) as { Statement: { Sid: string; Condition: { StringEquals: Record<string, string | string[]> } }[] }).Statement;
          const principals = (sid: string) => [statements.find((s) => s.Sid === sid)?.Condition.StringEquals['aws:PrincipalArn']].flat().sort();
          const executionRole = (env: (typeof later)[number]) => ecsEnvironment(data, env).services.find((s) => s.key === service.key)!.executionRoleName;
          expect(principals('PullFromOtherAccounts')).toEqual(later.map((env) => `arn:aws:iam::${env.accountId}:role/${executionRole(env)}`).sort());
          expect(principals('DescribeImagesFromOtherAccounts')).toEqual(later.map((env) => `arn:aws:iam::${env.accountId}:role/${env.deployRoleName}`).sort());
        }),
        // AND every environment's task definitions name the registry's images, and each execution role's own policy
        // pulls its repository there (a pull across accounts needs both)
        ...data.environments.flatMap((env, i) =>
          ecs[i]!.services.map(async (service) => {
            const credentials = admin[env.accountId!]!;
            const definition = await aws<{ taskDefinition: { containerDefinitions: { image: string }[]; executionRoleArn: string } }>(credentials, ['ecs', 'describe-task-definition', '--task-definition', service.family]);
            expect(definition.taskDefinition.containerDefinitions[0]!.image).toBe(`${registryHost}/${service.repository}:awaiting-first-deploy`);
            expect(definition.taskDefinition.executionRoleArn).toBe(`arn:aws:iam::${env.accountId}:role/${service.executionRoleName}`);
            const policy = await aws<{ PolicyDocument: { Statement: { Sid: string; Resource: string | string[] }[] } }>(credentials, [
              'iam',
              'get-role-policy',
              '--role-name',
              service.executionRoleName,
              '--policy-name',
              'pull-log-secrets',
            ]);
            expect(policy.PolicyDocument.Statement.find((s) => s.Sid === 'PullOwnImages')?.Resource).toBe(`arn:aws:ecr:${region}:${registry}:repository/${service.repository}`);
          }),
        ),
        // AND the ecs-service module refuses a task definition image of any other account than the registry's
        (async () => {
          const i = data.environments.length - 1;
          const env = data.environments[i]!;
          const override = join(roots[i]!, 'foreign_image_override.tf');
          addFile(roots[i]!, 'foreign_image_override.tf', `module "api" {\n  image = "${env.accountId}.dkr.ecr.${region}.amazonaws.com/${name}-api:awaiting-first-deploy"\n}\n`);
          const refused = await terraform(roots[i]!, ['plan', '-input=false', '-lock=false', ...targets[i]!], { env: admin[env.accountId!]!, okExitCodes: [1] });
          rmSync(override);
          expect(refused.stderr.replace(/[│\s]+/g, ' ')).toContain('image must be an image of repository_arn');
        })(),
      ];
      await Promise.all(checks);

      // AND a second plan of every root, in its account, finds nothing to change
      await Promise.all([
        ...accounts.map(async (account) => {
          const plan = await terraform(bootstrap, ['plan', '-detailed-exitcode', '-input=false', ...hosted(account.id), ...bootstrapTargets], { env: inWorkspace(account.id), okExitCodes: [0, 2] });
          expect(plan.exitCode, `bootstrap of ${account.id}:\n${plan.stdout}`).toBe(0);
        }),
        ...data.environments.map(async (env, i) => {
          const log = { TF_LOG: 'json', TF_LOG_PATH: join(roots[i]!, 'plan-log.json') };
          const plan = await terraform(roots[i]!, ['plan', '-detailed-exitcode', '-input=false', ...targets[i]!], { env: { ...admin[env.accountId!]!, ...log }, okExitCodes: [0, 2] });
          expect(plan.exitCode, `${roots[i]}:\n${plan.stdout}`).toBe(0);
        }),
      ]);

      // AND in each account, the plan role and the environment's infra role grant every call of those runs (IAM writes
      // aside): neither reads the repositories, which are in another account for prod
      await Promise.all(
        data.environments.map(async (env, i) => {
          const roles = await readRoles(admin[env.accountId!]!, [`${name}-plan`, env.infraRoleName]);
          await expectRolesCoverRuns(expect, env.name, { plan: roles.get(`${name}-plan`)!, infra: roles.get(env.infraRoleName)! }, { plan: join(roots[i]!, 'plan-log.json'), apply: join(roots[i]!, 'apply-log.json') }, 10);
        }),
      );

      // AND everything is destroyed: the environments, then each account's bootstrap
      await Promise.all(data.environments.map((env, i) => terraform(roots[i]!, ['destroy', '-auto-approve', '-input=false'], { env: admin[env.accountId!]! })));
      await Promise.all(accounts.map((account) => terraform(bootstrap, ['destroy', '-auto-approve', '-input=false', ...hosted(account.id)], { env: inWorkspace(account.id) })));
      await Promise.all(
        accounts.map(async (account) => {
          const roles = await aws<{ Roles: { RoleName: string }[] }>(admin[account.id]!, ['iam', 'list-roles']);
          expect(roles.Roles.map((role) => role.RoleName).filter((role) => role.startsWith(name))).toEqual([]);
          expect((await aws<{ repositories: unknown[] }>(admin[account.id]!, ['ecr', 'describe-repositories'])).repositories).toEqual([]);
        }),
      );
    },
  );
});
