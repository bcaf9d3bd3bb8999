// What Prometheus computes, re-done in TypeScript so a test knows the expected alert state at
// every step: predict_linear's least-squares fit, and the z-score of the anomaly recordings.
import type { AnomalyPlan } from '../model/types.js';
import type { Tri } from './alert-timeline.js';

/** Prometheus' least-squares fit (predict_linear), in the same order of operations. */
export function predictLinear(points: ReadonlyArray<[number, number]>, atS: number, horizonS: number): number | undefined {
  if (points.length < 2) return undefined;
  const y0 = points[0]![1];
  if (points.every(([, y]) => y === y0)) return y0;
  let n = 0,
    sx = 0,
    sy = 0,
    sxy = 0,
    sx2 = 0;
  for (const [t, y] of points) {
    const x = t - atS;
    n += 1;
    sx += x;
    sy += y;
    sxy += x * y;
    sx2 += x * x;
  }
  const slope = (sxy - (sx * sy) / n) / (sx2 - (sx * sx) / n);
  const intercept = sy / n - (slope * sx) / n;
  return intercept + slope * horizonS;
}

/** Above the level, not above, or too close to call (float noise). */
export function compare(value: number | undefined, level: number): Tri {
  if (value === undefined || Number.isNaN(value)) return false;
  if (Math.abs(value - level) < 1e-6 * Math.max(1, Math.abs(level))) return undefined;
  return value > level;
}

/** z-scores as the recorded mean, stddev and readiness check compute them (NaN: no score), for both range-boundary conventions. */
export function zScores(values: readonly number[], stepMs: number, plan: AnomalyPlan): [number[], number[]] {
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
