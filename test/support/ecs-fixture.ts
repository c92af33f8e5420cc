// What the ecs scripts' tests and the deploy benchmark stand on: the task definition as Terraform registers it.

/** The task definition as Terraform's ecs-service module registers it (the fields the scripts must carry over). */
export function terraformRevision(
  where: { app: string; environment: string; region: string; account: string; service: 'api' | 'frontend'; /** With accounts: the first environment's. */ registryAccount?: string },
  overrides: Record<string, unknown> = {},
): string {
  const { app, environment, region, account, service } = where;
  const cluster = `${app}-${environment}`;
  const registry = `${where.registryAccount ?? account}.dkr.ecr.${region}.amazonaws.com`;
  const port = service === 'api' ? 8000 : 8080;
  return JSON.stringify({
    family: `${cluster}-${service}`,
    taskRoleArn: `arn:aws:iam::${account}:role/${cluster}-${service}-task`,
    executionRoleArn: `arn:aws:iam::${account}:role/${cluster}-${service}-exec`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    volumes: service === 'api' ? [{ name: 'writable-tmp' }] : [],
    containerDefinitions: [
      {
        name: service,
        image: `${registry}/${app}-${service}:awaiting-first-deploy`,
        essential: true,
        user: '1000:1000',
        readonlyRootFilesystem: true,
        privileged: false,
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
        portMappings: [{ containerPort: port, hostPort: port, protocol: 'tcp' }],
        mountPoints: service === 'api' ? [{ sourceVolume: 'writable-tmp', containerPath: '/tmp', readOnly: false }] : [],
        environment: service === 'api' ? [{ name: 'BASE_PATH', value: '/api' }] : [],
        secrets: service === 'api' ? [{ name: 'DATABASE_URL', valueFrom: `arn:aws:ssm:${region}:${account}:parameter/${app}/${environment}/api/DATABASE_URL` }] : [],
        healthCheck: { command: ['CMD-SHELL', `wget -q -O /dev/null http://127.0.0.1:${port}/ || exit 1`], interval: 10, timeout: 3, retries: 3, startPeriod: 10 },
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${cluster}/${service}`, 'awslogs-region': region, 'awslogs-stream-prefix': service } },
      },
    ],
    ...overrides,
  });
}

