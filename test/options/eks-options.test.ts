import { describe, expect, it } from 'vitest';
import { OptionsError, describeForCli, resolveOptions, type PipelineOptions } from '../../src/options/index.js';

// The eks target's options: defaults, and one clear message per bad value (naming the flag and the fix).

const base = { name: 'demo', githubOwner: 'acme', githubRepo: 'demo', target: 'eks' } as const;

function problems(options: Partial<PipelineOptions>): string[] {
  try {
    resolveOptions({ ...base, ...options });
  } catch (error) {
    if (error instanceof OptionsError) return error.problems.map(describeForCli);
    throw error;
  }
  return [];
}

describe('eks options', () => {
  it('default to a version in EKS standard support, two nodes, two to six pods, no public endpoint, an ALB', () => {
    const options = resolveOptions({ ...base });
    expect(options).toMatchObject({
      kubernetesVersion: '1.36',
      nodeInstanceTypes: ['t3.medium'],
      minSize: 2,
      desiredSize: 2,
      maxSize: 4,
      replicas: 2,
      minReplicas: 2,
      maxReplicas: 6,
      publicAccessCidrs: [],
      ingress: 'alb',
    });
    // the namespace defaults to the service name (a default that follows an option settled before it)
    expect(options.namespace).toBe('demo');
    expect(resolveOptions({ ...base, name: 'orders' }).namespace).toBe('orders');
  });

  it.each([
    [{ kubernetesVersion: '1.34' }, /^--kubernetes-version: 1\.34 left EKS standard support on 2026-12-02 .*choose 1\.36 \(standard support until 2027-08-02\) or 1\.35/],
    [{ kubernetesVersion: '2.0' }, /^--kubernetes-version: "2\.0" is not a Kubernetes version EKS offers in standard support/],
    [{ nodeInstanceTypes: ['m7g.large', 'm7i.large'] }, /^--node-instance-types: mixes x86_64 and Graviton/],
    [{ nodeInstanceTypes: ['large'] }, /^--node-instance-types: "large" is not an EC2 instance type/],
    [{ namespace: 'kube-system' }, /^--namespace: "kube-system" is shared with the cluster itself/],
    [{ namespace: 'Orders_API' }, /^--namespace: "Orders_API" is not a Kubernetes namespace name/],
    [{ publicAccessCidrs: ['203.0.113.0/33'] }, /^--public-access-cidrs: "203\.0\.113\.0\/33" is not an IPv4 CIDR block/],
    [{ ingress: 'nginx' as never }, /^--ingress: must be one of alb, load-balancer \(got "nginx"\)/],
    [{ minReplicas: 4, maxReplicas: 3, replicas: 3 }, /^--min-replicas: the minimum \(4\) is above the maximum \(3\) of the pod autoscaling bounds; lower the minimum or raise the maximum$/],
    [{ replicas: 9 }, /^--replicas: 9 is outside the pod autoscaling bounds 2-6; choose a replica count between the minimum and the maximum$/],
    [{ desiredSize: 5 }, /^--desired-size: \(5\) must be between the minimum size \(2\) and the maximum size \(4\), e\.g\. --desired-size 2$/],
    [{ minSize: 0 }, /^--min-size: must be a whole number of instances from 1 to 100 \(got 0\), e\.g\. --min-size 2$/],
  ])('refuses %j with one message naming the flag', (options, message) => {
    const found = problems(options);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('refuses eks options for the ec2 target', () => {
    expect(problems({ target: 'ec2', namespace: 'demo' })).toEqual([expect.stringMatching(/^--namespace: applies to target eks only, not ec2/)]);
  });

  it('takes Graviton node types as arm64, and the instanceType option is not one of eks', () => {
    expect(resolveOptions({ ...base, nodeInstanceTypes: ['m7g.large', 'c7g.xlarge'] }).nodeInstanceTypes).toEqual(['m7g.large', 'c7g.xlarge']);
    expect(problems({ instanceType: 't3.micro' })).toEqual([expect.stringMatching(/^--instance-type: applies to target ec2 or asg only, not eks/)]);
  });
});
