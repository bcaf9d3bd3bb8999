// Sloth service specs: the plain `version: prometheus/v1` file and the Kubernetes
// PrometheusServiceLevel resource (sloth.slok.dev/v1), which spells the same fields in camelCase.
import type { SloInput } from '../config/define.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import { otherCommand, specKindOf, type SpecDoc } from './read.js';
import { ImportFailure, type Report, type Where } from './report.js';
import { importLabels, isRecord, keepName, objectivePercent, ServiceSet, type Imported } from './model.js';
import { mapRatioSli, mapSli, type SliQuery } from './sli.js';

const SLOTH_DEFAULT_PERIOD = '30d';

/**
 * Field names of the two spellings. Sloth's own examples mix them (a prometheus/v1 file with
 * `errorRatioQuery`), so either is read in both forms; messages use the one found.
 */
const FIELDS = {
  file: {
    errorQuery: 'error_query',
    totalQuery: 'total_query',
    errorRatioQuery: 'error_ratio_query',
    pageAlert: 'page_alert',
    ticketAlert: 'ticket_alert',
    period: 'slo_period',
    sloPlugins: 'slo_plugins',
  },
  crd: {
    errorQuery: 'errorQuery',
    totalQuery: 'totalQuery',
    errorRatioQuery: 'errorRatioQuery',
    pageAlert: 'pageAlert',
    ticketAlert: 'ticketAlert',
    period: 'sloPeriod',
    sloPlugins: 'sloPlugins',
  },
} as const;
type Fields = (typeof FIELDS)[keyof typeof FIELDS];

function field(obj: Record<string, unknown>, f: Fields, key: keyof Fields): { name: string; value: unknown } {
  for (const name of [f[key], FIELDS.file[key], FIELDS.crd[key]]) {
    if (obj[name] !== undefined) return { name, value: obj[name] };
  }
  return { name: f[key], value: undefined };
}

function sliQuery(obj: Record<string, unknown>, f: Fields, key: keyof Fields, prefix: string): SliQuery {
  const q = field(obj, f, key);
  return { field: `${prefix}.${q.name}`, query: q.value };
}

function isHttpUrl(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Sloth's SLO plugins (`slo_plugins.chain` of a service, `plugins.chain` of an SLO) rewrite the
 * rules Sloth generates; sloforge generates its own, so they are dropped with a note. Except
 * denominator_corrected_rules: it weighs each window's error ratio by that window's share of the
 * period's traffic, so the SLO means something else, and importing it as a plain ratio would
 * page where Sloth did not.
 */
function slothPlugins(where: Where, raw: unknown, fieldName: string, report: Report): void {
  const chain = isRecord(raw) ? raw.chain : undefined;
  if (!Array.isArray(chain)) return;
  chain.forEach((p, i) => {
    const id = isRecord(p) ? p.id : undefined;
    const at: Where = { ...where, field: `${fieldName}.chain[${i}]` };
    if (typeof id === 'string' && id.includes('denominator_corrected')) {
      throw new ImportFailure(
        at,
        `cannot be imported: Sloth plugin "${id}" scales each window's error ratio by that window's share of the period's traffic, which changes the SLI itself; sloforge has no such SLI, and as a plain ratio the SLO would alert where Sloth did not. Remove the plugin in Sloth first if the plain ratio is what you want`,
      );
    }
    report.note(
      at,
      `Sloth plugin ${JSON.stringify(id ?? '?')} ignored: it rewrites the rules Sloth generates, and sloforge generates its own (check they do what you used the plugin for)`,
    );
  });
}

function period(where: Where, raw: unknown): string {
  if (raw === undefined) return SLOTH_DEFAULT_PERIOD;
  const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
  if (ms === undefined || ms === 0) throw new ImportFailure(where, `is not a duration such as "30d": ${JSON.stringify(raw)}`);
  return formatDuration(ms);
}

function alerting(where: Where, raw: unknown, sloLabels: Record<string, string>, f: Fields, report: Report): SloInput['alerting'] {
  const out: NonNullable<SloInput['alerting']> = {};
  const a = isRecord(raw) ? raw : {};
  const labels = { ...sloLabels, ...importLabels({ ...where, field: 'alerting.labels' }, a.labels, report, ' on every alert') };
  const annotations = isRecord(a.annotations) ? a.annotations : {};
  const runbookKey = ['runbook_url', 'runbook'].find((k) => annotations[k] !== undefined);
  if (runbookKey !== undefined) {
    const value = annotations[runbookKey];
    if (isHttpUrl(value)) out.runbook = value;
    else
      report.note(
        { ...where, field: `alerting.annotations.${runbookKey}` },
        `dropped: sloforge takes a runbook as an http(s) URL, got ${JSON.stringify(value)}`,
      );
  }
  const tiers = (['pageAlert', 'ticketAlert'] as const)
    .map((key) => field(a, f, key))
    .map(({ name, value }) => ({ name, spec: isRecord(value) ? value : {} }));
  for (const tier of tiers) {
    const own = {
      ...(isRecord(tier.spec.labels) ? tier.spec.labels : {}),
      ...(isRecord(tier.spec.annotations) ? tier.spec.annotations : {}),
    };
    if (Object.keys(own).length > 0) {
      report.note(
        { ...where, field: `alerting.${tier.name}` },
        'labels and annotations of one alert tier dropped: sloforge sets severity per tier itself and routes by team (docs/alertmanager.md)',
      );
    }
  }
  const [page, ticket] = tiers.map((t) => t.spec.disable === true);
  // Both off: Sloth writes no alert at all, which is alerting.enabled: false (no no-data alert either).
  if (page && ticket) out.enabled = false;
  else if (page) out.page = false;
  else if (ticket) out.ticket = false;
  if (Object.keys(labels).length > 0) out.labels = labels;
  return Object.keys(out).length > 0 ? out : undefined;
}

function slo(where: Where, raw: Record<string, unknown>, f: Fields, defaultPeriod: string, report: Report): SloInput | undefined {
  // Each field on its own, so one run reports every problem of the SLO.
  const objective = report.attempt(() => objectivePercent({ ...where, field: 'objective' }, raw.objective, 1));
  const own = field(raw, f, 'period');
  const per = report.attempt(() => (own.value !== undefined ? period({ ...where, field: own.name }, own.value) : defaultPeriod));
  const sli = report.attempt(() => eventsSli(where, raw.sli, f, report));
  const plugins = report.attempt(() => {
    slothPlugins(where, raw.plugins, 'plugins', report);
    return true;
  });
  const al = report.attempt(() =>
    alerting(where, raw.alerting, importLabels({ ...where, field: 'labels' }, raw.labels, report, ' on every alert'), f, report),
  );
  if (objective === undefined || per === undefined || sli === undefined || plugins === undefined) return undefined;
  const description = typeof raw.description === 'string' && raw.description.trim() !== '' ? raw.description.trim() : undefined;
  return {
    name: where.slo!,
    objective,
    period: per,
    ...(description !== undefined ? { description } : {}),
    sli,
    ...(al !== undefined ? { alerting: al } : {}),
  };
}

function eventsSli(where: Where, raw: unknown, f: Fields, report: Report): SloInput['sli'] {
  const sli = isRecord(raw) ? raw : undefined;
  if (!sli) throw new ImportFailure({ ...where, field: 'sli' }, 'is required');
  if (sli.raw !== undefined) {
    return mapRatioSli(
      where,
      sliQuery(isRecord(sli.raw) ? sli.raw : {}, f, 'errorRatioQuery', 'sli.raw'),
      'errors',
      { counterValue: false },
      report,
    );
  }
  if (sli.plugin !== undefined) {
    const id = isRecord(sli.plugin) ? sli.plugin.id : undefined;
    throw new ImportFailure(
      { ...where, field: 'sli.plugin' },
      `cannot be imported: Sloth plugin ${JSON.stringify(id ?? '?')} builds its query at generation time; rewrite the SLI as sli.events (error and total queries)`,
    );
  }
  const events = isRecord(sli.events) ? sli.events : undefined;
  if (!events) throw new ImportFailure({ ...where, field: 'sli' }, 'needs events (error and total queries)');
  return mapSli(
    where,
    {
      errors: sliQuery(events, f, 'errorQuery', 'sli.events'),
      total: sliQuery(events, f, 'totalQuery', 'sli.events'),
    },
    { counterValue: false },
    report,
  );
}

function serviceSpec(doc: SpecDoc): { spec: Record<string, unknown>; f: Fields } | undefined {
  const v = doc.value;
  if (!isRecord(v)) throw new ImportFailure({ file: doc.label }, 'is not a Sloth spec (expected a YAML map)');
  if (v.version !== undefined) {
    if (v.version !== 'prometheus/v1')
      throw new ImportFailure(
        { file: doc.label, field: 'version' },
        `unsupported Sloth spec version ${JSON.stringify(v.version)} (expected "prometheus/v1")`,
      );
    return { spec: v, f: FIELDS.file };
  }
  if (v.kind === 'PrometheusServiceLevel' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('sloth.slok.dev/')) {
    if (!isRecord(v.spec)) throw new ImportFailure({ file: doc.label, field: 'spec' }, 'is required');
    return { spec: v.spec, f: FIELDS.crd };
  }
  if (typeof v.kind === 'string' && typeof v.apiVersion === 'string') return undefined;
  throw new ImportFailure({ file: doc.label }, 'is not a Sloth spec (expected `version: prometheus/v1` or `kind: PrometheusServiceLevel`)');
}

export function importSloth(docs: readonly SpecDoc[], report: Report): Imported {
  const services = new ServiceSet(report);
  for (const doc of docs) {
    report.attempt(() => {
      const found = serviceSpec(doc);
      if (!found) {
        const v = doc.value as Record<string, unknown>;
        const other = specKindOf(v);
        report.note(
          { file: doc.label },
          `skipped: ${String(v.kind)} (${String(v.apiVersion)}) ${other !== undefined ? otherCommand(other) : 'is not a Sloth spec'}`,
        );
        return;
      }
      const { spec, f } = found;
      const file = doc.label;
      const name = keepName({ file, field: 'service' }, 'service', spec.service, report);
      const at: Where = { file, service: name };
      const rawLabels = isRecord(spec.labels) ? { ...spec.labels } : spec.labels;
      const ownerKey = isRecord(rawLabels) ? ['owner', 'team'].find((k) => rawLabels[k] !== undefined) : undefined;
      const team =
        ownerKey !== undefined
          ? keepName({ ...at, field: `labels.${ownerKey}` }, 'team', String((rawLabels as Record<string, unknown>)[ownerKey]), report)
          : name;
      // sloforge's own `team` label carries it from here on.
      if (isRecord(rawLabels) && ownerKey !== undefined) delete rawLabels.team;
      const labels = importLabels({ ...at, field: 'labels' }, rawLabels, report, ' on every rule of the service');
      const svcPeriod = field(spec, f, 'period');
      const defaultPeriod =
        svcPeriod.value !== undefined ? period({ ...at, field: svcPeriod.name }, svcPeriod.value) : SLOTH_DEFAULT_PERIOD;
      const svcPlugins = field(spec, f, 'sloPlugins');
      slothPlugins(at, svcPlugins.value, svcPlugins.name, report);
      const svc = services.get(at, String(spec.service), name, team, labels);
      if (!Array.isArray(spec.slos) || spec.slos.length === 0)
        throw new ImportFailure({ ...at, field: 'slos' }, 'must list at least one SLO');
      spec.slos.forEach((raw, i) => {
        report.attempt(() => {
          if (!isRecord(raw)) throw new ImportFailure({ ...at, field: `slos[${i}]` }, 'must be a map');
          const sloName = keepName({ ...at, field: `slos[${i}].name` }, 'SLO', raw.name, report);
          const where: Where = { ...at, slo: sloName };
          const imported = slo(where, raw, f, defaultPeriod, report);
          if (imported) services.addSlo(where, svc, imported, doc.file);
        });
      });
    });
  }
  return services.finish('sloth');
}
