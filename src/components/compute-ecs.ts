import { createHash } from 'node:crypto';
import type { EnvironmentData, TemplateData } from '../render/template-data.js';
import type { Component, FileRule } from './component.js';
import { accountsOnlyDocs } from './accounts-docs.js';
import { ecrRepositoryArn } from './image-registry.js';
import { applyTrigger } from './terraform-apply.js';
import { alignedAttributes } from './terraform.js';

/** The services an ecs repository runs: the API always, the static frontend unless `frontend: false`. */
export type EcsServiceKey = 'api' | 'frontend';

/** What one service is, whatever the environment. */
export interface EcsService {
  readonly key: EcsServiceKey;
  readonly isApi: boolean;
  /** ECR repository (bootstrap), shared by every environment: `<name>-<key>`. */
  readonly repository: string;
  /** The one container of its task definition. */
  readonly containerName: EcsServiceKey;
  readonly port: number;
  /** Path the load balancer's target group checks. */
  readonly healthCheckPath: string;
  /** Folder the image is built from. */
  readonly context: 'service' | 'frontend';
  /** Folders that are writable in the container (each a task volume; the root filesystem is read-only). */
  readonly writablePaths: readonly string[];
  /** The key padded to the longest key, for `key = value` lines aligned as `terraform fmt` aligns them. */
  readonly alignedKey: string;
  /** Names deploy.yml gives this service's steps and variables. */
  readonly workflow: { readonly existingStepName: string; readonly existingStepId: string; readonly digestVariable: string };
}

/** What one service is in one environment: the names Terraform creates and the scripts and roles rely on. */
export interface EcsEnvironmentService extends EcsService {
  /** ECS service name, within the environment's cluster. */
  readonly serviceName: EcsServiceKey;
  /** Its target group, as the alb module names it. */
  readonly targetGroupName: string;
  /** Task definition family (families are per account, so the environment is part of it). */
  readonly family: string;
  readonly logGroup: string;
  /** Parameter Store path of its secrets; its execution role reads nothing else. */
  readonly secretsPath: string;
  readonly taskRoleName: string;
  readonly executionRoleName: string;
}

export interface EcsEnvironment {
  readonly name: string;
  readonly clusterName: string;
  /** The load balancer, as the alb module names it (from the cluster's name). */
  readonly loadBalancerName: string;
  /** KMS key of the environment (logs and secrets), as an alias without `alias/`. */
  readonly kmsAlias: string;
  /** The last environment in promotion order is production: its load balancer refuses deletion. */
  readonly isProduction: boolean;
  readonly services: readonly EcsEnvironmentService[];
}

/** Port of the static frontend's server (unprivileged: the container runs as a non-root user). */
export const frontendPort = 8080;

const workflowNames = (key: EcsServiceKey): EcsService['workflow'] => ({
  existingStepName: `Look for the ${key} image of this commit`,
  existingStepId: `existing-${key}`,
  digestVariable: `${key.toUpperCase()}_DIGEST`,
});

export function ecsServices(data: Pick<TemplateData, 'name' | 'appPort' | 'options'>): EcsService[] {
  const api: EcsService = {
    key: 'api',
    isApi: true,
    repository: `${data.name}-api`,
    containerName: 'api',
    port: data.appPort,
    healthCheckPath: '/ready',
    context: 'service',
    writablePaths: ['/tmp'],
    alignedKey: 'api',
    workflow: workflowNames('api'),
  };
  const frontend: EcsService = {
    key: 'frontend',
    isApi: false,
    repository: `${data.name}-frontend`,
    containerName: 'frontend',
    port: frontendPort,
    healthCheckPath: '/',
    context: 'frontend',
    writablePaths: [],
    alignedKey: 'frontend',
    workflow: workflowNames('frontend'),
  };
  if (data.options.frontend === false) return [api];
  return [{ ...api, alignedKey: api.key.padEnd(frontend.key.length) }, frontend];
}

/**
 * A name as the alb module shortens it for AWS's 32 characters: kept when it fits, else its first 25 characters, a
 * hyphen and 6 hex of its SHA-1 (the module's `substr(name, 0, 25)-substr(sha1(name), 0, 6)`, written here again so the
 * infra role can be scoped to the names the module will use).
 */
export function albShortName(name: string): string {
  return name.length <= 32 ? name : `${name.slice(0, 25)}-${createHash('sha1').update(name).digest('hex').slice(0, 6)}`;
}

export function ecsEnvironment(data: Pick<TemplateData, 'name' | 'appPort' | 'options'>, env: Pick<EnvironmentData, 'name' | 'isLast'>): EcsEnvironment {
  const prefix = `${data.name}-${env.name}`;
  return {
    name: env.name,
    clusterName: prefix,
    loadBalancerName: albShortName(prefix),
    kmsAlias: prefix,
    isProduction: env.isLast,
    services: ecsServices(data).map((service) => ({
      ...service,
      serviceName: service.key,
      targetGroupName: albShortName(`${prefix}-${service.key}`),
      family: `${prefix}-${service.key}`,
      logGroup: `/ecs/${prefix}/${service.key}`,
      secretsPath: `/${data.name}/${env.name}/${service.key}`,
      taskRoleName: `${prefix}-${service.key}-task`,
      executionRoleName: `${prefix}-${service.key}-exec`,
    })),
  };
}

/**
 * The ecs target's own modules: the environment's cluster and KMS key (`ecs-cluster`) and one Fargate service per
 * application service (`ecs-service`: task definition, service, roles, logs, autoscaling, rollback alarm). The network
 * and the load balancer are the shared `network` and `alb` modules.
 */
export const ecsComputeComponent: Component = {
  name: 'compute',
  files: [
    { from: 'terraform/modules/ecs-cluster', owner: 'managed' },
    { from: 'terraform/modules/ecs-service', owner: 'managed' },
    // Only where environments live in separate accounts: a single-account scaffold renders what it always did.
    ...accountsOnlyDocs.ecs.map((page): FileRule => ({ from: `docs/${page}`, owner: 'managed', ofTarget: true, when: (data) => data.accounts.enabled })),
  ],
  data: (base) => {
    const services = ecsServices(base);
    // With accounts: environments outside the registry's account pull each service's image with that service's
    // execution role, and their deploy role reads image tags (rollback.sh --commit finds an image from them). Role and
    // repository ARNs are literal: the repository policies name roles before they exist, and a later account cannot
    // look up a repository of another.
    const registryAccount = base.accounts.artifactAccountId;
    const readers = base.accounts.crossAccountEnvironments.map((env) => ecsEnvironment(base, env));
    const accountOf = (env: string) => base.environments.find((e) => e.name === env)!.accountId!;
    const roleArn = (env: string, role: string) => `arn:aws:iam::${accountOf(env)}:role/${role}`;
    const pullers = (key: EcsServiceKey) => readers.map((env) => roleArn(env.name, env.services.find((s) => s.key === key)!.executionRoleName));
    return {
      /** What the service is deployed to, in words (the service's package.json says it). */
      runsOn: 'ECS Fargate',
      ...applyTrigger('ecs'),
      /** What the first environment's deploy job does besides deploying (deploy.yml's header). */
      firstDeployAlso: 'builds and pushes the image',
      /** What else the workflows build from AWS_ACCOUNT_ID, besides role ARNs (docs/runbook.md). */
      accountIdAlsoBuilds: 'the image repository',
      /** Jobs of ci.yml beyond service, terraform, workflows and scripts (each declared in the target's `workflows/ci-jobs` partial). */
      extraCiJobs: services.some((s) => s.key === 'frontend') ? ['frontend'] : [],
      services: services.map((s) => ({
        ...s,
        /** With accounts, its repository in the registry's account, named literally (null with one account: roots look it up). */
        repositoryArn: registryAccount === null ? null : ecrRepositoryArn(base.region, registryAccount, s.repository),
      })),
      /** The bootstrap's repositories, one per service. */
      repositoryNames: services.map((s) => s.repository),
      /** With accounts, their ARNs in the registry's account (the plan role of every account names them). */
      repositoryArns: registryAccount === null ? [] : services.map((s) => ecrRepositoryArn(base.region, registryAccount, s.repository)),
      hasFrontend: services.length > 1,
      frontendPort,
      /** Per environment name: its cluster, load balancer and services. */
      environments: Object.fromEntries(base.environments.map((env) => [env.name, ecsEnvironment(base, env)])),
      /** What holds the artifacts every environment deploys, as the docs name it (shared docs partials say it). */
      artifactStore: `the ECR repositories ${services.map((s) => `\`${s.repository}\``).join(' and ')}`,
      crossAccountReaders: readers.length > 0,
      /** Every later environment's execution roles (all services). */
      crossAccountPullRoleArns: services.flatMap((s) => pullers(s.key)),
      /** `repository = [execution roles]` lines of the bootstrap's map: each repository is pulled by its own service's roles only. */
      crossAccountPullRoleArnsByRepository: alignedAttributes(services.map((s): [string, string[]] => [s.repository, pullers(s.key)])),
      crossAccountDescribeRoleArns: base.accounts.crossAccountEnvironments.map((env) => roleArn(env.name, env.deployRoleName)),
    };
  },
};
