// Input series for each threshold kind: the series the user's selectors match (shorthands), or
// the recorded threshold:value:measured when a free-form expression cannot be inverted.
import { LABEL, THRESHOLD_RECORD } from '../conventions.js';
import type { ThresholdModel } from '../model/types.js';
import { parseDuration } from '../config/duration.js';
import { histogramPart } from '../promql/histogram.js';
import { labelText } from '../promql/labels.js';
import { formatNumber } from '../promql/number.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { inventSeries, seriesText, type ConcreteSeries } from '../promql/series.js';
import { decoySeries } from './decoys.js';
import { counterSegments, gaugeSegments, segmentText, stepsOf, TEST_INTERVAL_MS } from './notation.js';
import { regionValues, type Oriented, type Region, type RegionDriver } from './regions.js';
import { InternalError } from '../errors.js';

/** What a hostile series would put in its remediation label; no generated alert may carry it. */
export const INJECTED_REMEDIATION = 'injected-by-a-series';

const TRAFFIC = 1000;

/** Validation has proven every selector can be fed (config/checks/test-series.ts). */
export function invent(sel: Selector, avoid?: Selector): ConcreteSeries {
  const s = inventSeries([sel], avoid);
  if (typeof s === 'string') throw new InternalError(`validation let through a selector no series matches: ${s}`);
  return s;
}

export interface Feed {
  series: string;
  labels: Record<string, string>;
}

/**
 * Where a gauge-like value is fed: the user's series itself when it is a plain selector, else
 * the recorded threshold:value:measured (the recording then reads nothing and writes nothing).
 */
export function gaugeFeed(th: ThresholdModel, expr: string): Feed {
  const own = th.labels;
  const parsed = parseSelector(expr);
  if (typeof parsed !== 'string') {
    const s = invent(parsed);
    // The series carries a remediation label of its own, as any exporter could: the test then
    // proves the alert drops it (remediation="" on the rule) rather than passing it on.
    if (!parsed.matchers.some((m) => m.name === LABEL.remediation)) s.labels[LABEL.remediation] = INJECTED_REMEDIATION;
    return { series: seriesText(s), labels: { ...s.labels, ...own } };
  }
  return { series: `${THRESHOLD_RECORD.value}${labelText(own)}`, labels: own };
}

export function ratioDriver(th: ThresholdModel, o: Oriented): RegionDriver {
  const m = th.measure;
  if (m.kind !== 'ratio') throw new InternalError('ratioDriver on another kind');
  const lag = stepsOf(parseDuration(m.window)!, TEST_INTERVAL_MS) + 1;
  const values = regionValues(o, o.sign > 0 ? 0 : -100, o.sign > 0 ? 100 : 0);
  const percent = (reg: Region) => o.sign * values[reg];
  const share = (reg: Region) => (TRAFFIC * percent(reg)) / 100;
  let roles: Array<{ series: ConcreteSeries; inc: (reg: Region) => number }>;
  if (m.form === 'histogram') {
    const base = invent(histogramPart(m.histogram, ''));
    roles = [
      {
        series: { metric: `${base.metric}_bucket`, labels: { ...base.labels, le: formatNumber(m.slowerThan) } },
        inc: (reg) => TRAFFIC - share(reg),
      },
      { series: { metric: `${base.metric}_count`, labels: base.labels }, inc: () => TRAFFIC },
    ];
  } else {
    const n = m.numerator;
    const d = m.denominator;
    roles =
      n.metric === d.metric
        ? [
            { series: invent({ metric: n.metric, matchers: [...n.matchers, ...d.matchers] }), inc: share },
            { series: invent(d, n), inc: (reg) => TRAFFIC - share(reg) },
          ]
        : [
            { series: invent(n), inc: share },
            { series: invent(d), inc: () => TRAFFIC },
          ];
  }
  // A flooded step carries this many times the traffic, at its region's share: the rest of the
  // window (at most every event failed or good) then moves the ratio by under a quarter of the
  // distance between the quiet value and the first level.
  const gap = Math.abs(values.quiet - o.levels[o.severities[0]!]!);
  const flood = 10 ** Math.ceil(Math.log10((400 * lag) / gap));
  return {
    lagSteps: lag,
    floods: true,
    labels: {},
    inputs: (regions, flooded) => {
      const steps = regions.map((r, i) => ({ r, times: flooded?.[i] ? flood : 1 }));
      // Equal steps as one key, so runs of them stay one segment.
      const keys = steps.map((x) => `${x.r} ${x.times}`);
      const byKey = new Map(keys.map((k, i) => [k, steps[i]!]));
      return roles.map((role) => ({
        series: seriesText(role.series),
        values: segmentText(
          counterSegments(keys, (k) => {
            const x = byKey.get(k)!;
            return role.inc(x.r) * x.times;
          }),
        ),
      }));
    },
  };
}

/**
 * Bucket bounds at the levels (and one beyond): with every observation in bucket k the quantile
 * interpolates to bound[k-1] + q * (bound[k] - bound[k-1]), strictly inside region k.
 */
export function percentileDriver(th: ThresholdModel, o: Oriented): RegionDriver {
  const m = th.measure;
  if (m.kind !== 'percentile') throw new InternalError('percentileDriver on another kind');
  // Levels are positive latencies (the schema refuses others).
  const actual = o.severities.map((s) => o.sign * o.levels[s]!).sort((a, b) => a - b);
  const bounds = [...actual, 2 * actual[actual.length - 1]!];
  const top = bounds.length - 1;
  const bucketOf = (reg: Region): number => {
    const beyond = reg === 'critical' || (reg === 'warning' && o.severities.length === 1);
    if (reg === 'quiet') return o.sign > 0 ? 0 : top;
    if (beyond) return o.sign > 0 ? top : 0;
    return 1;
  };
  const base = invent(histogramPart(m.histogram, ''));
  const buckets = [...bounds.map(formatNumber), '+Inf'];
  const perStep = 60;
  // Decoy histograms (another job, ...) whose every observation lies in the alarm region, ten
  // times the traffic: a rule that lost a matcher of the histogram alerts on quiet traffic.
  const decoys = decoySeries(histogramPart(m.histogram, '_bucket'), []);
  const alarm = bucketOf('critical');
  return {
    lagSteps: stepsOf(parseDuration(m.window)!, TEST_INTERVAL_MS) + 1,
    labels: {},
    inputs: (regions) => [
      ...buckets.map((le, j) => ({
        series: seriesText({ metric: `${base.metric}_bucket`, labels: { ...base.labels, le } }),
        values: segmentText(counterSegments(regions, (reg) => (bucketOf(reg) <= j ? perStep : 0))),
      })),
      ...decoys.flatMap((d) =>
        buckets.map((le, j) => ({
          series: seriesText({ metric: d.metric, labels: { ...d.labels, le } }),
          values: segmentText(counterSegments(regions, () => (alarm <= j ? 10 * perStep : 0))),
        })),
      ),
    ],
  };
}

export function gaugeDriver(th: ThresholdModel, o: Oriented, expr: string): RegionDriver {
  const feed = gaugeFeed(th, expr);
  const values = regionValues(o);
  return {
    lagSteps: 0,
    labels: feed.labels,
    inputs: (regions) => [{ series: feed.series, values: segmentText(gaugeSegments(regions, (reg) => o.sign * values[reg])) }],
  };
}
