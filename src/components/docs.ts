import { appliesTo, descriptionOf, optionTable } from '../options/option-table.js';
import type { EnvironmentData, TemplateData } from '../render/template-data.js';
import type { Component } from './component.js';
import { manualApplyTargets } from './terraform-apply.js';
import { instanceRoleName } from './compute-ec2.js';
import { noFindingsLine } from '../doctor/finding.js';
import { accountsOnlyDocs } from './accounts-docs.js';

/** One line of `create-ec2-oidc-pipeline doctor`'s table, as the docs show it for this repository. */
interface DoctorRow {
  readonly workflow: string;
  readonly job: string;
  readonly when: string;
  readonly subject: string;
  readonly role: string;
  /** The account the role is assumed in: doctor's ACCOUNT column, shown when environments name their accounts. */
  readonly account: string | null;
}

/**
 * The rows doctor prints for the jobs that assume a role (deploy-<env>, plan-<env>, apply-<env>), aligned as doctor
 * aligns them. test/docs checks them against doctor's real output on the rendered repository.
 */
function doctorTable(data: TemplateData): string[] {
  const [pullRequest, main] = data.plan.subjects;
  const deploys = data.environments.map(
    (env): DoctorRow => ({ workflow: 'deploy.yml', job: `deploy-${env.name}`, when: `environment ${env.name}`, subject: env.subject, role: env.deployRoleName, account: env.accountId }),
  );
  const terraform = data.environments.flatMap((env): DoctorRow[] => [
    { workflow: 'terraform.yml', job: `plan-${env.name}`, when: 'pull_request', subject: pullRequest!, role: data.plan.roleName, account: env.accountId },
    { workflow: 'terraform.yml', job: `plan-${env.name}`, when: 'push to main', subject: main!, role: data.plan.roleName, account: env.accountId },
    ...(manualApplyTargets.includes(data.target)
      ? [{ workflow: 'terraform.yml', job: `plan-${env.name}`, when: 'workflow_dispatch, if: github.ref', subject: main!, role: data.plan.roleName, account: env.accountId }]
      : []),
    { workflow: 'terraform.yml', job: `apply-${env.name}`, when: `environment ${env.name}`, subject: env.subject, role: env.infraRoleName, account: env.accountId },
  ]);
  const accounts = data.accounts.enabled;
  const rows = [
    ['WORKFLOW', 'JOB', 'WHEN', 'SUBJECT', 'ROLE', ...(accounts ? ['ACCOUNT'] : []), 'TRUSTED'],
    ...[...deploys, ...terraform].map((r) => [r.workflow, r.job, r.when, r.subject, r.role, ...(accounts ? [r.account!] : []), 'yes']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]! + 2))).join(''));
}

/** What the docs say about one environment, beyond the shared names. */
function environmentDocs(data: TemplateData, env: EnvironmentData) {
  return {
    ...env,
    /** ec2-app names its role and instance profile `<name>-<env>-instance`. */
    instanceRoleName: instanceRoleName(data, env),
    rootDir: `terraform/environments/${env.name}`,
    /** The bucket of `init -backend-config`: the environment's account's, written out with accounts; else from $ACCOUNT_ID. */
    initBucket: `${data.stateBucketPrefix}${env.accountId ?? '$ACCOUNT_ID'}`,
    /** Its deploy role builds and pushes the image: the first environment's with accounts, every one's with one account. */
    pushesImages: env.isFirst || !data.accounts.enabled,
  };
}

/** With accounts: each account as the docs present it (empty lists with one account). */
function accountDocs(data: TemplateData, environments: readonly ReturnType<typeof environmentDocs>[]) {
  const list = data.accounts.list.map((account) => {
    const hosted = environments.filter((env) => account.environments.includes(env.name));
    return {
      ...account,
      /** A mermaid node id. */
      node: `account${account.id}`,
      hosted,
      environmentNames: account.environments.join(', '),
      /** The bootstrap's input for this account, as `-var` takes it. */
      environmentsVar: `environments=${JSON.stringify(account.environments)}`,
      stateBucket: `${data.stateBucketPrefix}${account.id}`,
      isFirst: account.id === data.accounts.artifactAccountId,
    };
  });
  return {
    list,
    registry: list.find((account) => account.holdsArtifacts) ?? null,
    later: list.filter((account) => !account.holdsArtifacts),
    crossAccountEnvironments: environments.filter((env) => env.readsArtifactsAcrossAccounts),
  };
}

/** Phrases shared pages use that name what differs between targets (the instance types, what triggers a deploy). */
function targetWording(data: TemplateData) {
  const types = data.options.nodeInstanceTypes ?? (data.instanceType ? [data.instanceType] : []);
  return {
    gravitonPhrase: types.length > 1 ? `${types.join(', ')} are Graviton types` : `${types[0] ?? ''} is a Graviton type`,
    instanceTypeOption: data.options.nodeInstanceTypes ? 'nodeInstanceTypes' : 'instanceType',
    x86Choice: data.options.nodeInstanceTypes ? 'x86_64 instance types' : 'an x86_64 instance type',
    deployTriggerPaths: data.target === 'eks' ? '`service/`, `scripts/`, `kubernetes/` or `deploy.yml`' : '`service/`, `scripts/` or `deploy.yml`',
  };
}

export const docsComponent: Component = {
  name: 'docs',
  files: [
    // Every page under docs/ (ADRs included) is ours to keep current: managed. Pages that hold for every target, then
    // the target's own.
    { from: 'docs', owner: 'managed' },
    { from: 'docs', owner: 'managed', ofTarget: true, exclude: Object.values(accountsOnlyDocs).flat() },
  ],
  data: (data) => {
    const environments = data.environments.map((env) => environmentDocs(data, env));
    return {
      /**
       * Every option of `.projenrc.ts` for this target, from the option table, so docs/upgrading.md cannot drift from
       * it. `accounts` is listed where it is used: a single-account scaffold renders byte for byte what it rendered
       * before the option existed (--help and the package README name it for everyone).
       */
      options: optionTable
        .filter((row) => appliesTo(row, data.target) && (row.key !== 'accounts' || data.accounts.enabled))
        .map((row) => ({ key: row.key, flag: 'flag' in row ? `\`--${row.flag}\`` : '—', description: descriptionOf(row, data.target) })),
      environments,
      /** Destroy goes against promotion order: the last environment first. */
      environmentsInDestroyOrder: [...environments].reverse(),
      firstEnvironment: environments[0]!,
      environmentNames: data.environments.map((env) => env.name).join(', '),
      multipleEnvironments: data.environments.length > 1,
      lastEnvironment: environments[environments.length - 1]!,
      imageRepository: `${data.accounts.artifactAccountId ?? '<account id>'}.dkr.ecr.${data.region}.amazonaws.com/${data.ecrRepositoryName}`,
      /** `$ACCOUNT_ID` is set by the runbook's first command, so the commands copy and paste as they are (with accounts, the registry's account is written out). */
      imageRepositoryShell: `${data.accounts.artifactAccountId ?? '$ACCOUNT_ID'}.dkr.ecr.${data.region}.amazonaws.com/${data.ecrRepositoryName}`,
      /** The registry every image is pushed to, with `$ACCOUNT_ID` as the runbook sets it (with accounts, written out). */
      imageRegistryShell: `${data.accounts.artifactAccountId ?? '$ACCOUNT_ID'}.dkr.ecr.${data.region}.amazonaws.com`,
      stateBucket: `${data.stateBucketPrefix}<account id>`,
      stateBucketShell: `${data.stateBucketPrefix}$ACCOUNT_ID`,
      /** The prefix the other subject format would have, to explain the switch. */
      namedSubjectPrefix: `repo:${data.github.owner}/${data.github.repo}`,
      doctorTable: doctorTable(data),
      doctorNoFindings: noFindingsLine(data.accounts.enabled),
      accounts: accountDocs(data, environments),
      ...targetWording(data),
    };
  },
};
