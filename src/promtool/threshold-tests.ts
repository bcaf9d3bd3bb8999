// promtool tests proving each threshold's alerts and each no-data alert. Inputs are the series
// the user's selectors match (shorthands) or the recorded threshold:value (free-form `expr`,
// whose inputs cannot be inverted in general). The expected states come from a model of the
// rule (see alert-timeline.ts); tests assert only where that model is certain.
import type { Service, Threshold } from '../config/schema/config.js';
import { ConfigError, type ConfigPath } from '../config/errors.js';
import { formatDuration, parseDuration, MINUTE_MS } from '../config/duration.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { selectorMatches } from '../promql/match.js';
import { parser } from '@prometheus-io/lezer-promql';
import { formatNumber } from '../prometheus/number.js';
import {
  anomalyPlan, DEFAULT_PREDICT_WINDOW, DEFAULT_RATE_WINDOW, histogramPart, measuredExpr, thresholdKind, thresholdLabels,
  thresholdSelector, THRESHOLD_ALERTS, THRESHOLD_RECORD,
} from '../prometheus/threshold-rules.js';
import {
  exprSelectors, NODATA_ALERTS, noDataAlertLabels, noDataTiming, sloInputs, thresholdInputs, type NoDataSettings,
} from '../prometheus/nodata.js';
import type { Severity } from '../prometheus/windows.js';
import { inventSeries, seriesText, type ConcreteSeries } from './series.js';
import { firingStates, stableState, agree, type Tri } from './alert-timeline.js';
import type { InputSeries, PromqlExprTest, TestGroup } from './file.js';
import { DAYS_EVALUATION_MS, TEST_INTERVAL_MS } from './slo-tests.js';

export interface ThresholdTests {
  minutes: TestGroup[];
  days: TestGroup[];
}

/** A run of samples start, start+step, ... (promtool's `a+bxn`). */
interface Segment {
  start: number;
  step: number;
  count: number;
}

const num = (n: number) => Number(formatNumber(n));

function segmentText(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      const a = formatNumber(num(s.start));
      if (s.count === 1) return a;
      const b = num(s.step);
      return `${a}${b < 0 ? '-' : '+'}${formatNumber(Math.abs(b))}x${s.count - 1}`;
    })
    .join(' ');
}

/** The values promtool expands a segment list to. */
function expand(segments: readonly Segment[]): number[] {
  return segments.flatMap((s) => Array.from({ length: s.count }, (_, k) => num(s.start) + num(s.step) * k));
}

function labelText(labels: Record<string, string>): string {
  return `{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

function invent(sel: Selector, path: ConfigPath, avoid?: Selector): ConcreteSeries {
  const s = inventSeries([sel], avoid);
  if (typeof s === 'string') throw new ConfigError([{ path, message: `cannot build test series for this selector: ${s}` }]);
  return s;
}

function selector(text: string): Selector {
  const s = parseSelector(text);
  if (typeof s === 'string') throw new Error(`selector was not validated: ${text}`);
  return s;
}

const at = (ms: number) => formatDuration(ms);
const stepsOf = (duration: string | undefined, stepMs: number) => Math.ceil((parseDuration(duration ?? '0') ?? 0) / stepMs);

/** ALERTS of one threshold or SLO, firing, at one time: the series expected, or none. */
function alertsTest(alertname: string, filter: Record<string, string>, labels: Record<string, string>, timeMs: number, firing: boolean): PromqlExprTest {
  const match = Object.entries(filter).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',');
  const all = { __name__: 'ALERTS', alertname, alertstate: 'firing', ...labels };
  return {
    expr: `ALERTS{alertname="${alertname}",${match},alertstate="firing"}`,
    eval_time: at(timeMs),
    exp_samples: firing ? [{ labels: labelText(all), value: 1 }] : [],
  };
}

// ---------------------------------------------------------------- levels and regions

type Region = 'quiet' | 'warning' | 'critical';

/** Levels turned so that "alarm" always means "greater than": direction below negates. */
interface Oriented {
  sign: 1 | -1;
  levels: Partial<Record<Severity, number>>;
  /** The defined severities, least severe first. */
  severities: Severity[];
}

function oriented(th: Threshold): Oriented {
  const sign = (th.direction ?? 'above') === 'below' ? -1 : 1;
  const levels: Partial<Record<Severity, number>> = {};
  const severities: Severity[] = [];
  // Anomaly levels are scores that already point in the alarm direction.
  const turn = (v: number) => (th.anomaly ? v : sign * v);
  if (th.warning !== undefined) { levels.warning = turn(th.warning); severities.push('warning'); }
  if (th.critical !== undefined) { levels.critical = turn(th.critical); severities.push('critical'); }
  return { sign, levels, severities };
}

function regionFires(region: Region, sev: Severity): boolean {
  return sev === 'critical' ? region === 'critical' : region !== 'quiet';
}

/** Oriented values inside each region, clear of the levels, within [lo, hi] when given. */
function regionValues(o: Oriented, lo = -Infinity, hi = Infinity): Record<Region, number> {
  const ls = o.severities.map((s) => o.levels[s]!);
  const l1 = ls[0]!;
  const l2 = ls[ls.length - 1]!;
  const gap = ls.length === 2 ? l2 - l1 : Math.abs(l1) / 2 || 1;
  const quiet = Number.isFinite(lo) ? (lo + l1) / 2 : l1 - (l1 > 0 ? Math.min(gap, l1 / 2) : gap);
  const beyond = Number.isFinite(hi) ? (l2 + hi) / 2 : l2 + gap;
  return { quiet, warning: ls.length === 2 ? (l1 + l2) / 2 : beyond, critical: beyond };
}

// ---------------------------------------------------------------- drivers: regions -> input series

interface RegionDriver {
  /** Evaluations after a change of region during which the value mixes old and new (rate windows). */
  lagSteps: number;
  inputs(regions: readonly Region[]): InputSeries[];
  /** Labels of the compared series besides the threshold's own. */
  labels: Record<string, string>;
}

/** Sample sequences built from runs of equal regions. */
function runs(regions: readonly Region[]): Array<{ region: Region; count: number }> {
  const out: Array<{ region: Region; count: number }> = [];
  for (const r of regions) {
    const last = out[out.length - 1];
    if (last && last.region === r) last.count++;
    else out.push({ region: r, count: 1 });
  }
  return out;
}

function gaugeSegments(regions: readonly Region[], value: (r: Region) => number): Segment[] {
  return runs(regions).map((r) => ({ start: value(r.region), step: 0, count: r.count }));
}

/** A counter from 0 growing by inc(region) each step; the first sample is 0. */
function counterSegments(regions: readonly Region[], inc: (r: Region) => number): Segment[] {
  const out: Segment[] = [{ start: 0, step: 0, count: 1 }];
  let value = 0;
  for (const r of runs(regions.slice(1))) {
    const c = num(inc(r.region));
    out.push({ start: value + c, step: c, count: r.count });
    value += c * r.count;
  }
  return out;
}

interface Feed {
  series: string;
  labels: Record<string, string>;
}

/**
 * Where a gauge-like value is fed: the user's series itself when it is a plain selector, else
 * the recorded threshold:value (the recording then reads nothing and writes nothing).
 */
function gaugeFeed(svc: Service, th: Threshold, expr: string, path: ConfigPath): Feed {
  const own = thresholdLabels(svc, th);
  const parsed = parseSelector(expr);
  if (typeof parsed !== 'string') {
    const s = invent(parsed, path);
    // The series carries a remediation label of its own, as any exporter could: the test then
    // proves the alert drops it (remediation="" on the rule) rather than passing it on.
    if (!parsed.matchers.some((m) => m.name === REMEDIATION_LABEL)) s.labels[REMEDIATION_LABEL] = INJECTED_REMEDIATION;
    return { series: seriesText(s), labels: { ...s.labels, ...own } };
  }
  return { series: `${THRESHOLD_RECORD.value}${labelText(own)}`, labels: own };
}

const TRAFFIC = 1000;
const REMEDIATION_LABEL = 'remediation';
/** What a hostile series would put in its remediation label; no generated alert may carry it. */
export const INJECTED_REMEDIATION = 'injected-by-a-series';

function ratioDriver(svc: Service, th: Threshold, o: Oriented, path: ConfigPath): RegionDriver {
  const r = th.ratio!;
  const lag = stepsOf(r.window ?? DEFAULT_RATE_WINDOW, TEST_INTERVAL_MS) + 1;
  const values = regionValues(o, o.sign > 0 ? 0 : -100, o.sign > 0 ? 100 : 0);
  const percent = (reg: Region) => o.sign * values[reg];
  const share = (reg: Region) => (TRAFFIC * percent(reg)) / 100;
  let roles: Array<{ series: ConcreteSeries; inc: (reg: Region) => number }>;
  if (r.histogram !== undefined) {
    const base = invent(histogramPart(r.histogram, ''), [...path, 'ratio', 'histogram']);
    roles = [
      { series: { metric: `${base.metric}_bucket`, labels: { ...base.labels, le: formatNumber(r.slowerThan!) } }, inc: (reg) => TRAFFIC - share(reg) },
      { series: { metric: `${base.metric}_count`, labels: base.labels }, inc: () => TRAFFIC },
    ];
  } else {
    const n = selector(r.numerator!);
    const d = selector(r.denominator!);
    const numPath = [...path, 'ratio', 'numerator'];
    roles = n.metric === d.metric
      ? [
          { series: invent({ metric: n.metric, matchers: [...n.matchers, ...d.matchers] }, numPath), inc: share },
          { series: invent(d, [...path, 'ratio', 'denominator'], n), inc: (reg) => TRAFFIC - share(reg) },
        ]
      : [
          { series: invent(n, numPath), inc: share },
          { series: invent(d, [...path, 'ratio', 'denominator']), inc: () => TRAFFIC },
        ];
  }
  return {
    lagSteps: lag,
    labels: {},
    inputs: (regions) => roles.map((role) => ({ series: seriesText(role.series), values: segmentText(counterSegments(regions, role.inc)) })),
  };
}

/**
 * Bucket bounds at the levels (and one beyond): with every observation in bucket k the quantile
 * interpolates to bound[k-1] + q * (bound[k] - bound[k-1]), strictly inside region k.
 */
function percentileDriver(svc: Service, th: Threshold, o: Oriented, path: ConfigPath): RegionDriver {
  const p = th.percentile!;
  const actual = o.severities.map((s) => o.sign * o.levels[s]!).sort((a, b) => a - b);
  if (actual[0]! <= 0) throw new ConfigError([{ path: [...path, o.severities[0]!], message: 'percentile levels must be positive (seconds)' }]);
  const bounds = [...actual, 2 * actual[actual.length - 1]!];
  const top = bounds.length - 1;
  const bucketOf = (reg: Region): number => {
    const beyond = reg === 'critical' || (reg === 'warning' && o.severities.length === 1);
    if (reg === 'quiet') return o.sign > 0 ? 0 : top;
    if (beyond) return o.sign > 0 ? top : 0;
    return 1;
  };
  const base = invent(histogramPart(p.histogram, ''), [...path, 'percentile', 'histogram']);
  const buckets = [...bounds.map(formatNumber), '+Inf'];
  const perStep = 60;
  return {
    lagSteps: stepsOf(p.window ?? DEFAULT_RATE_WINDOW, TEST_INTERVAL_MS) + 1,
    labels: {},
    inputs: (regions) =>
      buckets.map((le, j) => ({
        series: seriesText({ metric: `${base.metric}_bucket`, labels: { ...base.labels, le } }),
        values: segmentText(counterSegments(regions, (reg) => (bucketOf(reg) <= j ? perStep : 0))),
      })),
  };
}

function gaugeDriver(svc: Service, th: Threshold, o: Oriented, path: ConfigPath): RegionDriver {
  const feed = gaugeFeed(svc, th, th.expr!, [...path, 'expr']);
  const values = regionValues(o);
  return {
    lagSteps: 0,
    labels: feed.labels,
    inputs: (regions) => [{ series: feed.series, values: segmentText(gaugeSegments(regions, (reg) => o.sign * values[reg])) }],
  };
}

// ---------------------------------------------------------------- scenarios

interface Scenario {
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
interface Built {
  title: string;
  stepMs: number;
  inputs: InputSeries[];
  tests: PromqlExprTest[];
  /** Selectors the threshold's rules read: another scenario must not feed series they match. */
  reads: Selector[];
}

function buildScenario(svc: Service, th: Threshold, s: Scenario): Built | undefined {
  const forSteps = stepsOf(th.for, s.stepMs);
  const keepSteps = stepsOf(th.keepFiringFor, s.stepMs);
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
      if (th.remediation) labels[REMEDIATION_LABEL] = th.remediation;
      else delete labels[REMEDIATION_LABEL];
      tests.push(alertsTest(THRESHOLD_ALERTS[sev], { service: svc.name, threshold: th.name }, labels, i * s.stepMs, firing === true));
    }
  }
  // A scenario whose timeline is too short for a certain state (a tiny minBaseline) proves nothing.
  if (tests.length === 0) return undefined;
  tests.push(...(s.extra?.(states) ?? []));
  const reads = exprSelectors(measuredExpr(th)).map((t) => parseSelector(t)).filter((x): x is Selector => typeof x !== 'string');
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
function pack(svc: Service, built: readonly Built[]): TestGroup[] {
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

function phaseCondition(regions: readonly Region[], sev: Severity, lag: number): Tri[] {
  return regions.map((_, i) => {
    const seen = new Set(regions.slice(Math.max(0, i - lag), i + 1).map((r) => regionFires(r, sev)));
    return seen.size === 1 ? [...seen][0]! : undefined;
  });
}

/**
 * quiet -> warning -> critical -> quiet -> a spike shorter than `for` -> quiet: critical fires
 * above its level after `for`, only warning between the levels, nothing below or on the spike,
 * and keep_firing_for holds the alert after recovery.
 */
function levelScenario(svc: Service, th: Threshold, o: Oriented, d: RegionDriver): Scenario {
  const F = stepsOf(th.for, TEST_INTERVAL_MS);
  const K = stepsOf(th.keepFiringFor, TEST_INTERVAL_MS);
  const L = d.lagSteps;
  const top: Region = o.levels.critical !== undefined ? 'critical' : 'warning';
  const phases: Array<[Region, number]> = [['quiet', 15 + L]];
  if (o.levels.warning !== undefined) phases.push(['warning', F + L + 10]);
  if (o.levels.critical !== undefined) phases.push(['critical', F + L + 10]);
  phases.push(['quiet', K + L + 15]);
  const spike = F - L - 2;
  if (spike >= 1) phases.push([top, spike], ['quiet', F + L + 10]);
  const regions: Region[] = phases.flatMap(([r, n]) => Array<Region>(n).fill(r));
  const candidates: number[] = [];
  let start = 0;
  for (const [, n] of phases) {
    candidates.push(start + 1, start + F - 1, start + F + L + 2, start + K - 1, start + K + L + 2, start + n - 2);
    start += n;
  }
  const cond: Partial<Record<Severity, Tri[]>> = {};
  for (const sev of o.severities) cond[sev] = phaseCondition(regions, sev, L);
  const spikeText = spike >= 1 ? `, not on a ${spike}m spike` : '';
  return {
    name: `fires after ${th.for ?? '0s'} beyond each level, only warning between them, nothing below${spikeText}`,
    stepMs: TEST_INTERVAL_MS,
    inputs: d.inputs(regions),
    cond,
    candidates: candidates.filter((i) => i > 0 && i < regions.length - 1),
    labels: { ...thresholdLabels(svc, th), ...d.labels },
  };
}

/** Prometheus' least-squares fit (predict_linear), in the same order of operations. */
function predictLinear(points: ReadonlyArray<[number, number]>, atS: number, horizonS: number): number | undefined {
  if (points.length < 2) return undefined;
  const y0 = points[0]![1];
  if (points.every(([, y]) => y === y0)) return y0;
  let n = 0, sx = 0, sy = 0, sxy = 0, sx2 = 0;
  for (const [t, y] of points) {
    const x = t - atS;
    n += 1; sx += x; sy += y; sxy += x * y; sx2 += x * x;
  }
  const slope = (sxy - (sx * sy) / n) / (sx2 - (sx * sx) / n);
  const intercept = sy / n - (slope * sx) / n;
  return intercept + slope * horizonS;
}

function compare(value: number | undefined, level: number): Tri {
  if (value === undefined || Number.isNaN(value)) return false;
  if (Math.abs(value - level) < 1e-6 * Math.max(1, Math.abs(level))) return undefined;
  return value > level;
}

/** Flat, then a ramp steep enough that the forecast crosses the last level well before the value does. */
function predictScenario(svc: Service, th: Threshold, o: Oriented, path: ConfigPath): Scenario {
  const feed = gaugeFeed(svc, th, th.predict!.series, [...path, 'predict', 'series']);
  const stepS = TEST_INTERVAL_MS / 1000;
  const W = stepsOf(th.predict!.window ?? DEFAULT_PREDICT_WINDOW, TEST_INTERVAL_MS);
  const H = stepsOf(th.predict!.horizon, TEST_INTERVAL_MS);
  const F = stepsOf(th.for, TEST_INTERVAL_MS);
  const K = stepsOf(th.keepFiringFor, TEST_INTERVAL_MS);
  const topSev = o.severities[o.severities.length - 1]!;
  const top = o.levels[topSev]!;
  const q = regionValues(o).quiet;
  const cross = W + 2;
  const slope = (1.1 * (top - q)) / (cross + H);
  const flat = W + 15;
  const ramp = cross + F + 20;
  const segments: Segment[] = [
    { start: o.sign * q, step: 0, count: flat },
    { start: o.sign * (q + slope), step: o.sign * slope, count: ramp },
    { start: o.sign * (q + slope * ramp), step: 0, count: W + F + K + 15 },
  ];
  const values = expand(segments).map((v) => o.sign * v);
  const forecast = values.map((_, i) => {
    const pts = values.slice(Math.max(0, i - W), i + 1).map((v, k): [number, number] => [(Math.max(0, i - W) + k) * stepS, v]);
    return predictLinear(pts, i * stepS, H * stepS);
  });
  const cond: Partial<Record<Severity, Tri[]>> = {};
  for (const sev of o.severities) cond[sev] = forecast.map((f) => compare(f, o.levels[sev]!));
  const labels = { ...thresholdLabels(svc, th), ...feed.labels };
  const limit = formatNumber(o.sign * top);
  return {
    name: `fires on the forecast before the value reaches ${limit}, not on a flat series`,
    stepMs: TEST_INTERVAL_MS,
    inputs: [{ series: feed.series, values: segmentText(segments) }],
    cond,
    candidates: values.map((_, i) => i).filter((i) => i % 3 === 0),
    labels,
    extra: (states) => {
      // The first certain firing of the top level while the value itself is still short of it.
      const i = values.findIndex((v, k) => stableState(states[topSev]!, k) === true && v < top - 1e-6 * Math.max(1, Math.abs(top)));
      if (i < 0) return [];
      const cmp = o.sign > 0 ? '<' : '>';
      return [{ expr: `count(${THRESHOLD_RECORD.value}${thresholdSelector(svc, th)} ${cmp} ${limit})`, eval_time: at(i * TEST_INTERVAL_MS), exp_samples: [{ labels: '{}', value: 1 }] }];
    },
  };
}

/**
 * Triangle noise between 98 and 102 whose half-period outlasts `for` (so a level set inside the
 * noise would fire), with an optional step of +k from `from` for `len` steps.
 */
function noiseSegments(steps: number, sign: 1 | -1, half: number, step?: { from: number; len: number; k: number }): Segment[] {
  const out: Segment[] = [];
  const slope = 4 / half;
  for (let i = 0, up = true; i < steps; i += half, up = !up) {
    const off = step && i >= step.from && i < step.from + step.len ? step.k : 0;
    const from = up ? -2 : 2;
    out.push({ start: 100 + sign * (off + from), step: sign * (up ? slope : -slope), count: Math.min(half, steps - i) });
  }
  return out;
}

/** z-scores as the recorded mean, stddev and readiness check compute them (NaN: no score), for both range-boundary conventions. */
function zScores(values: readonly number[], stepMs: number, th: Threshold): [number[], number[]] {
  const plan = anomalyPlan(th);
  const readiness = plan.minBaselineMs / plan.refMs;
  const within = (i: number, rangeMs: number, closed: boolean) => {
    const first = closed ? Math.ceil(i - rangeMs / stepMs) : Math.floor(i - rangeMs / stepMs) + 1;
    return values.slice(Math.max(0, first), i + 1);
  };
  const scores = (closed: boolean) =>
    values.map((v, i) => {
      const base = within(i, plan.baselineMs, closed);
      if (base.length < readiness * within(i, plan.refMs, closed).length) return Number.NaN;
      const mean = base.reduce((x, y) => x + y, 0) / base.length;
      const sd = Math.sqrt(base.reduce((x, y) => x + (y - mean) ** 2, 0) / base.length);
      return sd > 0 ? (v - mean) / sd : Number.NaN;
    });
  return [scores(true), scores(false)];
}

function anomalyScenarios(svc: Service, th: Threshold, o: Oriented, path: ConfigPath): Scenario[] {
  const feed = gaugeFeed(svc, th, th.anomaly!.series, [...path, 'anomaly', 'series']);
  const plan = anomalyPlan(th);
  const step = DAYS_EVALUATION_MS;
  const B = Math.ceil(plan.baselineMs / step);
  const M = Math.ceil(plan.minBaselineMs / step);
  const labels = { ...thresholdLabels(svc, th), ...feed.labels };
  const hour = 60 * MINUTE_MS / step;
  const build = (name: string, steps: number, jump: { from: number; len: number; k: number }, candidates: number[]): Scenario => {
    const segments = noiseSegments(steps, o.sign, 2 * stepsOf(th.for, step) + 4, jump);
    const values = expand(segments).map((v) => o.sign * (v - 100));
    const [closed, open] = zScores(values, step, th);
    const cond: Partial<Record<Severity, Tri[]>> = {};
    for (const sev of o.severities) {
      cond[sev] = values.map((_, i) => agree(compare(closed[i], o.levels[sev]!), compare(open[i], o.levels[sev]!)));
    }
    return { name, stepMs: step, inputs: [{ series: feed.series, values: segmentText(segments) }], cond, candidates, labels };
  };
  const total = B + 7 * hour;
  const stepAt = B + 2 * hour;
  const every = (from: number, to: number, by: number) => Array.from({ length: Math.max(0, Math.floor((to - from) / by)) }, (_, k) => from + k * by);
  const main = build(
    `steady noise raises nothing; a step change fires within ${th.for ?? '0s'}`,
    total,
    { from: stepAt, len: 3 * hour, k: 100 },
    [...every(M + 1, stepAt, hour), ...every(stepAt, total - 1, 1).filter((i) => i - stepAt < 2 * hour)],
  );
  // A young history: the same step just before minBaseline has passed, late enough that the
  // score would stay above the levels for `for` if the readiness check were missing.
  const early = Math.max(2, M - stepsOf(th.for, step) - 8);
  const young = build(
    `no alert while the baseline holds less than ${formatDuration(plan.minBaselineMs)}`,
    M - 1,
    { from: early, len: M, k: 100 },
    every(early + 1, M - 2, 1),
  );
  return [main, young];
}

// ---------------------------------------------------------------- no data

interface NoDataSubject {
  kind: 'slo' | 'threshold';
  name: string;
  inputs: string[];
  settings: NoDataSettings | undefined;
  path: ConfigPath;
}

/**
 * Every input present for half an hour, then gone: each subject's alert fires its wait later,
 * not before. A second scenario starts with no inputs at all, as a fresh Prometheus does before
 * its first scrape, and feeds them a little before the alert's `for:` runs out: nothing fires.
 */
function noDataGroups(svc: Service, subjects: readonly NoDataSubject[]): TestGroup[] {
  const present = 30;
  const series = new Set<string>();
  const vanish: PromqlExprTest[] = [];
  const cold: PromqlExprTest[] = [];
  let coldStartMin = Infinity;
  const fedSubjects: Array<{ subject: NoDataSubject; timing: ReturnType<typeof noDataTiming> }> = [];
  for (const subject of subjects) {
    if (subject.settings?.enabled === false || subject.inputs.length === 0) continue;
    const fed = subject.inputs.map((text) => parseSelector(text)).filter((x): x is Selector => typeof x !== 'string');
    if (fed.length === 0) continue;
    for (const sel of fed) series.add(seriesText(invent(sel, subject.path)));
    const timing = noDataTiming(subject.settings);
    fedSubjects.push({ subject, timing });
    coldStartMin = Math.min(coldStartMin, Math.floor(timing.pendingMs / MINUTE_MS) - 1);
  }
  if (fedSubjects.length === 0) return [];
  for (const { subject, timing } of fedSubjects) {
    const W = Math.ceil(timing.waitMs / TEST_INTERVAL_MS);
    const labels = noDataAlertLabels(svc, subject);
    delete labels.alertname;
    const filter = { service: svc.name, [subject.kind]: subject.name };
    const check = (m: number, firing: boolean) => alertsTest(NODATA_ALERTS[subject.kind], filter, labels, m * MINUTE_MS, firing);
    vanish.push(check(present - 10, false), check(present - 1 + W - 1, false), check(present - 1 + W + 2, true));
    // Inputs arrive at minute coldStartMin. Just before, the inputs have been absent since the
    // start, which a lookback alone would already report; the `for:` keeps it pending.
    cold.push(check(coldStartMin - 1, false), check(2 * coldStartMin + 1, false));
  }
  const sorted = [...series].sort();
  const groups: TestGroup[] = [{
    name: `${svc.name}: no-data alerts fire their wait after the inputs vanish, not before`,
    interval: at(TEST_INTERVAL_MS),
    input_series: sorted.map((s) => ({ series: s, values: `1+0x${present - 1}` })),
    promql_expr_test: vanish,
  }];
  if (coldStartMin >= 1) {
    groups.push({
      name: `${svc.name}: a cold start whose inputs arrive within ${coldStartMin}m raises no no-data alert`,
      interval: at(TEST_INTERVAL_MS),
      input_series: sorted.map((s) => ({ series: s, values: `_x${coldStartMin} 1+0x${2 * coldStartMin + 2}` })),
      promql_expr_test: cold,
    });
  }
  return groups;
}

function noDataSubjects(svc: Service, path: ConfigPath): NoDataSubject[] {
  const out: NoDataSubject[] = [];
  (svc.slos ?? []).forEach((slo, i) => {
    if (slo.alerting?.enabled === false) return;
    out.push({ kind: 'slo', name: slo.name, inputs: sloInputs(slo), settings: slo.alerting?.noData, path: [...path, 'slos', i] });
  });
  (svc.thresholds ?? []).forEach((th, i) => {
    out.push({ kind: 'threshold', name: th.name, inputs: thresholdInputs(th), settings: th.noData, path: [...path, 'thresholds', i] });
  });
  return out;
}

// ---------------------------------------------------------------- entry point

const CONSTANT_FUNCTIONS = new Set(['vector', 'absent', 'absent_over_time']);

/**
 * Whether the expression yields a series even with no input (`... or vector(0)`): its recording
 * would then collide with the threshold:value a test feeds, so such an `expr` gets no scenario.
 */
export function yieldsWithoutInputs(expr: string): boolean {
  if (exprSelectors(expr).length === 0) return true;
  let found = false;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === 'FunctionIdentifier' && CONSTANT_FUNCTIONS.has(expr.slice(node.from, node.to))) found = true;
      return !found;
    },
  });
  return found;
}

function thresholdScenarios(svc: Service, th: Threshold, path: ConfigPath): Scenario[] {
  const o = oriented(th);
  const fed = th.expr ?? th.predict?.series ?? th.anomaly?.series;
  if (fed !== undefined && typeof parseSelector(fed) === 'string' && yieldsWithoutInputs(fed)) return [];
  switch (thresholdKind(th)) {
    case 'anomaly':
      return anomalyScenarios(svc, th, o, path);
    case 'predict':
      return [predictScenario(svc, th, o, path)];
    case 'percentile':
      return [levelScenario(svc, th, o, percentileDriver(svc, th, o, path))];
    case 'ratio':
      return [levelScenario(svc, th, o, ratioDriver(svc, th, o, path))];
    case 'expr':
      return [levelScenario(svc, th, o, gaugeDriver(svc, th, o, path))];
  }
}

/** Tests for a service's thresholds and for every no-data alert (SLOs' included). */
export function thresholdTests(svc: Service, path: ConfigPath): ThresholdTests {
  const built: Built[] = [];
  (svc.thresholds ?? []).forEach((th, i) => {
    for (const sc of thresholdScenarios(svc, th, [...path, 'thresholds', i])) {
      const b = buildScenario(svc, th, sc);
      if (b) built.push(b);
    }
  });
  const nd = noDataGroups(svc, noDataSubjects(svc, path));
  const groups = pack(svc, built);
  return {
    minutes: [...groups.filter((g) => g.interval === at(TEST_INTERVAL_MS)), ...nd],
    days: groups.filter((g) => g.interval !== at(TEST_INTERVAL_MS)),
  };
}
