// Thresholds: the measure of its config kind as the model's union, with the inputs whose absence
// blinds it, the anomaly plan, durations in ms, and the threshold's no-data alert.
import type { Service, Threshold } from '../../config/schema/config.js';
import type { ConfigPath } from '../../config/errors.js';
import { formatDuration, HOUR_MS } from '../../config/duration.js';
import { ratioForm, thresholdCase, unhandled } from '../../config/kinds.js';
import { DEFAULT_BASELINE, DEFAULT_PREDICT_WINDOW, DEFAULT_RATE_WINDOW, THRESHOLD_RECORD } from '../../conventions.js';
import { formatSelector } from '../../promql/parse.js';
import { bucketAt, histogramPart } from '../../promql/histogram.js';
import { exprSelectors } from '../../promql/reads.js';
import { sortLabels } from '../../promql/labels.js';
import type { AnomalyPlan, ThresholdMeasure, ThresholdModel } from '../types.js';
import { resolveNoData } from './nodata.js';
import { ms, selector } from './validated.js';

export function anomalyPlan(baseline: string | undefined, minBaseline: string | undefined): AnomalyPlan {
  const baselineMs = ms(baseline ?? DEFAULT_BASELINE);
  const minBaselineMs = minBaseline !== undefined ? ms(minBaseline) : baselineMs / 2;
  const refMs = Math.min(HOUR_MS, Math.floor(minBaselineMs / 2 / 1000) * 1000);
  return { baseline: formatDuration(baselineMs), baselineMs, minBaselineMs, refMs };
}

/**
 * A threshold's measure, and its inputs: the series whose absence means it cannot see anything.
 * A ratio's numerator (errors) may rightly be absent, its denominator may not; a slow share also
 * needs the bucket at its bound, without which every observation reads as slow.
 */
function resolveMeasure(th: Threshold): { measure: ThresholdMeasure; inputs: string[] } {
  const c = thresholdCase(th);
  switch (c.kind) {
    case 'percentile': {
      const histogram = selector(c.spec.histogram);
      return {
        measure: { kind: 'percentile', histogram, quantile: c.spec.quantile, window: c.spec.window ?? DEFAULT_RATE_WINDOW },
        inputs: [formatSelector(histogramPart(histogram, '_bucket'))],
      };
    }
    case 'ratio': {
      const r = ratioForm(c.spec);
      const window = r.window ?? DEFAULT_RATE_WINDOW;
      if (r.form === 'counters') {
        return {
          measure: { kind: 'ratio', form: 'counters', numerator: selector(r.numerator), denominator: selector(r.denominator), window },
          inputs: [r.denominator],
        };
      }
      const histogram = selector(r.histogram);
      return {
        measure: { kind: 'ratio', form: 'histogram', histogram, slowerThan: r.slowerThan, window },
        inputs: [formatSelector(histogramPart(histogram, '_count')), formatSelector(bucketAt(histogram, r.slowerThan))],
      };
    }
    case 'predict':
      return {
        measure: {
          kind: 'predict',
          series: c.spec.series,
          window: c.spec.window ?? DEFAULT_PREDICT_WINDOW,
          horizon: c.spec.horizon,
          horizonMs: ms(c.spec.horizon),
        },
        inputs: exprSelectors(c.spec.series),
      };
    case 'anomaly':
      return {
        measure: { kind: 'anomaly', series: c.spec.series, plan: anomalyPlan(c.spec.baseline, c.spec.minBaseline) },
        inputs: exprSelectors(c.spec.series),
      };
    case 'expr':
      return { measure: { kind: 'expr', expr: c.spec }, inputs: exprSelectors(c.spec) };
    default:
      return unhandled(c);
  }
}

const COMPARED = { predict: THRESHOLD_RECORD.predicted, anomaly: THRESHOLD_RECORD.zscore } as const;

export function resolveThreshold(svc: Service, th: Threshold, path: ConfigPath): ThresholdModel {
  const { measure, inputs } = resolveMeasure(th);
  return {
    name: th.name,
    path,
    measure,
    direction: th.direction ?? 'above',
    warning: th.warning,
    critical: th.critical,
    for: th.for,
    forMs: th.for !== undefined ? ms(th.for) : 0,
    keepFiringFor: th.keepFiringFor,
    keepFiringForMs: th.keepFiringFor !== undefined ? ms(th.keepFiringFor) : 0,
    unit: th.unit,
    description: th.description,
    runbook: th.runbook,
    remediation: th.remediation,
    labels: sortLabels({ ...svc.labels, service: svc.name, threshold: th.name, team: svc.team }),
    compared: measure.kind === 'predict' || measure.kind === 'anomaly' ? COMPARED[measure.kind] : THRESHOLD_RECORD.value,
    noData: resolveNoData('threshold', th.name, inputs, th.noData, th.runbook, undefined, path),
  };
}
