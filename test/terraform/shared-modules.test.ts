import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBalancerComponent, networkComponent } from '../../src/components/network.js';
import { defaultTemplates } from '../../src/render/default-templates.js';
import { TemplateEngine } from '../../src/render/engine.js';
import { outputPath } from '../../src/render/render.js';
import { generatedVersions } from '../../src/render/versions.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import { tempDir } from '../support/render-preset.js';
import { requireTerraform, terraform } from '../support/terraform.js';
import { requireTool } from '../support/tools.js';

// The network and alb modules are shared by the asg, ecs and eks targets. Here they are proven on their own, through a
// test root that calls them as a target's environment does: fmt, validate, apply against moto 5.2.1, a clean re-plan,
// the controls read back from the emulated AWS, plan-only variants (plain HTTP; an existing VPC), destroy. Every
// resource they declare is emulated by moto; none is left out. The HTTPS listener uses a self-signed certificate
// imported into moto's ACM by the test (a real deployment uses an ACM certificate of its own domain).

const region = 'eu-west-1';

/** The two modules as a repository renders them, under modules/. */
function writeModules(root: string): void {
  const engine = new TemplateEngine(defaultTemplates());
  for (const component of [networkComponent, loadBalancerComponent]) {
    for (const rule of component.files) {
      for (const template of engine.list(rule.from)) {
        const path = join(root, outputPath(template).replace(/^terraform\//, ''));
        mkdirSync(join(path, '..'), { recursive: true });
        writeFileSync(path, engine.render(template, { versions: generatedVersions }));
      }
    }
  }
}

/** A root composing both modules as an environment does; `certificate` and `existing` vary it. */
function testRoot(options: { certificate: boolean; existingVpc?: { vpc_id: string; public_subnet_ids: string[]; private_subnet_ids: string[] } }): string {
  const existing = options.existingVpc ? JSON.stringify(options.existingVpc).replace(/"(\w+)":/g, '$1 = ') : 'null';
  return `terraform {
  required_version = "${generatedVersions.terraformRequired}"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${generatedVersions.awsProvider}"
    }
  }
}

provider "aws" {
  region            = "${region}"
  s3_use_path_style = true
  default_tags {
    tags = { App = "demo", Environment = "production", ManagedBy = "terraform" }
  }
}

variable "certificate_arn" {
  type    = string
  default = null
}

module "network" {
  source = "../modules/network"

  name                = "demo-production"
  interface_endpoints = ["ssm", "ssmmessages", "ec2messages"]
  private_subnet_tags = { "kubernetes.io/role/internal-elb" = "1" }
  existing_vpc        = ${existing}
}

module "alb" {
  source = "../modules/alb"

  name                       = "demo-production-with-a-rather-long-name"
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.public_subnet_ids
  certificate_arn            = ${options.certificate ? 'var.certificate_arn' : 'null'}
  enable_deletion_protection = false

  target_groups = {
    api      = { port = 8000, target_type = "instance", health_check_path = "/ready" }
    frontend = { port = 8080, target_type = "ip", health_check_path = "/", deregistration_delay = 10 }
  }
  default_target_group = "frontend"
  path_rules           = [{ priority = 10, paths = ["/api/*"], target_group = "api" }]
}

output "network" {
  value = module.network
}

output "alb" {
  value = module.alb
}
`;
}

async function aws<T>(env: Record<string, string>, args: string[]): Promise<T> {
  const { stdout } = await execa('aws', [...args, '--output', 'json'], { env, stdin: 'ignore' });
  return JSON.parse(stdout) as T;
}

describe('shared network and alb modules', () => {
  let moto: MotoServer;
  const dir = tempDir('tf-shared-modules-');
  const root = join(dir, 'root');
  let certificateArn = '';

  beforeAll(async () => {
    requireTerraform();
    requireTool('aws', 'pip install awscli');
    requireTool('openssl', 'apt-get install -y openssl', ['version']);
    writeModules(dir);
    mkdirSync(root);
    writeFileSync(join(root, 'main.tf'), testRoot({ certificate: true }));
    moto = await startMoto({ region });
    // A self-signed certificate in moto's ACM stands in for the ACM certificate of a real domain.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=demo.example.com', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    certificateArn = (
      await aws<{ CertificateArn: string }>(moto.env, ['acm', 'import-certificate', '--certificate', `fileb://${join(dir, 'cert.pem')}`, '--private-key', `fileb://${join(dir, 'key.pem')}`])
    ).CertificateArn;
  });
  afterAll(async () => moto?.stop());

  it('is formatted and valid with the real AWS provider', async () => {
    const fmt = await terraform(join(dir, 'modules'), ['fmt', '-check', '-recursive', '-diff'], { okExitCodes: [0, 3] });
    expect(fmt.stdout).toBe('');
    await terraform(root, ['init', '-input=false']);
    const validate = await terraform(root, ['validate', '-json'], { okExitCodes: [0, 1] });
    expect((JSON.parse(validate.stdout) as { diagnostics: unknown[] }).diagnostics).toEqual([]);
  });

  it('applies against moto, re-plans with no changes, enforces its controls, and destroys', { timeout: 600_000 }, async () => {
    // GIVEN the root applied with an HTTPS certificate
    const vars = ['-var', `certificate_arn=${certificateArn}`];
    await terraform(root, ['apply', '-auto-approve', '-input=false', ...vars], { env: moto.env });

    // THEN a second plan finds nothing to change
    const plan = await terraform(root, ['plan', '-detailed-exitcode', '-input=false', ...vars], { env: moto.env, okExitCodes: [0, 2] });
    expect(plan.exitCode, plan.stdout).toBe(0);

    const out = JSON.parse((await terraform(root, ['output', '-json'], { env: moto.env })).stdout) as Record<string, { value: Record<string, unknown> }>;
    const network = out.network!.value as { vpc_id: string; public_subnet_ids: string[]; private_subnet_ids: string[]; availability_zones: string[] };
    const alb = out.alb!.value as { arn: string; security_group_id: string; listener_arns: Record<string, string>; target_group_names: Record<string, string> };

    // AND the subnets are spread over two zones, none hands out public addresses, private ones route through NAT
    expect(network.availability_zones).toEqual([`${region}a`, `${region}b`]);
    const subnets = await aws<{ Subnets: { SubnetId: string; MapPublicIpOnLaunch: boolean; AvailabilityZone: string; CidrBlock: string }[] }>(moto.env, [
      'ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${network.vpc_id}`,
    ]);
    expect(subnets.Subnets).toHaveLength(4);
    expect(subnets.Subnets.every((subnet) => subnet.MapPublicIpOnLaunch === false)).toBe(true);
    expect(subnets.Subnets.map((s) => s.CidrBlock).sort()).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.16.0/20', '10.0.32.0/20']);
    const routes = await aws<{ RouteTables: { Associations: { SubnetId?: string }[]; Routes: { DestinationCidrBlock?: string; NatGatewayId?: string; GatewayId?: string }[] }[] }>(moto.env, [
      'ec2', 'describe-route-tables', '--filters', `Name=vpc-id,Values=${network.vpc_id}`,
    ]);
    for (const subnet of network.private_subnet_ids) {
      const table = routes.RouteTables.find((t) => t.Associations.some((a) => a.SubnetId === subnet))!;
      expect(table.Routes.find((r) => r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId, subnet).toMatch(/^nat-/);
    }
    const nats = await aws<{ NatGateways: unknown[] }>(moto.env, ['ec2', 'describe-nat-gateways', '--filter', `Name=vpc-id,Values=${network.vpc_id}`]);
    expect(nats.NatGateways).toHaveLength(2);

    // AND the default security group allows nothing (CKV2_AWS_12), flow logs record everything (CKV2_AWS_11)
    const defaults = await aws<{ SecurityGroups: { IpPermissions: unknown[]; IpPermissionsEgress: unknown[] }[] }>(moto.env, [
      'ec2', 'describe-security-groups', '--filters', `Name=vpc-id,Values=${network.vpc_id}`, 'Name=group-name,Values=default',
    ]);
    expect(defaults.SecurityGroups[0]).toMatchObject({ IpPermissions: [], IpPermissionsEgress: [] });
    const flowLogs = await aws<{ FlowLogs: { TrafficType: string; LogDestinationType: string }[] }>(moto.env, ['ec2', 'describe-flow-logs', '--filter', `Name=resource-id,Values=${network.vpc_id}`]);
    expect(flowLogs.FlowLogs).toEqual([expect.objectContaining({ TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' })]);

    // AND S3 and SSM are reachable from the private subnets through endpoints
    const endpoints = await aws<{ VpcEndpoints: { ServiceName: string; VpcEndpointType: string }[] }>(moto.env, ['ec2', 'describe-vpc-endpoints', '--filters', `Name=vpc-id,Values=${network.vpc_id}`]);
    expect(endpoints.VpcEndpoints.map((e) => `${e.VpcEndpointType}:${e.ServiceName}`).sort()).toEqual(
      ['Gateway:s3', 'Interface:ec2messages', 'Interface:ssm', 'Interface:ssmmessages'].map((s) => s.replace(':', `:com.amazonaws.${region}.`)),
    );

    // AND the load balancer drops invalid headers (CKV_AWS_131), its long name is shortened to 32 characters, HTTP
    // answers a 301 to HTTPS (CKV2_AWS_20), HTTPS offers TLS 1.3/1.2 only (CKV_AWS_103), /api/* goes to the API group
    const attributes = await aws<{ Attributes: { Key: string; Value: string }[] }>(moto.env, ['elbv2', 'describe-load-balancer-attributes', '--load-balancer-arn', alb.arn]);
    expect(attributes.Attributes).toContainEqual({ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' });
    const described = await aws<{ LoadBalancers: { LoadBalancerName: string; Scheme: string }[] }>(moto.env, ['elbv2', 'describe-load-balancers', '--load-balancer-arns', alb.arn]);
    expect(described.LoadBalancers[0]!.LoadBalancerName).toMatch(/^demo-production-with-a-ra-[0-9a-f]{6}$/);
    expect(Object.values(alb.target_group_names).every((name) => name.length <= 32)).toBe(true);
    const listeners = await aws<{ Listeners: { Port: number; Protocol: string; SslPolicy?: string; DefaultActions: { Type: string; RedirectConfig?: { Protocol: string; StatusCode: string } }[] }[] }>(
      moto.env,
      ['elbv2', 'describe-listeners', '--load-balancer-arn', alb.arn],
    );
    const byPort = Object.fromEntries(listeners.Listeners.map((l) => [l.Port, l]));
    expect(byPort[80]!.DefaultActions[0]).toMatchObject({ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', StatusCode: 'HTTP_301' } });
    expect(byPort[443]).toMatchObject({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    const rules = await aws<{ Rules: { Priority: string; Conditions: { Values?: string[]; PathPatternConfig?: { Values: string[] } }[] }[] }>(moto.env, [
      'elbv2', 'describe-rules', '--listener-arn', alb.listener_arns.https!,
    ]);
    expect(JSON.stringify(rules.Rules.find((r) => r.Priority === '10'))).toContain('/api/*');

    // AND the load balancer's security group lets in 80 and 443 only, and out only to the targets' ports in the VPC
    const rulesOfGroup = await aws<{ SecurityGroupRules: { IsEgress: boolean; FromPort: number; ToPort: number; CidrIpv4: string }[] }>(moto.env, [
      'ec2', 'describe-security-group-rules', '--filters', `Name=group-id,Values=${alb.security_group_id}`,
    ]);
    expect(rulesOfGroup.SecurityGroupRules.filter((r) => !r.IsEgress).map((r) => r.FromPort).sort()).toEqual([443, 80]);
    expect(rulesOfGroup.SecurityGroupRules.filter((r) => r.IsEgress).map((r) => `${r.FromPort}-${r.ToPort} ${r.CidrIpv4}`).sort()).toEqual(['8000-8000 10.0.0.0/16', '8080-8080 10.0.0.0/16']);

    // WHEN the same modules are planned against the existing VPC instead
    const existingRoot = join(dir, 'existing');
    mkdirSync(existingRoot);
    writeFileSync(join(existingRoot, 'main.tf'), testRoot({ certificate: false, existingVpc: { vpc_id: network.vpc_id, public_subnet_ids: network.public_subnet_ids, private_subnet_ids: network.private_subnet_ids } }));
    await terraform(existingRoot, ['init', '-input=false']);
    const existingPlan = await terraform(existingRoot, ['plan', '-input=false', '-out=plan'], { env: moto.env });
    const planned = JSON.parse((await terraform(existingRoot, ['show', '-json', 'plan'], { env: moto.env })).stdout) as { resource_changes: { address: string; change: { actions: string[]; after: Record<string, unknown> } }[] };
    // THEN the network module creates nothing, and without a certificate HTTP forwards to the default group
    expect(planned.resource_changes.filter((c) => c.address.startsWith('module.network.') && !c.change.actions.includes('no-op')), existingPlan.stdout).toEqual([]);
    const http = planned.resource_changes.find((c) => c.address === 'module.alb.aws_lb_listener.http')!;
    expect(JSON.stringify(http.change.after.default_action)).toContain('"type":"forward"');
    expect(planned.resource_changes.some((c) => c.address.startsWith('module.alb.aws_lb_listener.https'))).toBe(false);

    // AND everything is destroyed
    await terraform(root, ['destroy', '-auto-approve', '-input=false', ...vars], { env: moto.env });
    const vpcs = await aws<{ Vpcs: { VpcId: string }[] }>(moto.env, ['ec2', 'describe-vpcs', '--filters', `Name=vpc-id,Values=${network.vpc_id}`]);
    expect(vpcs.Vpcs).toEqual([]);
    expect(readFileSync(join(root, 'terraform.tfstate'), 'utf8')).not.toContain('"type": "aws_lb"');
  });
});
