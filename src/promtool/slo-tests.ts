// promtool tests proving each SLO's burn-rate alerts: a total outage pages within the Workbook's
// bound and resets, healthy traffic stays quiet, a sustained 2x burn opens a ticket but never
// pages, and no traffic raises nothing.
import { MINUTE_MS } from '../config/duration.js';
import type { Severity } from '../conventions.js';
import { labelText, matcherText, sortLabels } from '../promql/labels.js';
import type { ServiceModel, SloModel, SloPlan } from '../model/types.js';
import type { AlertingRule } from '../prometheus/rules.js';
import { selectorMatches } from '../promql/match.js';
import type { Selector } from '../promql/parse.js';
import { inventSeries, seriesText, type ConcreteSeries } from '../promql/series.js';
import type { AlertRuleTest, PromqlExprTest, TestGroup } from './file.js';
import { at, counterValues, TEST_INTERVAL_MS, type Phase } from './notation.js';

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

/** Validation has proven the SLI's series can be invented (config/validate/test-series.ts). */
function invent(match: Selector[], avoid: Selector | undefined): ConcreteSeries {
  const s = inventSeries(match, avoid);
  if (typeof s === 'string') throw new Error(`sloforge bug: validation let through an SLI no series can feed: ${s}`);
  return s;
}

function sliRoles(slo: SloModel): Role[] {
  const { bad, good, total } = slo.sli;
  const errors = (p: Phase) => p.errors;
  const goods = (p: Phase) => p.total - p.errors;
  const all = (p: Phase) => p.total;
  const part = bad ?? good!;
  const partStep = bad ? errors : goods;
  const restStep = bad ? goods : errors;
  if (part.metric === total.metric) {
    return [
      { series: invent([part, total], undefined), step: partStep },
      { series: invent([total], part), step: restStep },
    ];
  }
  return [
    { series: invent([part], undefined), step: partStep },
    { series: invent([total], undefined), step: all },
  ];
}

const minutes = (ms: number) => Math.round(ms / MINUTE_MS);

interface Context {
  svc: ServiceModel;
  slo: SloModel;
  plan: SloPlan;
  roles: Role[];
  alerts: AlertingRule[];
  /** Other SLOs of the service read these series too: assert on ALERTS filtered by SLO instead. */
  shared: boolean;
}

function inputSeries(ctx: Context, phases: Phase[]) {
  return ctx.roles.map((r) => ({ series: seriesText(r.series), values: counterValues(phases, r.step) }));
}

/** Raw input series that drive an SLO's SLI through `phases` (for benchmarks and custom tests). */
export function sliInputSeries(slo: SloModel, phases: Phase[]) {
  return sliRoles(slo).map((r) => ({ series: seriesText(r.series), values: counterValues(phases, r.step) }));
}

function expectAlerts(ctx: Context, evalMs: number, firing: readonly Severity[], asserted: readonly Severity[]): { alert: AlertRuleTest[]; expr: PromqlExprTest[] } {
  const out = { alert: [] as AlertRuleTest[], expr: [] as PromqlExprTest[] };
  for (const rule of ctx.alerts) {
    if (!asserted.includes(rule.labels.severity as Severity)) continue;
    const sev = rule.labels.severity as Severity;
    // An empty label value (remediation="") means "no such label" on the alert.
    const labels = Object.fromEntries(Object.entries({ ...ctx.slo.labels, ...rule.labels }).filter(([, v]) => v !== ''));
    const on = firing.includes(sev);
    if (ctx.shared) {
      const sel = `ALERTS${matcherText({ alertname: rule.alert, service: ctx.svc.name, slo: ctx.slo.name, alertstate: 'firing' })}`;
      const text = labelText({ __name__: 'ALERTS', alertname: rule.alert, alertstate: 'firing', ...labels });
      out.expr.push({ expr: sel, eval_time: at(evalMs), exp_samples: on ? [{ labels: text, value: 1 }] : [] });
    } else {
      out.alert.push({
        eval_time: at(evalMs),
        alertname: rule.alert,
        exp_alerts: on ? [{ exp_labels: sortLabels(labels), exp_annotations: rule.annotations }] : [],
      });
    }
  }
  return out;
}

const BOTH: readonly Severity[] = ['critical', 'warning'];

/** A scenario; `asserted` names the tiers it makes claims about (the others may do as they like). */
function group(ctx: Context, name: string, phases: Phase[], checks: Array<[number, Severity[]]>, asserted = BOTH): TestGroup {
  const alert: AlertRuleTest[] = [];
  const expr: PromqlExprTest[] = [];
  for (const [t, firing] of checks) {
    const e = expectAlerts(ctx, t, firing, asserted);
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

export function sloTests(svc: ServiceModel, slo: SloModel, alerts: AlertingRule[]): SloTests {
  if (alerts.length === 0) return { minutes: [], days: [] };
  const plan = slo.plan;
  const roles = sliRoles(slo);
  const otherInputs = svc.slos.filter((o) => o !== slo).flatMap((o) => [o.sli.bad, o.sli.good, o.sli.total].filter((s): s is Selector => s !== undefined));
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
    // Only the page tier is asserted during the outage: the ticket tier may rightly open too.
    ['critical'],
  );

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
  return { minutes: [outage, idle], days: [quiet, slowBurn] };
}
