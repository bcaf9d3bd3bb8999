// Companion alerts for lost signals: when every series an SLO or threshold reads is gone (target
// down, metric renamed, scrape broken), its rules go quiet, which looks exactly like health.
import { parser } from '@prometheus-io/lezer-promql';
import type { Service, Slo, Threshold } from '../config/schema/config.js';
import type { z } from 'zod';
import type { noData } from '../config/schema/threshold.js';
import { formatSelector, parseSelector } from '../promql/parse.js';
import { sliQueries } from './sli.js';
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
      // The numerator (errors, slow requests) may rightly be absent; the denominator may not.
      return [th.ratio!.histogram !== undefined ? formatSelector(histogramPart(th.ratio!.histogram, '_count')) : th.ratio!.denominator!];
    case 'predict':
      return exprSelectors(th.predict!.series);
    case 'anomaly':
      return exprSelectors(th.anomaly!.series);
    case 'expr':
      return exprSelectors(th.expr!);
  }
}

export function sloInputs(slo: Slo): string[] {
  return [formatSelector(sliQueries(slo).inputs.total)];
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
  remediation: string | undefined;
}

export function noDataLabels(svc: Service, subject: Pick<NoDataSubject, 'kind' | 'name' | 'settings' | 'remediation'>): Record<string, string> {
  return sortLabels({
    ...svc.labels,
    nodata: 'true',
    service: svc.name,
    [subject.kind]: subject.name,
    team: svc.team,
    severity: subject.settings?.severity ?? DEFAULT_NODATA_SEVERITY,
    remediation: subject.remediation,
  });
}

/**
 * A recording carrying every label, then the alert reading it. Prometheus expands each static
 * alert label and annotation as a template at every evaluation of a firing alert; no-data alerts
 * fire wherever inputs are missing (most of every promtool scenario), so the labels ride on the
 * recorded series and the alert keeps one static label, enough for promtool's duplicate check.
 */
function noDataRules(svc: Service, subject: NoDataSubject, ctx: RuleContext): Rule[] {
  if (subject.settings?.enabled === false || subject.inputs.length === 0) return [];
  const window = subject.settings?.for ?? DEFAULT_NODATA_FOR;
  const what = subject.kind === 'slo' ? 'SLO' : 'threshold';
  const record: RecordingRule = {
    record: NODATA_RECORD,
    // The window does the waiting: absent_over_time fires exactly `window` after the last sample,
    // whether the target went stale or simply stopped exporting the metric.
    expr: noDataExpr(subject.inputs, window),
    labels: noDataLabels(svc, subject),
  };
  const alert: AlertingRule = {
    alert: NODATA_ALERTS[subject.kind],
    expr: `${NODATA_RECORD}${matcherText({ service: svc.name, [subject.kind]: subject.name })}`,
    labels: { [subject.kind]: subject.name },
    annotations: sortLabels({
      summary: `${svc.name} ${subject.name}: no data for ${window}`,
      description:
        `The ${svc.name} ${subject.name} ${what} has had no input for ${window}, so its alerts cannot fire. ` +
        `Missing: ${subject.inputs.join(', ')}. Check that the targets are up and still export these series.`,
      dashboard: ctx.dashboardUrl,
      runbook_url: subject.runbook,
    }),
  };
  return [record, alert];
}

export function sloNoDataRules(svc: Service, slo: Slo, ctx: RuleContext): Rule[] {
  if (slo.alerting?.enabled === false) return [];
  return noDataRules(svc, { kind: 'slo', name: slo.name, inputs: sloInputs(slo), settings: slo.alerting?.noData, runbook: slo.alerting?.runbook, remediation: slo.alerting?.remediation }, ctx);
}

export function thresholdNoDataRules(svc: Service, th: Threshold, ctx: RuleContext): Rule[] {
  return noDataRules(svc, { kind: 'threshold', name: th.name, inputs: thresholdInputs(th), settings: th.noData, runbook: th.runbook, remediation: th.remediation }, ctx);
}

/** One group per service: these rules read raw series only, each alert right after its recording. */
export function noDataRuleGroup(svc: Service, ctx: RuleContext): RuleGroup | undefined {
  const rules = [
    ...(svc.slos ?? []).flatMap((slo) => sloNoDataRules(svc, slo, ctx)),
    ...(svc.thresholds ?? []).flatMap((th) => thresholdNoDataRules(svc, th, ctx)),
  ];
  return rules.length > 0 ? { name: `sloforge-${svc.name}-nodata`, rules } : undefined;
}
