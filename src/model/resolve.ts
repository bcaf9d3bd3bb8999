// Validated config in, Model out. Runs after validation, so every selector parses and every
// duration is valid; a failure here is a bug in sloforge, not in the user's config.
import type { Config, RuleGroupSettings, Service, Slo, Threshold } from '../config/schema/config.js';
import type { ConfigPath } from '../config/errors.js';
import { formatDuration, parseDuration, HOUR_MS, MINUTE_MS } from '../config/duration.js';
import { tierReceivers } from '../config/receivers.js';
import { ratioForm, sliCase, sliPart, thresholdCase, unhandled } from '../config/kinds.js';
import {
  ALERT_NAMES, DEFAULT_BASELINE, DEFAULT_DATASOURCE, DEFAULT_NODATA_FOR, DEFAULT_NODATA_SEVERITY, DEFAULT_PERIOD,
  DEFAULT_PREDICT_WINDOW, DEFAULT_RATE_WINDOW, DEFAULT_REMEDIATION_URL, K8S, MIMIR_LIMITS, NODATA_ALERTS, THRESHOLD_ALERTS, THRESHOLD_RECORD,
  dashboardUrl, exportedLabel, grafanaBaseUrl, serviceDashboardUid,
} from '../conventions.js';
import { formatSelector, parseSelector, type Selector } from '../promql/parse.js';
import { bucketAt, histogramPart } from '../promql/histogram.js';
import { formatNumber } from '../promql/number.js';
import { exprSelectors } from '../promql/reads.js';
import { sortLabels } from '../promql/labels.js';
import { queryFeed, sliInputs } from './sli.js';
import { alertTiers, allWindows, baseWindow, rawWindows } from './windows.js';
import type {
  AnomalyPlan, GrafanaModel, GroupSource, KubernetesModel, MimirLimits, Model, NoDataModel, RemediationModel, RuleGroupPlan, ServiceModel, SliModel,
  SloModel, SloPlan, ThresholdMeasure, ThresholdModel,
} from './types.js';

function selector(text: string): Selector {
  const s = parseSelector(text);
  if (typeof s === 'string') throw new Error(`sloforge bug: a validated selector does not parse: ${text}`);
  return s;
}

const ms = (d: string): number => parseDuration(d)!;

/** A severity's tier, as `alerting.page` / `ticket` / `remediationTiers` name it. */
const TIER_OF = { critical: 'page', warning: 'ticket' } as const;

/** The error budget of an objective in percent, as a ratio (99.9 -> 0.001). */
export function errorBudget(objectivePercent: number): number {
  return Number.parseFloat(((100 - objectivePercent) / 100).toPrecision(12));
}

export function sloPlan(periodText: string | undefined, objective: number): SloPlan {
  const periodMs = ms(periodText ?? DEFAULT_PERIOD);
  const budget = errorBudget(objective);
  const tiers = alertTiers(periodMs, budget);
  return {
    periodMs,
    period: formatDuration(periodMs),
    budget,
    tiers,
    base: formatDuration(baseWindow(tiers)),
    windows: allWindows(tiers, periodMs),
    rawWindows: rawWindows(tiers),
  };
}

function resolveSli(sli: Slo['sli']): SliModel {
  const c = sliCase(sli);
  switch (c.kind) {
    case 'ratio': {
      const part = sliPart(c.spec);
      return { kind: 'ratio', meaning: part.meaning, part: selector(part.text), total: selector(c.spec.total) };
    }
    case 'query': {
      const part = sliPart(c.spec);
      return { kind: 'query', meaning: part.meaning, part: part.text, total: c.spec.total, feed: queryFeed(part.meaning, part.text, c.spec.total) };
    }
    case 'boolGauge':
      return { kind: 'boolGauge', series: selector(c.spec.series) };
    case 'latency': {
      const histogram = selector(c.spec.histogram);
      if (c.spec.native) return { kind: 'nativeLatency', histogram, threshold: c.spec.threshold };
      return {
        kind: 'latency',
        histogram,
        threshold: c.spec.threshold,
        bucket: bucketAt(histogram, c.spec.threshold),
        count: histogramPart(histogram, '_count'),
      };
    }
    default:
      return unhandled(c);
  }
}

/**
 * Per-group no-data checks: each input against itself (a group that reported within the hour
 * and stopped), and a classic histogram's bucket against its `_count` (a group whose threshold
 * is no bucket bound).
 */
function perGroupInputs(sli: SliModel, groupBy: readonly string[], source: GroupSource, settings: NoDataSettings | undefined): NoDataModel['perGroup'] {
  if (groupBy.length === 0) return undefined;
  const pairs = sliInputs(sli).map((input) => ({
    seen: formatSelector(sli.kind === 'latency' && input === sli.bucket ? sli.count : input),
    input: formatSelector(input),
  }));
  // A vanished group is remembered long enough for the alert's `for:` to run out after the lookback.
  return { by: [...groupBy], source, pairs, memoryMs: Math.max(HOUR_MS, 2 * noDataTiming(settings?.for).waitMs) };
}

/** How a no-data wait splits into an absent_over_time lookback and the alert's `for:` (docs/thresholds.md). */
export function noDataTiming(waitText: string | undefined): { waitMs: number; lookbackMs: number; pendingMs: number } {
  const waitMs = ms(waitText ?? DEFAULT_NODATA_FOR);
  const lookbackMs = Math.min(5 * MINUTE_MS, Math.floor(waitMs / 2 / 1000) * 1000);
  return { waitMs, lookbackMs, pendingMs: waitMs - lookbackMs };
}

type NoDataSettings = NonNullable<Threshold['noData']>;

function resolveNoData(
  kind: 'slo' | 'threshold',
  name: string,
  inputs: string[],
  settings: NoDataSettings | undefined,
  runbook: string | undefined,
  hint: string | undefined,
  path: ConfigPath,
  perGroup?: NoDataModel['perGroup'],
): NoDataModel | undefined {
  if (settings?.enabled === false || inputs.length === 0) return undefined;
  return {
    kind,
    name,
    inputs,
    perGroup,
    severity: settings?.severity ?? DEFAULT_NODATA_SEVERITY,
    remediation: settings?.remediation,
    ...noDataTiming(settings?.for),
    runbook,
    hint,
    path,
  };
}

function resolveSlo(svc: Service, slo: Slo, path: ConfigPath): SloModel {
  const sli = resolveSli(slo.sli);
  const alerting = slo.alerting;
  const enabled = alerting?.enabled !== false;
  const groupBy = (slo.groupBy ?? []).map(exportedLabel);
  const groupSource: GroupSource = Object.fromEntries((slo.groupBy ?? []).filter((l) => exportedLabel(l) !== l).map((l) => [exportedLabel(l), l]));
  const severities = ([['critical', alerting?.page], ['warning', alerting?.ticket]] as const)
    .filter(([, on]) => enabled && on !== false)
    .map(([sev]) => sev);
  const inputs = sliInputs(sli).map(formatSelector);
  const hint = sli.kind === 'latency'
    ? `If only the _bucket series is missing while _count is there, ${formatNumber(sli.threshold)} s is not one of the histogram's bucket bounds: the SLI then counts every request as slow; set the SLO's threshold to an exposed "le" bound.`
    : undefined;
  return {
    name: slo.name,
    path,
    objective: slo.objective,
    description: slo.description,
    sli,
    groupBy,
    groupSource,
    plan: sloPlan(slo.period, slo.objective),
    labels: sortLabels({ ...svc.labels, service: svc.name, slo: slo.name, team: svc.team }),
    alerting: {
      enabled,
      severities,
      runbook: alerting?.runbook,
      remediation: alerting?.remediation,
      remediationSeverities: alerting?.remediation === undefined ? [] : severities.filter((sev) => (alerting.remediationTiers ?? ['page']).includes(TIER_OF[sev])),
      labels: alerting?.labels ?? {},
    },
    noData: enabled ? resolveNoData('slo', slo.name, inputs, alerting?.noData, alerting?.runbook, hint, path, perGroupInputs(sli, groupBy, groupSource, alerting?.noData)) : undefined,
  };
}

export function anomalyPlan(baseline: string | undefined, minBaseline: string | undefined): AnomalyPlan {
  const baselineMs = ms(baseline ?? DEFAULT_BASELINE);
  const minBaselineMs = minBaseline !== undefined ? ms(minBaseline) : baselineMs / 2;
  const refMs = Math.min(HOUR_MS, Math.floor(minBaselineMs / 2 / 1000) * 1000);
  return { baseline: formatDuration(baselineMs), baselineMs, minBaselineMs, refMs };
}

/**
 * A threshold's measure, and its inputs: the series whose absence means it cannot see anything.
 * A ratio's numerator (errors) may rightly be absent, its denominator may not; a slow share also
 * needs the bucket at its bound, without which every observation reads as slow.
 */
function resolveMeasure(th: Threshold): { measure: ThresholdMeasure; inputs: string[] } {
  const c = thresholdCase(th);
  switch (c.kind) {
    case 'percentile': {
      const histogram = selector(c.spec.histogram);
      return {
        measure: { kind: 'percentile', histogram, quantile: c.spec.quantile, window: c.spec.window ?? DEFAULT_RATE_WINDOW },
        inputs: [formatSelector(histogramPart(histogram, '_bucket'))],
      };
    }
    case 'ratio': {
      const r = ratioForm(c.spec);
      const window = r.window ?? DEFAULT_RATE_WINDOW;
      if (r.form === 'counters') {
        return { measure: { kind: 'ratio', form: 'counters', numerator: selector(r.numerator), denominator: selector(r.denominator), window }, inputs: [r.denominator] };
      }
      const histogram = selector(r.histogram);
      return {
        measure: { kind: 'ratio', form: 'histogram', histogram, slowerThan: r.slowerThan, window },
        inputs: [formatSelector(histogramPart(histogram, '_count')), formatSelector(bucketAt(histogram, r.slowerThan))],
      };
    }
    case 'predict':
      return {
        measure: { kind: 'predict', series: c.spec.series, window: c.spec.window ?? DEFAULT_PREDICT_WINDOW, horizon: c.spec.horizon, horizonMs: ms(c.spec.horizon) },
        inputs: exprSelectors(c.spec.series),
      };
    case 'anomaly':
      return { measure: { kind: 'anomaly', series: c.spec.series, plan: anomalyPlan(c.spec.baseline, c.spec.minBaseline) }, inputs: exprSelectors(c.spec.series) };
    case 'expr':
      return { measure: { kind: 'expr', expr: c.spec }, inputs: exprSelectors(c.spec) };
    default:
      return unhandled(c);
  }
}

const COMPARED = { predict: THRESHOLD_RECORD.predicted, anomaly: THRESHOLD_RECORD.zscore } as const;

function resolveThreshold(svc: Service, th: Threshold, path: ConfigPath): ThresholdModel {
  const { measure, inputs } = resolveMeasure(th);
  return {
    name: th.name,
    path,
    measure,
    direction: th.direction ?? 'above',
    warning: th.warning,
    critical: th.critical,
    for: th.for,
    forMs: th.for !== undefined ? ms(th.for) : 0,
    keepFiringFor: th.keepFiringFor,
    keepFiringForMs: th.keepFiringFor !== undefined ? ms(th.keepFiringFor) : 0,
    unit: th.unit,
    description: th.description,
    runbook: th.runbook,
    remediation: th.remediation,
    labels: sortLabels({ ...svc.labels, service: svc.name, threshold: th.name, team: svc.team }),
    compared: measure.kind === 'predict' || measure.kind === 'anomaly' ? COMPARED[measure.kind] : THRESHOLD_RECORD.value,
    noData: resolveNoData('threshold', th.name, inputs, th.noData, th.runbook, undefined, path),
  };
}

/** A service's group settings over the config-wide defaults, field by field. */
function ruleGroupPlan(own: RuleGroupSettings | undefined, defaults: RuleGroupSettings | undefined): RuleGroupPlan {
  const prs = { ...defaults?.partialResponseStrategy, ...own?.partialResponseStrategy };
  return {
    interval: own?.interval ?? defaults?.interval,
    limit: own?.limit ?? defaults?.limit,
    sourceTenants: own?.sourceTenants ?? defaults?.sourceTenants,
    partialResponse: { alerting: prs.alerting ?? 'abort', recording: prs.recording ?? 'abort' },
  };
}

/**
 * Labels sloforge adds to every rule of every service: `namespace` when the AlertmanagerConfigs
 * need it, because the Operator routes each of them only alerts labelled with its namespace.
 */
function addedServiceLabels(cfg: Config): Record<string, string> {
  const k = cfg.kubernetes;
  if (!k || k.alertmanagerConfig === false || k.alertmanagerConfig?.namespaceLabel === false) return {};
  return { namespace: k.namespace };
}

function resolveService(cfg: Config, configured: Service, si: number, grafana: GrafanaModel): ServiceModel {
  const path = ['services', si] as const;
  // Validation refused a service label that disagrees with the added ones.
  const svc: Service = { ...configured, labels: { ...addedServiceLabels(cfg), ...configured.labels } };
  const uid = serviceDashboardUid(svc.name);
  return {
    name: svc.name,
    team: svc.team,
    labels: svc.labels ?? {},
    path,
    dashboardUid: uid,
    dashboardUrl: grafana.baseUrl === undefined ? undefined : dashboardUrl(grafana.baseUrl, uid),
    slos: (svc.slos ?? []).map((slo, i) => resolveSlo(svc, slo, [...path, 'slos', i])),
    thresholds: (svc.thresholds ?? []).map((th, i) => resolveThreshold(svc, th, [...path, 'thresholds', i])),
    ruleGroups: ruleGroupPlan(svc.ruleGroups, cfg.prometheus?.ruleGroups),
  };
}

/** Every generated alert that names a remediation, in rule file order: SLO groups, threshold groups, no-data group. */
function triggersOf(services: readonly ServiceModel[]): Map<string, RemediationModel['triggers']> {
  const out = new Map<string, RemediationModel['triggers']>();
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

function resolveGrafana(cfg: Config): GrafanaModel {
  const g = cfg.grafana;
  const ds = g?.datasource;
  return {
    baseUrl: g?.url === undefined ? undefined : grafanaBaseUrl(g.url),
    datasource: {
      uid: ds?.uid ?? DEFAULT_DATASOURCE.uid,
      name: ds?.name ?? DEFAULT_DATASOURCE.name,
      provision: ds?.provision ?? true,
      url: ds?.url ?? DEFAULT_DATASOURCE.url,
      urlSet: ds?.url !== undefined,
      scrapeInterval: ds?.scrapeInterval ?? DEFAULT_DATASOURCE.scrapeInterval,
      isDefault: ds?.isDefault ?? false,
    },
    folders: Object.fromEntries(cfg.teams.map((t) => [t.name, g?.folders?.[t.name] ?? t.name])),
  };
}

function resolveKubernetes(cfg: Config): KubernetesModel | undefined {
  const k = cfg.kubernetes;
  if (!k) return undefined;
  const am = k.alertmanagerConfig === false ? undefined : k.alertmanagerConfig ?? {};
  const dash = k.dashboards === false ? undefined : k.dashboards ?? {};
  const rx = k.receiver === false ? undefined : k.receiver ?? {};
  const token = { name: rx?.tokenSecret?.name ?? K8S.receiverSecret, key: rx?.tokenSecret?.key ?? K8S.receiverTokenKey };
  // With the receiver in the cluster, Alertmanager reaches it through its Service.
  const inCluster = rx !== undefined && (cfg.remediations ?? []).length > 0;
  return {
    namespace: k.namespace,
    labels: { [K8S.managedByLabel]: K8S.managedBy, ...k.labels },
    alertmanagerConfig: am ? { secret: am.secret ?? K8S.alertmanagerSecret, namespaceLabel: am.namespaceLabel !== false } : undefined,
    dashboards: dash ? { label: dash.label ?? K8S.dashboardLabel, folderAnnotation: dash.folderAnnotation ?? K8S.folderAnnotation } : undefined,
    remediationWebhook: {
      url: inCluster ? `http://${K8S.receiver}.${k.namespace}.svc:${K8S.receiverPort}/alerts` : cfg.alertmanager?.remediation?.url ?? DEFAULT_REMEDIATION_URL,
      token,
    },
    receiver: inCluster
      ? {
        image: rx.image ?? K8S.receiverImage,
        imageSet: rx.image !== undefined,
        imagePullPolicy: rx.imagePullPolicy,
        storage: rx.storage ?? K8S.receiverStorage,
        storageClassName: rx.storageClassName,
        token,
        secret: rx.secret ?? K8S.receiverSecret,
        port: K8S.receiverPort,
        serviceMonitor: rx.serviceMonitor === false ? undefined : { interval: rx.serviceMonitor?.interval },
      }
      : undefined,
  };
}

function resolveMimir(cfg: Config): MimirLimits | undefined {
  const m = cfg.prometheus?.mimir;
  if (m === undefined || m === false) return undefined;
  const own = m === true ? {} : m;
  return { maxRulesPerGroup: own.maxRulesPerGroup ?? MIMIR_LIMITS.maxRulesPerGroup, maxGroupsPerTenant: own.maxGroupsPerTenant ?? MIMIR_LIMITS.maxGroupsPerTenant };
}

export function resolveModel(cfg: Config): Model {
  const grafana = resolveGrafana(cfg);
  const services = cfg.services.map((svc, i) => resolveService(cfg, svc, i, grafana));
  const triggers = triggersOf(services);
  const hasDefault = cfg.alertmanager?.defaultReceiver !== undefined;
  return {
    teams: cfg.teams.map((t) => ({ name: t.name, config: t, ...tierReceivers(t, hasDefault) })),
    services,
    remediations: (cfg.remediations ?? []).map((r) => ({ config: r, triggers: triggers.get(r.name) ?? [] })),
    grafana,
    alertmanager: cfg.alertmanager,
    engines: { mimir: resolveMimir(cfg), thanos: cfg.prometheus?.thanos === true, vmalert: cfg.prometheus?.vmalert === true },
    kubernetes: resolveKubernetes(cfg),
  };
}
