// Validates generated Kubernetes manifests: custom resources against the Prometheus Operator's
// CRD schemas (ajv), every object against the core object shapes (the validators that ship
// with kubernetes-models and @kubernetes-models/prometheus-operator).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';

const CRD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crds');

type Json = unknown;

/** The schema without `x-kubernetes-*` keys, which are annotations for the API server, not JSON Schema. */
function dropKubernetesKeys(node: Json): Json {
  if (Array.isArray(node)) return node.map(dropKubernetesKeys);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !k.startsWith('x-kubernetes-'))
      .map(([k, v]) => [k, dropKubernetesKeys(v)]),
  );
}

/**
 * Unknown fields are errors, as with `kubectl apply` (its field validation is strict by default
 * and the API server would otherwise drop them silently): every object schema that lists its
 * properties and says nothing about others gets `additionalProperties: false`.
 */
function closeObjects(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out = Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closeObjects(s)])) : closeObjects(v),
    ]),
  );
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

/**
 * The CRDs' patterns are Go regular expressions; some start with Go's `(?i)` flag, which
 * JavaScript has no inline form of. It becomes the `i` flag of the whole expression (the
 * patterns put it where it covers everything that has letters).
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string) =>
    pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags),
  { code: 'goRegExp' },
);

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: goRegExp } });

function crdValidator(file: string, version: string, adjust: (schema: Record<string, any>) => void = () => {}): ValidateFunction {
  const crd = parse(readFileSync(path.join(CRD_DIR, file), 'utf8')) as {
    spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Json } }> };
  };
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`${file} has no version ${version}`);
  const schema = closeObjects(dropKubernetesKeys(v.schema.openAPIV3Schema)) as Record<string, any>;
  adjust(schema);
  return ajv.compile(schema);
}

const CRDS: Record<string, ValidateFunction> = {
  'monitoring.coreos.com/v1/PrometheusRule': crdValidator('monitoring.coreos.com_prometheusrules.yaml', 'v1'),
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': crdValidator('monitoring.coreos.com_alertmanagerconfigs.yaml', 'v1alpha1', (s) => {
    // Child routes are `x-kubernetes-preserve-unknown-fields` in the CRD (the Operator checks
    // them when it reconciles); here each must be a route as the top one is.
    s.properties.spec.properties.route.properties.routes.items = { $ref: '#/properties/spec/properties/route' };
  }),
};

/** The core shapes, with the validators of the typed model libraries (types, required fields, formats). */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': AlertmanagerConfig,
  // No CRD of it in test/kubernetes/crds/: the validator the model library generated from the
  // Operator's ServiceMonitor CRD is the check.
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/** Every problem of one manifest; empty when it is valid. */
export function manifestProblems(object: unknown): string[] {
  if (object === null || typeof object !== 'object') return ['not an object'];
  const o = object as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const type = `${String(o.apiVersion)}/${String(o.kind)}`;
  const problems: string[] = [];
  const Model = MODELS[type];
  if (!Model) return [`no validator for ${type}: add its model to test/kubernetes/schemas.ts`];
  try {
    new Model(object).validate();
  } catch (err) {
    problems.push(`${type} shape: ${(err as Error).message}`);
  }
  const crd = CRDS[type];
  if (crd && !crd(object))
    problems.push(
      ...(crd.errors ?? []).map((e) => `${type} CRD schema: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`),
    );
  if (typeof o.metadata?.name !== 'string' || typeof o.metadata.namespace !== 'string')
    problems.push(`${type}: metadata.name and metadata.namespace must be set`);
  return problems;
}

/** Parses a generated file (one object per file) with a YAML 1.1 reader, as kubectl's go-yaml does. */
export function parseManifest(content: string): unknown {
  return parse(content, { version: '1.1' });
}
