// promtool tests proving each SLO's burn-rate alerts: a total outage pages within the Workbook's
// bound and resets, healthy traffic stays quiet, a sustained 2x burn opens a ticket but never
// pages, and no traffic raises nothing.
import type { Service, Slo } from '../config/schema/config.js';
import { ConfigError, type ConfigPath } from '../config/errors.js';
import { formatDuration, MINUTE_MS } from '../config/duration.js';
import { sliQueries, type SliQueries } from '../prometheus/sli.js';
import { ALERT_NAMES, sloLabels, sloPlan, type SloPlan } from '../prometheus/slo-rules.js';
import type { AlertingRule } from '../prometheus/rules.js';
import { formatNumber } from '../prometheus/number.js';
import { selectorMatches } from '../promql/match.js';
import type { Selector } from '../promql/parse.js';
import { inventSeries, seriesText, type ConcreteSeries } from './series.js';
import { counterValues, type AlertRuleTest, type Phase, type PromqlExprTest, type TestGroup } from './file.js';

export const TEST_INTERVAL_MS = MINUTE_MS;
/**
 * Multi-day scenarios run at a 5m rule evaluation interval: every window is a traffic-weighted
 * sum, so the result is the same as at 1m, and promtool runs them 25 times faster.
 */
export const DAYS_EVALUATION_MS = 5 * MINUTE_MS;

export interface SloTests {
  /** Scenarios measured in minutes, evaluated every minute (detection and reset timing). */
  minutes: TestGroup[];
  /** Scenarios over days, evaluated every DAYS_EVALUATION_MS. */
  days: TestGroup[];
}
/** Events per minute in every scenario: large enough that budgets of 99.99% still see errors. */
const TRAFFIC = 1000;

interface Role {
  series: ConcreteSeries;
  step: (p: Phase) => number;
}

function invent(match: Selector[], avoid: Selector | undefined, path: ConfigPath): ConcreteSeries {
  const s = inventSeries(match, avoid);
  if (typeof s === 'string') {
    throw new ConfigError([{ path, message: `cannot build test series for this selector: ${s}` }]);
  }
  return s;
}

function sliRoles(slo: Slo, q: SliQueries, path: ConfigPath): Role[] {
  const { bad, good, total } = q.inputs;
  const errors = (p: Phase) => p.errors;
  const goods = (p: Phase) => p.total - p.errors;
  const all = (p: Phase) => p.total;
  const part = bad ?? good!;
  const partPath = slo.sli.latency ? [...path, 'sli', 'latency', 'histogram'] : [...path, 'sli', 'ratio', bad ? 'errors' : 'good'];
  const partStep = bad ? errors : goods;
  const restStep = bad ? goods : errors;
  if (part.metric === total.metric) {
    return [
      { series: invent([part, total], undefined, partPath), step: partStep },
      { series: invent([total], part, partPath), step: restStep },
    ];
  }
  return [
    { series: invent([part], undefined, partPath), step: partStep },
    { series: invent([total], undefined, [...path, 'sli', 'ratio', 'total']), step: all },
  ];
}

const at = (ms: number) => formatDuration(ms);
const minutes = (ms: number) => Math.round(ms / MINUTE_MS);

interface Context {
  svc: Service;
  slo: Slo;
  plan: SloPlan;
  roles: Role[];
  alerts: AlertingRule[];
  /** Other SLOs of the service read these series too: assert on ALERTS filtered by SLO instead. */
  shared: boolean;
}

function inputSeries(ctx: Context, phases: Phase[]) {
  return ctx.roles.map((r) => ({ series: seriesText(r.series), values: counterValues(phases, r.step, formatNumber) }));
}

/** Raw input series that drive an SLO's SLI through `phases` (for benchmarks and custom tests). */
export function sliInputSeries(slo: Slo, phases: Phase[], path: ConfigPath = []) {
  return sliRoles(slo, sliQueries(slo), path).map((r) => ({ series: seriesText(r.series), values: counterValues(phases, r.step, formatNumber) }));
}

function expectAlerts(ctx: Context, evalMs: number, firing: Array<'critical' | 'warning'>): { alert: AlertRuleTest[]; expr: PromqlExprTest[] } {
  const out = { alert: [] as AlertRuleTest[], expr: [] as PromqlExprTest[] };
  for (const rule of ctx.alerts) {
    const sev = rule.labels.severity as 'critical' | 'warning';
    // An empty label value (remediation="") means "no such label" on the alert.
    const labels = Object.fromEntries(Object.entries({ ...sloLabels(ctx.svc, ctx.slo), ...rule.labels }).filter(([, v]) => v !== ''));
    const on = firing.includes(sev);
    if (ctx.shared) {
      const sel = `ALERTS{alertname="${rule.alert}",service="${ctx.svc.name}",slo="${ctx.slo.name}",alertstate="firing"}`;
      const all = { __name__: 'ALERTS', alertname: rule.alert, alertstate: 'firing', ...labels };
      const text = `{${Object.keys(all).sort().map((k) => `${k}=${JSON.stringify(all[k as keyof typeof all])}`).join(',')}}`;
      out.expr.push({ expr: sel, eval_time: at(evalMs), exp_samples: on ? [{ labels: text, value: 1 }] : [] });
    } else {
      out.alert.push({
        eval_time: at(evalMs),
        alertname: rule.alert,
        exp_alerts: on ? [{ exp_labels: sortedCopy(labels), exp_annotations: rule.annotations }] : [],
      });
    }
  }
  return out;
}

function sortedCopy(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
}

function group(ctx: Context, name: string, phases: Phase[], checks: Array<[number, Array<'critical' | 'warning'>]>): TestGroup {
  const alert: AlertRuleTest[] = [];
  const expr: PromqlExprTest[] = [];
  for (const [t, firing] of checks) {
    const e = expectAlerts(ctx, t, firing);
    alert.push(...e.alert);
    expr.push(...e.expr);
  }
  const g: TestGroup = { name: `${ctx.svc.name}/${ctx.slo.name}: ${name}`, interval: at(TEST_INTERVAL_MS), input_series: inputSeries(ctx, phases) };
  if (alert.length > 0) g.alert_rule_test = alert;
  if (expr.length > 0) g.promql_expr_test = expr;
  return g;
}

/** The Workbook's floor for detecting a total outage: budget x factor x long window. */
export function outageDetectionFloorMs(plan: SloPlan): number {
  const p = plan.tiers[0].pairs[0];
  return plan.budget * p.factor * p.long;
}

export function sloTests(svc: Service, slo: Slo, alerts: AlertingRule[], others: readonly Slo[], path: ConfigPath): SloTests {
  if (alerts.length === 0) return { minutes: [], days: [] };
  const plan = sloPlan(slo);
  const q = sliQueries(slo);
  const roles = sliRoles(slo, q, path);
  const otherInputs = others.flatMap((o) => Object.values(sliQueries(o).inputs).filter((s): s is Selector => s !== undefined));
  const shared = roles.some((r) => otherInputs.some((sel) => selectorMatches(sel, r.series.metric, r.series.labels)));
  const ctx: Context = { svc, slo, plan, roles, alerts, shared };
  const [page, ticket] = plan.tiers;
  const b = plan.budget;
  const healthy = (m: number, burn = 0): Phase => ({ minutes: m, total: TRAFFIC, errors: TRAFFIC * b * burn });

  // Total outage after two hours of clean traffic.
  const warmup = 120;
  const detectMin = Math.ceil(outageDetectionFloorMs(plan) / MINUTE_MS) + 1;
  const outageMin = detectMin + 10;
  const resetMin = minutes(page.pairs[1].short) + 2;
  const outageStart = warmup * MINUTE_MS;
  const outageEnd = (warmup + outageMin) * MINUTE_MS;
  const outage = group(
    ctx,
    `total outage pages within ${detectMin}m and resets within ${resetMin}m of recovery`,
    [healthy(warmup), { minutes: outageMin, total: TRAFFIC, errors: TRAFFIC }, healthy(resetMin + 10)],
    [
      [outageStart, []],
      [outageStart + detectMin * MINUTE_MS, ['critical']],
      [outageEnd + resetMin * MINUTE_MS, []],
    ],
  );
  // Only the page tier is asserted during the outage: the ticket tier may rightly open too.
  const onlyPage = (g: TestGroup) => {
    g.alert_rule_test = g.alert_rule_test?.filter((t) => t.alertname === ALERT_NAMES.critical);
    g.promql_expr_test = g.promql_expr_test?.filter((t) => t.expr.includes(`"${ALERT_NAMES.critical}"`));
    if (g.alert_rule_test?.length === 0) delete g.alert_rule_test;
    if (g.promql_expr_test?.length === 0) delete g.promql_expr_test;
    return g;
  };

  const longest = ticket.pairs[1].long;
  const days = minutes(longest) + 60;
  const checkpoints = [page.pairs[0].long, page.pairs[1].long, ticket.pairs[0].long, longest, longest + 30 * MINUTE_MS];

  const quiet = group(ctx, 'healthy traffic (half the budget rate) raises nothing', [healthy(days, 0.5)], checkpoints.map((t) => [t, []]));
  const slowBurn = group(
    ctx,
    'a 2x burn sustained for days opens a ticket and never pages',
    [healthy(days, 2)],
    checkpoints.map((t) => [t, ['warning']]),
  );
  const idle = group(ctx, 'no traffic raises nothing', [{ minutes: 180, total: 0, errors: 0 }], [[60 * MINUTE_MS, []], [180 * MINUTE_MS, []]]);
  return { minutes: [onlyPage(outage), idle], days: [quiet, slowBurn] };
}
