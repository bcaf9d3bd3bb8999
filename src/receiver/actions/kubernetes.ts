// The `kubernetesScale` action: read the deployment's scale subresource, then PATCH a larger
// replica count, never above maxReplicas.
import type { KubernetesScaleSpec } from '../../remediation/actions-file.js';
import { readSecret, request } from './request.js';
import type { ActionContext, ActionOutcome } from './types.js';

export function targetReplicas(spec: Pick<KubernetesScaleSpec, 'increment' | 'factor' | 'maxReplicas'>, current: number): number {
  const wanted = spec.increment !== undefined ? current + spec.increment : Math.ceil(Math.max(current, 1) * (spec.factor ?? 1));
  return Math.min(wanted, spec.maxReplicas);
}

export async function runKubernetesScale(spec: KubernetesScaleSpec, ctx: ActionContext): Promise<ActionOutcome> {
  const url = `${spec.apiServer}/apis/apps/v1/namespaces/${encodeURIComponent(spec.namespace)}/deployments/${encodeURIComponent(spec.deployment)}/scale`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (spec.tokenFile !== undefined) headers.authorization = `Bearer ${await readSecret(spec.tokenFile)}`;
  const ca = spec.caFile !== undefined ? await readSecret(spec.caFile) : undefined;
  const common = { timeoutMs: spec.timeoutMs, signal: ctx.signal, ...(ca !== undefined ? { ca } : {}) };
  const where = `deployment ${spec.namespace}/${spec.deployment}`;
  try {
    const got = await request(url, { method: 'GET', headers, ...common });
    if (got.status !== 200) return { ok: false, detail: `GET scale of ${where} answered ${got.status}` };
    const current = (JSON.parse(got.body) as { spec?: { replicas?: unknown } }).spec?.replicas;
    if (typeof current !== 'number') return { ok: false, detail: `scale of ${where} has no spec.replicas` };
    const next = targetReplicas(spec, current);
    if (next <= current) return { ok: true, detail: `${where} already at ${current} replicas (max ${spec.maxReplicas}); nothing to do` };
    const patch = await request(url, {
      method: 'PATCH',
      headers: { ...headers, 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: next } }),
      ...common,
    });
    if (patch.status < 200 || patch.status >= 300) return { ok: false, detail: `PATCH scale of ${where} answered ${patch.status}` };
    return { ok: true, detail: `scaled ${where} from ${current} to ${next} replicas` };
  } catch (err) {
    return { ok: false, detail: `scaling ${where} failed: ${(err as Error).message}` };
  }
}
