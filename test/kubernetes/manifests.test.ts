import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { defaultKubernetesVersion, resolveOptions } from '../../src/options/index.js';
import { presetNamesFor, presets } from '../support/presets.js';
import { renderPreset, tempDir, writeFiles } from '../support/render-preset.js';
import { requireTool } from '../support/tools.js';
import { objectProblems, schemasAreOf136 } from './schema.js';

// The rendered manifests, built by the real kubectl (its kustomize) exactly as CI and scripts/deploy.sh build them, then
// validated offline against the Kubernetes API schemas (test/kubernetes/schema.ts). The hardening rules below are named
// after the checkov (CKV_K8S_*) and kube-score checks they mirror.

type K8sObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

requireTool('kubectl', 'see https://kubernetes.io/docs/tasks/tools/ (kubectl kustomize builds the manifests)', ['version', '--client']);

function build(dir: string): K8sObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as K8sObject);
}

const digest = `sha256:${'ab'.repeat(32)}`;

function load(preset: (typeof eksPresets)[number]) {
  const repo = writeFiles(tempDir(`k8s-${preset}-`), renderPreset(preset));
  const options = resolveOptions({ ...presets[preset] });
  const environments = [...options.environments];
  const image = `123456789012.dkr.ecr.${options.region}.amazonaws.com/${options.name}`;
  // What scripts/deploy.sh applies: the overlay, with the image set by digest through a Kustomize images: entry.
  const deployed: Record<string, K8sObject[]> = Object.fromEntries(
    environments.map((env) => {
      const dir = join(repo, 'kubernetes', `.deploy-test-${env}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ../overlays/${env}\nimages:\n  - name: ${presets[preset].name}\n    newName: ${image}\n    digest: ${digest}\n`);
      return [env, build(dir)];
    }),
  );
  return {
    repo,
    environments,
    image: `${image}@${digest}`,
    cluster: build(join(repo, 'kubernetes/cluster')),
    base: build(join(repo, 'kubernetes/base')),
    overlays: Object.fromEntries(environments.map((env) => [env, build(join(repo, 'kubernetes/overlays', env))])) as Record<string, K8sObject[]>,
    deployed,
  };
}

const eksPresets = presetNamesFor('eks');

describe('the schemas', () => {
  it(`are Kubernetes ${defaultKubernetesVersion}'s, the default version`, async () => {
    expect(defaultKubernetesVersion).toBe('1.36');
    expect(await schemasAreOf136()).toBe(true);
  });
});

describe.each(eksPresets)('manifests of preset %s', (preset) => {
  const m = load(preset);
  const of = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = () => Object.values(m.deployed).flatMap((objects) => of(objects, 'Deployment'));
  const podSpecs = () => deployments().map((d) => d.spec.template.spec);
  const containers = () => podSpecs().flatMap((spec) => spec.containers as K8sObject[]);

  it('validates against the Kubernetes API schemas: cluster, base, every overlay, and every overlay as deployed', () => {
    expect(m.base.length).toBeGreaterThanOrEqual(7);
    for (const objects of [m.cluster, m.base, ...Object.values(m.overlays), ...Object.values(m.deployed)]) {
      for (const object of objects) expect(objectProblems(object), `${object.kind} ${object.metadata?.name}`).toEqual([]);
    }
  });

  it('puts everything but the namespace in the namespace, and nothing in default (CKV_K8S_21)', () => {
    const namespace = m.cluster[0]!.metadata.name as string;
    expect(of(m.cluster, 'Namespace')).toHaveLength(1);
    expect(namespace).not.toBe('default');
    for (const object of Object.values(m.deployed).flat()) expect(object.metadata.namespace, object.kind).toBe(namespace);
  });

  it('enforces the restricted Pod Security Standard on the namespace', () => {
    expect(m.cluster[0]!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  it('deploys exactly the image given, by digest (CKV_K8S_43, CKV_K8S_14)', () => {
    expect(containers().map((c) => c.image)).toEqual(m.environments.map(() => m.image));
    // and the checked-in manifests name no registry, tag or digest: the deploy sets it, nothing is replaced with sed
    for (const d of of(m.base, 'Deployment')) expect(d.spec.template.spec.containers[0].image).toBe(presets[preset].name);
  });

  it('rolls out with maxUnavailable 0 (kube-score deployment-strategy)', () => {
    for (const d of deployments()) expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  });

  it('probes readiness on /ready and liveness on /health, different endpoints (CKV_K8S_8, CKV_K8S_9, kube-score pod-probes)', () => {
    for (const c of containers()) {
      expect(c.readinessProbe.httpGet.path).toBe('/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/health');
    }
  });

  it('sets CPU, memory and ephemeral storage requests and limits (CKV_K8S_10-13, kube-score container-resources)', () => {
    for (const c of containers()) {
      for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
        expect(c.resources.requests[resource], resource).toBeDefined();
        expect(c.resources.limits[resource], resource).toBeDefined();
      }
    }
  });

  it('runs as non-root with a read-only root filesystem, no privilege escalation, every capability dropped (CKV_K8S_20, _22, _23, _28, _37)', () => {
    for (const c of containers()) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.securityContext.capabilities.add).toBeUndefined();
      expect(c.securityContext.privileged).toBeUndefined(); // CKV_K8S_16
    }
  });

  it('applies a pod security context with seccomp RuntimeDefault and shares no host namespace (CKV_K8S_29, _31, _17, _18, _19)', () => {
    for (const spec of podSpecs()) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect([spec.hostPID, spec.hostIPC, spec.hostNetwork]).toEqual([undefined, undefined, undefined]);
    }
  });

  it("runs as the image's own user, 1000, not a UID >= 10000 (CKV_K8S_40 deliberately not followed: Node's compile cache in the image is per user id)", () => {
    for (const spec of podSpecs()) expect([spec.securityContext.runAsUser, spec.securityContext.runAsGroup]).toEqual([1000, 1000]);
  });

  it('mounts no service account token: the service never calls the Kubernetes API (CKV_K8S_38)', () => {
    for (const spec of podSpecs()) expect(spec.automountServiceAccountToken).toBe(false);
    for (const sa of of(m.base, 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
  });

  it('pulls always, by digest (CKV_K8S_15)', () => {
    for (const c of containers()) expect(c.imagePullPolicy).toBe('Always');
  });

  it('spreads pods over zones and nodes (kube-score deployment-has-host-podantiaffinity)', () => {
    for (const spec of podSpecs()) expect(spec.topologySpreadConstraints.map((t: K8sObject) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  it('has a PodDisruptionBudget and a HorizontalPodAutoscaler targeting the Deployment (kube-score deployment-has-poddisruptionbudget, horizontalpodautoscaler-has-target)', () => {
    const deployment = of(m.base, 'Deployment')[0]!;
    const labels = deployment.spec.template.metadata.labels as Record<string, string>;
    const [pdb] = of(m.base, 'PodDisruptionBudget');
    expect(Object.entries(pdb!.spec.selector.matchLabels).every(([k, v]) => labels[k] === v)).toBe(true);
    const [hpa] = of(m.base, 'HorizontalPodAutoscaler');
    expect(hpa!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa!.spec.minReplicas).toBeLessThanOrEqual(deployment.spec.replicas);
    expect(deployment.spec.replicas).toBeLessThanOrEqual(hpa!.spec.maxReplicas);
  });

  it('denies all traffic by default and selects the pods with a policy for both directions (kube-score pod-networkpolicy)', () => {
    const policies = of(m.base, 'NetworkPolicy');
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0)!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const labels = of(m.base, 'Deployment')[0]!.spec.template.metadata.labels as Record<string, string>;
    const allow = policies.find((p) => p !== deny)!;
    expect(Object.entries(allow.spec.podSelector.matchLabels).every(([k, v]) => labels[k] === v)).toBe(true);
    // in: only the service port; out: DNS, and AWS (Pod Identity agent, HTTPS) only when the service has AWS permissions
    expect(allow.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
    const egressPorts = (allow.spec.egress as K8sObject[]).flatMap((rule) => rule.ports.map((p: K8sObject) => `${p.protocol}/${p.port}`));
    const aws = 'serviceIamStatements' in presets[preset];
    expect(egressPorts).toEqual(['UDP/53', 'TCP/53', ...(aws ? ['TCP/80', 'TCP/443'] : [])]);
  });

  it('exposes the service the way the ingress option says (kube-score service-targets-pod)', () => {
    const [service] = of(m.base, 'Service');
    const labels = of(m.base, 'Deployment')[0]!.spec.template.metadata.labels as Record<string, string>;
    expect(Object.entries(service!.spec.selector).every(([k, v]) => labels[k] === v)).toBe(true);
    const alb = (('ingress' in presets[preset] ? presets[preset].ingress : 'alb') as string) === 'alb';
    expect(service!.spec.type).toBe(alb ? 'ClusterIP' : 'LoadBalancer');
    expect(of(m.base, 'Ingress').map((i) => i.spec.ingressClassName)).toEqual(alb ? ['alb'] : []);
  });
});

describe("ci.yml's kubernetes job", () => {
  it.each(eksPresets)('builds every kustomization of preset %s, and fails on a broken one', (preset) => {
    // GIVEN the rendered repository and the job's own script
    const m = load(preset);
    const ci = parse(readFileSync(join(m.repo, '.github/workflows/ci.yml'), 'utf8')) as { jobs: Record<string, { steps: { name?: string; run?: string }[] }> };
    const script = ci.jobs.kubernetes!.steps.find((step) => step.name === 'kubectl kustomize')!.run!;
    for (const dir of ['kubernetes/cluster', 'kubernetes/base', ...m.environments.map((env) => `kubernetes/overlays/${env}`)]) expect(script).toContain(dir);
    // WHEN it runs as the runner runs it (bash -e) THEN it passes
    execFileSync('bash', ['-e', '-c', script], { cwd: m.repo, stdio: 'ignore' });
    // AND a kustomization naming a file that does not exist makes it fail
    appendFileSync(join(m.repo, 'kubernetes/overlays', m.environments[0]!, 'kustomization.yaml'), 'components:\n  - ../missing\n');
    expect(() => execFileSync('bash', ['-e', '-c', script], { cwd: m.repo, stdio: 'ignore' })).toThrow();
  });
});

describe('the validation fails on broken manifests', () => {
  const deployment = () => load(eksPresets[0]!).base.find((o) => o.kind === 'Deployment')!;

  it('an unknown field', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(objectProblems(d)).toEqual([expect.stringMatching(/containers\[0\]\.imagePullPolicyy: unknown field/)]);
  });

  it('a value of the wrong type', () => {
    const d = deployment();
    d.spec.replicas = 'two';
    expect(objectProblems(d).join('\n')).toMatch(/replicas/);
    expect(objectProblems(d).length).toBeGreaterThanOrEqual(1);
  });

  it('a missing required field', () => {
    const d = deployment();
    delete d.spec.selector;
    expect(objectProblems(d).join('\n')).toMatch(/selector/);
  });

  it('an API version Kubernetes no longer serves', () => {
    expect(objectProblems({ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x' } })).toEqual([expect.stringMatching(/does not serve/)]);
  });
});
