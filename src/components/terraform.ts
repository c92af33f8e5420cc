import { hclLiteral } from '../render/engine.js';
import type { TemplateData } from '../render/template-data.js';
import type { Component, FileRule } from './component.js';

/** Value every root puts in the `ManagedBy` tag. */
const managedBy = 'terraform';

/** Placeholder the ssm-deploy module replaces with the account id, so `ImageUri` admits this account's registry only. */
export const accountIdPlaceholder = '__AWS_ACCOUNT_ID__';

/** A map key as HCL writes it: bare when it is an identifier, quoted otherwise (tag keys may hold spaces, `:` or `/`). */
function hclKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : hclLiteral(key);
}

/**
 * `key = value` lines of a map, padded the way `terraform fmt` aligns them (the `=` of consecutive lines in one column),
 * so the rendered files pass `fmt -check` whatever tag keys the user chose.
 */
export function alignedAttributes(entries: readonly (readonly [string, unknown])[]): string[] {
  const keys = entries.map(([key]) => hclKey(key));
  const width = Math.max(...keys.map((key) => [...key].length));
  return entries.map(([, value], i) => `${keys[i]!.padEnd(width + keys[i]!.length - [...keys[i]!].length)} = ${hclLiteral(value)}`);
}

function defaultTags(data: TemplateData, environment: string | null): string[] {
  const own: [string, string][] = [[data.tagKeys.app, data.name]];
  if (environment) own.push([data.tagKeys.environment, environment]);
  own.push([data.tagKeys.managedBy, managedBy]);
  return alignedAttributes([...own, ...data.extraTags.map(({ key, value }): [string, string] => [key, value])]);
}

/** `^<account>\.dkr\.ecr\.<region>\.amazonaws\.com/<repository>@sha256:<64 hex>$`: this app's repository, by digest only. */
function imageUriPattern(data: TemplateData): string {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^${accountIdPlaceholder}${escape(`.dkr.ecr.${data.region}.amazonaws.com/${data.ecrRepositoryName}`)}@sha256:[0-9a-f]{64}$`;
}

const environmentFile = (file: string, owner: FileRule['owner'] = 'managed', ofTarget = false): FileRule => ({
  from: `terraform/environments/__environment__/${file}.hbs`,
  owner,
  perEnvironment: true,
  ofTarget,
});

/**
 * Terraform every target shares: the bootstrap root (state bucket, OIDC provider, plan role, and the target's artifact
 * store), the GitHub OIDC roles module, and one root per environment composing the target's modules. Only
 * `terraform.tfvars` belongs to the user; everything else is rewritten by `npx projen`.
 */
export const terraformComponent: Component = {
  name: 'terraform',
  files: [
    { from: 'terraform/bootstrap', owner: 'managed' },
    { from: 'terraform/modules/github-oidc-roles', owner: 'managed' },
    environmentFile('versions.tf'),
    environmentFile('backend.tf'),
    // What an environment is made of depends on the target: each has its own composition of modules.
    environmentFile('main.tf', 'managed', true),
    environmentFile('variables.tf', 'managed', true),
    environmentFile('outputs.tf', 'managed', true),
    environmentFile('terraform.tfvars', 'sample', true),
  ],
  data: (data) => ({
    managedBy,
    accountIdPlaceholder,
    imageUriPattern: imageUriPattern(data),
    /** Lines of the bootstrap provider's `default_tags`. */
    bootstrapDefaultTags: defaultTags(data, null),
    /** Lines of each environment provider's `default_tags`, by environment name. */
    environmentDefaultTags: Object.fromEntries(data.environments.map((env) => [env.name, defaultTags(data, env.name)])),
    /** The instance role's extra statements, one HCL object per line (`${` escaped: IAM policy variables stay literal). */
    serviceIamStatements: data.serviceIamStatements.map((statement) => hclLiteral(statement)),
    /** With accounts: what the bootstrap and the environments' providers name (empty lists with one account). */
    accounts: {
      /** `dev  = "111111111111"` lines of the bootstrap's map from environment to account, aligned as fmt does. */
      environmentAccounts: data.accounts.enabled ? alignedAttributes(data.environments.map((env): [string, string] => [env.name, env.accountId!])) : [],
      environmentNames: data.environments.map((env) => env.name),
      ids: data.accounts.list.map((account) => account.id),
      /** The environment whose account holds the artifacts: the first. */
      artifactEnvironment: data.firstEnvironment.name,
    },
  }),
};
