// A threshold scenario: input series, the alert condition per step, and where to assert. Built
// into promtool tests only where the alert model is certain, then packed so that scenarios that
// cannot disturb one another share one promtool group (each group re-evaluates every rule).
import { LABEL, THRESHOLD_ALERTS, type Severity } from '../conventions.js';
import type { ServiceModel, ThresholdModel } from '../model/types.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { exprSelectors } from '../promql/reads.js';
import { selectorMatches } from '../promql/match.js';
import type { ConcreteSeries } from '../promql/series.js';
import { measuredExpr } from '../prometheus/threshold-rules.js';
import { firingStates, stableState, type Tri } from './alert-timeline.js';
import type { InputSeries, PromqlExprTest, TestGroup } from './file.js';
import { alertsTest, at, stepsOf } from './notation.js';

export interface Scenario {
  name: string;
  stepMs: number;
  inputs: InputSeries[];
  /** Condition per severity per evaluation. */
  cond: Partial<Record<Severity, Tri[]>>;
  /** Candidate evaluations to assert at (kept only where the model is certain). */
  candidates: number[];
  labels: Record<string, string>;
  extra?: (states: Partial<Record<Severity, Tri[]>>) => PromqlExprTest[];
}

/** One threshold's scenario, ready to share a promtool group with others that do not interfere. */
export interface Built {
  title: string;
  stepMs: number;
  inputs: InputSeries[];
  tests: PromqlExprTest[];
  /** Selectors the threshold's rules read: another scenario must not feed series they match. */
  reads: Selector[];
}

export function buildScenario(svc: ServiceModel, th: ThresholdModel, s: Scenario): Built | undefined {
  const forSteps = stepsOf(th.forMs, s.stepMs);
  const keepSteps = stepsOf(th.keepFiringForMs, s.stepMs);
  const states: Partial<Record<Severity, Tri[]>> = {};
  for (const sev of Object.keys(s.cond) as Severity[]) states[sev] = firingStates(s.cond[sev]!, forSteps, keepSteps);
  const tests: PromqlExprTest[] = [];
  const seen = new Set<number>();
  for (const i of [...s.candidates].sort((a, b) => a - b)) {
    if (seen.has(i)) continue;
    const certain = (Object.keys(states) as Severity[]).map((sev) => [sev, stableState(states[sev]!, i)] as const);
    if (certain.some(([, v]) => v === undefined)) continue;
    seen.add(i);
    for (const [sev, firing] of certain) {
      const labels: Record<string, string> = { ...s.labels, severity: sev, service: svc.name, threshold: th.name, team: svc.team };
      if (th.remediation) labels[LABEL.remediation] = th.remediation;
      else delete labels[LABEL.remediation];
      tests.push(alertsTest(THRESHOLD_ALERTS[sev], { service: svc.name, threshold: th.name }, labels, i * s.stepMs, firing === true));
    }
  }
  // A scenario whose timeline is too short for a certain state (a tiny minBaseline) proves nothing.
  if (tests.length === 0) return undefined;
  tests.push(...(s.extra?.(states) ?? []));
  const reads = exprSelectors(measuredExpr(th))
    .map((t) => parseSelector(t))
    .filter((x): x is Selector => typeof x !== 'string');
  return { title: `${th.name}: ${s.name}`, stepMs: s.stepMs, inputs: s.inputs, tests, reads };
}

function fedSeries(b: Built): ConcreteSeries[] {
  return b.inputs.flatMap((i) => {
    const sel = parseSelector(i.series);
    return typeof sel === 'string' ? [] : [{ metric: sel.metric, labels: Object.fromEntries(sel.matchers.map((m) => [m.name, m.value])) }];
  });
}

function interferes(a: Built, b: Built): boolean {
  const texts = new Set(a.inputs.map((i) => i.series));
  if (b.inputs.some((i) => texts.has(i.series))) return true;
  const hits = (fed: Built, reader: Built) => fedSeries(fed).some((f) => reader.reads.some((r) => selectorMatches(r, f.metric, f.labels)));
  return hits(a, b) || hits(b, a);
}

/**
 * Every promtool group evaluates the whole rule file at every step, so scenarios share groups
 * (first fit) wherever their inputs stay apart; assertions filter ALERTS by threshold.
 */
export function pack(svc: ServiceModel, built: readonly Built[]): TestGroup[] {
  const lanes: Built[][] = [];
  for (const b of built) {
    const lane = lanes.find((l) => l[0]!.stepMs === b.stepMs && l.every((o) => !interferes(o, b)));
    if (lane) lane.push(b);
    else lanes.push([b]);
  }
  return lanes.map((l) => ({
    name: `${svc.name} thresholds: ${l.map((b) => b.title).join('; ')}`,
    interval: at(l[0]!.stepMs),
    input_series: l.flatMap((b) => b.inputs),
    promql_expr_test: l.flatMap((b) => b.tests),
  }));
}
