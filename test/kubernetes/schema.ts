import * as k8s from '@kubernetes/client-node';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

/**
 * Offline validation of Kubernetes objects against the API schemas of Kubernetes 1.36, from two npm packages built from
 * that release's OpenAPI: kubernetes-models 5.x (JSON-schema validators: types, formats, required fields; they let
 * unknown fields through) and @kubernetes/client-node 2.0.x (a model per type listing every field: an unknown field is
 * one no model lists). kubectl's own validation needs a live server, so it cannot be used here.
 */

type ModelClass = new (data: object) => { validate(): void };

/** Every kind our manifests use, by `apiVersion/kind`: the kubernetes-models class and the client-node model name. */
const kinds: Record<string, { model: ModelClass; type: string }> = {
  'v1/Namespace': { model: Namespace as unknown as ModelClass, type: 'V1Namespace' },
  'v1/ServiceAccount': { model: ServiceAccount as unknown as ModelClass, type: 'V1ServiceAccount' },
  'v1/Service': { model: Service as unknown as ModelClass, type: 'V1Service' },
  'apps/v1/Deployment': { model: Deployment as unknown as ModelClass, type: 'V1Deployment' },
  'policy/v1/PodDisruptionBudget': { model: PodDisruptionBudget as unknown as ModelClass, type: 'V1PodDisruptionBudget' },
  'autoscaling/v2/HorizontalPodAutoscaler': { model: HorizontalPodAutoscaler as unknown as ModelClass, type: 'V2HorizontalPodAutoscaler' },
  'networking.k8s.io/v1/NetworkPolicy': { model: NetworkPolicy as unknown as ModelClass, type: 'V1NetworkPolicy' },
  'networking.k8s.io/v1/Ingress': { model: Ingress as unknown as ModelClass, type: 'V1Ingress' },
};

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}

const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] } | undefined>;

/** Problems of `value` against the client-node type `type`, at `path`: unknown fields and values of the wrong type. */
function strictProblems(value: unknown, type: string, path: string): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((item, i) => strictProblems(item, array[1]!, `${path}[${i}]`)) : [`${path}: expected a list, got ${JSON.stringify(value)}`];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a map, got ${JSON.stringify(value)}`];
    return Object.entries(value).flatMap(([key, item]) => strictProblems(item, map[1]!, `${path}.${key}`));
  }
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case 'Date':
      return typeof value === 'string' ? [] : [`${path}: expected a time, got ${JSON.stringify(value)}`];
    case 'IntOrString':
      return typeof value === 'string' || typeof value === 'number' ? [] : [`${path}: expected a number or a string, got ${JSON.stringify(value)}`];
    case 'any':
    case 'object':
      return [];
  }
  const attributes = models[type]?.getAttributeTypeMap?.();
  if (!attributes) throw new Error(`${path}: no model ${type} in @kubernetes/client-node`);
  if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object (${type}), got ${JSON.stringify(value)}`];
  const byName = new Map(attributes.map((a) => [a.baseName, a]));
  return Object.entries(value).flatMap(([key, item]) => {
    const attribute = byName.get(key);
    if (!attribute) return [`${path}.${key}: unknown field (not in ${type})`];
    return strictProblems(item, attribute.type, `${path}.${key}`);
  });
}

/** Every problem of one object: unknown kind, schema errors (types, required fields), unknown fields. */
export function objectProblems(object: Record<string, unknown>): string[] {
  const key = `${String(object.apiVersion)}/${String(object.kind)}`;
  const name = `${key} ${String((object.metadata as { name?: string } | undefined)?.name)}`;
  const kind = kinds[key];
  if (!kind) return [`${name}: a kind these manifests should not contain (or an API version Kubernetes 1.36 does not serve)`];
  const problems: string[] = [];
  try {
    new kind.model(object).validate();
  } catch (error) {
    problems.push(`${name}: ${(error as Error).message}`);
  }
  problems.push(...strictProblems(object, kind.type, name));
  return problems;
}

/** Evidence that the schemas are Kubernetes 1.36's: MutatingAdmissionPolicy is served as v1 from 1.36 on. */
export async function schemasAreOf136(): Promise<boolean> {
  const admission = (await import('kubernetes-models/admissionregistration.k8s.io/v1')) as Record<string, unknown>;
  return typeof admission.MutatingAdmissionPolicy === 'function' && typeof models.V1MutatingAdmissionPolicy?.getAttributeTypeMap === 'function';
}
