// One rule group per SLO: recordings first, then the alerts that read them, so each alert sees
// this evaluation's recordings rather than the previous one's.
import { formatDuration, DAY_MS } from '../config/duration.js';
import { ALERT_NAMES, LABEL, RECORD, groupDashboardUrl, sloGroupName } from '../conventions.js';
import type { ServiceModel, SloModel, SloPlan } from '../model/types.js';
import type { AlertTier } from '../model/windows.js';
import { formatNumber } from '../promql/number.js';
import { matcherText, sortLabels } from '../promql/labels.js';
import { aggregate, sliQueries } from './sli.js';
import type { AlertingRule, RecordingRule, RuleGroup } from './rules.js';

/**
 * Which windows read the raw counters. `derived` (the default) reads only those that decide
 * page timing; `raw` reads every window from the counters, as peer generators do. The
 * benchmarks compare the two; users have no reason to change it.
 */
export type WindowSource = 'derived' | 'raw';

/** `{service="...",slo="..."}`: how every rule of an SLO selects its own series. */
export function sloSelector(svc: ServiceModel, slo: SloModel): string {
  return matcherText({ [LABEL.service]: svc.name, [LABEL.slo]: slo.name });
}

function tierExpr(tier: AlertTier, sel: string, budget: string): string {
  const burn = (w: number, factor: number) => `${RECORD.ratio(formatDuration(w))}${sel} / ${budget} > ${formatNumber(factor)}`;
  return tier.pairs.map((p) => `(\n  ${burn(p.long, p.factor)}\nand\n  ${burn(p.short, p.factor)}\n)`).join('\nor\n');
}

/**
 * A grouped SLO's alert names its group: each label as a template Prometheus fills from the
 * alert's series (` (route="/cart")`); nothing for one SLI over every series.
 */
export function groupText(groupBy: readonly string[]): string {
  if (groupBy.length === 0) return '';
  return ` (${groupBy.map((l) => `${l}="{{ $labels.${l} }}"`).join(', ')})`;
}

function describeTier(tier: AlertTier): string {
  return tier.pairs
    .map((p) => `${formatNumber(p.factor)}x over ${formatDuration(p.long)} (confirmed over ${formatDuration(p.short)})`)
    .join(', or ');
}

export function sloRuleGroup(svc: ServiceModel, slo: SloModel, windows: WindowSource = 'derived'): RuleGroup {
  const { plan, labels } = slo;
  const q = sliQueries(slo.sli, slo);
  const sel = sloSelector(svc, slo);
  const budget = formatNumber(plan.budget);
  const raw = new Set(windows === 'raw' ? plan.windows : plan.rawWindows);
  const b = plan.base;

  const rules: RecordingRule[] = [
    { record: RECORD.total(b), expr: q.totalRate(b), labels },
    { record: RECORD.errors(b), expr: q.errorRateGivenTotal(b, aggregate(slo.groupBy, `${RECORD.total(b)}${sel}`)), labels },
    { record: RECORD.ratio(b), expr: `${RECORD.errors(b)}${sel}\n/\n${RECORD.total(b)}${sel}`, labels },
  ];
  for (const ms of plan.windows) {
    const w = formatDuration(ms);
    if (w === b) continue;
    const expr = raw.has(ms)
      ? q.errorRatio(w)
      : `sum_over_time(${RECORD.errors(b)}${sel}[${w}])\n/\nsum_over_time(${RECORD.total(b)}${sel}[${w}])`;
    rules.push({ record: RECORD.ratio(w), expr, labels });
  }
  rules.push(
    { record: RECORD.objective, expr: `vector(${formatNumber(slo.objective / 100)})`, labels },
    { record: RECORD.errorBudget, expr: `vector(${budget})`, labels },
    { record: RECORD.periodDays, expr: `vector(${formatNumber(plan.periodMs / DAY_MS)})`, labels },
    { record: RECORD.currentBurnRate, expr: `${RECORD.ratio(b)}${sel} / ${budget}`, labels },
    { record: RECORD.periodBurnRate, expr: `${RECORD.ratio(plan.period)}${sel} / ${budget}`, labels },
    { record: RECORD.budgetRemaining, expr: `1 - ${RECORD.ratio(plan.period)}${sel} / ${budget}`, labels },
  );

  // A tier switched off loses its alert, never its recordings: dashboards and the other tier read them.
  const alerts: AlertingRule[] = plan.tiers
    .filter((tier) => slo.alerting.severities.includes(tier.severity))
    .flatMap((tier) => tierAlerts(svc, slo, plan, tier, sel, budget));
  return { name: sloGroupName(svc.name, slo.name), rules: [...rules, ...alerts] };
}

/**
 * A tier's alerts. The one people get names the remediation only on the page tier: a ticket that
 * named it would be exempt from inhibition (it must reach the receiver), and would reach a person
 * next to the page of the same incident. A ticket tier that starts the remediation gets a second
 * alert, with the remediation, which Alertmanager routes to the receiver alone (alertmanager/routes.ts).
 */
function tierAlerts(svc: ServiceModel, slo: SloModel, plan: SloPlan, tier: AlertTier, sel: string, budget: string): AlertingRule[] {
  const bound = slo.alerting.remediationSeverities.includes(tier.severity) ? slo.alerting.remediation! : '';
  if (tier.severity === 'critical') return [sloAlert(svc, slo, plan, tier, sel, budget, bound)];
  return [sloAlert(svc, slo, plan, tier, sel, budget, ''), ...(bound ? [sloAlert(svc, slo, plan, tier, sel, budget, bound)] : [])];
}

function sloAlert(
  svc: ServiceModel,
  slo: SloModel,
  plan: SloPlan,
  tier: AlertTier,
  sel: string,
  budget: string,
  remediation: string,
): AlertingRule {
  const objective = `${formatNumber(slo.objective)}%`;
  const fast = tier.severity === 'critical';
  const spent = formatNumber(tier.pairs[0].budgetShare * 100);
  const labels = sortLabels({
    ...slo.alerting.labels,
    severity: tier.severity,
    // Also on the series, but static labels make each rule unique to promtool's duplicate check.
    service: svc.name,
    slo: slo.name,
    team: svc.team,
    // Always set: "" removes a remediation label an input series could otherwise pass through.
    remediation,
  });
  const what = slo.description ? `${slo.description}. ` : '';
  const annotations = sortLabels({
    summary: `${svc.name} ${slo.name}${groupText(slo.groupBy)}: error budget burning ${fast ? 'fast' : 'steadily'} (${objective} over ${plan.period})`,
    description:
      `${what}The ${svc.name} ${slo.name} SLO (${objective} over ${plan.period}, budget ${formatNumber(plan.budget * 100)}% errors) ` +
      `is failing faster than its budget allows: burn rate above ${describeTier(tier)}. ` +
      `At the first rate ${spent}% of the ${plan.period} budget is gone within ${formatDuration(tier.pairs[0].long)}.`,
    dashboard: svc.dashboardUrl === undefined ? undefined : groupDashboardUrl(svc.dashboardUrl, slo.groupBy),
    objective,
    runbook_url: slo.alerting.runbook,
  });
  return { alert: ALERT_NAMES[tier.severity], expr: tierExpr(tier, sel, budget), labels, annotations };
}
