// One rule group per threshold: the measured value is recorded once (dashboards read it, and
// promtool tests can drive it), derived series follow, then the warning and critical alerts.
// Both alerts fire above the critical level; Alertmanager's inhibition silences the warning
// twin, so no gap opens while the critical alert is still pending.
import { formatDuration } from '../config/duration.js';
import { LABEL, THRESHOLD_ALERTS, THRESHOLD_RECORD, thresholdGroupName, type Severity } from '../conventions.js';
import type { ServiceModel, ThresholdModel } from '../model/types.js';
import { formatSelector, type Selector } from '../promql/parse.js';
import { bucketAt, histogramPart } from '../promql/histogram.js';
import { formatNumber } from '../promql/number.js';
import { matcherText, sortLabels } from '../promql/labels.js';
import type { AlertingRule, RecordingRule, RuleGroup } from './rules.js';

/** `{service="...",threshold="..."}`: how every rule of a threshold selects its own series. */
export function thresholdSelector(svc: ServiceModel, th: ThresholdModel): string {
  return matcherText({ [LABEL.service]: svc.name, [LABEL.threshold]: th.name });
}

const sumRate = (s: Selector, w: string) => `sum(rate(${formatSelector(s)}[${w}]))`;

/** PromQL of the value a threshold compares with its levels, before any derivation. */
export function measuredExpr(th: ThresholdModel): string {
  const m = th.measure;
  switch (m.kind) {
    case 'percentile':
      return `histogram_quantile(${formatNumber(m.quantile)}, sum by (le) (rate(${formatSelector(histogramPart(m.histogram, '_bucket'))}[${m.window}])))`;
    case 'ratio':
      if (m.form === 'histogram') {
        return `(\n  1 - (${sumRate(bucketAt(m.histogram, m.slowerThan), m.window)} or vector(0))\n  /\n  ${sumRate(histogramPart(m.histogram, '_count'), m.window)}\n) * 100`;
      }
      // A numerator such as errors may not exist before the first one: read it as 0.
      return `(${sumRate(m.numerator, m.window)} or vector(0))\n/\n${sumRate(m.denominator, m.window)}\n* 100`;
    case 'predict':
    case 'anomaly':
      return m.series;
    case 'expr':
      return m.expr;
  }
}

/** Recordings in evaluation order; the last one is the series the alerts compare. */
export function thresholdRecordings(svc: ServiceModel, th: ThresholdModel): RecordingRule[] {
  const { labels } = th;
  const s = thresholdSelector(svc, th);
  const value = `${THRESHOLD_RECORD.value}${s}`;
  const rules: RecordingRule[] = [{ record: THRESHOLD_RECORD.value, expr: measuredExpr(th), labels }];
  const m = th.measure;
  if (m.kind === 'predict') {
    rules.push({ record: THRESHOLD_RECORD.predicted, expr: `predict_linear(${value}[${m.window}], ${m.horizonMs / 1000})`, labels });
  } else if (m.kind === 'anomaly') {
    const b = m.plan.baseline;
    const ratio = formatNumber(m.plan.minBaselineMs / m.plan.refMs);
    rules.push(
      { record: THRESHOLD_RECORD.mean(b), expr: `avg_over_time(${value}[${b}])`, labels },
      { record: THRESHOLD_RECORD.stddev(b), expr: `stddev_over_time(${value}[${b}])`, labels },
      {
        record: THRESHOLD_RECORD.zscore,
        // A flat history has no spread (no score), and a young one is mostly noise: both stay silent.
        expr:
          `(${value} - ${THRESHOLD_RECORD.mean(b)}${s})\n/\n(${THRESHOLD_RECORD.stddev(b)}${s} > 0)\n` +
          `and\ncount_over_time(${value}[${b}]) >= ${ratio} * count_over_time(${value}[${formatDuration(m.plan.refMs)}])`,
        labels,
      },
    );
  }
  return rules;
}

export function unitSuffix(unit: string | undefined): string {
  if (unit === undefined || unit === '') return '';
  if (unit === 'percent' || unit === '%') return '%';
  if (unit === 'seconds' || unit === 's') return ' s';
  return ` ${unit}`;
}

/** The alert condition on the compared series for one level. */
export function levelCondition(th: ThresholdModel, compared: string, level: number): string {
  const below = th.direction === 'below';
  // An anomaly's levels are scores; "below" means a drop of that many standard deviations.
  const bound = th.measure.kind === 'anomaly' && below ? -level : level;
  return `${compared} ${below ? '<' : '>'} ${formatNumber(bound)}`;
}

function describeCondition(th: ThresholdModel, level: number): string {
  const dir = th.direction;
  const lv = `${formatNumber(level)}${unitSuffix(th.unit)}`;
  const m = th.measure;
  if (m.kind === 'percentile') return `p${formatNumber(m.quantile * 100)} ${dir} ${lv}`;
  if (m.kind === 'predict') return `forecast to ${dir === 'above' ? 'rise above' : 'fall below'} ${lv} within ${m.horizon}`;
  if (m.kind === 'anomaly') return `${formatNumber(level)} standard deviations ${dir} its ${m.plan.baseline} mean`;
  return `${dir} ${lv}`;
}

function thresholdAlert(svc: ServiceModel, th: ThresholdModel, sev: Severity, level: number): AlertingRule {
  const s = thresholdSelector(svc, th);
  // remediation is always set: "" removes a remediation label the expression's series may carry.
  const labels = sortLabels({ severity: sev, service: svc.name, threshold: th.name, team: svc.team, remediation: th.remediation ?? '' });
  const levels = [
    th.warning !== undefined ? `warning ${formatNumber(th.warning)}` : undefined,
    th.critical !== undefined ? `critical ${formatNumber(th.critical)}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const what = th.description ? `${th.description}. ` : '';
  const shown =
    th.measure.kind === 'anomaly'
      ? 'z-score {{ $value | printf "%.2f" }}'
      : `${th.measure.kind === 'predict' ? 'forecast' : 'value'} {{ $value | humanize }}${unitSuffix(th.unit)}`;
  const annotations = sortLabels({
    summary: `${svc.name} ${th.name}: ${describeCondition(th, level)} (${sev})`,
    description: `${what}${svc.name} ${th.name} is ${describeCondition(th, level)}${th.for ? ` for ${th.for}` : ''}: ${shown} (levels: ${levels}).`,
    dashboard: svc.dashboardUrl,
    runbook_url: th.runbook,
  });
  // Key order as Prometheus documents it: alert, expr, for, keep_firing_for, labels, annotations.
  const rule: AlertingRule = { alert: THRESHOLD_ALERTS[sev], expr: levelCondition(th, `${th.compared}${s}`, level) } as AlertingRule;
  if (th.forMs > 0) rule.for = th.for!;
  if (th.keepFiringForMs > 0) rule.keep_firing_for = th.keepFiringFor!;
  rule.labels = labels;
  rule.annotations = annotations;
  return rule;
}

export function thresholdRuleGroup(svc: ServiceModel, th: ThresholdModel): RuleGroup {
  const alerts: AlertingRule[] = [];
  if (th.warning !== undefined) alerts.push(thresholdAlert(svc, th, 'warning', th.warning));
  if (th.critical !== undefined) alerts.push(thresholdAlert(svc, th, 'critical', th.critical));
  return { name: thresholdGroupName(svc.name, th.name), rules: [...thresholdRecordings(svc, th), ...alerts] };
}
