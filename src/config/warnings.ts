// Things that generate without error but that a person on call would want to know about: each
// names its object and field like an error does, and only `--strict` turns them into failures.
import type { Config } from './schema/config.js';
import type { ConfigProblem } from './errors.js';
import { DEFAULT_GRAFANA_URL } from '../grafana/links.js';
import { remediationTriggers } from '../remediation/compile.js';
import { formatNumber } from '../prometheus/number.js';

/** Latency bounds above this are more likely milliseconds than seconds. */
const SUSPICIOUS_SECONDS = 60;

function secondsWarning(value: number): string {
  return `is ${formatNumber(value)} seconds: latency thresholds are in seconds, not ms (did you mean ${formatNumber(value / 1000)}?)`;
}

export function configWarnings(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (cfg.grafana?.url === undefined) {
    out.push({
      path: ['grafana', 'url'],
      message: `is not set: every alert's dashboard link points at ${DEFAULT_GRAFANA_URL}, which only works on the machine running Grafana; set grafana.url to where responders open Grafana`,
    });
  }
  cfg.teams.forEach((t, i) => {
    const owns = cfg.services.some((s) => s.team === t.name);
    if (!owns) return;
    if (t.page?.none) out.push({ path: ['teams', i, 'page'], message: `is { none: true }: team "${t.name}"'s critical alerts notify nobody` });
    if (t.ticket?.none) out.push({ path: ['teams', i, 'ticket'], message: `is { none: true }: team "${t.name}"'s warning alerts notify nobody` });
  });
  cfg.services.forEach((svc, si) => {
    svc.slos?.forEach((slo, i) => {
      const threshold = slo.sli.latency?.threshold;
      if (threshold !== undefined && threshold > SUSPICIOUS_SECONDS) {
        out.push({ path: ['services', si, 'slos', i, 'sli', 'latency', 'threshold'], message: secondsWarning(threshold) });
      }
    });
    svc.thresholds?.forEach((th, i) => {
      const slower = th.ratio?.slowerThan;
      if (slower !== undefined && slower > SUSPICIOUS_SECONDS) {
        out.push({ path: ['services', si, 'thresholds', i, 'ratio', 'slowerThan'], message: secondsWarning(slower) });
      }
    });
  });
  const triggers = remediationTriggers(cfg);
  (cfg.remediations ?? []).forEach((r, i) => {
    if (!triggers.has(r.name)) {
      out.push({ path: ['remediations', i], message: `no alert names remediation "${r.name}", so the receiver will never run it (name it in an SLO's alerting.remediation, a threshold's remediation or a noData.remediation)` });
    }
  });
  return out;
}

/**
 * Latency SLIs whose threshold must be one of the histogram's `le` bounds: nothing offline can
 * tell, so `generate` says which ones rely on their no-data alert to catch it in production.
 */
export function unverifiedBucketBounds(cfg: Config): string[] {
  const out: string[] = [];
  for (const svc of cfg.services) {
    for (const slo of svc.slos ?? []) {
      if (slo.sli.latency) out.push(`${svc.name}/${slo.name} (${formatNumber(slo.sli.latency.threshold)} s)`);
    }
    for (const th of svc.thresholds ?? []) {
      if (th.ratio?.slowerThan !== undefined) out.push(`${svc.name}/${th.name} (${formatNumber(th.ratio.slowerThan)} s)`);
    }
  }
  return out;
}
