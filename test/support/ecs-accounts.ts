import { ecsEnvironment } from '../../src/components/compute-ecs.js';
import type { EnvironmentData, TemplateData } from '../../src/render/template-data.js';
import { addFile } from './terraform.js';

/**
 * What the account tests apply of an ecs environment root: the roles GitHub assumes, each service's task and execution
 * roles with their policies, the cluster, the log groups and key, and the task definitions (whose image names the
 * registry's account). Not the network, the load balancer or the services: test/terraform/apply-ecs.test.ts applies
 * and re-plans those; here they would cost minutes and prove nothing about accounts.
 *
 * The github_oidc_roles module takes the services' ARNs from the services themselves, so a `-target` of it would pull
 * in the whole stack. A test-support override (never the templates) gives it the ARNs ECS gives those services, built
 * from the same cluster and service names the roles are scoped to. Returns the `-target=` arguments.
 */
export function ecsRolesOnly(root: string, data: TemplateData, env: EnvironmentData): string[] {
  const ecs = ecsEnvironment(data, env);
  const serviceArns = ecs.services.map((s) => `arn:aws:ecs:${data.region}:${env.accountId}:service/${ecs.clusterName}/${s.serviceName}`);
  addFile(root, 'service_arns_override.tf', `module "github_oidc_roles" {\n  ecs_service_arns = ${JSON.stringify(serviceArns)}\n}\n`);
  return ['module.github_oidc_roles', ...ecs.services.flatMap((s) => [`module.${s.key}.aws_iam_role_policy.execution`, `module.${s.key}.aws_ecs_task_definition.this`])].map(
    (target) => `-target=${target}`,
  );
}
