// OpenSLO v1 (and v1alpha) documents: SLO with an inline indicator or an indicatorRef to an SLI,
// Service, DataSource (to learn a metricSourceRef's type). Alerting kinds are left out: sloforge
// writes its own multi-window burn-rate alerts.
import type { SloInput } from '../config/define.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import { otherCommand, specKindOf, type SpecDoc } from './read.js';
import { ImportFailure, type Report, type Where } from './report.js';
import { isRecord, keepName, objectivePercent, ServiceSet, type Imported } from './model.js';
import { mapRatioSli, mapSli, type SliQuery } from './sli.js';
import { parseSelector } from '../promql/parse.js';

const ALERTING_KINDS = new Set(['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget']);

interface Named {
  doc: SpecDoc;
  name: string;
  value: Record<string, unknown>;
}

interface Index {
  slis: Map<string, Named>;
  dataSources: Map<string, Named>;
  services: Map<string, Named>;
  slos: Named[];
}

const spec = (v: Record<string, unknown>): Record<string, unknown> => (isRecord(v.spec) ? v.spec : {});
const meta = (v: Record<string, unknown>): Record<string, unknown> => (isRecord(v.metadata) ? v.metadata : {});

function indexDocs(docs: readonly SpecDoc[], report: Report): Index {
  const index: Index = { slis: new Map(), dataSources: new Map(), services: new Map(), slos: [] };
  for (const doc of docs) {
    report.attempt(() => {
      const v = doc.value;
      if (!isRecord(v)) throw new ImportFailure({ file: doc.label }, 'is not an OpenSLO document (expected a YAML map)');
      const api = v.apiVersion;
      const other = specKindOf(v);
      if (other !== undefined && other !== 'openslo') {
        report.note({ file: doc.label }, `skipped: ${otherCommand(other)}`);
        return;
      }
      if (typeof api !== 'string' || !api.startsWith('openslo/')) {
        if (typeof api === 'string' && typeof v.kind === 'string') {
          report.note({ file: doc.label }, `skipped: ${v.kind} (${api}) is not an OpenSLO document`);
          return;
        }
        throw new ImportFailure({ file: doc.label, field: 'apiVersion' }, 'must be "openslo/v1" or "openslo/v1alpha"');
      }
      if (api !== 'openslo/v1' && api !== 'openslo/v1alpha')
        throw new ImportFailure(
          { file: doc.label, field: 'apiVersion' },
          `unsupported OpenSLO version ${JSON.stringify(api)} (expected "openslo/v1" or "openslo/v1alpha")`,
        );
      const name = meta(v).name;
      if (typeof name !== 'string' || name === '') throw new ImportFailure({ file: doc.label, field: 'metadata.name' }, 'is required');
      const named: Named = { doc, name, value: v };
      const into =
        v.kind === 'SLI' ? index.slis : v.kind === 'DataSource' ? index.dataSources : v.kind === 'Service' ? index.services : undefined;
      if (into) {
        if (into.has(name))
          throw new ImportFailure(
            { file: doc.label, field: 'metadata.name' },
            `duplicate ${String(v.kind)} "${name}" (also in ${into.get(name)!.doc.label})`,
          );
        into.set(name, named);
      } else if (v.kind === 'SLO') index.slos.push(named);
      else if (ALERTING_KINDS.has(String(v.kind)))
        report.note(
          { file: doc.label },
          `${String(v.kind)} "${name}" ignored: sloforge generates multi-window, multi-burn-rate alerts for every SLO itself`,
        );
      else throw new ImportFailure({ file: doc.label, field: 'kind' }, `unknown OpenSLO kind ${JSON.stringify(v.kind)}`);
    });
  }
  return index;
}

const UNIT_DAYS: Record<string, number> = { Day: 1, Week: 7 };

/** Rolling windows only: a calendar month has no fixed length, and sloforge's periods roll. */
function period(where: Where, s: Record<string, unknown>, alpha: boolean): string {
  const windows = alpha ? s.timeWindows : s.timeWindow;
  const field = alpha ? 'spec.timeWindows[0]' : 'spec.timeWindow[0]';
  if (!Array.isArray(windows) || windows.length === 0)
    throw new ImportFailure({ ...where, field: field.slice(0, -3) }, 'is required (one rolling window, e.g. duration: 28d)');
  if (windows.length > 1)
    throw new ImportFailure({ ...where, field: field.slice(0, -3) }, 'has several windows; sloforge takes one period per SLO');
  const w = windows[0];
  if (!isRecord(w)) throw new ImportFailure({ ...where, field }, 'must be a map');
  // Without a calendar there is nothing to align to: Sloth's own v1alpha examples leave isRolling out.
  if (w.isRolling === false || w.calendar !== undefined) {
    throw new ImportFailure(
      { ...where, field: `${field}.isRolling` },
      'calendar-aligned windows cannot be imported: sloforge periods roll (isRolling: true)',
    );
  }
  let ms: number | undefined;
  if (alpha) {
    const days = UNIT_DAYS[String(w.unit)];
    if (days === undefined || typeof w.count !== 'number' || !Number.isInteger(w.count) || w.count <= 0) {
      throw new ImportFailure(
        { ...where, field },
        `must be a whole count of Day or Week, got ${JSON.stringify({ unit: w.unit, count: w.count })}`,
      );
    }
    ms = w.count * days * 86_400_000;
  } else {
    const m = typeof w.duration === 'string' ? /^(\d+)([mhdw])$/.exec(w.duration) : null;
    ms = m ? parseDuration(`${m[1]}${m[2]}`) : undefined;
    if (!ms)
      throw new ImportFailure(
        { ...where, field: `${field}.duration` },
        `must be minutes, hours, days or weeks such as "28d" (months, quarters and years have no fixed length), got ${JSON.stringify(w.duration)}`,
      );
  }
  return formatDuration(ms);
}

function budgeting(where: Where, s: Record<string, unknown>): void {
  const m = s.budgetingMethod;
  if (m !== undefined && m !== 'Occurrences') {
    throw new ImportFailure(
      { ...where, field: 'spec.budgetingMethod' },
      `${JSON.stringify(m)} cannot be imported: sloforge counts events (Occurrences), not time slices`,
    );
  }
}

/** The query of a v1 metric, checked to be Prometheus (directly or through a DataSource). */
function v1Query(where: Where, field: string, metric: unknown, index: Index): SliQuery {
  const source = isRecord(metric) && isRecord(metric.metricSource) ? metric.metricSource : undefined;
  if (!source) throw new ImportFailure({ ...where, field: `${field}.metricSource` }, 'is required');
  let type = source.type;
  if (type === undefined && typeof source.metricSourceRef === 'string') {
    const ds = index.dataSources.get(source.metricSourceRef);
    if (!ds)
      throw new ImportFailure(
        { ...where, field: `${field}.metricSource.metricSourceRef` },
        `names no DataSource "${source.metricSourceRef}"`,
      );
    type = spec(ds.value).type;
  }
  if (typeof type !== 'string' || type.toLowerCase() !== 'prometheus') {
    throw new ImportFailure({ ...where, field: `${field}.metricSource.type` }, `must be Prometheus, got ${JSON.stringify(type ?? null)}`);
  }
  const q = isRecord(source.spec) ? source.spec.query : undefined;
  return { field: `${field}.metricSource.spec.query`, query: q };
}

type Sli = SloInput['sli'];
/** An SLI that depends on each objective's `op` and `value` (a threshold on a metric). */
type PerObjective = (o: Record<string, unknown>, field: string) => Sli;

/**
 * A threshold on a 0/1 gauge (probe_success and kin) whose objective counts a sample good when
 * it is 1 (`gte` a value in (0, 1], or `gt` a value in [0, 1)): sloforge's boolGauge SLI, one
 * event per sample. Any other threshold has no good/total event count sloforge can record.
 */
function boolGaugeThreshold(where: Where, q: SliQuery, report: Report): PerObjective {
  return (o, field) => {
    const text = typeof q.query === 'string' ? q.query.trim() : '';
    const sel = parseSelector(text);
    if (typeof sel === 'string') {
      throw new ImportFailure(
        { ...where, field: q.field },
        `cannot be imported: a thresholdMetric maps only when its query is a 0/1 gauge's selector (sloforge's boolGauge), got ${JSON.stringify(text)}`,
      );
    }
    const v = o.value;
    const good = typeof v === 'number' && ((o.op === 'gte' && v > 0 && v <= 1) || (o.op === 'gt' && v >= 0 && v < 1));
    if (!good) {
      throw new ImportFailure(
        { ...where, field: `${field}.op` },
        `cannot be imported: only a threshold that counts a 0/1 gauge good at 1 maps (op: gte with a value in (0, 1], or gt with a value in [0, 1)), got op ${JSON.stringify(o.op)} value ${JSON.stringify(v)}`,
      );
    }
    report.note(
      { ...where, field: q.field },
      'a threshold on a gauge read as sli.boolGauge: each sample is one event, good at 1 (values between 0 and 1 count as partly good)',
    );
    return { boolGauge: { series: text } };
  };
}

function v1Sli(where: Where, s: Record<string, unknown>, index: Index, report: Report): Sli | PerObjective {
  let indicator: Record<string, unknown>;
  let at: Where = where;
  let prefix = 'spec.indicator.spec';
  if (typeof s.indicatorRef === 'string') {
    const ref = index.slis.get(s.indicatorRef);
    if (!ref)
      throw new ImportFailure({ ...where, field: 'spec.indicatorRef' }, `names no SLI "${s.indicatorRef}" among the documents read`);
    indicator = spec(ref.value);
    // The fields are in the SLI's own document: point there.
    at = { ...where, file: ref.doc.label };
    prefix = 'spec';
  } else if (isRecord(s.indicator)) {
    indicator = spec(s.indicator);
  } else {
    throw new ImportFailure({ ...where, field: 'spec.indicator' }, 'is required (an inline indicator or an indicatorRef)');
  }
  if (indicator.thresholdMetric !== undefined) {
    return boolGaugeThreshold(at, v1Query(at, `${prefix}.thresholdMetric`, indicator.thresholdMetric, index), report);
  }
  const ratio = indicator.ratioMetric;
  if (!isRecord(ratio)) throw new ImportFailure({ ...at, field: prefix }, 'needs a ratioMetric (good or bad, and total)');
  const f = `${prefix}.ratioMetric`;
  if (ratio.raw !== undefined) {
    if (ratio.rawType !== 'success' && ratio.rawType !== 'failure')
      throw new ImportFailure({ ...at, field: `${f}.rawType` }, 'must be "success" or "failure"');
    return mapRatioSli(
      at,
      v1Query(at, `${f}.raw`, ratio.raw, index),
      ratio.rawType === 'failure' ? 'errors' : 'good',
      { counterValue: false },
      report,
    );
  }
  return mapSli(
    at,
    {
      ...(ratio.good !== undefined ? { good: v1Query(at, `${f}.good`, ratio.good, index) } : {}),
      ...(ratio.bad !== undefined ? { errors: v1Query(at, `${f}.bad`, ratio.bad, index) } : {}),
      total: v1Query(at, `${f}.total`, ratio.total, index),
    },
    { counterValue: ratio.counter !== false },
    report,
  );
}

function alphaQuery(where: Where, field: string, metric: unknown): SliQuery {
  if (!isRecord(metric)) throw new ImportFailure({ ...where, field }, 'is required');
  if (typeof metric.source !== 'string' || metric.source.toLowerCase() !== 'prometheus') {
    throw new ImportFailure({ ...where, field: `${field}.source` }, `must be prometheus, got ${JSON.stringify(metric.source ?? null)}`);
  }
  return { field: `${field}.query`, query: metric.query };
}

function alphaSli(
  where: Where,
  s: Record<string, unknown>,
  objective: Record<string, unknown>,
  i: number,
  report: Report,
): SloInput['sli'] {
  const ratio = objective.ratioMetrics;
  const f = `spec.objectives[${i}].ratioMetrics`;
  if (!isRecord(ratio)) {
    const threshold = isRecord(s.indicator) && s.indicator.thresholdMetric !== undefined;
    throw new ImportFailure(
      { ...where, field: threshold ? 'spec.indicator.thresholdMetric' : f },
      threshold
        ? "cannot be imported: a threshold on a query's value has no good/total event count; use ratioMetrics"
        : 'is required (good and total)',
    );
  }
  return mapSli(
    where,
    { good: alphaQuery(where, `${f}.good`, ratio.good), total: alphaQuery(where, `${f}.total`, ratio.total) },
    { counterValue: ratio.incremental !== false },
    report,
  );
}

function serviceTeam(at: Where, svc: Named | undefined, fallback: string, report: Report): string {
  const labels = svc ? meta(svc.value).labels : undefined;
  if (!isRecord(labels)) return fallback;
  const key = ['team', 'owner'].find((k) => labels[k] !== undefined);
  if (key === undefined) return fallback;
  const value = labels[key];
  // v1 label values may be lists; a team is one name.
  const first = Array.isArray(value) ? value[0] : value;
  return keepName({ ...at, file: svc!.doc.label, field: `metadata.labels.${key}` }, 'team', String(first), report);
}

function importSlo(slo: Named, index: Index, services: ServiceSet, report: Report): void {
  const file = slo.doc.label;
  const s = spec(slo.value);
  const alpha = slo.value.apiVersion === 'openslo/v1alpha';
  const serviceName = keepName({ file, field: 'spec.service' }, 'service', s.service, report);
  const sloName = keepName({ file, service: serviceName, field: 'metadata.name' }, 'SLO', slo.name, report);
  const where: Where = { file, service: serviceName, slo: sloName };
  const declared = index.services.get(String(s.service));
  const svc = services.get(where, String(s.service), serviceName, serviceTeam(where, declared, serviceName, report), {});
  const budgetOk = report.attempt(() => {
    budgeting(where, s);
    return true;
  });
  const per = report.attempt(() => period(where, s, alpha));
  const sharedSli = alpha ? undefined : report.attempt(() => v1Sli(where, s, index, report));
  if (budgetOk === undefined || per === undefined || (!alpha && sharedSli === undefined)) return;
  const objectives = s.objectives;
  if (!Array.isArray(objectives) || objectives.length === 0)
    throw new ImportFailure({ ...where, field: 'spec.objectives' }, 'must list at least one objective');
  if (s.alertPolicies !== undefined)
    report.note({ ...where, field: 'spec.alertPolicies' }, 'ignored: sloforge generates multi-window, multi-burn-rate alerts itself');
  const m = meta(slo.value);
  const description = [s.description, m.displayName].find((d): d is string => typeof d === 'string' && d.trim() !== '')?.trim();
  const several = objectives.length > 1;
  objectives.forEach((o, i) => {
    report.attempt(() => {
      const field = `spec.objectives[${i}]`;
      if (!isRecord(o)) throw new ImportFailure({ ...where, field }, 'must be a map');
      if (o.indicator !== undefined || o.indicatorRef !== undefined)
        throw new ImportFailure(
          { ...where, field: `${field}.indicator` },
          'composite SLOs (an indicator per objective) cannot be imported',
        );
      let name = sloName;
      if (several) {
        const suffix = typeof o.displayName === 'string' && o.displayName.trim() !== '' ? o.displayName : String(i + 1);
        name = keepName(
          { ...where, field: `${field}.displayName` },
          'SLO',
          `${sloName}-${suffix.toLowerCase().trim().replace(/\s+/g, '-')}`,
          report,
        );
        report.note(
          { ...where, field },
          `one of ${objectives.length} objectives: imported as SLO "${name}" (sloforge has one objective per SLO)`,
        );
      }
      const objective =
        o.targetPercent !== undefined
          ? objectivePercent({ ...where, field: `${field}.targetPercent` }, o.targetPercent, 1)
          : objectivePercent({ ...where, field: `${field}.target` }, o.target, 100);
      const out: SloInput = {
        name,
        objective,
        period: per,
        ...(description !== undefined ? { description } : {}),
        sli: typeof sharedSli === 'function' ? sharedSli(o, field) : (sharedSli ?? alphaSli({ ...where, slo: name }, s, o, i, report)),
      };
      services.addSlo({ ...where, slo: name }, svc, out, slo.doc.file);
    });
  });
}

export function importOpenSlo(docs: readonly SpecDoc[], report: Report): Imported {
  const index = indexDocs(docs, report);
  const services = new ServiceSet(report);
  for (const slo of index.slos) report.attempt(() => importSlo(slo, index, services, report));
  // A Service with no SLO yet is still a service the user declared: keep it.
  for (const svc of index.services.values()) {
    report.attempt(() => {
      const name = keepName({ file: svc.doc.label, field: 'metadata.name' }, 'service', svc.name, report);
      const at: Where = { file: svc.doc.label, service: name };
      const imported = services.get(at, svc.name, name, serviceTeam(at, svc, name, report), {});
      if (!imported.sources.includes(svc.doc.file)) imported.sources.push(svc.doc.file);
    });
  }
  return services.finish('openslo');
}
