// Compile step: the config's remediations, resolved, as the file the receiver loads.
import type { Remediation } from '../config/schema/config.js';
import type { Model } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { renderJson, GENERATED_NOTICE } from '../output/render.js';
import { parseDuration } from '../config/duration.js';
import { ACTIONS_FILE_VERSION, ACTIONS_PATH, DEFAULTS, type ActionsFile, type ResolvedRemediation, type Trigger } from './actions-file.js';

// Durations were validated by the schema, so parsing cannot fail here.
const toMs = (d: string | undefined, fallback: string): number => parseDuration(d ?? fallback)!;

function resolveAction(a: Remediation['action']): ResolvedRemediation['action'] {
  if (a.http) {
    const h = a.http;
    return {
      kind: 'http',
      http: {
        url: h.url,
        method: h.method ?? 'POST',
        headers: h.headers ?? {},
        headerFiles: h.headerFiles ?? {},
        ...(h.body !== undefined ? { body: h.body } : {}),
        timeoutMs: toMs(h.timeout, DEFAULTS.httpTimeout),
        retries: h.retries ?? DEFAULTS.httpRetries,
        retryBackoffMs: toMs(h.retryBackoff, DEFAULTS.retryBackoff),
      },
    };
  }
  if (a.kubernetesScale) {
    const k = a.kubernetesScale;
    return {
      kind: 'kubernetesScale',
      kubernetesScale: {
        apiServer: k.apiServer.replace(/\/+$/, ''),
        namespace: k.namespace,
        deployment: k.deployment,
        ...(k.tokenFile !== undefined ? { tokenFile: k.tokenFile } : {}),
        ...(k.caFile !== undefined ? { caFile: k.caFile } : {}),
        ...(k.increment !== undefined ? { increment: k.increment } : {}),
        ...(k.factor !== undefined ? { factor: k.factor } : {}),
        maxReplicas: k.maxReplicas,
        timeoutMs: toMs(k.timeout, DEFAULTS.kubernetesTimeout),
      },
    };
  }
  const c = a.command!;
  return { kind: 'command', command: { argv: c.argv, env: c.env ?? {}, timeoutMs: toMs(c.timeout, DEFAULTS.commandTimeout) } };
}

export function resolveRemediation(r: Remediation, triggers: readonly Trigger[] = []): ResolvedRemediation {
  return {
    name: r.name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    cooldownMs: toMs(r.cooldown, DEFAULTS.cooldown),
    maxConcurrent: r.maxConcurrent ?? DEFAULTS.maxConcurrent,
    maxPerHour: r.maxPerHour ?? DEFAULTS.maxPerHour,
    dryRun: r.dryRun ?? false,
    onResolved: r.onResolved ?? false,
    retryInterrupted: r.retryInterrupted ?? false,
    triggers: [...triggers],
    action: resolveAction(r.action),
  };
}

export function remediationArtifacts(model: Model): Artifact[] {
  const doc: ActionsFile = {
    version: ACTIONS_FILE_VERSION,
    generatedBy: GENERATED_NOTICE,
    remediations: model.remediations.map((r) => resolveRemediation(r.config, r.triggers)).sort((a, b) => (a.name < b.name ? -1 : 1)),
  };
  return [{ path: ACTIONS_PATH, content: renderJson(doc) }];
}
