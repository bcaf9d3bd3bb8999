// Pyrra's ServiceLevelObjective (pyrra.dev/v1alpha1): one SLO per Kubernetes object. Pyrra has
// no service: the `pyrra.dev/service` label names one (Pyrra puts it on its alerts as `service`),
// else the object's namespace does. Every field Pyrra documents is mapped, noted or refused with
// its reason; a field it does not document is refused, since its effect cannot be known.
import type { SloInput } from '../config/define.js';
import { DAY_MS, formatDuration, parseDuration } from '../config/duration.js';
import { exportedLabel } from '../conventions.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { otherCommand, specKindOf, type SpecDoc } from './read.js';
import { ImportFailure, type Report, type Where } from './report.js';
import { importLabels, isRecord, keepName, objectivePercent, ServiceSet, type Imported } from './model.js';
import { latencySli } from './sli.js';

const API_VERSION = 'pyrra.dev/v1alpha1';
/** Pyrra copies object labels and annotations with this prefix, without it, onto its rules and alerts. */
const PROPAGATED = 'pyrra.dev/';
/** Kubernetes applies an object without a namespace to the current one, `default` unless set. */
const DEFAULT_NAMESPACE = 'default';
const MIN_PERIOD_MS = DAY_MS;
const MAX_PERIOD_MS = 365 * DAY_MS;

const SPEC_FIELDS = new Set(['description', 'target', 'window', 'indicator', 'alerting', 'partial_response_strategy', 'rulenamespace']);
const ALERTING_FIELDS = new Set(['disabled', 'burnrates', 'absent', 'name', 'absentName', 'burnRateType', 'severities']);
const INDICATOR_FIELDS: Record<string, readonly string[]> = {
  ratio: ['errors', 'total', 'grouping'],
  latency: ['success', 'total', 'grouping'],
  latencyNative: ['total', 'latency', 'grouping'],
  bool_gauge: ['metric', 'grouping'],
};

type Sli = SloInput['sli'];

const fieldsOf = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** Fields Pyrra does not have at this place are refused: what they would change is unknown. */
function refuseUnknown(where: Where, obj: Record<string, unknown>, known: { has(k: string): boolean }, prefix: string): void {
  const unknown = Object.keys(obj)
    .filter((k) => !known.has(k))
    .sort();
  if (unknown.length === 0) return;
  const why =
    'sloforge knows no such ServiceLevelObjective field (pyrra.dev/v1alpha1), so what it changes cannot be carried over; remove it, or import without this SLO';
  if (unknown.length === 1) throw new ImportFailure({ ...where, field: `${prefix}.${unknown[0]}` }, `is unknown: ${why}`);
  throw new ImportFailure({ ...where, field: prefix }, `has unknown fields ${unknown.join(', ')}: ${why}`);
}

/** A plain series selector, as Pyrra requires of every `metric`. */
function selector(where: Where, field: string, q: unknown): { text: string; sel: Selector } {
  const metric = isRecord(q) ? q.metric : undefined;
  const at: Where = { ...where, field: `${field}.metric` };
  if (typeof metric !== 'string' || metric.trim() === '') throw new ImportFailure(at, 'must be a metric selector string');
  const text = metric.trim();
  const sel = parseSelector(text);
  if (typeof sel === 'string')
    throw new ImportFailure(at, `must be a series selector such as http_requests_total{job="api"} (Pyrra applies rate() itself): ${sel}`);
  return { text, sel };
}

function objective(where: Where, raw: unknown, report: Report): number {
  const at: Where = { ...where, field: 'spec.target' };
  // Pyrra's target is a string ("99.5") because Kubernetes CRDs cannot hold floats well.
  const n = typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  const percent = objectivePercent(at, n, 1);
  if (percent < 1)
    report.note(at, `${percent} is read as percent, as Pyrra reads it (${percent}%, not ${percent * 100}%); check it is what you meant`);
  return percent;
}

function period(where: Where, raw: unknown): string {
  const at: Where = { ...where, field: 'spec.window' };
  const ms = typeof raw === 'string' ? parseDuration(raw.trim()) : undefined;
  if (ms === undefined || ms === 0) throw new ImportFailure(at, `must be a duration such as "28d" or "4w", got ${JSON.stringify(raw)}`);
  if (ms < MIN_PERIOD_MS || ms > MAX_PERIOD_MS)
    throw new ImportFailure(at, `is ${formatDuration(ms)}; sloforge periods are between 1d and 365d`);
  return formatDuration(ms);
}

/** The one indicator kind of the SLO, and its grouping. */
function indicator(where: Where, raw: unknown, report: Report): { sli: Sli; groupBy: string[] } {
  const ind = fieldsOf(raw);
  if (!isRecord(raw))
    throw new ImportFailure({ ...where, field: 'spec.indicator' }, 'is required (ratio, latency, latencyNative or bool_gauge)');
  const kinds = Object.keys(INDICATOR_FIELDS).filter((k) => ind[k] !== undefined);
  refuseUnknown(where, ind, new Set(Object.keys(INDICATOR_FIELDS)), 'spec.indicator');
  if (kinds.length !== 1)
    throw new ImportFailure(
      { ...where, field: 'spec.indicator' },
      `must have exactly one of ratio, latency, latencyNative or bool_gauge, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`,
    );
  const kind = kinds[0]!;
  const prefix = `spec.indicator.${kind}`;
  const spec = fieldsOf(ind[kind]);
  refuseUnknown(where, spec, new Set(INDICATOR_FIELDS[kind]), prefix);
  return { sli: sliOf(where, kind, spec, prefix, report), groupBy: grouping(where, spec.grouping, `${prefix}.grouping`, report) };
}

function sliOf(where: Where, kind: string, spec: Record<string, unknown>, prefix: string, report: Report): Sli {
  switch (kind) {
    case 'ratio': {
      const errors = selector(where, `${prefix}.errors`, spec.errors);
      const total = selector(where, `${prefix}.total`, spec.total);
      return { ratio: { errors: errors.text, total: total.text } };
    }
    case 'latency': {
      const success = selector(where, `${prefix}.success`, spec.success);
      const total = selector(where, `${prefix}.total`, spec.total);
      const sli = latencySli(success.sel, total.sel);
      if (sli) return sli;
      report.note(
        { ...where, field: `${prefix}.success.metric` },
        `not one histogram's bucket (le="<seconds>") and its _count with the same matchers: imported as a ratio of good (${success.text}) over total events, which counts the same`,
      );
      return { ratio: { good: success.text, total: total.text } };
    }
    case 'latencyNative': {
      const total = selector(where, `${prefix}.total`, spec.total);
      const bound = typeof spec.latency === 'string' ? parseDuration(spec.latency.trim()) : undefined;
      if (bound === undefined || bound === 0)
        throw new ImportFailure(
          { ...where, field: `${prefix}.latency` },
          `must be a duration such as "200ms" or "1s", got ${JSON.stringify(spec.latency)}`,
        );
      return { latency: { histogram: total.text, threshold: bound / 1000, native: true } };
    }
    default: {
      const series = selector(where, prefix, spec);
      return { boolGauge: { series: series.text } };
    }
  }
}

function grouping(where: Where, raw: unknown, field: string, report: Report): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((l) => typeof l !== 'string'))
    throw new ImportFailure({ ...where, field }, 'must be a list of label names');
  const labels = raw as string[];
  labels.forEach((label, i) => {
    const carried = exportedLabel(label);
    if (carried !== label) {
      report.note(
        { ...where, field: `${field}[${i}]` },
        `sloforge sets "${label}" on every rule itself: the series' "${label}" is carried as "${carried}" in its recordings and alerts (docs/slos.md, Grouped SLOs)`,
      );
    }
  });
  return labels;
}

/**
 * Pyrra's alerting switches as sloforge's: its burn-rate alerts are the page and ticket tiers,
 * its absent alert the no-data alert.
 */
function alerting(where: Where, raw: unknown, report: Report): NonNullable<SloInput['alerting']> {
  const a = fieldsOf(raw);
  if (raw !== undefined && !isRecord(raw)) throw new ImportFailure({ ...where, field: 'spec.alerting' }, 'must be a map');
  refuseUnknown(where, a, ALERTING_FIELDS, 'spec.alerting');
  for (const key of ['disabled', 'burnrates', 'absent'] as const) {
    if (a[key] !== undefined && typeof a[key] !== 'boolean')
      throw new ImportFailure({ ...where, field: `spec.alerting.${key}` }, 'must be true or false');
  }
  if (a.burnRateType !== undefined && a.burnRateType !== 'static') {
    throw new ImportFailure(
      { ...where, field: 'spec.alerting.burnRateType' },
      a.burnRateType === 'dynamic'
        ? "cannot be imported: dynamic burn rates move each alert's threshold with the traffic of its window, and sloforge's thresholds are fixed factors of the budget; as static alerts the SLO would page where Pyrra did not. Set burnRateType: static in Pyrra first if that is what you want"
        : `must be "static" or "dynamic", got ${JSON.stringify(a.burnRateType)}`,
    );
  }
  for (const key of ['name', 'absentName'] as const) {
    if (a[key] !== undefined)
      report.note(
        { ...where, field: `spec.alerting.${key}` },
        `not used: sloforge names its alerts ${key === 'name' ? 'ErrorBudgetBurnFast (page) and ErrorBudgetBurnSlow (ticket)' : 'SLONoData'}; routes and silences on ${JSON.stringify(a[key])} need the new name`,
      );
  }
  if (a.severities !== undefined)
    report.note(
      { ...where, field: 'spec.alerting.severities' },
      'dropped: sloforge sets severity="critical" on the page tier and "warning" on the ticket tier, and routes by team (docs/alertmanager.md)',
    );
  const burnRates = a.disabled !== true && a.burnrates !== false;
  const absent = a.absent !== false;
  if (!burnRates && !absent) return { enabled: false };
  if (!burnRates) return { page: false, ticket: false };
  return absent ? {} : { noData: { enabled: false } };
}

function isHttpUrl(s: unknown): s is string {
  return typeof s === 'string' && /^https?:\/\/[^\s]+$/.test(s);
}

/** `pyrra.dev/<name>` labels and annotations: what Pyrra puts on every rule and alert of the SLO. */
function propagated(
  where: Where,
  meta: Record<string, unknown>,
  report: Report,
): { labels: Record<string, string>; runbook: string | undefined } {
  const rawLabels = fieldsOf(meta.labels);
  const own: Record<string, unknown> = {};
  const objectLabels: string[] = [];
  for (const [key, value] of Object.entries(rawLabels)) {
    if (!key.startsWith(PROPAGATED)) objectLabels.push(key);
    else if (key !== `${PROPAGATED}service` && key !== `${PROPAGATED}team`) own[key.slice(PROPAGATED.length)] = value;
  }
  if (objectLabels.length > 0) {
    report.note(
      { ...where, field: 'metadata.labels' },
      `${objectLabels.sort().join(', ')}: labels of the Kubernetes object (which select the Prometheus that loads Pyrra's rules), not of the alerts; sloforge's kubernetes.labels does that for its PrometheusRules (docs/kubernetes.md)`,
    );
  }
  const labels = importLabels(
    { ...where, field: 'metadata.labels' },
    own,
    report,
    ' on every alert',
    (k) => `metadata.labels.${PROPAGATED}${k}`,
  );
  let runbook: string | undefined;
  for (const [key, value] of Object.entries(fieldsOf(meta.annotations)).sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (!key.startsWith(PROPAGATED)) continue;
    const name = key.slice(PROPAGATED.length);
    const at: Where = { ...where, field: `metadata.annotations.${key}` };
    if ((name === 'runbook_url' || name === 'runbook') && isHttpUrl(value)) runbook = value;
    else
      report.note(
        at,
        `dropped: sloforge writes its alerts' summary and description itself, and takes a runbook as an http(s) URL in ${PROPAGATED}runbook_url`,
      );
  }
  return { labels, runbook };
}

function sloOf(where: Where, v: Record<string, unknown>, report: Report): SloInput | undefined {
  const spec = v.spec;
  if (!isRecord(spec)) throw new ImportFailure({ ...where, field: 'spec' }, 'is required');
  const known = report.attempt(() => {
    refuseUnknown(where, spec, SPEC_FIELDS, 'spec');
    return true;
  });
  const obj = report.attempt(() => objective(where, spec.target, report));
  const per = report.attempt(() => period(where, spec.window));
  const ind = report.attempt(() => indicator(where, spec.indicator, report));
  const al = report.attempt(() => alerting(where, spec.alerting, report));
  const prop = report.attempt(() => propagated(where, fieldsOf(v.metadata), report));
  if (spec.partial_response_strategy !== undefined)
    report.note(
      { ...where, field: 'spec.partial_response_strategy' },
      "not carried over: it applies to Thanos Ruler only; sloforge's prometheus.thanos output sets Thanos rule groups (docs/kubernetes.md)",
    );
  if (spec.rulenamespace !== undefined)
    report.note(
      { ...where, field: 'spec.rulenamespace' },
      'not carried over: sloforge writes its rules per service (and its PrometheusRules into kubernetes.namespace)',
    );
  if (known === undefined || obj === undefined || per === undefined || ind === undefined || al === undefined || prop === undefined)
    return undefined;
  const alertingOut: NonNullable<SloInput['alerting']> = {
    ...al,
    ...(prop.runbook !== undefined ? { runbook: prop.runbook } : {}),
    ...(Object.keys(prop.labels).length > 0 ? { labels: prop.labels } : {}),
  };
  const description = typeof spec.description === 'string' && spec.description.trim() !== '' ? spec.description.trim() : undefined;
  return {
    name: where.slo!,
    objective: obj,
    period: per,
    ...(description !== undefined ? { description } : {}),
    sli: ind.sli,
    ...(ind.groupBy.length > 0 ? { groupBy: ind.groupBy } : {}),
    ...(Object.keys(alertingOut).length > 0 ? { alerting: alertingOut } : {}),
  };
}

/** The service an object belongs to, and the field that named it (for messages). */
function serviceOf(meta: Record<string, unknown>): { raw: unknown; field: string } {
  const labels = fieldsOf(meta.labels);
  if (labels[`${PROPAGATED}service`] !== undefined)
    return { raw: labels[`${PROPAGATED}service`], field: `metadata.labels.${PROPAGATED}service` };
  if (meta.namespace !== undefined) return { raw: meta.namespace, field: 'metadata.namespace' };
  return { raw: DEFAULT_NAMESPACE, field: 'metadata.namespace' };
}

function importObject(doc: SpecDoc, services: ServiceSet, report: Report): void {
  const v = doc.value;
  const file = doc.label;
  if (!isRecord(v)) throw new ImportFailure({ file }, 'is not a Kubernetes object (expected a YAML map)');
  const kind = specKindOf(v);
  if (kind !== 'pyrra') {
    if (kind !== undefined) report.note({ file }, `skipped: ${otherCommand(kind)}`);
    else if (typeof v.kind === 'string' && typeof v.apiVersion === 'string')
      report.note({ file }, `skipped: ${v.kind} (${v.apiVersion}) is not a Pyrra ServiceLevelObjective`);
    else throw new ImportFailure({ file }, 'is not a Kubernetes object (it has no apiVersion and kind)');
    return;
  }
  if (v.apiVersion !== API_VERSION)
    throw new ImportFailure(
      { file, field: 'apiVersion' },
      `unsupported Pyrra version ${JSON.stringify(v.apiVersion)} (expected "${API_VERSION}")`,
    );
  if (v.kind !== 'ServiceLevelObjective')
    throw new ImportFailure({ file, field: 'kind' }, `must be ServiceLevelObjective, got ${JSON.stringify(v.kind)}`);
  const meta = fieldsOf(v.metadata);
  const svcAt = serviceOf(meta);
  const serviceName = keepName({ file, field: svcAt.field }, 'service', svcAt.raw, report);
  if (meta.namespace === undefined && svcAt.field === 'metadata.namespace') {
    report.note(
      { file, service: serviceName, field: 'metadata.namespace' },
      `not set: service "${DEFAULT_NAMESPACE}", the namespace kubectl applies it to unless told otherwise; name one with a ${PROPAGATED}service label`,
    );
  }
  const sloName = keepName({ file, service: serviceName, field: 'metadata.name' }, 'SLO', meta.name, report);
  const where: Where = { file, service: serviceName, slo: sloName };
  const labels = fieldsOf(meta.labels);
  const teamRaw = labels[`${PROPAGATED}team`];
  const team =
    teamRaw !== undefined
      ? keepName({ ...where, field: `metadata.labels.${PROPAGATED}team` }, 'team', String(teamRaw), report)
      : serviceName;
  const svc = services.get(where, String(svcAt.raw), serviceName, team, {});
  const slo = sloOf(where, v, report);
  if (slo) services.addSlo(where, svc, slo, doc.file);
}

export function importPyrra(docs: readonly SpecDoc[], report: Report): Imported {
  const services = new ServiceSet(report);
  for (const doc of docs) report.attempt(() => importObject(doc, services, report));
  return services.finish('pyrra');
}
