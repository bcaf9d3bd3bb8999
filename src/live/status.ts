// `sloforge status`: per SLO (and per group), the SLI over the period, the error budget left, the
// burn rate over each alert window and the sloforge alerts firing, read from the recordings the
// generated rules keep (one batched query for every SLO), or, for an SLO whose rules are not
// loaded, from its raw series with the same PromQL the rules use.
import { parse } from 'yaml';
import { formatDuration, parseDuration } from '../config/duration.js';
import { UserError } from '../errors.js';
import { ALERT_NAMES, LABEL, NODATA_ALERTS, RECORD } from '../conventions.js';
import type { Model, ServiceModel, SloModel } from '../model/types.js';
import { sliQueries } from '../prometheus/sli.js';
import { evaluateAll, type Answer } from './batch.js';
import type { PrometheusClient, Sample } from './client.js';

export interface StatusRow {
  service: string;
  slo: string;
  /** The grouping labels' values (as the recordings carry them); null for an ungrouped SLO. */
  group: Record<string, string> | null;
  /** Percent, as configured. */
  objective: number;
  period: string;
  /** Percent of good events over the period, or over the part of it Prometheus holds (`periodCovered`). */
  sli: number | null;
  /** Share of the period's error budget left: 1 untouched, 0 spent, negative overspent. */
  budgetRemaining: number | null;
  /** Error ratio over each alert window divided by the budget; null without traffic. */
  burnRates: Record<string, number | null>;
  /** sloforge alerts firing now, by name, sorted. */
  firing: string[];
  /** Share of the period the SLI covers (1: all of it); null when read from raw series. */
  periodCovered: number | null;
  /** Where the numbers come from: the generated recordings, or the raw series (rules not loaded). */
  source: 'recordings' | 'raw';
}

export type FailWhen = 'budget-exhausted' | 'page-firing' | 'burning';
export const FAIL_WHEN: readonly FailWhen[] = ['budget-exhausted', 'page-firing', 'burning'];

export interface StatusOptions {
  service?: string | undefined;
}

interface Selected {
  svc: ServiceModel;
  slo: SloModel;
}

const FIRING_NAMES = [ALERT_NAMES.critical, ALERT_NAMES.warning, NODATA_ALERTS.slo];

/** Alert windows, shortest first, as the recordings name them ("5m", "1h"). */
export function alertWindows(slo: SloModel): string[] {
  const ms = [...new Set(slo.plan.tiers.flatMap((t) => t.pairs.flatMap((p) => [p.short, p.long])))].sort((a, b) => a - b);
  return ms.map(formatDuration);
}

function finite(n: number | undefined): number | null {
  return n === undefined || !Number.isFinite(n) ? null : n;
}

function groupOf(slo: SloModel, metric: Record<string, string>): Record<string, string> | null {
  if (slo.groupBy.length === 0) return null;
  return Object.fromEntries(slo.groupBy.map((l) => [l, metric[l] ?? '']));
}

const keyOf = (service: string, slo: string, group: Record<string, string> | null) =>
  `${service}\u0000${slo}\u0000${group === null ? '' : JSON.stringify(group)}`;

function select(model: Model, service: string | undefined): Selected[] {
  if (service !== undefined && !model.services.some((s) => s.name === service)) {
    throw new UserError(`--service ${service}: no such service (the config has ${model.services.map((s) => s.name).join(', ') || 'none'})`);
  }
  return model.services.filter((s) => service === undefined || s.name === service).flatMap((svc) => svc.slos.map((slo) => ({ svc, slo })));
}

/** Prometheus' global evaluation_interval in ms (its default, 1m, when the config leaves it out). */
async function evaluationInterval(client: PrometheusClient): Promise<number> {
  const cfg = parse(await client.configYaml()) as { global?: { evaluation_interval?: unknown } } | null;
  const text = cfg?.global?.evaluation_interval;
  return (typeof text === 'string' ? parseDuration(text) : undefined) ?? 60_000;
}

function samplesOf(a: Answer | undefined): Sample[] {
  return a && 'samples' in a ? a.samples : [];
}

export async function runStatus(client: PrometheusClient, model: Model, opts: StatusOptions): Promise<StatusRow[]> {
  const selected = select(model, opts.service);
  if (selected.length === 0) return [];
  const only = opts.service === undefined ? '' : `,${LABEL.service}=${JSON.stringify(opts.service)}`;
  const windows = [...new Set(selected.flatMap(({ slo }) => [...alertWindows(slo), slo.plan.period]))];
  // Coverage: base-window recordings over the period, one count per (base, period) pair in use.
  const coverage = [...new Set(selected.map(({ slo }) => `${slo.plan.base} ${slo.plan.period}`))].map(
    (k) => k.split(' ') as [string, string],
  );

  const questions = [
    `{__name__=~"${windows.map((w) => RECORD.ratio(w)).join('|')}",${LABEL.slo}!=""${only}}`,
    `${RECORD.budgetRemaining}{${LABEL.slo}!=""${only}}`,
    `ALERTS{alertstate="firing",alertname=~"${FIRING_NAMES.join('|')}",${LABEL.slo}!=""${only}}`,
    ...coverage.map(
      ([base, period]) =>
        `label_replace(count_over_time(${RECORD.total(base)}{${LABEL.slo}!=""${only}}[${period}]), "sloforge_period", "${period}", "", "")`,
    ),
  ];
  const [answers, intervalMs] = await Promise.all([evaluateAll(client, questions), evaluationInterval(client)]);
  // The recordings and ALERTS must be read; coverage is a nicety (a Prometheus with a low
  // --query.max-samples may refuse to count a month of samples): without it, it is unknown.
  for (const a of answers.slice(0, 3)) if ('error' in a) throw new UserError(`Prometheus refused a status query: ${a.error}`);
  const [ratios, remaining, alerts, ...counts] = answers.map(samplesOf);

  const rows = new Map<string, StatusRow>();
  const sloByKey = new Map(selected.map((s) => [`${s.svc.name}\u0000${s.slo.name}`, s]));
  const rowFor = (metric: Record<string, string>, source: StatusRow['source']): { row: StatusRow; sel: Selected } | undefined => {
    const sel = sloByKey.get(`${metric[LABEL.service]}\u0000${metric[LABEL.slo]}`);
    if (!sel) return undefined;
    const group = groupOf(sel.slo, metric);
    const key = keyOf(sel.svc.name, sel.slo.name, group);
    let row = rows.get(key);
    if (!row) {
      row = {
        service: sel.svc.name,
        slo: sel.slo.name,
        group,
        objective: sel.slo.objective,
        period: sel.slo.plan.period,
        sli: null,
        budgetRemaining: null,
        burnRates: Object.fromEntries(alertWindows(sel.slo).map((w) => [w, null])),
        firing: [],
        periodCovered: null,
        source,
      };
      rows.set(key, row);
    }
    return { row, sel };
  };

  const ratioPrefix = RECORD.ratio('');
  for (const s of ratios!) {
    const r = rowFor(s.metric, 'recordings');
    if (!r) continue;
    const w = (s.metric.__name__ ?? '').slice(ratioPrefix.length);
    applyRatio(r.row, r.sel.slo, w, s.value);
  }
  for (const s of remaining!) {
    const r = rowFor(s.metric, 'recordings');
    if (r) r.row.budgetRemaining = finite(s.value);
  }
  for (const s of counts.flat()) {
    const r = rowFor(s.metric, 'recordings');
    if (!r || s.metric.sloforge_period !== r.sel.slo.plan.period) continue;
    const ms = r.sel.svc.ruleGroups.interval === undefined ? intervalMs : (parseDuration(r.sel.svc.ruleGroups.interval) ?? intervalMs);
    r.row.periodCovered = Math.min(1, (s.value * ms) / r.sel.slo.plan.periodMs);
  }

  // SLOs whose recordings Prometheus does not have: the same ratios from the raw series.
  const recorded = new Set([...rows.values()].map((r) => `${r.service}\u0000${r.slo}`));
  const raw = selected.filter((s) => !recorded.has(`${s.svc.name}\u0000${s.slo.name}`));
  const rawQuestions = raw.flatMap(({ slo }) =>
    [...alertWindows(slo), slo.plan.period]
      .filter((w, i, all) => all.indexOf(w) === i)
      .map((w) => ({ slo, w, expr: sliQueries(slo.sli, slo).errorRatio(w) })),
  );
  const rawAnswers = await evaluateAll(
    client,
    rawQuestions.map((q) => q.expr),
  );
  rawQuestions.forEach((q, i) => {
    const a = rawAnswers[i]!;
    if ('error' in a) throw new UserError(`Prometheus refused the raw SLI query of SLO "${q.slo.name}": ${a.error}`);
    const svc = raw.find((s) => s.slo === q.slo)!.svc;
    for (const s of a.samples) {
      const r = rowFor({ ...s.metric, [LABEL.service]: svc.name, [LABEL.slo]: q.slo.name }, 'raw');
      if (!r) continue;
      applyRatio(r.row, q.slo, q.w, s.value);
      if (q.w === q.slo.plan.period) r.row.budgetRemaining = finite(1 - s.value / q.slo.plan.budget);
    }
  });

  for (const s of alerts!) {
    const sel = sloByKey.get(`${s.metric[LABEL.service]}\u0000${s.metric[LABEL.slo]}`);
    if (!sel) continue;
    const name = s.metric.alertname!;
    // An alert without the group labels (a no-data alert of the whole SLO) belongs to every group.
    const targets = [...rows.values()].filter(
      (r) =>
        r.service === sel.svc.name &&
        r.slo === sel.slo.name &&
        (r.group === null || Object.entries(r.group).every(([l, v]) => s.metric[l] === undefined || s.metric[l] === v)),
    );
    if (targets.length === 0) targets.push(rowFor(s.metric, 'raw')!.row);
    for (const r of targets) if (!r.firing.includes(name)) r.firing.push(name);
  }

  // Every selected SLO appears, with what is known: an SLO without data still has an objective.
  for (const { svc, slo } of selected) {
    if (![...rows.values()].some((r) => r.service === svc.name && r.slo === slo.name))
      rowFor({ [LABEL.service]: svc.name, [LABEL.slo]: slo.name }, 'raw');
  }
  const order = new Map(selected.map((s, i) => [`${s.svc.name}\u0000${s.slo.name}`, i]));
  const out = [...rows.values()];
  for (const r of out) r.firing.sort();
  return out.sort(
    (a, b) =>
      order.get(`${a.service}\u0000${a.slo}`)! - order.get(`${b.service}\u0000${b.slo}`)! ||
      JSON.stringify(a.group).localeCompare(JSON.stringify(b.group)),
  );
}

function applyRatio(row: StatusRow, slo: SloModel, w: string, errorRatio: number): void {
  if (w === slo.plan.period) row.sli = finite((1 - errorRatio) * 100);
  if (w in row.burnRates) row.burnRates[w] = finite(errorRatio / slo.plan.budget);
}

/** Whether the `--fail-when` condition holds for any row. */
export function failWhenHolds(rows: readonly StatusRow[], when: FailWhen): boolean {
  switch (when) {
    case 'budget-exhausted':
      return rows.some((r) => r.budgetRemaining !== null && r.budgetRemaining <= 0);
    case 'page-firing':
      return rows.some((r) => r.firing.includes(ALERT_NAMES.critical));
    case 'burning':
      return rows.some((r) => r.firing.includes(ALERT_NAMES.critical) || r.firing.includes(ALERT_NAMES.warning));
  }
}
