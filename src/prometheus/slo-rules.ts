// One rule group per SLO: recordings first, then the alerts that read them, so each alert sees
// this evaluation's recordings rather than the previous one's.
import type { Service, Slo } from '../config/schema/config.js';
import { formatDuration, parseDuration, DAY_MS } from '../config/duration.js';
import { alertTiers, allWindows, baseWindow, rawWindows, type AlertTier } from './windows.js';
import { sliQueries } from './sli.js';
import { errorBudget, formatNumber } from './number.js';
import { matcherText, sortLabels, type AlertingRule, type RecordingRule, type RuleGroup } from './rules.js';

export const DEFAULT_PERIOD = '30d';

export const ALERT_NAMES = { critical: 'ErrorBudgetBurnFast', warning: 'ErrorBudgetBurnSlow' } as const;

export const RECORD = {
  errors: (w: string) => `slo:sli_errors:rate${w}`,
  total: (w: string) => `slo:sli_total:rate${w}`,
  ratio: (w: string) => `slo:sli_error:ratio_rate${w}`,
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  periodDays: 'slo:time_period:days',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

export interface SloPlan {
  periodMs: number;
  period: string;
  budget: number;
  tiers: [AlertTier, AlertTier];
  base: string;
}

export function sloPlan(slo: Slo): SloPlan {
  const period = slo.period ?? DEFAULT_PERIOD;
  const periodMs = parseDuration(period)!;
  const tiers = alertTiers(periodMs);
  return { periodMs, period: formatDuration(periodMs), budget: errorBudget(slo.objective), tiers, base: formatDuration(baseWindow(tiers)) };
}

/** Labels every series and alert of an SLO carries. */
export function sloLabels(svc: Service, slo: Slo): Record<string, string> {
  return sortLabels({ ...svc.labels, service: svc.name, slo: slo.name, team: svc.team });
}

function tierExpr(tier: AlertTier, sel: string, budget: string): string {
  const burn = (w: number, factor: number) =>
    `${RECORD.ratio(formatDuration(w))}${sel} / ${budget} > ${formatNumber(factor)}`;
  return tier.pairs
    .map((p) => `(\n  ${burn(p.long, p.factor)}\nand\n  ${burn(p.short, p.factor)}\n)`)
    .join('\nor\n');
}

function describeTier(tier: AlertTier, plan: SloPlan): string {
  return tier.pairs
    .map((p) => `${formatNumber(p.factor)}x over ${formatDuration(p.long)} (confirmed over ${formatDuration(p.short)})`)
    .join(', or ');
}

export interface RuleContext {
  /** Link to the service's dashboard, put on every alert as the `dashboard` annotation. */
  dashboardUrl: string;
  /**
   * Which windows read the raw counters. `derived` (the default) reads only those that decide
   * page timing; `raw` reads every window from the counters, as peer generators do. The
   * benchmarks compare the two; users have no reason to change it.
   */
  windows?: 'derived' | 'raw';
}

export function sloRuleGroup(svc: Service, slo: Slo, ctx: RuleContext): RuleGroup {
  const plan = sloPlan(slo);
  const q = sliQueries(slo);
  const labels = sloLabels(svc, slo);
  const sel = matcherText({ service: svc.name, slo: slo.name });
  const budget = formatNumber(plan.budget);
  const raw = new Set(ctx.windows === 'raw' ? allWindows(plan.tiers, plan.periodMs) : rawWindows(plan.tiers));
  const b = plan.base;

  const rules: RecordingRule[] = [
    { record: RECORD.total(b), expr: q.totalRate(b), labels },
    { record: RECORD.errors(b), expr: q.errorRateGivenTotal(b, `sum(${RECORD.total(b)}${sel})`), labels },
    { record: RECORD.ratio(b), expr: `${RECORD.errors(b)}${sel}\n/\n${RECORD.total(b)}${sel}`, labels },
  ];
  for (const ms of allWindows(plan.tiers, plan.periodMs)) {
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

  const alerts: AlertingRule[] = slo.alerting?.enabled === false ? [] : plan.tiers.map((tier) => sloAlert(svc, slo, plan, tier, sel, budget, ctx));
  return { name: `sloforge-${svc.name}-${slo.name}`, rules: [...rules, ...alerts] };
}

function sloAlert(svc: Service, slo: Slo, plan: SloPlan, tier: AlertTier, sel: string, budget: string, ctx: RuleContext): AlertingRule {
  const objective = `${formatNumber(slo.objective)}%`;
  const fast = tier.severity === 'critical';
  const spent = formatNumber(tier.pairs[0].budgetShare * 100);
  const labels = sortLabels({
    ...slo.alerting?.labels,
    severity: tier.severity,
    // Also on the series, but static labels make each rule unique to promtool's duplicate check.
    service: svc.name,
    slo: slo.name,
    team: svc.team,
    // Always set: "" removes a remediation label an input series could otherwise pass through.
    remediation: slo.alerting?.remediation ?? '',
  });
  const what = slo.description ? `${slo.description}. ` : '';
  const annotations = sortLabels({
    summary: `${svc.name} ${slo.name}: error budget burning ${fast ? 'fast' : 'steadily'} (${objective} over ${plan.period})`,
    description:
      `${what}The ${svc.name} ${slo.name} SLO (${objective} over ${plan.period}, budget ${formatNumber(plan.budget * 100)}% errors) ` +
      `is failing faster than its budget allows: burn rate above ${describeTier(tier, plan)}. ` +
      `At the first rate ${spent}% of the ${plan.period} budget is gone within ${formatDuration(tier.pairs[0].long)}.`,
    dashboard: ctx.dashboardUrl,
    objective,
    runbook_url: slo.alerting?.runbook,
  });
  return { alert: ALERT_NAMES[tier.severity], expr: tierExpr(tier, sel, budget), labels, annotations };
}
