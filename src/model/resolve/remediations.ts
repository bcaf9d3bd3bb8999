// Remediations: every default resolved and every duration in ms, the alerts allowed to start
// each (a `remediation` label alone is not trusted: any series or rule could carry one), and
// the files its action reads from Secrets. The remediation target writes this as it is.
import type { Remediation } from '../../config/schema/config.js';
import { actionCase, unhandled } from '../../config/kinds.js';
import { remediationSecretFiles } from '../../config/kubernetes-secrets.js';
import { ALERT_NAMES, NODATA_ALERTS, REMEDIATION_DEFAULTS as DEFAULTS, THRESHOLD_ALERTS } from '../../conventions.js';
import type { RemediationAction, RemediationModel, RemediationTrigger, ServiceModel } from '../types.js';
import { ms } from './validated.js';

const toMs = (d: string | undefined, fallback: string): number => ms(d ?? fallback);

function resolveAction(a: Remediation['action']): RemediationAction {
  const c = actionCase(a);
  switch (c.kind) {
    case 'http': {
      const h = c.spec;
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
    case 'kubernetesScale': {
      const k = c.spec;
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
    case 'command':
      return {
        kind: 'command',
        command: { argv: c.spec.argv, env: c.spec.env ?? {}, timeoutMs: toMs(c.spec.timeout, DEFAULTS.commandTimeout) },
      };
    default:
      return unhandled(c);
  }
}

export function resolveRemediation(r: Remediation, triggers: readonly RemediationTrigger[] = []): RemediationModel {
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
    secretFiles: remediationSecretFiles(r, []).map((f) => f.file),
  };
}

/** Every generated alert that names a remediation, in rule file order: SLO groups, threshold groups, no-data group. */
export function triggersOf(services: readonly ServiceModel[]): Map<string, RemediationTrigger[]> {
  const out = new Map<string, RemediationTrigger[]>();
  const add = (remediation: string | undefined, alertname: string, service: string, subject: { slo: string } | { threshold: string }) => {
    if (!remediation) return;
    out.set(remediation, [...(out.get(remediation) ?? []), { alertname, service, ...subject }]);
  };
  for (const svc of services) {
    for (const slo of svc.slos) {
      for (const sev of slo.alerting.remediationSeverities) add(slo.alerting.remediation, ALERT_NAMES[sev], svc.name, { slo: slo.name });
    }
    for (const th of svc.thresholds) {
      if (th.warning !== undefined) add(th.remediation, THRESHOLD_ALERTS.warning, svc.name, { threshold: th.name });
      if (th.critical !== undefined) add(th.remediation, THRESHOLD_ALERTS.critical, svc.name, { threshold: th.name });
    }
    for (const nd of [...svc.slos.map((s) => s.noData), ...svc.thresholds.map((t) => t.noData)]) {
      if (nd) add(nd.remediation, NODATA_ALERTS[nd.kind], svc.name, nd.kind === 'slo' ? { slo: nd.name } : { threshold: nd.name });
    }
  }
  return out;
}
