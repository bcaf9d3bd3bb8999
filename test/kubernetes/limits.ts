// The limits the API server and the Operator enforce beyond the schemas, checked on generated
// manifests the way those programs count: names (DNS-1123 subdomain 253, Service names DNS-1035
// label 63), label keys and values (63), annotations (256 KiB), ConfigMap data (1 MiB of value
// bytes), a PrometheusRule's rule file (512 KiB as the Operator renders it), and whole objects
// (etcd's 1.5 MiB request limit).
import { isQualifiedName } from '../../src/config/schema/kubernetes.js';
import { CONFIGMAP_DATA_MAX, configMapDataBytes, OPERATOR_RULE_FILE_MAX, operatorRuleFileBytes } from '../../src/kubernetes/limits.js';
import type { Manifest } from './fixture.js';

const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_1035_RE = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIGMAP_KEY_RE = /^[-._a-zA-Z0-9]+$/;
const ANNOTATIONS_MAX = 256 * 1024;
const OBJECT_MAX = 1_572_864;
const GRAFANA_UID_RE = /^[a-zA-Z0-9_-]{1,40}$/;

function labelProblems(where: string, labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).flatMap(([k, v]) => [
    ...(isQualifiedName(k) ? [] : [`${where}: label key "${k}" is not a qualified name`]),
    ...(v.length <= 63 && LABEL_VALUE_RE.test(v) ? [] : [`${where}: label value of ${k} (${v.length} characters) is no valid label value`]),
  ]);
}

export function limitProblems(m: Manifest): string[] {
  const o = m.object;
  const at = `${m.path} ${o.kind} ${o.metadata?.name}`;
  const out: string[] = [];
  const name: string = o.metadata?.name ?? '';
  if (name.length > 253 || !DNS_SUBDOMAIN_RE.test(name)) out.push(`${at}: name is no DNS-1123 subdomain of at most 253 characters`);
  if (o.kind === 'Service' && (name.length > 63 || !DNS_1035_RE.test(name)))
    out.push(`${at}: Service name is no DNS-1035 label of at most 63 characters`);
  out.push(...labelProblems(at, o.metadata?.labels));
  out.push(...labelProblems(`${at} pod template`, o.spec?.template?.metadata?.labels));
  for (const annotations of [o.metadata?.annotations, o.spec?.template?.metadata?.annotations]) {
    for (const k of Object.keys(annotations ?? {}))
      if (!isQualifiedName(k)) out.push(`${at}: annotation key "${k}" is not a qualified name`);
    const size = Object.entries(annotations ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    if (size > ANNOTATIONS_MAX) out.push(`${at}: annotations of ${size} bytes, over 256 KiB`);
  }
  if (o.kind === 'ConfigMap') {
    const bytes = configMapDataBytes(o.data ?? {});
    if (bytes > CONFIGMAP_DATA_MAX) out.push(`${at}: data of ${bytes} bytes, over ${CONFIGMAP_DATA_MAX}`);
    for (const k of Object.keys(o.data ?? {}))
      if (k.length > 253 || !CONFIGMAP_KEY_RE.test(k)) out.push(`${at}: data key "${k}" is no ConfigMap key`);
    for (const [k, v] of Object.entries(o.data ?? {})) {
      if (!k.endsWith('.json')) continue;
      const uid = (JSON.parse(v as string) as { uid?: string }).uid ?? '';
      if (!GRAFANA_UID_RE.test(uid)) out.push(`${at}: dashboard uid "${uid}" is no Grafana uid of at most 40 characters`);
    }
  }
  if (o.kind === 'PrometheusRule') {
    const bytes = operatorRuleFileBytes(o.spec);
    if (bytes > OPERATOR_RULE_FILE_MAX) out.push(`${at}: the Operator's rule file would be ${bytes} bytes, over ${OPERATOR_RULE_FILE_MAX}`);
    const names = o.spec.groups.map((g: { name: string }) => g.name);
    if (new Set(names).size !== names.length) out.push(`${at}: group names repeat`);
  }
  const json = Buffer.byteLength(JSON.stringify(o));
  if (json > OBJECT_MAX) out.push(`${at}: ${json} bytes as JSON, over etcd's ${OBJECT_MAX}`);
  return out;
}
