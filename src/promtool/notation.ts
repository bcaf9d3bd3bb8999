// promtool's notation: expanding sample series (`a+bxn`), evaluation times, and the ALERTS query
// every threshold and no-data test asserts with.
import { formatDuration, MINUTE_MS } from '../config/duration.js';
import { formatNumber } from '../promql/number.js';
import { labelText, matcherText } from '../promql/labels.js';
import type { PromqlExprTest, TestGroup } from './file.js';

/** Scenarios measured in minutes are evaluated every minute (detection and reset timing). */
export const TEST_INTERVAL_MS = MINUTE_MS;
/**
 * Scenarios over hours and days (each alert pair alone, steady burns, idle traffic) need no
 * minute steps: promtool evaluates every rule at every step, and every window they assert on is
 * a traffic-weighted sum whose value the burn model (burn-model.ts) computes at any evaluation
 * interval. The pair-alone scenario runs at 2h where every window the rules derive from the base
 * rate spans at least 2h (so each holds two recorded base rates or more: a window read one step
 * too long still differs), else at 1h; `daysEvaluationMs` in slo-tests.ts picks it.
 */
export const DAYS_EVALUATIONS_MS = [60 * MINUTE_MS, 120 * MINUTE_MS] as const;
/**
 * Steady burns and idle traffic assert only the slow ticket pair's windows (3d and 6h at a 30d
 * period) and silence: at 6h where that short window spans 6h, else with the pair-alone scenario.
 */
export const STEADY_EVALUATION_MS = 360 * MINUTE_MS;
/**
 * Anomaly baselines need enough samples for a standard deviation to mean something (a young
 * baseline of a dozen samples cannot tell a step from noise), so they run at 5m.
 */
export const BASELINE_EVALUATION_MS = 5 * MINUTE_MS;

/**
 * One promtool file per evaluation interval, since promtool sets it per file; a service's
 * days file holds one of its intervals (the service's, see DAYS_EVALUATIONS_MS).
 */
export const TEST_FILES: ReadonlyArray<{ suffix: string; evalMs: readonly number[] }> = [
  { suffix: '.test.yml', evalMs: [TEST_INTERVAL_MS] },
  { suffix: '.days.test.yml', evalMs: DAYS_EVALUATIONS_MS },
  { suffix: '.steady.test.yml', evalMs: [STEADY_EVALUATION_MS] },
  { suffix: '.baselines.test.yml', evalMs: [BASELINE_EVALUATION_MS] },
];

/** Test groups by the rule evaluation interval they are written for. */
export type GroupsByInterval = Map<number, TestGroup[]>;

export function addGroups(to: GroupsByInterval, evalMs: number, groups: readonly TestGroup[]): GroupsByInterval {
  if (groups.length > 0) to.set(evalMs, [...(to.get(evalMs) ?? []), ...groups]);
  return to;
}

export const at = (ms: number) => formatDuration(ms);
/** Evaluation steps a duration spans, rounded up. */
export const stepsOf = (durationMs: number, stepMs: number) => Math.ceil(durationMs / stepMs);

/** A run of samples start, start+step, ... (promtool's `a+bxn`). */
export interface Segment {
  start: number;
  step: number;
  count: number;
}

export const num = (n: number) => Number(formatNumber(n));

export function segmentText(segments: readonly Segment[]): string {
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
export function expand(segments: readonly Segment[]): number[] {
  return segments.flatMap((s) => Array.from({ length: s.count }, (_, k) => num(s.start) + num(s.step) * k));
}

/** Runs of equal items, in order. */
export function runs<T>(items: readonly T[]): Array<{ item: T; count: number }> {
  const out: Array<{ item: T; count: number }> = [];
  for (const r of items) {
    const last = out[out.length - 1];
    if (last && last.item === r) last.count++;
    else out.push({ item: r, count: 1 });
  }
  return out;
}

export function gaugeSegments<T>(items: readonly T[], value: (r: T) => number): Segment[] {
  return runs(items).map((r) => ({ start: value(r.item), step: 0, count: r.count }));
}

/** A counter from 0 growing by inc(item) each step; the first sample is 0. */
export function counterSegments<T>(items: readonly T[], inc: (r: T) => number): Segment[] {
  const out: Segment[] = [{ start: 0, step: 0, count: 1 }];
  let value = 0;
  for (const r of runs(items.slice(1))) {
    const c = num(inc(r.item));
    out.push({ start: value + c, step: c, count: r.count });
    value += c * r.count;
  }
  return out;
}

/** Traffic in one stretch of a scenario: `minutes` samples, each adding these per-minute counts. */
export interface Phase {
  minutes: number;
  total: number;
  errors: number;
}

/**
 * A counter that starts at 0 and then grows by `step(phase)` each minute of each phase
 * ("0 5+5x59 300+0x119"), sampled every `sampleMin` minutes (phases last a multiple of it).
 */
export function counterValues(phases: readonly Phase[], step: (p: Phase) => number, sampleMin = 1): string {
  const parts = ['0'];
  let value = 0;
  for (const p of phases) {
    const inc = num(step(p) * sampleMin);
    const samples = Math.ceil(p.minutes / sampleMin);
    parts.push(`${formatNumber(value + inc)}+${formatNumber(inc)}x${samples - 1}`);
    value += inc * samples;
  }
  return parts.join(' ');
}

/** ALERTS of one threshold or SLO, firing, at one time: the series expected, or none. */
export function alertsTest(
  alertname: string,
  filter: Record<string, string>,
  labels: Record<string, string>,
  timeMs: number,
  firing: boolean,
): PromqlExprTest {
  const all = { __name__: 'ALERTS', alertname, alertstate: 'firing', ...labels };
  return {
    expr: `ALERTS${matcherText({ alertname, ...filter, alertstate: 'firing' })}`,
    eval_time: at(timeMs),
    exp_samples: firing ? [{ labels: labelText(all), value: 1 }] : [],
  };
}

/**
 * A gauge that holds `value(phase)` through each phase, sampled every `sampleMin` minutes, in step
 * with `counterValues` (its first sample is the first phase's value); undefined reads as a
 * missing sample (`_`). Returns undefined when every sample is missing.
 */
export function gaugeValues(phases: readonly Phase[], value: (p: Phase) => number | undefined, sampleMin = 1): string | undefined {
  const first = phases[0];
  if (!first) return undefined;
  const runs: Array<{ v: number | undefined; n: number }> = [{ v: value(first), n: 1 }];
  for (const p of phases) {
    const v = value(p);
    const n = Math.ceil(p.minutes / sampleMin);
    const last = runs[runs.length - 1]!;
    if (last.v === v) last.n += n;
    else runs.push({ v, n });
  }
  if (runs.every((r) => r.v === undefined)) return undefined;
  return runs.map((r) => (r.v === undefined ? `_x${r.n}` : `${formatNumber(num(r.v))}+0x${r.n - 1}`)).join(' ');
}
