/** Deployment targets: what the service runs on. Each is a set of components (src/components/targets.ts). */
export const targets = ['ec2', 'asg', 'ecs', 'eks'] as const;
export type Target = (typeof targets)[number];

/** What each target runs on and when to pick it: one line, for the interactive menu, --help and the docs. */
export const targetDescriptions: Record<Target, string> = {
  ec2: 'one EC2 instance run through SSM: the simplest start, for a service one machine can carry',
  ecs: 'ECS Fargate services (API and static frontend) behind a load balancer in a private VPC: containers without instances to manage',
  asg: 'an Auto Scaling group behind a load balancer, fed by checksummed releases from S3: canary, then batches drained from the load balancer, no downtime',
  eks: 'an EKS cluster with a managed node group, deployed with kubectl and Kustomize: for teams that run Kubernetes',
};

/** How traffic reaches the service on EKS: an ALB made by the AWS Load Balancer Controller, or a Service's own NLB. */
export const ingressKinds = ['alb', 'load-balancer'] as const;
export type IngressKind = (typeof ingressKinds)[number];

/** CPU architectures a container can be built for and run on. */
export const architectures = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof architectures)[number];

/** An IAM policy statement added to the instance role (the service's own AWS permissions). */
export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * Options of a generated repository. The CLI's flags and prompts and the projen project type's options are all
 * derived from the table in `option-table.ts`, which must describe every key here.
 */
export interface PipelineOptions {
  /**
   * Service name: names the AWS resources, IAM roles, tags and the container. Lowercase DNS label, at most 32 characters.
   * @default - the directory's base name
   */
  readonly name: string;
  /**
   * What the service runs on.
   * @default "ec2"
   */
  readonly target?: Target;
  /**
   * AWS region of every resource (a commercial-partition region id).
   * @default "us-east-1"
   */
  readonly region?: string;
  /**
   * GitHub user or organization that owns the repository; part of every OIDC trust subject.
   * @default - the owner of the current git remote
   */
  readonly githubOwner: string;
  /**
   * GitHub repository name; part of every OIDC trust subject.
   * @default - the repository of the current git remote
   */
  readonly githubRepo: string;
  /**
   * Numeric id of the owner. With `githubRepoId`, trust policies use immutable subjects `repo:OWNER@ID/REPO@ID:…`.
   * @default - none: subjects use names
   */
  readonly githubOwnerId?: string;
  /**
   * Numeric id of the repository. With `githubOwnerId`, trust policies use immutable subjects.
   * @default - none: subjects use names
   */
  readonly githubRepoId?: string;
  /**
   * GitHub environments, in promotion order. Each gets a Terraform root, a deploy role and an infra role.
   * @default ["production"]
   */
  readonly environments?: readonly string[];
  /**
   * The AWS account of each environment, when environments live in separate accounts:
   * `{ staging: "111111111111", production: "222222222222" }`. Every environment names its account, or none does (then
   * all of them live in the one account of the `AWS_ACCOUNT_ID` variable). Images are built once and pushed to the
   * first environment's account; later accounts read them there.
   * @default {} - one account for every environment
   */
  readonly accounts?: Readonly<Record<string, string>>;
  /**
   * EC2 instance type (family.size). Graviton families (t4g, m7g, …) build and run arm64 images.
   * @default "t3.micro"
   */
  readonly instanceType?: string;
  /**
   * CPU units of each ECS task (1024 = one vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.
   * @default 256
   */
  readonly taskCpu?: number;
  /**
   * Memory of each ECS task, in MiB; Fargate accepts only some values for each `taskCpu`.
   * @default 512
   */
  readonly taskMemory?: number;
  /**
   * Tasks each ECS service starts with (autoscaling moves it between `minCount` and `maxCount`).
   * @default 2
   */
  readonly desiredCount?: number;
  /**
   * Fewest tasks autoscaling leaves running per ECS service (two spread the service over two availability zones).
   * @default 2
   */
  readonly minCount?: number;
  /**
   * Most tasks autoscaling starts per ECS service.
   * @default 4
   */
  readonly maxCount?: number;
  /**
   * Render the static frontend service (`frontend/`) next to the API, behind the same load balancer.
   * @default true
   */
  readonly frontend?: boolean;
  /**
   * CPU architecture the ECS tasks run on and the images are built for (`arm64`: Graviton).
   * @default "x86_64"
   */
  readonly architecture?: Architecture;
  /**
   * Kubernetes minor version of the EKS cluster, one EKS offers in standard support (see docs/operations.md for the dates).
   * @default "1.36"
   */
  readonly kubernetesVersion?: string;
  /**
   * Instance types of the EKS managed node group (one architecture: all x86_64 or all Graviton).
   * @default ["t3.medium"]
   */
  readonly nodeInstanceTypes?: readonly string[];
  /**
   * Fewest instances of the fleet (target asg: the Auto Scaling group never goes below it) or nodes of the node group (target eks).
   * @default 2
   */
  readonly minSize?: number;
  /**
   * Instances the fleet (target asg) or nodes the node group (target eks) starts with; scaling moves it between minSize and maxSize afterwards.
   * @default 2
   */
  readonly desiredSize?: number;
  /**
   * Most instances of the fleet (target asg) or nodes of the node group (target eks).
   * @default 4
   */
  readonly maxSize?: number;
  /**
   * Instances a deploy takes out of the load balancer at a time after the canary (target asg): capacity never drops by
   * more than one batch.
   * @default 1
   */
  readonly batchSize?: number;
  /**
   * Kubernetes namespace of the service; the deploy role may edit this namespace and no other.
   * @default - the service name
   */
  readonly namespace?: string;
  /**
   * Pods the Deployment starts with; the HorizontalPodAutoscaler then keeps the count between minReplicas and maxReplicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Fewest pods the HorizontalPodAutoscaler keeps.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most pods the HorizontalPodAutoscaler starts.
   * @default 6
   */
  readonly maxReplicas?: number;
  /**
   * IPv4 ranges that may reach the cluster's public API endpoint (the private endpoint is always on). Empty: no public
   * endpoint at all, so deploys must run inside the VPC (e.g. a self-hosted runner).
   * @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * How traffic reaches the service: an Ingress for the AWS Load Balancer Controller (an ALB), or a Service of type
   * LoadBalancer (an NLB).
   * @default "alb"
   */
  readonly ingress?: IngressKind;
  /**
   * Extra tags on every AWS resource (the keys App, Environment and ManagedBy are reserved).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Extra IAM statements for the service's role (the instance role; on eks, the pod's role through EKS Pod Identity), for
   * AWS APIs the service itself calls.
   * @default []
   */
  readonly serviceIamStatements?: readonly IamStatement[];
  /**
   * Managed files to hand over to you: they stop being rewritten by `npx projen` and are never touched again.
   * @default []
   */
  readonly eject?: readonly string[];
}

/**
 * Options that apply to some targets only (their rows in the option table list those targets): they are resolved, with
 * their defaults, for those targets and absent for the others.
 */
export type TargetSpecificOption =
  | 'accounts'
  | 'instanceType'
  | 'taskCpu'
  | 'taskMemory'
  | 'desiredCount'
  | 'minCount'
  | 'maxCount'
  | 'frontend'
  | 'architecture'
  | 'minSize'
  | 'desiredSize'
  | 'maxSize'
  | 'batchSize'
  | 'kubernetesVersion'
  | 'nodeInstanceTypes'
  | 'namespace'
  | 'replicas'
  | 'minReplicas'
  | 'maxReplicas'
  | 'publicAccessCidrs'
  | 'ingress';

/** Options with every default applied and every value validated. */
export type ResolvedOptions = Required<Omit<PipelineOptions, 'githubOwnerId' | 'githubRepoId' | TargetSpecificOption>> &
  Pick<PipelineOptions, 'githubOwnerId' | 'githubRepoId' | TargetSpecificOption>;
