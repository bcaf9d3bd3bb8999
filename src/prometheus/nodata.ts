// Companion alerts for lost signals: when every series an SLO or threshold reads is gone (target
// down, metric renamed, scrape broken), its rules go quiet, which looks exactly like health.
import { parser } from '@prometheus-io/lezer-promql';
import type { Service, Slo, Threshold } from '../config/schema/config.js';
import type { z } from 'zod';
import type { noData } from '../config/schema/threshold.js';
import { formatSelector, parseSelector } from '../promql/parse.js';
import { formatDuration, parseDuration, MINUTE_MS } from '../config/duration.js';
import { leMatcher, sliQueries } from './sli.js';
import { formatNumber } from './number.js';
import { histogramPart, thresholdKind } from './threshold-rules.js';
import { matcherText, sortLabels, type AlertingRule, type RecordingRule, type Rule, type RuleGroup } from './rules.js';
import type { RuleContext } from './slo-rules.js';

export type NoDataSettings = z.output<typeof noData>;

export const NODATA_ALERTS = { slo: 'SLONoData', threshold: 'ThresholdNoData' } as const;
export const DEFAULT_NODATA_FOR = '10m';
export const DEFAULT_NODATA_SEVERITY = 'warning';
export const NODATA_RECORD = 'nodata:inputs_absent:count';

/** Every plain series selector inside an expression, as written, without duplicates. */
export function exprSelectors(expr: string): string[] {
  const out = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return true;
      const text = expr.slice(node.from, node.to);
      const parsed = parseSelector(text);
      out.add(typeof parsed === 'string' ? text : formatSelector(parsed));
      return false;
    },
  });
  return [...out];
}

/** The series whose absence means a threshold cannot see anything. */
export function thresholdInputs(th: Threshold): string[] {
  switch (thresholdKind(th)) {
    case 'percentile':
      return [formatSelector(histogramPart(th.percentile!.histogram, '_bucket'))];
    case 'ratio':
      // The numerator (errors) may rightly be absent; the denominator may not. A slow share
      // also needs the bucket at its bound: without it every observation reads as slow.
      if (th.ratio!.histogram !== undefined) {
        const bound = [{ name: 'le', op: '=~' as const, value: leMatcher(th.ratio!.slowerThan!) }];
        return [formatSelector(histogramPart(th.ratio!.histogram, '_count')), formatSelector(histogramPart(th.ratio!.histogram, '_bucket', bound))];
      }
      return [th.ratio!.denominator!];
    case 'predict':
      return exprSelectors(th.predict!.series);
    case 'anomaly':
      return exprSelectors(th.anomaly!.series);
    case 'expr':
      return exprSelectors(th.expr!);
  }
}

/**
 * A ratio SLI is blind without its total. A latency SLI is also blind without the bucket at its
 * threshold: when the threshold is no bucket bound (or in ms), `_count` is there and the SLI
 * reads every request as slow, so this alert names the missing bucket next to the page it explains.
 */
export function sloInputs(slo: Slo): string[] {
  const q = sliQueries(slo);
  const inputs = [formatSelector(q.inputs.total)];
  if (slo.sli.latency && q.inputs.good) inputs.push(formatSelector(q.inputs.good));
  return inputs;
}

/** One series when any input has been absent for `for`: one alert per SLO or threshold, labels exactly the contract's. */
export function noDataExpr(selectors: readonly string[], window: string): string {
  const absent = selectors.map((s) => `absent_over_time(${s}[${window}])`);
  return `count(\n  ${absent.join('\n  or\n  ')}\n)`;
}

interface NoDataSubject {
  kind: 'slo' | 'threshold';
  name: string;
  inputs: string[];
  settings: NoDataSettings | undefined;
  runbook: string | undefined;
  /** What else the absence may mean, for the responder. */
  hint?: string;
}

/** Labels of the recorded no-data series, which the alert passes on. */
export function noDataLabels(svc: Service, subject: Pick<NoDataSubject, 'kind' | 'name' | 'settings'>): Record<string, string> {
  return sortLabels({
    ...svc.labels,
    nodata: 'true',
    service: svc.name,
    [subject.kind]: subject.name,
    team: svc.team,
    severity: subject.settings?.severity ?? DEFAULT_NODATA_SEVERITY,
  });
}

/** Every label a firing no-data alert carries: the recorded ones and its own remediation, if any. */
export function noDataAlertLabels(svc: Service, subject: Pick<NoDataSubject, 'kind' | 'name' | 'settings'>): Record<string, string> {
  const remediation = subject.settings?.remediation;
  return sortLabels({ ...noDataLabels(svc, subject), alertname: NODATA_ALERTS[subject.kind], ...(remediation ? { remediation } : {}) });
}

const LOOKBACK_CAP_MS = 5 * MINUTE_MS;

/**
 * How the no-data wait splits: an absent_over_time lookback that rides out scrape gaps (half the
 * wait, at most Prometheus' own 5m staleness window) and the alert's `for:` for the rest. Both
 * are needed: a lookback alone fires the moment a fresh Prometheus starts, before the first
 * scrape; a `for:` alone would reset on every late scrape.
 */
export function noDataTiming(settings: NoDataSettings | undefined): { waitMs: number; lookbackMs: number; pendingMs: number } {
  const waitMs = parseDuration(settings?.for ?? DEFAULT_NODATA_FOR)!;
  const lookbackMs = Math.min(LOOKBACK_CAP_MS, Math.floor(waitMs / 2 / 1000) * 1000);
  return { waitMs, lookbackMs, pendingMs: waitMs - lookbackMs };
}

/**
 * A recording carrying every label, then the alert reading it. Prometheus expands each static
 * alert label and annotation as a template at every evaluation of a firing alert; no-data alerts
 * fire wherever inputs are missing (most of every promtool scenario), so the labels ride on the
 * recorded series and the alert keeps one static label, enough for promtool's duplicate check.
 */
function noDataRules(svc: Service, subject: NoDataSubject, ctx: RuleContext): Rule[] {
  if (subject.settings?.enabled === false || subject.inputs.length === 0) return [];
  const timing = noDataTiming(subject.settings);
  const window = formatDuration(timing.waitMs);
  const what = subject.kind === 'slo' ? 'SLO' : 'threshold';
  const record: RecordingRule = {
    record: NODATA_RECORD,
    // absent_over_time turns true one lookback after the last sample, whether the target went
    // stale or simply stopped exporting the metric; the alert's `for:` waits out the rest.
    expr: noDataExpr(subject.inputs, formatDuration(timing.lookbackMs)),
    labels: noDataLabels(svc, subject),
  };
  const alert: AlertingRule = {
    alert: NODATA_ALERTS[subject.kind],
    expr: `${NODATA_RECORD}${matcherText({ service: svc.name, [subject.kind]: subject.name })}`,
    for: formatDuration(timing.pendingMs),
    // Never the remediation of the SLO or threshold: a lost signal is no sign its action would
    // help. The empty value also removes any remediation label a series could bring along.
    labels: sortLabels({ [subject.kind]: subject.name, remediation: subject.settings?.remediation ?? '' }),
    annotations: sortLabels({
      summary: `${svc.name} ${subject.name}: no data for ${window}`,
      description:
        `The ${svc.name} ${subject.name} ${what} has had no input for ${window}, so its alerts cannot fire. ` +
        `Missing: ${subject.inputs.join(', ')}. Check that the targets are up and still export these series.${subject.hint ? ` ${subject.hint}` : ''}`,
      dashboard: ctx.dashboardUrl,
      runbook_url: subject.runbook,
    }),
  };
  return [record, alert];
}

export function sloNoDataRules(svc: Service, slo: Slo, ctx: RuleContext): Rule[] {
  if (slo.alerting?.enabled === false) return [];
  const latency = slo.sli.latency;
  const hint = latency
    ? `If only the _bucket series is missing while _count is there, ${formatNumber(latency.threshold)} s is not one of the histogram's bucket bounds: the SLI then counts every request as slow; set the SLO's threshold to an exposed "le" bound.`
    : undefined;
  return noDataRules(svc, { kind: 'slo', name: slo.name, inputs: sloInputs(slo), settings: slo.alerting?.noData, runbook: slo.alerting?.runbook, ...(hint ? { hint } : {}) }, ctx);
}

export function thresholdNoDataRules(svc: Service, th: Threshold, ctx: RuleContext): Rule[] {
  return noDataRules(svc, { kind: 'threshold', name: th.name, inputs: thresholdInputs(th), settings: th.noData, runbook: th.runbook }, ctx);
}

/** One group per service: these rules read raw series only, each alert right after its recording. */
export function noDataRuleGroup(svc: Service, ctx: RuleContext): RuleGroup | undefined {
  const rules = [
    ...(svc.slos ?? []).flatMap((slo) => sloNoDataRules(svc, slo, ctx)),
    ...(svc.thresholds ?? []).flatMap((th) => thresholdNoDataRules(svc, th, ctx)),
  ];
  return rules.length > 0 ? { name: `sloforge-${svc.name}-nodata`, rules } : undefined;
}
