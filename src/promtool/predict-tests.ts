// Scenario for forecasts: the alert must fire on the forecast, before the value itself crosses.
import { THRESHOLD_RECORD, type Severity } from '../conventions.js';
import { parseDuration } from '../config/duration.js';
import type { ServiceModel, ThresholdModel } from '../model/types.js';
import { formatNumber } from '../promql/number.js';
import { thresholdSelector } from '../prometheus/threshold-rules.js';
import { stableState, type Tri } from './alert-timeline.js';
import { gaugeFeed } from './drivers.js';
import { at, expand, segmentText, stepsOf, TEST_INTERVAL_MS, type Segment } from './notation.js';
import { regionValues, type Oriented } from './regions.js';
import type { Scenario } from './scenario.js';
import { compare, predictLinear } from './simulate.js';
import { InternalError } from '../errors.js';

/** Flat, then a ramp steep enough that the forecast crosses the last level well before the value does. */
export function predictScenario(svc: ServiceModel, th: ThresholdModel, o: Oriented): Scenario {
  const m = th.measure;
  if (m.kind !== 'predict') throw new InternalError('predictScenario on another kind');
  const feed = gaugeFeed(th, m.series);
  const stepS = TEST_INTERVAL_MS / 1000;
  const W = stepsOf(parseDuration(m.window)!, TEST_INTERVAL_MS);
  const H = stepsOf(m.horizonMs, TEST_INTERVAL_MS);
  const F = stepsOf(th.forMs, TEST_INTERVAL_MS);
  const K = stepsOf(th.keepFiringForMs, TEST_INTERVAL_MS);
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
  const labels = { ...th.labels, ...feed.labels };
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
      return [
        {
          expr: `count(${THRESHOLD_RECORD.value}${thresholdSelector(svc, th)} ${cmp} ${limit})`,
          eval_time: at(i * TEST_INTERVAL_MS),
          exp_samples: [{ labels: '{}', value: 1 }],
        },
      ];
    },
  };
}
