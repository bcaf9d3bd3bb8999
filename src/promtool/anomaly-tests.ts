// Scenarios for anomalies: steady noise stays quiet, a step change fires, a young baseline does not.
import { formatDuration, MINUTE_MS } from '../config/duration.js';
import type { Severity } from '../conventions.js';
import type { ThresholdModel } from '../model/types.js';
import { agree, type Tri } from './alert-timeline.js';
import { gaugeFeed } from './drivers.js';
import { BASELINE_EVALUATION_MS, expand, segmentText, stepsOf, type Segment } from './notation.js';
import type { Oriented } from './regions.js';
import type { Scenario } from './scenario.js';
import { compare, zScores } from './simulate.js';
import { InternalError } from '../errors.js';

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

export function anomalyScenarios(th: ThresholdModel, o: Oriented): Scenario[] {
  const m = th.measure;
  if (m.kind !== 'anomaly') throw new InternalError('anomalyScenarios on another kind');
  const feed = gaugeFeed(th, m.series);
  const plan = m.plan;
  const step = BASELINE_EVALUATION_MS;
  const B = Math.ceil(plan.baselineMs / step);
  const M = Math.ceil(plan.minBaselineMs / step);
  const labels = { ...th.labels, ...feed.labels };
  const hour = (60 * MINUTE_MS) / step;
  const forSteps = stepsOf(th.forMs, step);
  const half = 2 * forSteps + 4;
  const build = (name: string, steps: number, jump: { from: number; len: number; k: number }, candidates: number[]): Scenario => {
    const segments = noiseSegments(steps, o.sign, half, jump);
    const values = expand(segments).map((v) => o.sign * (v - 100));
    const [closed, open] = zScores(values, step, plan);
    const cond: Partial<Record<Severity, Tri[]>> = {};
    for (const sev of o.severities) {
      cond[sev] = values.map((_, i) => agree(compare(closed[i], o.levels[sev]!), compare(open[i], o.levels[sev]!)));
    }
    return { name, stepMs: step, inputs: [{ series: feed.series, values: segmentText(segments) }], cond, candidates, labels };
  };
  const total = B + 7 * hour;
  const stepAt = B + 2 * hour;
  const every = (from: number, to: number, by: number) =>
    Array.from({ length: Math.max(0, Math.floor((to - from) / by)) }, (_, k) => from + k * by);
  const main = build(
    `steady noise raises nothing; a step change fires within ${th.for ?? '0s'}`,
    total,
    { from: stepAt, len: 3 * hour, k: 100 },
    [...every(M + 1, stepAt, hour), ...every(stepAt, total - 1, 1).filter((i) => i - stepAt < 2 * hour)],
  );
  // A young history: the same step just before minBaseline has passed, late enough that the
  // score would stay above the levels for `for` if the readiness check were missing.
  // The noise changes level only where a segment starts (every `half` steps), so the step starts
  // on one: a step placed mid-segment would begin at the next, too late to outlast `for`.
  const early = Math.max(half, Math.floor((M - forSteps - 8) / half) * half);
  const young = build(
    `no alert while the baseline holds less than ${formatDuration(plan.minBaselineMs)}`,
    M - 1,
    { from: early, len: M, k: 100 },
    every(early + 1, M - 2, 1),
  );
  return [main, young];
}
