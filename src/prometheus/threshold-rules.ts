// One rule group per threshold: the measured value is recorded once (dashboards read it, and
// promtool tests can drive it), derived series follow, then the warning and critical alerts.
// Both alerts fire above the critical level; Alertmanager's inhibition silences the warning
// twin, so no gap opens while the critical alert is still pending.
import type { Service, Threshold } from '../config/schema/config.js';
import { formatDuration, parseDuration, HOUR_MS } from '../config/duration.js';
import { formatSelector, parseSelector, type Selector } from '../promql/parse.js';
import { leMatcher } from './sli.js';
import { formatNumber } from './number.js';
import { matcherText, sortLabels, type AlertingRule, type RecordingRule, type RuleGroup } from './rules.js';
import type { RuleContext } from './slo-rules.js';
import type { Severity } from './windows.js';
import type { ThresholdKind } from '../config/schema/threshold.js';

export const THRESHOLD_ALERTS = { critical: 'ThresholdCritical', warning: 'ThresholdWarning' } as const;

export const THRESHOLD_RECORD = {
  value: 'threshold:value',
  predicted: 'threshold:value:predict_linear',
  mean: (b: string) => `threshold:value:avg_over_time${b}`,
  stddev: (b: string) => `threshold:value:stddev_over_time${b}`,
  zscore: 'threshold:value:zscore',
} as const;

export const DEFAULT_RATE_WINDOW = '5m';
export const DEFAULT_PREDICT_WINDOW = '1h';
export const DEFAULT_BASELINE = '1d';

export function thresholdKind(th: Threshold): ThresholdKind {
  if (th.percentile) return 'percentile';
  if (th.ratio) return 'ratio';
  if (th.predict) return 'predict';
  if (th.anomaly) return 'anomaly';
  return 'expr';
}

/** Labels the threshold's recorded series (and so its alerts) carry. */
export function thresholdLabels(svc: Service, th: Threshold): Record<string, string> {
  return sortLabels({ ...svc.labels, service: svc.name, threshold: th.name, team: svc.team });
}

export function thresholdSelector(svc: Service, th: Threshold): string {
  return matcherText({ service: svc.name, threshold: th.name });
}

function sel(text: string): Selector {
  const s = parseSelector(text);
  if (typeof s === 'string') throw new Error(`selector was not validated: ${text}`);
  return s;
}

/** A histogram's `_bucket`, `_count`... series with the user's matchers. */
export function histogramPart(histogram: string, suffix: string, extra: Selector['matchers'] = []): Selector {
  const h = sel(histogram);
  return { metric: `${h.metric}${suffix}`, matchers: [...h.matchers, ...extra] };
}

const sumRate = (s: Selector, w: string) => `sum(rate(${formatSelector(s)}[${w}]))`;

/** PromQL of the value a threshold compares with its levels, before any derivation. */
export function measuredExpr(th: Threshold): string {
  if (th.percentile) {
    const p = th.percentile;
    const w = p.window ?? DEFAULT_RATE_WINDOW;
    return `histogram_quantile(${formatNumber(p.quantile)}, sum by (le) (rate(${formatSelector(histogramPart(p.histogram, '_bucket'))}[${w}])))`;
  }
  if (th.ratio) {
    const r = th.ratio;
    const w = r.window ?? DEFAULT_RATE_WINDOW;
    if (r.histogram !== undefined) {
      const fast = histogramPart(r.histogram, '_bucket', [{ name: 'le', op: '=~', value: leMatcher(r.slowerThan!) }]);
      return `(\n  1 - (${sumRate(fast, w)} or vector(0))\n  /\n  ${sumRate(histogramPart(r.histogram, '_count'), w)}\n) * 100`;
    }
    // A numerator such as errors may not exist before the first one: read it as 0.
    return `(${sumRate(sel(r.numerator!), w)} or vector(0))\n/\n${sumRate(sel(r.denominator!), w)}\n* 100`;
  }
  if (th.predict) return th.predict.series;
  if (th.anomaly) return th.anomaly.series;
  return th.expr!;
}

export interface AnomalyPlan {
  baseline: string;
  baselineMs: number;
  minBaselineMs: number;
  /** Reference window for the readiness check: the baseline is ready when it holds minBaseline/ref times its sample count. */
  refMs: number;
}

export function anomalyPlan(th: Threshold): AnomalyPlan {
  const baselineMs = parseDuration(th.anomaly!.baseline ?? DEFAULT_BASELINE)!;
  const minBaselineMs = th.anomaly!.minBaseline !== undefined ? parseDuration(th.anomaly!.minBaseline)! : baselineMs / 2;
  const refMs = Math.min(HOUR_MS, Math.floor(minBaselineMs / 2 / 1000) * 1000);
  return { baseline: formatDuration(baselineMs), baselineMs, minBaselineMs, refMs };
}

/** Recordings in evaluation order, and the series name the alerts compare. */
export function thresholdRecordings(svc: Service, th: Threshold): { rules: RecordingRule[]; compared: string } {
  const labels = thresholdLabels(svc, th);
  const s = thresholdSelector(svc, th);
  const value = `${THRESHOLD_RECORD.value}${s}`;
  const rules: RecordingRule[] = [{ record: THRESHOLD_RECORD.value, expr: measuredExpr(th), labels }];
  if (th.predict) {
    const w = th.predict.window ?? DEFAULT_PREDICT_WINDOW;
    const horizonS = parseDuration(th.predict.horizon)! / 1000;
    rules.push({ record: THRESHOLD_RECORD.predicted, expr: `predict_linear(${value}[${w}], ${horizonS})`, labels });
    return { rules, compared: THRESHOLD_RECORD.predicted };
  }
  if (th.anomaly) {
    const plan = anomalyPlan(th);
    const b = plan.baseline;
    const ratio = formatNumber(plan.minBaselineMs / plan.refMs);
    rules.push(
      { record: THRESHOLD_RECORD.mean(b), expr: `avg_over_time(${value}[${b}])`, labels },
      { record: THRESHOLD_RECORD.stddev(b), expr: `stddev_over_time(${value}[${b}])`, labels },
      {
        record: THRESHOLD_RECORD.zscore,
        // A flat history has no spread (no score), and a young one is mostly noise: both stay silent.
        expr:
          `(${value} - ${THRESHOLD_RECORD.mean(b)}${s})\n/\n(${THRESHOLD_RECORD.stddev(b)}${s} > 0)\n` +
          `and\ncount_over_time(${value}[${b}]) >= ${ratio} * count_over_time(${value}[${formatDuration(plan.refMs)}])`,
        labels,
      },
    );
    return { rules, compared: THRESHOLD_RECORD.zscore };
  }
  return { rules, compared: THRESHOLD_RECORD.value };
}

export function unitSuffix(unit: string | undefined): string {
  if (unit === undefined || unit === '') return '';
  if (unit === 'percent' || unit === '%') return '%';
  if (unit === 'seconds' || unit === 's') return ' s';
  return ` ${unit}`;
}

/** The alert condition on the compared series for one level. */
export function levelCondition(th: Threshold, compared: string, level: number): string {
  const below = (th.direction ?? 'above') === 'below';
  // An anomaly's levels are scores; "below" means a drop of that many standard deviations.
  const bound = th.anomaly && below ? -level : level;
  return `${compared} ${below ? '<' : '>'} ${formatNumber(bound)}`;
}

function describeCondition(th: Threshold, level: number): string {
  const dir = th.direction ?? 'above';
  const u = unitSuffix(th.unit);
  const lv = `${formatNumber(level)}${u}`;
  if (th.percentile) return `p${formatNumber(th.percentile.quantile * 100)} ${dir} ${lv}`;
  if (th.predict) return `forecast to ${dir === 'above' ? 'rise above' : 'fall below'} ${lv} within ${th.predict.horizon}`;
  if (th.anomaly) return `${formatNumber(level)} standard deviations ${dir} its ${anomalyPlan(th).baseline} mean`;
  return `${dir} ${lv}`;
}

function thresholdAlert(svc: Service, th: Threshold, sev: Severity, level: number, compared: string, ctx: RuleContext): AlertingRule {
  const s = thresholdSelector(svc, th);
  // remediation is always set: "" removes a remediation label the expression's series may carry.
  const labels = sortLabels({ severity: sev, service: svc.name, threshold: th.name, team: svc.team, remediation: th.remediation ?? '' });
  const levels = [
    th.warning !== undefined ? `warning ${formatNumber(th.warning)}` : undefined,
    th.critical !== undefined ? `critical ${formatNumber(th.critical)}` : undefined,
  ].filter(Boolean).join(', ');
  const what = th.description ? `${th.description}. ` : '';
  const shown = th.anomaly
    ? 'z-score {{ $value | printf "%.2f" }}'
    : `${th.predict ? 'forecast' : 'value'} {{ $value | humanize }}${unitSuffix(th.unit)}`;
  const annotations = sortLabels({
    summary: `${svc.name} ${th.name}: ${describeCondition(th, level)} (${sev})`,
    description: `${what}${svc.name} ${th.name} is ${describeCondition(th, level)}${th.for ? ` for ${th.for}` : ''}: ${shown} (levels: ${levels}).`,
    dashboard: ctx.dashboardUrl,
    runbook_url: th.runbook,
  });
  // Key order as Prometheus documents it: alert, expr, for, keep_firing_for, labels, annotations.
  const rule: AlertingRule = { alert: THRESHOLD_ALERTS[sev], expr: levelCondition(th, `${compared}${s}`, level) } as AlertingRule;
  if (th.for !== undefined && parseDuration(th.for)! > 0) rule.for = th.for;
  if (th.keepFiringFor !== undefined && parseDuration(th.keepFiringFor)! > 0) rule.keep_firing_for = th.keepFiringFor;
  rule.labels = labels;
  rule.annotations = annotations;
  return rule;
}

export function thresholdGroupName(svc: Service, th: Threshold): string {
  return `sloforge-${svc.name}-threshold-${th.name}`;
}

export function thresholdRuleGroup(svc: Service, th: Threshold, ctx: RuleContext): RuleGroup {
  const { rules, compared } = thresholdRecordings(svc, th);
  const alerts: AlertingRule[] = [];
  if (th.warning !== undefined) alerts.push(thresholdAlert(svc, th, 'warning', th.warning, compared, ctx));
  if (th.critical !== undefined) alerts.push(thresholdAlert(svc, th, 'critical', th.critical, compared, ctx));
  return { name: thresholdGroupName(svc, th), rules: [...rules, ...alerts] };
}
