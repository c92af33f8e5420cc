import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { tempDir } from './render-preset.js';
import { requireTool } from './tools.js';

/**
 * A small stand-in for a Kubernetes API server, enough of one for the real kubectl to `apply -k`, `rollout status`,
 * `rollout undo` and `get` pods, events, deployments and replica sets, over HTTPS with a certificate made for the test.
 * It plays the Deployment controller too: a new pod template makes a new ReplicaSet (revision n+1) whose pods are
 * healthy, or fail the way `behaviour(image)` says (image pull, crash loop, failing readiness probe, unschedulable).
 * Every request is recorded, so a test can tell what kubectl sent (the image applied, whether an undo was sent).
 */

export type PodBehaviour = 'healthy' | 'image-pull' | 'crash-loop' | 'failing-probe' | 'unschedulable';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string;
  readonly body: string;
  readonly token: string;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const types: ResourceType[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true },
  { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
];

const apiVersionOf = (t: ResourceType) => (t.group ? `${t.group}/${t.version}` : t.version);

export interface KubeStandIn {
  readonly url: string;
  /** base64 of the server certificate's PEM, as EKS answers `certificateAuthority.data`. */
  readonly caData: string;
  readonly requests: RecordedRequest[];
  /** How pods of an image behave (default: healthy). */
  behaviour: (image: string) => PodBehaviour;
  /** Answer 401 to every request (no access entry for the caller). */
  unauthorized: boolean;
  /** Refuse every request in this namespace with 403 (an access entry scoped elsewhere). */
  forbiddenNamespace: string | null;
  /** Creates a namespace with its default service account, as an administrator applying kubernetes/cluster/ would. */
  createNamespace(name: string): void;
  get(resource: string, namespace: string, name: string): Obj | undefined;
  list(resource: string, namespace: string): Obj[];
  reset(): void;
  stop(): Promise<void>;
}

function certificate(): { key: string; cert: string } {
  requireTool('openssl', 'apt-get install -y openssl', ['version']);
  const dir = tempDir('kube-standin-tls-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/** A JSON strategic merge of `patch` into `target` (maps merged, lists of named objects merged by name, null deletes). */
function strategicMerge(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$setElementOrder/') || key.startsWith('$retainKeys') || key === '$patch') continue;
    if (value === null) {
      delete out[key];
    } else if (Array.isArray(value) && Array.isArray(out[key]) && value.every((v) => v && typeof v === 'object' && 'name' in v)) {
      const merged = (out[key] as Obj[]).map((item) => {
        const update = value.find((v: Obj) => v.name === item.name);
        return update ? strategicMerge(item, update) : item;
      });
      for (const v of value as Obj[]) if (!merged.some((item) => item.name === v.name)) merged.push(v);
      const order = patch[`$setElementOrder/${key}`] as Obj[] | undefined;
      out[key] = order ? order.map((o) => merged.find((m) => m.name === o.name)).filter(Boolean) : merged;
    } else if (value && typeof value === 'object' && !Array.isArray(value) && out[key] && typeof out[key] === 'object' && !Array.isArray(out[key])) {
      out[key] = strategicMerge(out[key] as Obj, value as Obj);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function jsonPatch(target: Obj, ops: { op: string; path: string; value?: unknown }[]): Obj {
  const out = structuredClone(target);
  for (const { op, path, value } of ops) {
    const keys = path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop()!;
    let node = out;
    for (const key of keys) node = (node[key] ??= {}) as Obj;
    if (op === 'remove') delete node[last];
    else node[last] = value;
  }
  return out;
}

const templateHash = (template: Obj) => createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);

function matchesLabels(object: Obj, selector: string | null): boolean {
  if (!selector) return true;
  const labels = (object.metadata?.labels ?? {}) as Record<string, string>;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return labels[key!] === value;
  });
}

function matchesFields(object: Obj, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [path, value] = term.split('=');
    const got = path!.split('.').reduce<unknown>((node, key) => (node as Obj | undefined)?.[key], object);
    return String(got) === value;
  });
}

export async function startKubeStandIn(): Promise<KubeStandIn> {
  const tls = certificate();
  const store = new Map<string, Obj>();
  const watchers = new Set<{ type: ResourceType; namespace: string; fields: string | null; res: ServerResponse }>();
  let resourceVersion = 1;
  let uid = 1;
  const keyOf = (t: ResourceType, namespace: string, name: string) => `${t.resource}|${t.namespaced ? namespace : ''}|${name}`;

  const notify = (t: ResourceType, type: 'ADDED' | 'MODIFIED', object: Obj) => {
    for (const w of watchers) {
      if (w.type !== t || (t.namespaced && object.metadata.namespace !== w.namespace) || !matchesFields(object, w.fields)) continue;
      w.res.write(`${JSON.stringify({ type, object })}\n`);
    }
  };

  const put = (t: ResourceType, object: Obj, created: boolean) => {
    object.metadata.resourceVersion = String(++resourceVersion);
    store.set(keyOf(t, object.metadata.namespace ?? '', object.metadata.name), object);
    notify(t, created ? 'ADDED' : 'MODIFIED', object);
  };

  const typeOf = (resource: string) => types.find((t) => t.resource === resource)!;
  const list = (resource: string, namespace: string) =>
    [...store.entries()].filter(([key]) => key.startsWith(`${resource}|${typeOf(resource).namespaced ? namespace : ''}|`)).map(([, o]) => o);

  const newObject = (t: ResourceType, namespace: string, body: Obj): Obj => ({
    ...body,
    apiVersion: apiVersionOf(t),
    kind: t.kind,
    metadata: { ...body.metadata, ...(t.namespaced ? { namespace } : {}), uid: `uid-${uid++}`, generation: 1, creationTimestamp: '2026-12-06T00:00:00Z' },
  });

  /** The Deployment controller, in one step: the ReplicaSet of the current template, its pods, and the status. */
  const reconcile = (deployment: Obj) => {
    const ns = deployment.metadata.namespace as string;
    const name = deployment.metadata.name as string;
    const rsType = typeOf('replicasets');
    const owned = list('replicasets', ns).filter((rs) => rs.metadata.ownerReferences?.[0]?.uid === deployment.metadata.uid);
    const template = structuredClone(deployment.spec.template) as Obj;
    const hash = templateHash(template);
    const revisions = owned.map((rs) => Number(rs.metadata.annotations['deployment.kubernetes.io/revision']));
    let current = owned.find((rs) => rs.metadata.labels['pod-template-hash'] === hash);
    const currentRevision = Number(deployment.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
    if (!current || Number(current.metadata.annotations['deployment.kubernetes.io/revision']) !== currentRevision) {
      const revision = String(Math.max(0, ...revisions) + 1);
      if (!current) {
        template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
        current = newObject(rsType, ns, {
          metadata: {
            name: `${name}-${hash}`,
            labels: { ...deployment.spec.template.metadata?.labels, 'pod-template-hash': hash },
            annotations: {},
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata.uid, controller: true }],
          },
          spec: { replicas: 0, selector: deployment.spec.selector, template },
        });
      }
      current.metadata.annotations = { ...current.metadata.annotations, 'deployment.kubernetes.io/revision': revision };
      put(rsType, current, !owned.includes(current));
      deployment.metadata.annotations = { ...deployment.metadata.annotations, 'deployment.kubernetes.io/revision': revision };
    }
    const image = deployment.spec.template.spec.containers[0].image as string;
    const behaviour = standIn.behaviour(image);
    const replicas = (deployment.spec.replicas as number | undefined) ?? 1;
    // Pods: maxUnavailable 0 keeps the old ones until the new ones are ready; maxSurge 1 starts one new pod at a time.
    for (const pod of list('pods', ns)) store.delete(keyOf(typeOf('pods'), ns, pod.metadata.name));
    const podType = typeOf('pods');
    const makePod = (rs: Obj, index: number, podImage: string, how: PodBehaviour) => {
      const podName = `${rs.metadata.name}-${index}`;
      const status: Obj = { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: podImage, state: { running: {} } }] };
      const event = (reason: string, message: string) =>
        put(typeOf('events'), newObject(typeOf('events'), ns, { metadata: { name: `${podName}.${reason}` }, type: 'Warning', reason, message, involvedObject: { kind: 'Pod', name: podName, namespace: ns } }), true);
      if (how === 'image-pull') {
        status.phase = 'Pending';
        status.containerStatuses = [{ name: 'app', ready: false, restartCount: 0, image: podImage, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${podImage}"` } } }];
        event('Failed', `Failed to pull image "${podImage}": rpc error: code = NotFound desc = failed to resolve reference "${podImage}": not found`);
      } else if (how === 'crash-loop') {
        status.containerStatuses = [{ name: 'app', ready: false, restartCount: 4, image: podImage, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }];
        event('BackOff', 'Back-off restarting failed container app in pod');
      } else if (how === 'failing-probe') {
        status.containerStatuses = [{ name: 'app', ready: false, restartCount: 0, image: podImage, state: { running: {} } }];
        event('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503');
      } else if (how === 'unschedulable') {
        status.phase = 'Pending';
        status.containerStatuses = undefined;
        event('FailedScheduling', '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available.');
      }
      put(podType, newObject(podType, ns, { metadata: { name: podName, labels: rs.spec.template.metadata.labels }, spec: rs.spec.template.spec, status }), true);
    };
    const healthy = behaviour === 'healthy';
    const old = owned.filter((rs) => rs !== current && rs.spec.replicas > 0);
    if (healthy) {
      for (const rs of old) put(rsType, { ...rs, spec: { ...rs.spec, replicas: 0 } }, false);
      current.spec.replicas = replicas;
      put(rsType, current, false);
      for (let i = 0; i < replicas; i++) makePod(current, i, image, 'healthy');
    } else {
      current.spec.replicas = 1;
      put(rsType, current, false);
      makePod(current, 0, image, behaviour);
      for (const rs of old) for (let i = 0; i < rs.spec.replicas; i++) makePod(rs, i, rs.spec.template.spec.containers[0].image, 'healthy');
    }
    const oldReplicas = healthy ? 0 : old.reduce((sum, rs) => sum + rs.spec.replicas, 0);
    deployment.status = {
      observedGeneration: deployment.metadata.generation,
      replicas: (healthy ? replicas : 1) + oldReplicas,
      updatedReplicas: healthy ? replicas : 1,
      readyReplicas: healthy ? replicas : oldReplicas,
      availableReplicas: healthy ? replicas : oldReplicas,
      ...(healthy ? {} : { unavailableReplicas: 1 }),
      conditions: [{ type: 'Available', status: oldReplicas > 0 || healthy ? 'True' : 'False' }, { type: 'Progressing', status: 'True', reason: healthy ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' }],
    };
  };

  const status = (res: ServerResponse, code: number, reason: string, message: string) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
  };
  const json = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const discovery = (path: string): unknown => {
    if (path === '/version') return { major: '1', minor: '36', gitVersion: 'v1.36.0', platform: 'linux/amd64' };
    if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    if (path === '/apis') {
      const groups = [...new Set(types.filter((t) => t.group).map((t) => t.group))];
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((g) => {
          const version = types.find((t) => t.group === g)!.version;
          const gv = { groupVersion: `${g}/${version}`, version };
          return { name: g, versions: [gv], preferredVersion: gv };
        }),
      };
    }
    // OpenAPI v3, only as far as kubectl looks: each resource's PATCH takes `fieldValidation`, so kubectl leaves
    // validation to the server (which this stand-in does not do: test/kubernetes validates the manifests).
    if (path === '/openapi/v3') {
      const gvs = [...new Set(types.map((t) => (t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`)))];
      return { paths: Object.fromEntries(gvs.map((gv) => [gv, { serverRelativeURL: `/openapi/v3/${gv}?hash=0` }])) };
    }
    const openapi = /^\/openapi\/v3\/(api\/v1|apis\/[^/]+\/[^/]+)$/.exec(path);
    if (openapi) {
      const resources = types.filter((t) => (t.group ? `apis/${t.group}/${t.version}` : `api/${t.version}`) === openapi[1]);
      const paths = Object.fromEntries(
        resources.map((t) => [
          `/${openapi[1]}${t.namespaced ? '/namespaces/{namespace}' : ''}/${t.resource}/{name}`,
          {
            patch: {
              'x-kubernetes-group-version-kind': { group: t.group, version: t.version, kind: t.kind },
              parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string' } }],
              responses: {},
            },
          },
        ]),
      );
      return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.36.0' }, paths };
    }
    const gv = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (gv) {
      const [group, version] = gv[1] ? ['', gv[1]] : [gv[2]!, gv[3]!];
      const resources = types.filter((t) => t.group === group && t.version === version);
      if (resources.length === 0) return undefined;
      return {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group ? `${group}/${version}` : version,
        resources: resources.map((t) => ({ name: t.resource, singularName: t.kind.toLowerCase(), namespaced: t.namespaced, kind: t.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
      };
    }
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    standIn.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, contentType: String(req.headers['content-type'] ?? ''), body, token });
    // An EKS token is a presigned sts:GetCallerIdentity URL naming the cluster (`aws eks get-token`).
    if (!token.startsWith('k8s-aws-v1.') || standIn.unauthorized) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const found = discovery(url.pathname);
    if (found) return json(res, 200, found);
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const [, group = '', version = 'v1', namespace = '', resource, name] = m;
    const t = types.find((x) => x.group === group && x.version === version && x.resource === resource);
    if (!t) return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const qualified = group ? `${resource}.${group}` : resource!;
    if (standIn.forbiddenNamespace && namespace === standIn.forbiddenNamespace) {
      return status(res, 403, 'Forbidden', `${qualified} is forbidden: User "arn:aws:sts::123456789012:assumed-role/deployer/session" cannot ${req.method === 'GET' ? 'get' : 'patch'} resource "${resource}" in API group "${group}" in the namespace "${namespace}"`);
    }
    const key = keyOf(t, namespace, name ?? '');
    if (req.method === 'GET' && !name) {
      const items = list(t.resource, namespace).filter((o) => matchesLabels(o, url.searchParams.get('labelSelector')) && matchesFields(o, url.searchParams.get('fieldSelector')));
      if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        const watcher = { type: t, namespace, fields: url.searchParams.get('fieldSelector'), res };
        watchers.add(watcher);
        for (const object of items) res.write(`${JSON.stringify({ type: 'ADDED', object })}\n`);
        req.on('close', () => watchers.delete(watcher));
        return;
      }
      return json(res, 200, { kind: `${t.kind}List`, apiVersion: apiVersionOf(t), metadata: { resourceVersion: String(resourceVersion) }, items });
    }
    if (t.namespaced && !store.has(keyOf(typeOf('namespaces'), '', namespace))) {
      if (req.method !== 'GET') return status(res, 404, 'NotFound', `namespaces "${namespace}" not found`);
    }
    const existing = store.get(key);
    if (req.method === 'GET') return existing ? json(res, 200, existing) : status(res, 404, 'NotFound', `${qualified} "${name}" not found`);
    if (req.method === 'POST') {
      const object = newObject(t, namespace, JSON.parse(body) as Obj);
      if (store.has(keyOf(t, namespace, object.metadata.name))) return status(res, 409, 'AlreadyExists', `${qualified} "${object.metadata.name}" already exists`);
      if (t.kind === 'Deployment') reconcile(object);
      put(t, object, true);
      return json(res, 201, object);
    }
    if (req.method === 'PATCH' || req.method === 'PUT') {
      if (!existing) return status(res, 404, 'NotFound', `${qualified} "${name}" not found`);
      const parsed = JSON.parse(body) as Obj;
      const contentType = String(req.headers['content-type'] ?? '');
      let updated: Obj;
      if (req.method === 'PUT') updated = { ...parsed, status: existing.status };
      else if (contentType.includes('json-patch')) updated = jsonPatch(existing, parsed as never);
      else updated = strategicMerge(existing, parsed);
      updated.metadata = { ...updated.metadata, uid: existing.metadata.uid, creationTimestamp: existing.metadata.creationTimestamp };
      if (JSON.stringify(updated.spec) !== JSON.stringify(existing.spec)) updated.metadata.generation = Number(existing.metadata.generation ?? 1) + 1;
      if (t.kind === 'Deployment') reconcile(updated);
      put(t, updated, false);
      return json(res, 200, updated);
    }
    return status(res, 405, 'MethodNotAllowed', `${req.method} is not supported here`);
  };

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        status(res, 500, 'InternalError', String((error as Error).stack));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  const standIn: KubeStandIn = {
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(tls.cert).toString('base64'),
    requests: [],
    behaviour: () => 'healthy',
    unauthorized: false,
    forbiddenNamespace: null,
    createNamespace(namespace) {
      const nsType = typeOf('namespaces');
      put(nsType, newObject(nsType, '', { metadata: { name: namespace } }), true);
      const saType = typeOf('serviceaccounts');
      put(saType, newObject(saType, namespace, { metadata: { name: 'default' } }), true);
    },
    get: (resource, namespace, name) => store.get(keyOf(typeOf(resource), namespace, name)),
    list,
    reset() {
      store.clear();
      standIn.requests.length = 0;
      standIn.behaviour = () => 'healthy';
      standIn.unauthorized = false;
      standIn.forbiddenNamespace = null;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const w of watchers) w.res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
