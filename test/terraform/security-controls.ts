import type { HclJson, HclModule } from './hcl-references.js';

/**
 * Security controls checked on parsed HCL, each named after the checkov check it mirrors. A checker answers the
 * violations it finds (empty: the control holds), so a test can also show it failing on deliberately broken HCL.
 */

type Body = Record<string, unknown>;

export interface Block {
  readonly dir: string;
  readonly name: string;
  readonly body: Body;
}

/** Every `resource "<type>"` (or `data "<type>"`) block of every module. */
export function blocksOf(modules: readonly HclModule[], kind: 'resource' | 'data', type: string): Block[] {
  return modules.flatMap((module) =>
    [...module.files.values()].flatMap((json: HclJson) => {
      const byName = (json[kind] as Record<string, Record<string, Body[]>> | undefined)?.[type] ?? {};
      return Object.entries(byName).flatMap(([name, bodies]) => bodies.map((body) => ({ dir: module.dir, name, body })));
    }),
  );
}

/** Nested blocks of a body (`metadata_options { … }` is `[{ … }]` in hcl2json's output). */
export function nested(body: Body, name: string): Body[] {
  const value = body[name];
  return Array.isArray(value) ? (value as Body[]) : [];
}

const where = (block: Block) => `${block.dir}: ${block.name}`;

/** The variable `var.X` names, with its parsed declaration, if the expression is exactly `${var.X}`. */
function variableOf(modules: readonly HclModule[], dir: string, expression: unknown): Body | undefined {
  const match = typeof expression === 'string' ? /^\$\{var\.([A-Za-z0-9_]+)\}$/.exec(expression) : null;
  if (!match) return undefined;
  const module = modules.find((m) => m.dir === dir);
  for (const json of module?.files.values() ?? []) {
    const declared = (json.variable as Record<string, Body[]> | undefined)?.[match[1]!];
    if (declared) return declared[0];
  }
  return undefined;
}

/** CKV_AWS_79: instances require IMDSv2 (session tokens); DESIGN §4.6: hop limit 2 so containers get credentials. */
export function imdsV2Required(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_instance').flatMap((instance) => {
    const [options] = nested(instance.body, 'metadata_options');
    if (!options) return [`${where(instance)} has no metadata_options (IMDSv1 stays enabled)`];
    const problems: string[] = [];
    if (options.http_tokens !== 'required') problems.push(`${where(instance)} does not set http_tokens = "required"`);
    if (options.http_endpoint === 'disabled') problems.push(`${where(instance)} disables the metadata endpoint (the SSM agent needs it)`);
    if (options.http_put_response_hop_limit !== 2) problems.push(`${where(instance)} does not set http_put_response_hop_limit = 2`);
    return problems;
  });
}

/** CKV_AWS_8: every EBS volume of an instance is encrypted (and the root volume has an explicit size and type gp3). */
export function encryptedVolumes(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_instance').flatMap((instance) => {
    const [root] = nested(instance.body, 'root_block_device');
    if (!root) return [`${where(instance)} has no root_block_device (the root volume would follow the AMI: unencrypted)`];
    const problems: string[] = [];
    if (root.encrypted !== true) problems.push(`${where(instance)} root volume is not encrypted`);
    if (root.volume_size === undefined) problems.push(`${where(instance)} root volume has no explicit size`);
    if (root.volume_type !== 'gp3') problems.push(`${where(instance)} root volume is not gp3`);
    for (const device of nested(instance.body, 'ebs_block_device')) {
      if (device.encrypted !== true) problems.push(`${where(instance)} EBS volume ${String(device.device_name)} is not encrypted`);
    }
    return problems;
  });
}

function coversPort(from: number, to: number, port: number): boolean {
  return from <= port && port <= to;
}

/** A port expression's possible values: a literal, or `var.X` whose default and validation we can read. */
function portValue(modules: readonly HclModule[], dir: string, expression: unknown): { value?: number; excludes22: boolean } {
  if (typeof expression === 'number') return { value: expression, excludes22: expression !== 22 };
  const variable = variableOf(modules, dir, expression);
  if (!variable) return { excludes22: false };
  const conditions = nested(variable, 'validation').map((v) => String(v.condition));
  return {
    value: typeof variable.default === 'number' ? variable.default : undefined,
    excludes22: conditions.some((condition) => /var\.[A-Za-z0-9_]+\s*!=\s*22\b/.test(condition)),
  };
}

/**
 * CKV_AWS_24 / CKV_AWS_25 and beyond: no ingress to port 22 (or 3389) at all — from 0.0.0.0/0 or anywhere — no key
 * pair on instances, and no ingress open to the world by default.
 */
export function noSshIngress(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  const checkRule = (block: Block, rule: Body, cidrs: unknown) => {
    const protocol = String(rule.ip_protocol ?? rule.protocol ?? '');
    if (protocol === '-1' || protocol === 'all') {
      problems.push(`${where(block)} allows every protocol and port in`);
      return;
    }
    const from = portValue(modules, block.dir, rule.from_port);
    const to = portValue(modules, block.dir, rule.to_port);
    for (const port of [22, 3389]) {
      if (from.value !== undefined && to.value !== undefined && coversPort(from.value, to.value, port)) {
        problems.push(`${where(block)} opens port ${port}`);
      }
    }
    if ((from.value === undefined || to.value === undefined) && !(from.excludes22 && to.excludes22)) {
      problems.push(`${where(block)} opens a port that is not shown to exclude 22`);
    }
    const world = (value: unknown): boolean =>
      value === '0.0.0.0/0' || value === '::/0' || (Array.isArray(value) && value.some(world));
    if (world(cidrs)) problems.push(`${where(block)} is open to the world`);
    const variable = variableOf(modules, block.dir, cidrs);
    if (variable && world(variable.default)) problems.push(`${where(block)} is open to the world by default`);
  };
  for (const rule of blocksOf(modules, 'resource', 'aws_vpc_security_group_ingress_rule')) {
    // for_each over a CIDR variable: the rule's range may be that variable's elements.
    const source = typeof rule.body.for_each === 'string' ? /var\.[A-Za-z0-9_]+/.exec(rule.body.for_each)?.[0] : undefined;
    checkRule(rule, rule.body, rule.body.cidr_ipv4);
    if (source && rule.body.cidr_ipv4 === '${each.value}') {
      const variable = variableOf(modules, rule.dir, `\${${source}}`);
      if (variable && JSON.stringify(variable.default ?? []).match(/"(0\.0\.0\.0|::)\/0"/)) problems.push(`${where(rule)} is open to the world by default`);
    }
  }
  for (const rule of blocksOf(modules, 'resource', 'aws_security_group_rule')) {
    if (rule.body.type === 'ingress') checkRule(rule, rule.body, rule.body.cidr_blocks);
  }
  for (const group of blocksOf(modules, 'resource', 'aws_security_group')) {
    for (const ingress of nested(group.body, 'ingress')) checkRule(group, ingress, ingress.cidr_blocks);
  }
  for (const instance of blocksOf(modules, 'resource', 'aws_instance')) {
    if (instance.body.key_name !== undefined) problems.push(`${where(instance)} has a key pair (there is no SSH)`);
  }
  // Roots pass their own ingress variables down: none may default to the world either.
  for (const module of modules) {
    for (const json of module.files.values()) {
      for (const [name, [variable]] of Object.entries((json.variable as Record<string, Body[]> | undefined) ?? {})) {
        if (/ingress/.test(name) && JSON.stringify(variable?.default ?? []).match(/"(0\.0\.0\.0|::)\/0"/)) {
          problems.push(`${module.dir}: variable ${name} opens ingress to the world by default`);
        }
      }
    }
  }
  return problems;
}

/** CKV_AWS_382-style: egress is HTTPS only, never every port and protocol. */
export function egressHttpsOnly(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  for (const rule of blocksOf(modules, 'resource', 'aws_vpc_security_group_egress_rule')) {
    const { ip_protocol: protocol, from_port: from, to_port: to } = rule.body;
    if (protocol !== 'tcp' || from !== 443 || to !== 443) problems.push(`${where(rule)} allows ${String(protocol)} ${String(from)}-${String(to)} out, not HTTPS only`);
  }
  for (const group of blocksOf(modules, 'resource', 'aws_security_group')) {
    if (nested(group.body, 'egress').length > 0) problems.push(`${where(group)} has inline egress rules (use aws_vpc_security_group_egress_rule)`);
  }
  for (const rule of blocksOf(modules, 'resource', 'aws_security_group_rule')) {
    if (rule.body.type === 'egress') problems.push(`${where(rule)} is a legacy egress rule`);
  }
  return problems;
}

/** CKV_AWS_51: ECR tags are immutable. */
export function ecrImmutableTags(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_ecr_repository')
    .filter((repo) => repo.body.image_tag_mutability !== 'IMMUTABLE')
    .map((repo) => `${where(repo)} does not set image_tag_mutability = "IMMUTABLE"`);
}

/** CKV_AWS_163: ECR scans images on push. */
export function ecrScanOnPush(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_ecr_repository')
    .filter((repo) => nested(repo.body, 'image_scanning_configuration')[0]?.scan_on_push !== true)
    .map((repo) => `${where(repo)} does not scan on push`);
}

/** The `aws_s3_bucket_*` blocks that configure bucket `name` (`bucket = aws_s3_bucket.<name>.id`). */
function bucketSettings(modules: readonly HclModule[], dir: string, type: string, bucket: string): Body[] {
  return blocksOf(modules, 'resource', type)
    .filter((block) => block.dir === dir && block.body.bucket === `\${aws_s3_bucket.${bucket}.id}`)
    .map((block) => block.body);
}

/** CKV_AWS_21: every bucket is versioned. */
export function s3Versioning(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_s3_bucket').flatMap((bucket) => {
    const versioning = bucketSettings(modules, bucket.dir, 'aws_s3_bucket_versioning', bucket.name);
    return versioning.some((v) => nested(v, 'versioning_configuration')[0]?.status === 'Enabled')
      ? []
      : [`${where(bucket)} is not versioned`];
  });
}

/** CKV_AWS_145 / CKV_AWS_19: every bucket has default encryption; every ECR repository declares its encryption. */
export function encryptionAtRest(modules: readonly HclModule[]): string[] {
  const buckets = blocksOf(modules, 'resource', 'aws_s3_bucket').flatMap((bucket) => {
    const sse = bucketSettings(modules, bucket.dir, 'aws_s3_bucket_server_side_encryption_configuration', bucket.name);
    const algorithm = sse.flatMap((s) => nested(s, 'rule')).flatMap((r) => nested(r, 'apply_server_side_encryption_by_default'))[0]?.sse_algorithm;
    return algorithm ? [] : [`${where(bucket)} has no default encryption`];
  });
  const repositories = blocksOf(modules, 'resource', 'aws_ecr_repository')
    .filter((repo) => !nested(repo.body, 'encryption_configuration')[0]?.encryption_type)
    .map((repo) => `${where(repo)} declares no encryption`);
  return [...buckets, ...repositories];
}

/** CKV_AWS_53, 54, 55, 56: every bucket blocks public ACLs and policies, ignores public ACLs, restricts public buckets. */
export function s3PublicAccessBlock(modules: readonly HclModule[]): string[] {
  const flags = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
  return blocksOf(modules, 'resource', 'aws_s3_bucket').flatMap((bucket) => {
    const [block] = bucketSettings(modules, bucket.dir, 'aws_s3_bucket_public_access_block', bucket.name);
    if (!block) return [`${where(bucket)} has no public access block`];
    return flags.filter((flag) => block[flag] !== true).map((flag) => `${where(bucket)} does not set ${flag} = true`);
  });
}

/** The `aws_iam_policy_document` data block a `policy = data.aws_iam_policy_document.X.json` attribute points at. */
function policyDocument(modules: readonly HclModule[], dir: string, expression: unknown): Block | undefined {
  const match = typeof expression === 'string' ? /data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)/.exec(expression) : null;
  return match ? blocksOf(modules, 'data', 'aws_iam_policy_document').find((doc) => doc.dir === dir && doc.name === match[1]) : undefined;
}

/** CKV2_AWS_? (TLS only): every bucket's policy denies `s3:*` to everyone when aws:SecureTransport is false. */
export function s3TlsOnly(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_s3_bucket').flatMap((bucket) => {
    const [policy] = bucketSettings(modules, bucket.dir, 'aws_s3_bucket_policy', bucket.name);
    const doc = policy && policyDocument(modules, bucket.dir, policy.policy);
    const denies = nested(doc?.body ?? {}, 'statement').some(
      (statement) =>
        statement.effect === 'Deny' &&
        JSON.stringify(statement.actions) === '["s3:*"]' &&
        nested(statement, 'principals').some((p) => p.type === '*' && JSON.stringify(p.identifiers) === '["*"]') &&
        nested(statement, 'condition').some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && JSON.stringify(c.values) === '["false"]'),
    );
    return denies ? [] : [`${where(bucket)} does not deny requests without TLS`];
  });
}

/** Trust policies of roles assumed with web identity: StringEquals on aud and sub, nothing looser. */
export function oidcTrustExact(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  for (const doc of blocksOf(modules, 'data', 'aws_iam_policy_document')) {
    for (const statement of nested(doc.body, 'statement')) {
      const actions = (statement.actions as string[] | undefined) ?? [];
      if (!actions.includes('sts:AssumeRoleWithWebIdentity')) continue;
      const conditions = nested(statement, 'condition');
      const on = (key: string) => conditions.filter((c) => c.variable === `token.actions.githubusercontent.com:${key}`);
      for (const key of ['aud', 'sub']) {
        const found = on(key);
        if (found.length === 0) problems.push(`${where(doc)} does not check ${key}`);
        for (const condition of found) {
          if (condition.test !== 'StringEquals') problems.push(`${where(doc)} checks ${key} with ${String(condition.test)}, not StringEquals`);
        }
      }
      for (const condition of conditions) {
        if (/^For(All|Any)Values:/.test(String(condition.test))) problems.push(`${where(doc)} uses ${String(condition.test)}`);
        if (/Like$/.test(String(condition.test))) problems.push(`${where(doc)} uses ${String(condition.test)}`);
      }
      if (JSON.stringify(on('aud')[0]?.values) !== '["sts.amazonaws.com"]') problems.push(`${where(doc)} does not pin aud to sts.amazonaws.com`);
    }
  }
  // The subjects the roots pass: exact, and never pull_request for a role that can write.
  for (const module of modules) {
    for (const json of module.files.values()) {
      for (const [name, calls] of Object.entries((json.module as Record<string, Body[]> | undefined) ?? {})) {
        for (const call of calls) {
          for (const kind of ['plan_role', 'deploy_role', 'infra_role']) {
            const role = call[kind] as { name?: unknown; subjects?: unknown } | undefined;
            if (role === undefined) continue;
            if (!Array.isArray(role.subjects) || typeof role.name !== 'string') {
              problems.push(`${module.dir}: module ${name} ${kind} is not a literal { name, subjects }`);
              continue;
            }
            for (const subject of role.subjects as unknown[]) {
              if (typeof subject !== 'string' || /[*?]|\$\{/.test(subject) || !/^repo:[^:]+\/[^:]+:/.test(subject)) {
                problems.push(`${module.dir}: module ${name} ${kind} trusts a non-exact subject ${String(subject)}`);
              }
              if (kind !== 'plan_role' && String(subject).endsWith(':pull_request')) {
                problems.push(`${module.dir}: module ${name} ${kind} can be assumed from pull requests`);
              }
            }
          }
        }
      }
    }
  }
  return problems;
}

/**
 * A statement's actions: its list, or, when it is an expression (asg: `var.enable_release_upload ? [...] : [...]`),
 * every action named in it, whichever branch applies.
 */
function actionsOf(statement: Body): string[] {
  const actions = statement.actions;
  if (Array.isArray(actions)) return actions as string[];
  if (typeof actions === 'string') return [...actions.matchAll(/"([a-z0-9-]+:[A-Za-z0-9*]+)"/g)].map((m) => m[1]!);
  return [];
}

/** Actions of every Allow statement in a policy document, with its sid and the statement itself. */
function allowedActions(doc: Block): { sid: string; action: string; resources: unknown; statement: Body }[] {
  return nested(doc.body, 'statement')
    .filter((statement) => (statement.effect ?? 'Allow') === 'Allow')
    .flatMap((statement) => actionsOf(statement).map((action) => ({ sid: String(statement.sid ?? ''), action, resources: statement.resources, statement })));
}

/** A key policy's administration statement: `kms:*` to its own account's root only (AWS's default; without it nobody administers the key). */
function keyAdministeredByItsAccount(statement: Body): boolean {
  const principals = nested(statement, 'principals');
  return (
    JSON.stringify(statement.actions) === '["kms:*"]' &&
    principals.length === 1 &&
    principals[0]!.type === 'AWS' &&
    Array.isArray(principals[0]!.identifiers) &&
    (principals[0]!.identifiers as unknown[]).every((id) => /^arn:[^:]+:iam::\$\{[a-z_.]+\}:root$/.test(String(id)))
  );
}

/** iam:PassRole on named roles (no wildcard resource), to one service only (`iam:PassedToService` with StringEquals). */
function passRoleScoped(statement: Body): boolean {
  const resources = JSON.stringify(statement.resources ?? '*');
  return (
    !/"\*"|^"\*/.test(resources) &&
    nested(statement, 'condition').some((c) => c.test === 'StringEquals' && c.variable === 'iam:PassedToService' && Array.isArray(c.values) && c.values.length === 1)
  );
}

/**
 * CKV_AWS_355/CKV_AWS_290-style, stricter: the deploy role allows no wildcard action at all, no IAM action but a
 * PassRole scoped to named roles and one service (ecs: its tasks' roles to ECS tasks), and never AWS-RunShellScript; no
 * policy anywhere allows `*` or `service:*`, but a KMS key's policy granting `kms:*` to its own account (AWS's default
 * administration statement, which hands the key to IAM).
 */
export function noWildcardActions(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  for (const doc of blocksOf(modules, 'data', 'aws_iam_policy_document')) {
    for (const { sid, action, statement } of allowedActions(doc)) {
      if ((action === '*' || /^[a-z0-9-]+:\*$/.test(action)) && !keyAdministeredByItsAccount(statement)) problems.push(`${where(doc)} statement ${sid} allows ${action}`);
    }
    if (doc.name !== 'deploy') continue;
    for (const { sid, action, resources, statement } of allowedActions(doc)) {
      if (action.includes('*')) problems.push(`${where(doc)} (deploy) statement ${sid} allows a wildcard action ${action}`);
      if (action.startsWith('iam:') && !(action === 'iam:PassRole' && passRoleScoped(statement))) problems.push(`${where(doc)} (deploy) statement ${sid} allows ${action}`);
      if (JSON.stringify(resources ?? '').includes('AWS-RunShellScript')) problems.push(`${where(doc)} (deploy) statement ${sid} reaches AWS-RunShellScript`);
    }
  }
  return problems;
}

/** CKV_AWS_341-style for launch templates: IMDSv2 required; hop limit 1 (nothing runs in containers on these hosts). */
export function launchTemplateImdsV2(modules: readonly HclModule[]): string[] {
  const templates = blocksOf(modules, 'resource', 'aws_launch_template');
  if (templates.length === 0) return ['no aws_launch_template to check'];
  return templates.flatMap((template) => {
    const [options] = nested(template.body, 'metadata_options');
    if (!options) return [`${where(template)} has no metadata_options (IMDSv1 stays enabled)`];
    const problems: string[] = [];
    if (options.http_tokens !== 'required') problems.push(`${where(template)} does not set http_tokens = "required"`);
    if (options.http_endpoint === 'disabled') problems.push(`${where(template)} disables the metadata endpoint (the SSM agent needs it)`);
    if (options.http_put_response_hop_limit !== 1) problems.push(`${where(template)} does not set http_put_response_hop_limit = 1`);
    return problems;
  });
}

/** CKV_AWS_8 for launch templates: every EBS mapping encrypted gp3 of an explicit size; no key pair (there is no SSH). */
export function launchTemplateVolumesAndKeys(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_launch_template').flatMap((template) => {
    const problems: string[] = [];
    if (template.body.key_name !== undefined) problems.push(`${where(template)} has a key pair (there is no SSH)`);
    const mappings = nested(template.body, 'block_device_mappings');
    if (mappings.length === 0) problems.push(`${where(template)} has no block_device_mappings (the root volume would follow the AMI: unencrypted)`);
    for (const mapping of mappings) {
      const [ebs] = nested(mapping, 'ebs');
      if (ebs?.encrypted !== true) problems.push(`${where(template)} volume ${String(mapping.device_name)} is not encrypted`);
      if (ebs?.volume_type !== 'gp3') problems.push(`${where(template)} volume ${String(mapping.device_name)} is not gp3`);
      if (ebs?.volume_size === undefined) problems.push(`${where(template)} volume ${String(mapping.device_name)} has no explicit size`);
    }
    return problems;
  });
}

/**
 * Instances behind a load balancer: their security groups' ingress comes from another security group (the load
 * balancer's) only, never from a CIDR range, and never to port 22.
 */
export function fleetIngressFromLoadBalancerOnly(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_vpc_security_group_ingress_rule')
    .filter((rule) => rule.dir.endsWith('/asg-fleet'))
    .flatMap((rule) => {
      const problems: string[] = [];
      if (rule.body.referenced_security_group_id === undefined) problems.push(`${where(rule)} admits traffic from something other than a security group`);
      if (rule.body.cidr_ipv4 !== undefined || rule.body.cidr_ipv6 !== undefined) problems.push(`${where(rule)} admits a CIDR range`);
      const from = portValue(modules, rule.dir, rule.body.from_port);
      const to = portValue(modules, rule.dir, rule.body.to_port);
      if (!(from.excludes22 && to.excludes22) && !(from.value !== undefined && to.value !== undefined && !coversPort(from.value, to.value, 22))) {
        problems.push(`${where(rule)} opens a port that is not shown to exclude 22`);
      }
      return problems;
    });
}

/** The controls of the asg target, by the name of the test that runs each. */
export const asgControls = {
  'CKV_AWS_341: launch templates require IMDSv2, hop limit 1': launchTemplateImdsV2,
  'CKV_AWS_8: launch template volumes are encrypted gp3 of an explicit size, no key pair': launchTemplateVolumesAndKeys,
  'instances accept the service port from the load balancer only, never port 22': fleetIngressFromLoadBalancerOnly,
  'CKV_AWS_382: instance egress is HTTPS only': (modules: readonly HclModule[]) => egressHttpsOnly(modules.filter((m) => m.dir.endsWith('/asg-fleet'))),
  'CKV_AWS_21: S3 buckets are versioned': s3Versioning,
  'CKV_AWS_145 / CKV_AWS_19: S3 encrypts at rest': encryptionAtRest,
  'CKV_AWS_53 / 54 / 55 / 56: S3 public access is blocked': s3PublicAccessBlock,
  'S3 bucket policies deny requests without TLS': s3TlsOnly,
  'OIDC trust: StringEquals on aud and exact subjects, no wildcard, no pull_request for writing roles': oidcTrustExact,
  'Deploy role: no wildcard or IAM action, no AWS-RunShellScript; no * action anywhere': noWildcardActions,
} as const satisfies Record<string, (modules: readonly HclModule[]) => string[]>;

/** The controls of what ec2 and ecs share: the bootstrap's bucket and repositories, and GitHub's trust. */
const sharedControls = {
  'CKV_AWS_51: ECR tags are immutable': ecrImmutableTags,
  'CKV_AWS_163: ECR scans on push': ecrScanOnPush,
  'CKV_AWS_21: S3 buckets are versioned': s3Versioning,
  'CKV_AWS_145 / CKV_AWS_19: S3 and ECR encrypt at rest': encryptionAtRest,
  'CKV_AWS_53 / 54 / 55 / 56: S3 public access is blocked': s3PublicAccessBlock,
  'S3 bucket policies deny requests without TLS': s3TlsOnly,
  'OIDC trust: StringEquals on aud and exact subjects, no wildcard, no pull_request for writing roles': oidcTrustExact,
} as const satisfies Record<string, (modules: readonly HclModule[]) => string[]>;

/** Every control, by the name of the test that runs it. */
export const controls = {
  'CKV_AWS_79: instances require IMDSv2, hop limit 2': imdsV2Required,
  'CKV_AWS_8: instance volumes are encrypted, with an explicit size': encryptedVolumes,
  'CKV_AWS_24 / CKV_AWS_25: no ingress to port 22 or 3389 from anywhere, no key pair, nothing open to the world by default': noSshIngress,
  'CKV_AWS_382: egress is HTTPS only': egressHttpsOnly,
  ...sharedControls,
  'Deploy role: no wildcard or IAM action, no AWS-RunShellScript; no * action anywhere': noWildcardActions,
} as const satisfies Record<string, (modules: readonly HclModule[]) => string[]>;

/** CKV_AWS_333: ECS services give their tasks no public IP (awsvpc, private subnets). */
export function ecsNoPublicIp(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_ecs_service').flatMap((service) => {
    const [network] = nested(service.body, 'network_configuration');
    if (!network) return [`${where(service)} has no network_configuration`];
    return network.assign_public_ip === false ? [] : [`${where(service)} does not set assign_public_ip = false`];
  });
}

/** CKV_AWS_131: load balancers drop invalid header fields (request smuggling). */
export function albDropsInvalidHeaders(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_lb')
    .filter((lb) => lb.body.drop_invalid_header_fields !== true)
    .map((lb) => `${where(lb)} does not set drop_invalid_header_fields = true`);
}

/** CKV_AWS_158 / CKV_AWS_7: every log group is encrypted with a KMS key, every KMS key rotates. */
export function logsEncryptedKeysRotated(modules: readonly HclModule[]): string[] {
  const groups = blocksOf(modules, 'resource', 'aws_cloudwatch_log_group')
    .filter((group) => typeof group.body.kms_key_id !== 'string' || group.body.kms_key_id === '')
    .map((group) => `${where(group)} is not encrypted with a KMS key`);
  const keys = blocksOf(modules, 'resource', 'aws_kms_key')
    .filter((key) => key.body.enable_key_rotation !== true)
    .map((key) => `${where(key)} does not rotate`);
  return [...groups, ...keys];
}

/** CKV_AWS_336 / CKV_AWS_97-style: containers run on a read-only root filesystem, unprivileged, without capabilities, as a non-root user. */
export function containerHardening(modules: readonly HclModule[]): string[] {
  return blocksOf(modules, 'resource', 'aws_ecs_task_definition').flatMap((task) => {
    // container_definitions is a jsonencode() expression: its HCL text, spaces squeezed.
    const text = String(task.body.container_definitions).replace(/\s+/g, ' ');
    const problems: string[] = [];
    if (!text.includes('readonlyRootFilesystem = true')) problems.push(`${where(task)} does not set readonlyRootFilesystem = true`);
    if (!text.includes('privileged = false')) problems.push(`${where(task)} does not set privileged = false`);
    if (!text.includes('capabilities = { drop = ["ALL"] }')) problems.push(`${where(task)} does not drop every capability`);
    const user = /user = (var\.[a-z_]+|"[^"]*")/.exec(text)?.[1];
    const variable = user?.startsWith('var.') ? variableOf(modules, task.dir, `\${${user}}`) : undefined;
    const nonRoot = (value: unknown) => typeof value === 'string' && /^[1-9][0-9]*:[1-9][0-9]*$/.test(value);
    const validated = JSON.stringify(variable?.validation ?? '').includes('[1-9][0-9]*:[1-9][0-9]*');
    if (!(user && (nonRoot(JSON.parse(user.startsWith('"') ? user : '""')) || (variable && nonRoot(variable.default) && validated)))) {
      problems.push(`${where(task)} does not run as a non-root user (a uid:gid, validated)`);
    }
    return problems;
  });
}

/**
 * The ecs network: tasks are reachable only from a security group (the load balancer's), never from a CIDR; the load
 * balancer listens on 80 and 443 only (open to the internet by design); the interface endpoints take HTTPS from the
 * VPC only; no rule anywhere reaches port 22 or 3389.
 */
export function ecsIngress(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  for (const rule of blocksOf(modules, 'resource', 'aws_vpc_security_group_ingress_rule')) {
    const { from_port: from, to_port: to, ip_protocol: protocol } = rule.body;
    if (protocol === '-1' || protocol === 'all') problems.push(`${where(rule)} allows every protocol and port in`);
    const literal = typeof from === 'number' && typeof to === 'number';
    if (literal && [22, 3389].some((port) => coversPort(from, to, port))) problems.push(`${where(rule)} opens port 22 or 3389`);
    if (rule.dir.endsWith('/alb')) {
      if (!(literal && from === to && [80, 443].includes(from))) problems.push(`${where(rule)} opens the load balancer on another port than 80 or 443`);
    } else if (rule.dir.endsWith('/network')) {
      // The interface endpoints answer HTTPS from inside the VPC.
      if (!(from === 443 && to === 443 && rule.body.cidr_ipv4 === '${var.cidr_block}')) problems.push(`${where(rule)} admits more than HTTPS from the VPC`);
    } else if (rule.body.cidr_ipv4 !== undefined || rule.body.cidr_ipv6 !== undefined || rule.body.referenced_security_group_id === undefined) {
      problems.push(`${where(rule)} admits a CIDR, not only a security group`);
    }
  }
  for (const kind of ['aws_security_group_rule', 'aws_security_group']) {
    for (const block of blocksOf(modules, 'resource', kind)) {
      if (kind === 'aws_security_group_rule' || nested(block.body, 'ingress').length > 0) problems.push(`${where(block)} declares ingress outside aws_vpc_security_group_ingress_rule`);
    }
  }
  return problems;
}

/** CKV_AWS_382: tasks and endpoints send HTTPS only; the load balancer reaches its targets inside the VPC only. */
export function ecsEgress(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  for (const rule of blocksOf(modules, 'resource', 'aws_vpc_security_group_egress_rule')) {
    const { ip_protocol: protocol, from_port: from, to_port: to, cidr_ipv4: cidr } = rule.body;
    if (rule.dir.endsWith('/alb')) {
      if (protocol !== 'tcp' || typeof cidr !== 'string' || !/^\$\{data\.aws_vpc\.[a-z_]+\.cidr_block\}$/.test(cidr)) problems.push(`${where(rule)} reaches beyond the VPC`);
    } else if (protocol !== 'tcp' || from !== 443 || to !== 443) {
      problems.push(`${where(rule)} allows ${String(protocol)} ${String(from)}-${String(to)} out, not HTTPS only`);
    }
  }
  return problems;
}

/** Roles ECS tasks assume trust ECS for this account only (aws:SourceAccount, StringEquals): the confused deputy. */
export function ecsTaskTrust(modules: readonly HclModule[]): string[] {
  const problems: string[] = [];
  for (const doc of blocksOf(modules, 'data', 'aws_iam_policy_document')) {
    for (const statement of nested(doc.body, 'statement')) {
      const services = nested(statement, 'principals').filter((p) => p.type === 'Service').flatMap((p) => (p.identifiers as string[] | undefined) ?? []);
      if (!services.includes('ecs-tasks.amazonaws.com')) continue;
      const pinned = nested(statement, 'condition').some((c) => c.test === 'StringEquals' && c.variable === 'aws:SourceAccount');
      if (!pinned) problems.push(`${where(doc)} lets ECS tasks of any account assume it (no aws:SourceAccount)`);
    }
  }
  return problems;
}

/** Every control of the ecs target's Terraform, by the name of the test that runs it (the shared ones included). */
export const ecsControls = {
  'CKV_AWS_333: ECS services assign no public IP': ecsNoPublicIp,
  'CKV_AWS_131: load balancers drop invalid header fields': albDropsInvalidHeaders,
  'CKV_AWS_158 / CKV_AWS_7: log groups are encrypted with KMS, keys rotate': logsEncryptedKeysRotated,
  'CKV_AWS_336: containers are read-only, unprivileged, without capabilities, non-root': containerHardening,
  'Ingress: tasks from the load balancer only, the load balancer on 80/443 only, never 22 or 3389': ecsIngress,
  'CKV_AWS_382: egress is HTTPS only, the load balancer stays inside the VPC': ecsEgress,
  ...sharedControls,
  'ECS task and execution roles trust ECS tasks of this account only': ecsTaskTrust,
  'Deploy role: no wildcard action, PassRole only of named roles to one service; no * action anywhere but a key to its account': noWildcardActions,
} as const satisfies Record<string, (modules: readonly HclModule[]) => string[]>;
