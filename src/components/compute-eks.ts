import { kubernetesVersions } from '../options/kubernetes-versions.js';
import type { EnvironmentData, TemplateData } from '../render/template-data.js';
import { accountsOnlyDocs } from './accounts-docs.js';
import type { Component, FileRule } from './component.js';
import { applyTrigger } from './terraform-apply.js';

/**
 * The VPC range the network module creates by default. The NetworkPolicy admits the load balancer's traffic from it:
 * rendered from this one value so the two cannot drift (a user who changes one changes both, docs/runbook.md says so).
 */
export const defaultVpcCidr = '10.0.0.0/16';

/** EKS managed node group AMI type for the nodes' architecture: Amazon Linux 2023 (AL2 has no AMIs from 1.33 on). */
const amiTypes = { x86_64: 'AL2023_x86_64_STANDARD', arm64: 'AL2023_ARM_64_STANDARD' } as const;

/** The access policies EKS offers (AWS-managed, in the `eks` partition-global namespace). */
export const eksAccessPolicies = {
  edit: 'AmazonEKSEditPolicy',
  clusterAdmin: 'AmazonEKSClusterAdminPolicy',
} as const;

/** Add-ons EKS installs and upgrades; those before the nodes must be there for a node to become Ready. */
export const eksAddons = {
  beforeNodes: ['eks-pod-identity-agent', 'kube-proxy', 'vpc-cni'],
  afterNodes: ['coredns', 'metrics-server'],
} as const;

/** The eks-cluster module names the node group's role `<cluster>-node`, the cluster being `<name>-<env>`. */
export const nodeRoleName = (data: Pick<TemplateData, 'name'>, env: Pick<EnvironmentData, 'name'>) => `${data.name}-${env.name}-node`;

function eksData(data: TemplateData) {
  const options = data.options;
  const readers = data.accounts.crossAccountEnvironments;
  const kubernetesVersion = options.kubernetesVersion!;
  const calendar = kubernetesVersions.find((v) => v.version === kubernetesVersion)!;
  const namespace = options.namespace ?? data.name;
  const alb = options.ingress === 'alb';
  return {
    /** What the service is deployed to, in words (the service's package.json says it). */
    runsOn: 'EKS',
    /** eks has no frontend service. */
    hasFrontend: false,
    ...applyTrigger('eks'),
    /** What the first environment's deploy job does besides deploying (deploy.yml's header). */
    firstDeployAlso: 'builds and pushes the image',
    /** What else the workflows build from AWS_ACCOUNT_ID, besides role ARNs (docs/runbook.md). */
    accountIdAlsoBuilds: 'the image repository',
    /** Jobs of ci.yml beyond service, terraform, workflows and scripts (each declared in the target's `workflows/ci-jobs` partial). */
    extraCiJobs: ['kubernetes'],
    kubernetesVersion,
    calendar,
    /** Every version the option accepts, with its dates, for the docs. */
    kubernetesVersions,
    /** `<name>-<env>` for each environment: the cluster, and the prefix of what belongs to it. */
    clusterNames: Object.fromEntries(data.environments.map((env) => [env.name, `${data.name}-${env.name}`])),
    clusters: data.environments.map((env) => ({ environment: env.name, cluster: `${data.name}-${env.name}`, isLast: env.isLast, accountId: env.accountId })),
    namespace,
    /** The Deployment, Service, ServiceAccount, … all carry the service's name. */
    workload: data.name,
    serviceAccount: data.name,
    nodeInstanceTypes: options.nodeInstanceTypes!,
    amiType: amiTypes[data.architecture],
    minSize: options.minSize!,
    desiredSize: options.desiredSize!,
    maxSize: options.maxSize!,
    replicas: options.replicas!,
    minReplicas: options.minReplicas!,
    maxReplicas: options.maxReplicas!,
    publicAccessCidrs: options.publicAccessCidrs!,
    publicEndpoint: options.publicAccessCidrs!.length > 0,
    ingress: options.ingress!,
    ingressAlb: alb,
    ingressLoadBalancer: !alb,
    vpcCidr: defaultVpcCidr,
    /** The pod needs AWS credentials only for the service's own statements: then Pod Identity, and egress to AWS. */
    podIdentity: data.hasServiceIamStatements,
    accessPolicies: eksAccessPolicies,
    // With accounts: environments outside the registry's account pull there with their node role (the kubelet pulls);
    // their deploy roles need nothing of the registry (rollouts and rollbacks are Kubernetes revisions). Role ARNs are
    // literal: the registry's repository policy names them before the roles exist.
    /** What holds the artifacts every environment deploys, as the docs name it (shared docs partials say it). */
    artifactStore: `the ECR repository \`${data.ecrRepositoryName}\``,
    crossAccountReaders: readers.length > 0,
    crossAccountPullRoleArns: readers.map((env) => `arn:aws:iam::${env.accountId}:role/${nodeRoleName(data, env)}`),
    crossAccountDescribeRoleArns: [] as string[],
    /** Who reads the registry from other accounts, and why, as the bootstrap's comment lines say it. */
    crossAccountReadersComment: [
      "Environments in other accounts read it there: each one's node role pulls (the kubelet pulls the pods' images).",
      'Nothing else of those accounts gets anything: their deploy roles roll out by digest and never read the registry.',
    ],
    addonsBeforeNodes: eksAddons.beforeNodes,
    addonsAfterNodes: eksAddons.afterNodes,
  };
}

export type EksData = ReturnType<typeof eksData>;

/**
 * The eks target's own files: the cluster module (control plane, node group, add-ons, access entries, Pod Identity),
 * and the Kubernetes manifests (Kustomize): the cluster-scoped namespace an administrator applies once, the base every
 * environment shares, and one overlay per environment (the user's, like terraform.tfvars).
 */
export const eksComputeComponent: Component = {
  name: 'compute',
  files: [
    { from: 'terraform/modules/eks-cluster', owner: 'managed' },
    { from: 'kubernetes/cluster', owner: 'managed' },
    { from: 'kubernetes/base', owner: 'managed' },
    { from: 'kubernetes/overlays/__environment__/kustomization.yaml.hbs', owner: 'sample', perEnvironment: true },
    // Only where environments live in separate accounts: a single-account scaffold renders what it always did.
    ...accountsOnlyDocs.eks.map((page): FileRule => ({ from: `docs/${page}`, owner: 'managed', ofTarget: true, when: (data) => data.accounts.enabled })),
  ],
  data: eksData,
};
