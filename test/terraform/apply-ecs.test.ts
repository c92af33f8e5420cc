import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, it } from 'vitest';
import { ecsEnvironment } from '../../src/components/compute-ecs.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { singleAccountPresetNamesFor } from '../support/presets.js';
import { tempDir, writeFiles } from '../support/render-preset.js';
import { identityPolicies, readRoles } from '../iam/applied-roles.js';
import { grantedActions } from '../iam/simulator.js';
import { runScript } from '../support/script-runner.js';
import {
  addFile,
  apiCalls,
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

// What this proves, for every ecs preset, against moto 5.2.1 with the real AWS provider (5.100): the bootstrap (state
// bucket, OIDC provider, one ECR repository per service) and every environment (VPC over two zones with NAT gateways,
// flow logs, ALB with its listener, path rule and `ip` target groups, KMS key, ECS cluster, task definitions, services,
// log groups, IAM roles with their PassRole conditions, Application Auto Scaling targets and policies, the 5xx alarms)
// apply, re-plan clean, take a deploy by scripts/deploy.sh without Terraform seeing a change, and destroy.
//
// Where moto falls short, handled here and in test support, never in the templates:
// - Application Auto Scaling has no ListTagsForResource/TagResource/UntagResource in moto (the provider retries the
//   500 for 13 minutes): test/support/moto-ecs-launcher.py adds them. `max_retries` in the test's provider override
//   turns any other unimplemented call into a quick failure instead of a long wait.
// - The first apply leaves drift moto makes: it ignores health_check_grace_period_seconds,
//   availability_zone_rebalancing and enable_ecs_managed_tags when a service is created (it keeps them on update), and
//   drops the description of a security group rule that references another group. The test asserts that the first
//   re-plan shows exactly that, applies again, and then requires a clean plan.
// - moto does not keep a service's deploymentConfiguration (circuit breaker, alarms): those are read from the state
//   Terraform wrote (what it sent), not from moto.
// - moto simulates no deployment: the deploy runs through test/support/ecs-rollout-stub/aws, which answers the
//   rollout ECS would report (everything else — registering, updating the service — is real moto).

const launcher = resolve(import.meta.dirname, '../support/moto-ecs-launcher.py');
const rolloutStub = resolve(import.meta.dirname, '../support/ecs-rollout-stub');
const account = '123456789012';

async function aws<T = unknown>(env: Record<string, string>, args: string[]): Promise<T> {
  const { stdout } = await execa('aws', [...args, '--output', 'json'], { env, stdin: 'ignore' });
  return JSON.parse(stdout) as T;
}

/** The resource addresses and attributes a plan would change: `address: attribute` lines. */
async function plannedChanges(root: string, env: Record<string, string>): Promise<string[]> {
  await terraform(root, ['plan', '-input=false', '-out=drift.tfplan'], { env });
  const shown = JSON.parse((await terraform(root, ['show', '-json', 'drift.tfplan'], { env })).stdout) as {
    resource_changes?: { address: string; change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null } }[];
  };
  const lines: string[] = [];
  for (const change of shown.resource_changes ?? []) {
    if (change.change.actions.join() === 'no-op' || change.change.actions.join() === 'read') continue;
    const before = change.change.before ?? {};
    const after = change.change.after ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    lines.push(...keys.map((key) => `${change.address.replace(/^module\.[a-z_]+\.|\[.*\]/g, '')}: ${change.change.actions.join('+')} ${key}`));
  }
  return [...new Set(lines)].sort();
}

describe('Terraform apply of the ecs target against a local AWS (moto)', () => {
  requireTerraform();
  requireTool('aws', 'pip install awscli');
  requireTool('jq', 'apt-get install -y jq');

  it.concurrent.for(singleAccountPresetNamesFor('ecs'))(
    'preset %s: applies, converges, re-plans clean, takes a deploy without a diff, and destroys',
    { timeout: 1_500_000 },
    async (preset, { expect }) => {
      // GIVEN the rendered preset aimed at its own moto (with the Application Auto Scaling tag calls), in its region
      const options = resolvedVariant(preset);
      const { region, name } = options;
      const moto: MotoServer = await startMoto({ launcher, region, env: { AWS_DEFAULT_REGION: region } });
      try {
        const environments = environmentsOf(preset);
        const repo = writeFiles(tempDir(`tf-apply-${preset}-`), renderVariant(preset));
        const roots = prepareForMoto(repo, environments);
        // Fail fast on anything moto does not implement, instead of the provider's long retries.
        for (const root of roots) addFile(root, 'moto_provider_override.tf', 'provider "aws" {\n  s3_use_path_style = true\n  max_retries       = 2\n}\n');

        // WHEN the bootstrap and then the environments are applied (concurrently: they share only the bootstrap's)
        // The bootstrap's state bucket is the same for every target and is applied in full by apply.test.ts (its lifecycle
        // configuration alone costs a minute): here only what the ecs environments stand on, the OIDC provider, the
        // repositories and the plan role.
        const bootstrapTargets = ['aws_iam_openid_connect_provider.github', 'module.ecr', 'module.github_oidc_roles'].map((t) => `-target=${t}`);
        await applyRoots(roots, moto.env, { logApiCalls: true, concurrentEnvironments: true, bootstrapArgs: bootstrapTargets });

        // THEN the first re-plan of each environment shows moto's known create-time drift and nothing else, and a second
        // apply converges
        const knownDrift = [
          'aws_ecs_service.this: update availability_zone_rebalancing',
          'aws_ecs_service.this: update enable_ecs_managed_tags',
          'aws_ecs_service.this: update health_check_grace_period_seconds',
          'aws_vpc_security_group_ingress_rule.from_load_balancer: update description',
        ];
        await Promise.all(
          roots.slice(1).map(async (root) => {
            expect(await plannedChanges(root, moto.env), root).toEqual(knownDrift);
            await terraform(root, ['apply', '-auto-approve', '-input=false'], { env: moto.env });
          }),
        );
        // AND then every root plans clean (exit 0; 2 would mean a perpetual diff), the JSON log recording its calls
        const planLogs = roots.map((root) => join(root, 'plan-log.json'));
        const planClean = async (root: string, log?: string) => {
          const env = log ? { ...moto.env, TF_LOG: 'json', TF_LOG_PATH: log } : moto.env;
          const targets = root === roots[0] ? bootstrapTargets : [];
          const plan = await terraform(root, ['plan', '-detailed-exitcode', '-input=false', ...targets], { env, okExitCodes: [0, 2] });
          expect(plan.exitCode, `${root}:\n${plan.stdout}`).toBe(0);
        };
        await Promise.all(roots.map((root, i) => planClean(root, planLogs[i])));

        // AND the outputs name what the workflows, the scripts and the docs rely on
        const bootstrap = await outputs(roots[0]!, moto.env);
        const services = ecsEnvironment({ name, appPort: 8000, options }, { name: environments[0]!, isLast: false }).services;
        expect(bootstrap.ecr_repository_urls).toEqual(Object.fromEntries(services.map((s) => [s.repository, `${account}.dkr.ecr.${region}.amazonaws.com/${s.repository}`])));
        for (const repository of services.map((s) => s.repository)) {
          const described = await aws<{ repositories: { imageTagMutability: string; imageScanningConfiguration: { scanOnPush: boolean } }[] }>(moto.env, ['ecr', 'describe-repositories', '--repository-names', repository]);
          expect(described.repositories[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
        }

        for (const [i, environment] of environments.entries()) {
          const root = roots[i + 1]!;
          const ecs = ecsEnvironment({ name, appPort: 8000, options }, { name: environment, isLast: i === environments.length - 1 });
          const out = await outputs(root, moto.env);
          expect(out.cluster_name).toBe(ecs.clusterName);
          expect(String(out.alb_dns_name)).toMatch(new RegExp(`^${ecs.loadBalancerName}-.*\\.elb\\.amazonaws\\.com$`));
          expect(Object.keys(out.services as object).sort()).toEqual(ecs.services.map((s) => s.key).sort());
          expect(out.repositories).toEqual(Object.fromEntries(ecs.services.map((s) => [s.key, `${account}.dkr.ecr.${region}.amazonaws.com/${s.repository}`])));
          expect(out.deploy_role_arn).toBe(`arn:aws:iam::${account}:role/${name}-${environment}-deploy`);

          // AND the load balancer drops invalid headers, refuses deletion in production only, and routes /api/* to the API
          const lb = (await aws<{ LoadBalancers: { LoadBalancerArn: string }[] }>(moto.env, ['elbv2', 'describe-load-balancers', '--names', ecs.loadBalancerName])).LoadBalancers[0]!;
          const attributes = Object.fromEntries(
            (await aws<{ Attributes: { Key: string; Value: string }[] }>(moto.env, ['elbv2', 'describe-load-balancer-attributes', '--load-balancer-arn', lb.LoadBalancerArn])).Attributes.map((a) => [a.Key, a.Value]),
          );
          expect(attributes['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
          expect(attributes['deletion_protection.enabled']).toBe(String(ecs.isProduction));
          const groups = (await aws<{ TargetGroups: { TargetGroupName: string; TargetType: string; HealthCheckPath: string; Port: number }[] }>(moto.env, ['elbv2', 'describe-target-groups', '--load-balancer-arn', lb.LoadBalancerArn])).TargetGroups;
          expect(groups.map((g) => [g.TargetGroupName, g.TargetType, g.HealthCheckPath, g.Port]).sort()).toEqual(
            ecs.services.map((s) => [s.targetGroupName, 'ip', s.healthCheckPath, s.port]).sort(),
          );
          const listeners = (await aws<{ Listeners: { ListenerArn: string; Port: number }[] }>(moto.env, ['elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn])).Listeners;
          expect(listeners.map((l) => l.Port)).toEqual([80]);
          const rules = (await aws<{ Rules: { IsDefault: boolean; Conditions: { Field: string; Values?: string[]; PathPatternConfig?: { Values: string[] } }[] }[] }>(moto.env, ['elbv2', 'describe-rules', '--listener-arn', listeners[0]!.ListenerArn])).Rules;
          const pathRules = rules.filter((r) => !r.IsDefault).map((r) => r.Conditions.flatMap((c) => c.PathPatternConfig?.Values ?? c.Values ?? []));
          expect(pathRules).toEqual(ecs.services.length > 1 ? [['/api', '/api/*']] : []);

          // AND the cluster has Container Insights; each service runs Fargate tasks in private subnets without public
          // addresses, on a read-only, non-root, unprivileged task definition of the chosen architecture
          const cluster = (await aws<{ clusters: { settings: { name: string; value: string }[] }[] }>(moto.env, ['ecs', 'describe-clusters', '--clusters', ecs.clusterName, '--include', 'SETTINGS'])).clusters[0]!;
          expect(cluster.settings).toContainEqual({ name: 'containerInsights', value: 'enabled' });
          const described = await aws<{ services: { serviceName: string; launchType: string; taskDefinition: string; networkConfiguration: { awsvpcConfiguration: { assignPublicIp: string; subnets: string[] } } }[] }>(moto.env, [
            'ecs',
            'describe-services',
            '--cluster',
            ecs.clusterName,
            '--services',
            ...ecs.services.map((s) => s.serviceName),
          ]);
          const publicSubnets = new Set(
            (await aws<{ Subnets: { SubnetId: string }[] }>(moto.env, ['ec2', 'describe-subnets', '--filters', `Name=tag:Name,Values=${ecs.clusterName}-public-*`])).Subnets.map((s) => s.SubnetId),
          );
          expect(publicSubnets.size).toBe(2);
          for (const service of described.services) {
            expect(service.launchType).toBe('FARGATE');
            expect(service.networkConfiguration.awsvpcConfiguration.assignPublicIp).toBe('DISABLED');
            expect(service.networkConfiguration.awsvpcConfiguration.subnets.filter((s) => publicSubnets.has(s))).toEqual([]);
            const definition = (await aws<{ taskDefinition: Record<string, unknown> & { containerDefinitions: Record<string, unknown>[] } }>(moto.env, ['ecs', 'describe-task-definition', '--task-definition', service.taskDefinition])).taskDefinition;
            expect(definition).toMatchObject({
              networkMode: 'awsvpc',
              requiresCompatibilities: ['FARGATE'],
              cpu: String(options.taskCpu),
              memory: String(options.taskMemory),
              runtimePlatform: { cpuArchitecture: options.architecture === 'arm64' ? 'ARM64' : 'X86_64', operatingSystemFamily: 'LINUX' },
            });
            expect(definition.containerDefinitions[0]).toMatchObject({
              name: service.serviceName,
              image: `${account}.dkr.ecr.${region}.amazonaws.com/${name}-${service.serviceName}:awaiting-first-deploy`,
              user: '1000:1000',
              readonlyRootFilesystem: true,
              privileged: false,
              linuxParameters: { capabilities: { drop: ['ALL'] } },
              logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${ecs.clusterName}/${service.serviceName}` } },
            });
          }
          // AND the log groups keep 14 days, encrypted with the environment's key
          const logGroups = (await aws<{ logGroups: { logGroupName: string; retentionInDays: number; kmsKeyId?: string }[] }>(moto.env, ['logs', 'describe-log-groups', '--log-group-name-prefix', `/ecs/${ecs.clusterName}/`])).logGroups;
          expect(logGroups.map((g) => [g.logGroupName, g.retentionInDays, Boolean(g.kmsKeyId)]).sort()).toEqual(ecs.services.map((s) => [s.logGroup, 14, true]).sort());
          // AND each service scales between the bounds on CPU
          const targets = (await aws<{ ScalableTargets: { ResourceId: string; MinCapacity: number; MaxCapacity: number }[] }>(moto.env, ['application-autoscaling', 'describe-scalable-targets', '--service-namespace', 'ecs'])).ScalableTargets;
          expect(targets.filter((t) => t.ResourceId.startsWith(`service/${ecs.clusterName}/`)).map((t) => [t.ResourceId, t.MinCapacity, t.MaxCapacity]).sort()).toEqual(
            ecs.services.map((s) => [`service/${ecs.clusterName}/${s.serviceName}`, options.minCount, options.maxCount]).sort(),
          );
          // AND what moto does not keep, Terraform sent: circuit breaker with rollback, the 5xx alarm with rollback, and the
          // pipeline's revision and autoscaling's count left alone
          const state = JSON.parse((await terraform(root, ['show', '-json'], { env: moto.env })).stdout) as {
            values: { root_module: { child_modules: { resources: { type: string; values: Record<string, unknown> }[] }[] } };
          };
          const ecsServices = state.values.root_module.child_modules.flatMap((m) => m.resources).filter((r) => r.type === 'aws_ecs_service');
          expect(ecsServices).toHaveLength(ecs.services.length);
          for (const { values } of ecsServices) {
            expect(values.deployment_circuit_breaker).toEqual([{ enable: true, rollback: true }]);
            expect(values.alarms).toEqual([{ alarm_names: [`${ecs.clusterName}-${String(values.name)}-target-5xx`], enable: true, rollback: true }]);
            expect(values.health_check_grace_period_seconds).toBe(60);
          }
        }

        // AND the plan role and each infra role grant every API action the plans called; of the first apply, each infra
        // role grants everything but the IAM writes, which by design only an administrator's apply makes
        const roles = await readRoles(moto.env, [`${name}-plan`, ...environments.map((environment) => `${name}-${environment}-infra`)]);
        const planGrants = await grantedActions(identityPolicies(roles.get(`${name}-plan`)!));
        for (const [i, environment] of environments.entries()) {
          const called = apiCalls(planLogs[i + 1]!);
          called.delete('sts:GetCallerIdentity');
          expect(called.size).toBeGreaterThan(30);
          const infraGrants = await grantedActions(identityPolicies(roles.get(`${name}-${environment}-infra`)!));
          expect([...called].filter((action) => !planGrants.has(action.toLowerCase())), `plan role, ${environment}`).toEqual([]);
          expect([...called].filter((action) => !infraGrants.has(action.toLowerCase())), `infra role, ${environment}`).toEqual([]);
          const applied = apiCalls(join(roots[i + 1]!, 'apply-log.json'));
          applied.delete('sts:GetCallerIdentity');
          const identityWrites = [...applied].filter((action) => /^iam:(?!Get|List)/.test(action));
          expect(identityWrites.length).toBeGreaterThan(0);
          expect(identityWrites.filter((action) => infraGrants.has(action.toLowerCase())), `infra role, ${environment}`).toEqual([]);
          expect([...applied].filter((action) => !identityWrites.includes(action) && !infraGrants.has(action.toLowerCase())), `infra role, apply of ${environment}`).toEqual([]);
        }

        // WHEN the pipeline deploys a new image of every service to every environment with scripts/deploy.sh
        const realAws = execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
        const images = services.map((s, i) => {
          const seed = String(i + 1);
          const manifest = JSON.stringify({
            schemaVersion: 2,
            mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
            config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 7023, digest: `sha256:${seed.repeat(64)}` },
            layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1024, digest: `sha256:${seed.repeat(64)}` }],
          });
          const digest = execFileSync(realAws, ['ecr', 'put-image', '--repository-name', s.repository, '--image-tag', 'f'.repeat(40), '--image-manifest', manifest, '--query', 'image.imageId.imageDigest', '--output', 'text'], {
            env: { ...process.env, ...moto.env },
            encoding: 'utf8',
          }).trim();
          return `${s.key}=${account}.dkr.ecr.${region}.amazonaws.com/${s.repository}@${digest}`;
        });
        for (const environment of environments) {
          const deploy = runScript(join(repo, 'scripts/deploy.sh'), ['--environment', environment, ...images.flatMap((image) => ['--image', image]), '--poll-interval', '0.1'], {
            ...moto.env,
            PATH: `${rolloutStub}:${process.env.PATH}`,
            REAL_AWS: realAws,
            ECS_ROLLOUT_STATE: tempDir('ecs-rollout-'),
          });
          expect(deploy.status, deploy.stdout + deploy.stderr).toBe(0);
        }
        // THEN Terraform sees no change in any root: the pipeline owns the running revision, Terraform everything else
        await Promise.all(roots.map((root) => planClean(root)));

        // AND everything is destroyed: deletion protection turned off first where it is on (as the runbook says), the
        // pushed images deleted, environments in reverse order, then the bootstrap
        for (let i = environments.length - 1; i >= 0; i--) {
          const root = roots[i + 1]!;
          if (i === environments.length - 1) await terraform(root, ['apply', '-auto-approve', '-input=false', '-var', 'enable_deletion_protection=false'], { env: moto.env });
          await terraform(root, ['destroy', '-auto-approve', '-input=false'], { env: moto.env });
        }
        for (const s of services) await aws(moto.env, ['ecr', 'batch-delete-image', '--repository-name', s.repository, '--image-ids', `imageTag=${'f'.repeat(40)}`]);
        await terraform(roots[0]!, ['destroy', '-auto-approve', '-input=false'], { env: moto.env });
        const remaining = (await aws<{ Roles: { RoleName: string }[] }>(moto.env, ['iam', 'list-roles'])).Roles.map((role) => role.RoleName);
        expect(remaining.filter((role) => role.startsWith(name))).toEqual([]);
        const clusters = await aws<{ clusters: { status: string }[] }>(moto.env, ['ecs', 'describe-clusters', '--clusters', ...environments.map((e) => `${name}-${e}`)]);
        expect(clusters.clusters.map((c) => c.status)).toEqual(environments.map(() => 'INACTIVE'));
        // AND no task definition revision was deregistered, Terraform's included (skip_destroy): the infra role has no
        // ecs:DeregisterTaskDefinition, which AWS cannot hold to a family
        for (const environment of environments) {
          for (const s of ecsEnvironment({ name, appPort: 8000, options }, { name: environment, isLast: false }).services) {
            const listed = async (status: string) => (await aws<{ taskDefinitionArns: string[] }>(moto.env, ['ecs', 'list-task-definitions', '--family-prefix', s.family, '--status', status])).taskDefinitionArns;
            expect(await listed('INACTIVE'), s.family).toEqual([]);
            expect((await listed('ACTIVE')).length, s.family).toBeGreaterThanOrEqual(2);
          }
        }
        expect((await aws<{ LoadBalancers: unknown[] }>(moto.env, ['elbv2', 'describe-load-balancers'])).LoadBalancers).toEqual([]);
      } finally {
        await moto.stop();
      }
    },
  );
});
