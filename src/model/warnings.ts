// Things that generate without error but that a person on call would want to know about: each
// names its object and field like an error does, and only `--strict` turns them into failures.
import type { ConfigProblem } from '../config/errors.js';
import { formatNumber } from '../promql/number.js';
import { DEFAULT_REMEDIATION_URL, RECEIVER_METRIC_PREFIX } from '../conventions.js';
import type { Model } from './types.js';

/** Below this, the Workbook's page factors ask for more errors than there are (docs/slos.md, "Low objectives"). */
const LOW_OBJECTIVE = 90;

/** More grouping labels than this multiply series and pages more than most teams mean to. */
const MAX_QUIET_GROUP_LABELS = 3;

/** Latency bounds above this are more likely milliseconds than seconds. */
const SUSPICIOUS_SECONDS = 60;

function secondsWarning(value: number): string {
  return `is ${formatNumber(value)} seconds: latency thresholds are in seconds, not ms (did you mean ${formatNumber(value / 1000)}?)`;
}

export function modelWarnings(model: Model): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (model.grafana.baseUrl === undefined) {
    out.push({
      path: ['grafana', 'url'],
      message: 'is not set, so alerts carry no link to their dashboard; set grafana.url to where responders open Grafana',
    });
  }
  const ds = model.grafana.datasource;
  if (ds.provision && !ds.urlSet) {
    out.push({
      path: ['grafana', 'datasource', 'url'],
      message: `is not set, so the provisioned Grafana datasource points at ${ds.url}, the local stack's Prometheus (docker-compose.yml); set it to your Prometheus, or use a datasource your Grafana has with datasource: { uid, provision: false }`,
    });
  }
  model.teams.forEach((t, i) => {
    if (!model.services.some((s) => s.team === t.name)) return;
    if (t.config.page?.none)
      out.push({ path: ['teams', i, 'page'], message: `is { none: true }: team "${t.name}"'s critical alerts notify nobody` });
    if (t.config.ticket?.none)
      out.push({ path: ['teams', i, 'ticket'], message: `is { none: true }: team "${t.name}"'s warning alerts notify nobody` });
  });
  for (const svc of model.services) {
    for (const slo of svc.slos) {
      if (slo.objective < LOW_OBJECTIVE) {
        const page = slo.plan.tiers[0].pairs[0];
        out.push({
          path: [...slo.path, 'objective'],
          message: `is ${formatNumber(slo.objective)}%, below ${LOW_OBJECTIVE}%: an error budget of ${formatNumber(slo.plan.budget * 100)}% is so large that the burn-rate factors are capped (the page fires at ${formatNumber(page.factor)}x, an error ratio of ${formatNumber(page.factor * slo.plan.budget * 100)}%, not the Workbook's 14.4x; docs/slos.md, "Low objectives"); check that ${formatNumber(slo.objective)} is the share of good events you promise`,
        });
      }
      if ((slo.sli.kind === 'latency' || slo.sli.kind === 'nativeLatency') && slo.sli.threshold > SUSPICIOUS_SECONDS) {
        out.push({ path: [...slo.path, 'sli', 'latency', 'threshold'], message: secondsWarning(slo.sli.threshold) });
      }
      if (slo.alerting.enabled && slo.alerting.severities.length === 0) {
        out.push({
          path: [...slo.path, 'alerting'],
          message:
            'has page: false and ticket: false: no burn-rate alert remains, so the budget can run out with nobody told (only its no-data alert and the dashboards are left); if no alert at all is meant, say alerting.enabled: false',
        });
      }
      if (slo.groupBy.length > MAX_QUIET_GROUP_LABELS) {
        out.push({
          path: [...slo.path, 'groupBy'],
          message: `groups by ${slo.groupBy.length} labels: every combination of their values gets its own recordings and alerts, which multiplies series and can page once per combination; ${MAX_QUIET_GROUP_LABELS} or fewer is usual`,
        });
      }
    }
    for (const th of svc.thresholds) {
      const m = th.measure;
      if (m.kind === 'ratio' && m.form === 'histogram' && m.slowerThan > SUSPICIOUS_SECONDS) {
        out.push({ path: [...th.path, 'ratio', 'slowerThan'], message: secondsWarning(m.slowerThan) });
      }
    }
  }
  const rx = model.kubernetes?.receiver;
  if (rx && !rx.imageSet) {
    out.push({
      path: ['kubernetes', 'receiver', 'image'],
      message: `is not set: the receiver's Deployment runs the image "${rx.image}", which only a cluster that has it can pull; build one with sloforge installed (docs/kubernetes.md) and set kubernetes.receiver.image, or set kubernetes.receiver: false to run the receiver elsewhere`,
    });
  }
  const triggered = model.remediations.some((r) => r.triggers.length > 0);
  if (triggered && !model.kubernetes?.receiver && model.alertmanager?.remediation?.url === undefined) {
    out.push({
      path: ['alertmanager', 'remediation', 'url'],
      message: `is not set, so Alertmanager posts the alerts that name a remediation to ${DEFAULT_REMEDIATION_URL}, the local stack's receiver (docker-compose.yml); set it (and credentialsFile) to where your receiver listens`,
    });
  }
  const watched = model.services.some((svc) =>
    svc.thresholds.some((th) => th.measure.kind === 'expr' && th.measure.expr.includes(RECEIVER_METRIC_PREFIX)),
  );
  if (triggered && !watched) {
    out.push({
      path: ['remediations'],
      message: `are declared, but no threshold reads the receiver's ${RECEIVER_METRIC_PREFIX}* metrics: if the receiver is down or its actions fail, nobody is told; add thresholds: receiverThresholds({ job: '<its scrape job>' }) to the service of the team that runs it (docs/remediation.md)`,
    });
  }
  model.remediations.forEach((r, i) => {
    if (r.triggers.length === 0) {
      out.push({
        path: ['remediations', i],
        message: `no alert names remediation "${r.name}", so the receiver will never run it (name it in an SLO's alerting.remediation, a threshold's remediation or a noData.remediation)`,
      });
    }
  });
  return out;
}

/**
 * Latency SLIs whose threshold must be one of the histogram's `le` bounds: nothing offline can
 * tell, so `generate` says which ones rely on their no-data alert to catch it in production.
 */
export function unverifiedBucketBounds(model: Model): string[] {
  const out: string[] = [];
  for (const svc of model.services) {
    for (const slo of svc.slos) {
      if (slo.sli.kind === 'latency') out.push(`${svc.name}/${slo.name} (${formatNumber(slo.sli.threshold)} s)`);
    }
    for (const th of svc.thresholds) {
      if (th.measure.kind === 'ratio' && th.measure.form === 'histogram')
        out.push(`${svc.name}/${th.name} (${formatNumber(th.measure.slowerThan)} s)`);
    }
  }
  return out;
}

/**
 * SLOs the generated promtool tests cannot prove, each with the reason: `generate` names them so
 * that a gap is never silent.
 */
export function untestedSlos(model: Model): string[] {
  const out: string[] = [];
  for (const svc of model.services) {
    for (const slo of svc.slos) {
      if (slo.alerting.severities.length === 0) continue;
      if (slo.sli.kind === 'nativeLatency') {
        out.push(
          `${svc.name}/${slo.name} (a native histogram: promtool 2.42 cannot feed one; docs/slos.md says how sloforge's own tests prove these rules on a real Prometheus)`,
        );
      } else if (slo.sli.kind === 'query' && !slo.sli.feed) {
        out.push(
          `${svc.name}/${slo.name} (its query is not a plain counter read such as sum(rate(x[$window])), so no test can invent its series)`,
        );
      }
    }
  }
  return out;
}
