import type { ResolvedOptions, Target } from '../options/index.js';
import { architectureOf } from '../options/architecture.js';
import { generatedVersions } from './versions.js';

export interface EnvironmentData {
  readonly name: string;
  readonly index: number;
  readonly isFirst: boolean;
  readonly isLast: boolean;
  /** The environment deployed before this one (promotion order), if any. */
  readonly previous: string | null;
  /** The OIDC `sub` of any job that runs in this GitHub environment. */
  readonly subject: string;
  readonly deployRoleName: string;
  readonly infraRoleName: string;
  /** Key of this environment's state object in the state bucket. */
  readonly stateKey: string;
  /**
   * SSM parameter holding what was last healthy on every instance: an image by digest (`…/last-known-good-image`), or
   * for targets that ship releases from S3 the release (`…/last-known-good-release`).
   */
  readonly lastKnownGoodParameter: string;
  /** This environment's own SSM deploy document (the only document its deploy role may run). */
  readonly ssmDocumentName: string;
  /**
   * The AWS account this environment lives in (option `accounts`); null when every environment lives in the one
   * account of the `AWS_ACCOUNT_ID` variable.
   */
  readonly accountId: string | null;
  /**
   * This environment lives outside the account that holds the artifacts (the first environment's): what deploys in it
   * reads them across accounts. Always false without accounts.
   */
  readonly readsArtifactsAcrossAccounts: boolean;
}

/** An AWS account of a repository whose environments live in separate accounts. */
export interface AccountData {
  readonly id: string;
  /** The environments it hosts, in promotion order. */
  readonly environments: readonly string[];
  /** It holds the artifacts every environment deploys (it hosts the first environment). */
  readonly holdsArtifacts: boolean;
}

/**
 * Accounts of the environments. Without the option `accounts` every environment lives in one account whose id the
 * workflows read from the variable AWS_ACCOUNT_ID; with it, each environment names its own.
 */
export interface AccountsData {
  readonly enabled: boolean;
  /** Distinct accounts, in the promotion order of their first environment; empty without accounts. */
  readonly list: readonly AccountData[];
  /**
   * The account the artifacts are built into, once (the first environment's): every environment deploys them from
   * there. Null without accounts (then it is the one account).
   */
  readonly artifactAccountId: string | null;
  /** Environments outside the artifact account, in promotion order: their pullers are granted reads across accounts. */
  readonly crossAccountEnvironments: readonly EnvironmentData[];
}

/** Everything templates may read. Flags are computed here so templates stay free of logic. */
export interface TemplateData {
  readonly name: string;
  readonly target: Target;
  readonly region: string;
  /** The EC2 instance type, for targets that run on instances they name (null for the others). */
  readonly instanceType: string | null;
  /** CPU architecture the service is built for and runs on. */
  readonly architecture: 'x86_64' | 'arm64';
  /** Docker platform matching the instance's architecture. */
  readonly dockerPlatform: 'linux/amd64' | 'linux/arm64';
  readonly github: {
    readonly owner: string;
    readonly repo: string;
    /** `owner/repo` */
    readonly fullName: string;
    readonly ownerId: string | null;
    readonly repoId: string | null;
    readonly immutableSubjects: boolean;
    /** `repo:owner/repo` or `repo:owner@ID/repo@ID`: every subject starts with it. */
    readonly subjectPrefix: string;
  };
  readonly environments: readonly EnvironmentData[];
  readonly firstEnvironment: EnvironmentData;
  readonly accounts: AccountsData;
  /** The read-only role for `terraform plan` (pull requests and main). */
  readonly plan: { readonly roleName: string; readonly subjects: readonly string[] };
  /** One repository shared by all environments: an image is built once and promoted by digest. */
  readonly ecrRepositoryName: string;
  /** The state bucket is `<stateBucketPrefix><account id>` (bucket names are global; the account id makes it unique). */
  readonly stateBucketPrefix: string;
  readonly containerName: string;
  /** Port the service listens on, in the container and on the host. */
  readonly appPort: number;
  /** Tag keys the deploy role's conditions match (never user-overridable). */
  readonly tagKeys: { readonly app: 'App'; readonly environment: 'Environment'; readonly managedBy: 'ManagedBy' };
  /** User tags, sorted by key. */
  readonly extraTags: readonly { readonly key: string; readonly value: string }[];
  readonly hasExtraTags: boolean;
  readonly serviceIamStatements: ResolvedOptions['serviceIamStatements'];
  readonly hasServiceIamStatements: boolean;
  /** Repository variable that turns the cloud jobs on (`'true'`); unset means the pipeline does nothing in AWS. */
  readonly pipelineEnabledVariable: 'PIPELINE_ENABLED';
  /**
   * Variable holding the AWS account id that role ARNs are built from: a repository variable with one account, each
   * GitHub environment's own with accounts (an environment's variable wins over the repository's).
   */
  readonly accountIdVariable: 'AWS_ACCOUNT_ID';
  readonly versions: typeof generatedVersions;
  readonly generator: { readonly name: 'create-ec2-oidc-pipeline'; readonly version: string };
  /** The resolved options, for `.projenrc.ts`. */
  readonly options: ResolvedOptions;
}

export { architectureOf };

export function subjectPrefix(options: Pick<ResolvedOptions, 'githubOwner' | 'githubRepo' | 'githubOwnerId' | 'githubRepoId'>): string {
  return options.githubOwnerId && options.githubRepoId
    ? `repo:${options.githubOwner}@${options.githubOwnerId}/${options.githubRepo}@${options.githubRepoId}`
    : `repo:${options.githubOwner}/${options.githubRepo}`;
}

export function templateData(options: ResolvedOptions, generatorVersion: string): TemplateData {
  const prefix = subjectPrefix(options);
  const names = options.environments;
  const accountOf = (env: string) => options.accounts?.[env] ?? null;
  const artifactAccountId = accountOf(names[0]!);
  const environments = names.map(
    (env, index): EnvironmentData => ({
      name: env,
      index,
      isFirst: index === 0,
      isLast: index === names.length - 1,
      previous: index > 0 ? names[index - 1]! : null,
      subject: `${prefix}:environment:${env}`,
      deployRoleName: `${options.name}-${env}-deploy`,
      infraRoleName: `${options.name}-${env}-infra`,
      stateKey: `environments/${env}/terraform.tfstate`,
      lastKnownGoodParameter: `/${options.name}/${env}/last-known-good-${options.target === 'asg' ? 'release' : 'image'}`,
      ssmDocumentName: `${options.name}-${env}-deploy`,
      accountId: accountOf(env),
      readsArtifactsAcrossAccounts: artifactAccountId !== null && accountOf(env) !== artifactAccountId,
    }),
  );
  const accountIds = [...new Set(environments.map((env) => env.accountId).filter((id): id is string => id !== null))];
  const accounts: AccountsData = {
    enabled: accountIds.length > 0,
    list: accountIds.map((id) => ({
      id,
      environments: environments.filter((env) => env.accountId === id).map((env) => env.name),
      holdsArtifacts: id === artifactAccountId,
    })),
    artifactAccountId,
    crossAccountEnvironments: environments.filter((env) => env.readsArtifactsAcrossAccounts),
  };
  // Targets that name instance types run on their architecture (a node group's share one, validated, so the first
  // tells it); the others (ecs) on the one their options choose.
  const instanceTypeOfArchitecture = options.instanceType ?? options.nodeInstanceTypes?.[0];
  const architecture = instanceTypeOfArchitecture ? architectureOf(instanceTypeOfArchitecture) : (options.architecture ?? 'x86_64');
  return {
    name: options.name,
    target: options.target,
    region: options.region,
    instanceType: options.instanceType ?? null,
    architecture,
    dockerPlatform: architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64',
    github: {
      owner: options.githubOwner,
      repo: options.githubRepo,
      fullName: `${options.githubOwner}/${options.githubRepo}`,
      ownerId: options.githubOwnerId ?? null,
      repoId: options.githubRepoId ?? null,
      immutableSubjects: Boolean(options.githubOwnerId && options.githubRepoId),
      subjectPrefix: prefix,
    },
    environments,
    firstEnvironment: environments[0]!,
    accounts,
    plan: { roleName: `${options.name}-plan`, subjects: [`${prefix}:pull_request`, `${prefix}:ref:refs/heads/main`] },
    ecrRepositoryName: options.name,
    stateBucketPrefix: `${options.name}-tfstate-`,
    containerName: options.name,
    appPort: 8000,
    tagKeys: { app: 'App', environment: 'Environment', managedBy: 'ManagedBy' },
    extraTags: Object.entries(options.tags)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value })),
    hasExtraTags: Object.keys(options.tags).length > 0,
    serviceIamStatements: options.serviceIamStatements,
    hasServiceIamStatements: options.serviceIamStatements.length > 0,
    pipelineEnabledVariable: 'PIPELINE_ENABLED',
    accountIdVariable: 'AWS_ACCOUNT_ID',
    versions: generatedVersions,
    generator: { name: 'create-ec2-oidc-pipeline', version: generatorVersion },
    options,
  };
}
