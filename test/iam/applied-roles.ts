import { awsJson as aws } from '../support/aws-cli.js';
import type { PolicyDocument } from './simulator.js';

/** A role as IAM holds it after `terraform apply`: its trust policy and every policy attached to it, read back. */
export interface AppliedRole {
  readonly name: string;
  readonly arn: string;
  readonly maxSessionDuration: number;
  readonly trust: PolicyDocument;
  readonly inline: readonly { name: string; policy: PolicyDocument }[];
  readonly attached: readonly { name: string; arn: string; policy: PolicyDocument }[];
}

/** A policy document as the API returns it: the CLI decodes the URL-encoded JSON into an object; moto may not. */
function document(value: unknown): PolicyDocument {
  return (typeof value === 'string' ? JSON.parse(decodeURIComponent(value)) : value) as PolicyDocument;
}

/**
 * Reads roles back with the AWS CLI, i.e. the JSON Terraform actually produced: `get-account-authorization-details`
 * (each role's trust policy, inline policies and attached policy ARNs, as `get-role`, `get-role-policy` and
 * `list-attached-role-policies` answer them), `get-role` (the session limit), and `get-policy` + `get-policy-version`
 * for the documents of attached managed policies. One call for all roles: the CLI costs a second per call.
 */
export async function readRoles(env: Record<string, string>, names: readonly string[]): Promise<Map<string, AppliedRole>> {
  const details = await aws<{
    RoleDetailList: {
      RoleName: string;
      Arn: string;
      AssumeRolePolicyDocument: unknown;
      RolePolicyList: { PolicyName: string; PolicyDocument: unknown }[];
      AttachedManagedPolicies: { PolicyName: string; PolicyArn: string }[];
    }[];
  }>(env, ['iam', 'get-account-authorization-details', '--filter', 'Role']);
  const byName = new Map(details.RoleDetailList.map((role) => [role.RoleName, role]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length > 0) throw new Error(`roles not found in IAM: ${missing.join(', ')}`);
  const managedArns = [...new Set(names.flatMap((name) => byName.get(name)!.AttachedManagedPolicies.map((p) => p.PolicyArn)))];
  const [managed, sessions] = await Promise.all([
    Promise.all(
      managedArns.map(async (arn) => {
        const policy = await aws<{ Policy: { DefaultVersionId: string } }>(env, ['iam', 'get-policy', '--policy-arn', arn]);
        const version = await aws<{ PolicyVersion: { Document: unknown } }>(env, [
          'iam',
          'get-policy-version',
          '--policy-arn',
          arn,
          '--version-id',
          policy.Policy.DefaultVersionId,
        ]);
        return [arn, document(version.PolicyVersion.Document)] as const;
      }),
    ),
    Promise.all(names.map((name) => aws<{ Role: { MaxSessionDuration: number } }>(env, ['iam', 'get-role', '--role-name', name]))),
  ]);
  const documents = new Map(managed);
  return new Map(
    names.map((name, i) => {
      const role = byName.get(name)!;
      return [
        name,
        {
          name,
          arn: role.Arn,
          maxSessionDuration: sessions[i]!.Role.MaxSessionDuration,
          trust: document(role.AssumeRolePolicyDocument),
          inline: role.RolePolicyList.map((p) => ({ name: p.PolicyName, policy: document(p.PolicyDocument) })),
          attached: role.AttachedManagedPolicies.map((p) => ({ name: p.PolicyName, arn: p.PolicyArn, policy: documents.get(p.PolicyArn)! })),
        },
      ];
    }),
  );
}

export async function readRole(env: Record<string, string>, name: string): Promise<AppliedRole> {
  return (await readRoles(env, [name])).get(name)!;
}

/** Every policy that grants the role permissions (inline and attached), for the simulator. */
export const identityPolicies = (role: AppliedRole) => [...role.inline, ...role.attached.map(({ arn, policy }) => ({ name: arn, policy }))];

export async function createRole(env: Record<string, string>, name: string, trust: PolicyDocument): Promise<void> {
  await aws(env, ['iam', 'create-role', '--role-name', name, '--assume-role-policy-document', JSON.stringify(trust)]);
}

export async function createGitHubOidcProvider(env: Record<string, string>): Promise<string> {
  const created = await aws<{ OpenIDConnectProviderArn: string }>(env, [
    'iam',
    'create-open-id-connect-provider',
    '--url',
    'https://token.actions.githubusercontent.com',
    '--client-id-list',
    'sts.amazonaws.com',
  ]);
  return created.OpenIDConnectProviderArn;
}
