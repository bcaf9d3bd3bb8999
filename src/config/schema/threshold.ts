import { z } from 'zod';
import { duration, histogramSelector, name, seriesSelector, positiveDuration, promqlExpr, url } from './common.js';
import { parseDuration } from '../duration.js';

const severity = z.enum(['critical', 'warning'], { error: 'must be "critical" or "warning"' });

/** The companion alert raised when a threshold's (or SLO's) input series are gone. */
export const noData = z.strictObject({
  /** Set false for inputs that are absent by design (a counter that only exists after a failure). */
  enabled: z.boolean().optional(),
  /**
   * How long every input series must have been absent before the alert fires (default 10m). Half
   * of it (at most 5m) is the lookback that rides out scrape gaps; the rest is the alert's `for:`,
   * which also keeps a cold start (Prometheus up before its targets) quiet.
   */
  for: positiveDuration
    .refine((s) => (parseDuration(s) ?? 0) >= 2 * 60_000, {
      error: 'must be at least 2m: a shorter lookback mistakes one missed scrape for lost data',
    })
    .optional(),
  /** Default "warning": a ticket, since the signal is lost rather than known to be bad. */
  severity: severity.optional(),
  /**
   * A remediation for the no-data alert itself. The SLO's or threshold's own remediation never
   * rides on it: missing data is no evidence that the action would help.
   */
  remediation: name.optional(),
});

export const percentile = z.strictObject({
  /** A classic histogram's base name and matchers, e.g. http_request_duration_seconds{job="api"}. */
  histogram: histogramSelector,
  quantile: z
    .number({ error: 'must be a number between 0 and 1, e.g. 0.5, 0.95 or 0.99' })
    .gt(0, { error: 'must be between 0 and 1 (exclusive), e.g. 0.5, 0.95 or 0.99' })
    .lt(1, { error: 'must be between 0 and 1 (exclusive), e.g. 0.5, 0.95 or 0.99' }),
  /** rate() window (default 5m). */
  window: positiveDuration.optional(),
});

// Two forms, one object: counters (numerator/denominator) or a histogram's share of slow
// observations, which gets the `le` matching right on Prometheus 2 and 3.
export const ratio = z
  .strictObject({
    numerator: seriesSelector.optional(),
    denominator: seriesSelector.optional(),
    histogram: histogramSelector.optional(),
    /** Seconds; must be one of the histogram's `le` bucket bounds. */
    slowerThan: z.number({ error: 'must be a number of seconds' }).positive({ error: 'must be a positive number of seconds' }).optional(),
    window: positiveDuration.optional(),
  })
  .superRefine((r, ctx) => {
    const counters = r.numerator !== undefined || r.denominator !== undefined;
    const histogram = r.histogram !== undefined || r.slowerThan !== undefined;
    const form =
      'give { numerator, denominator } (counter selectors) or { histogram, slowerThan } (share of observations above slowerThan seconds)';
    if (counters === histogram) ctx.addIssue({ code: 'custom', path: [counters ? 'histogram' : 'numerator'], message: form });
    else if (counters && (r.numerator === undefined || r.denominator === undefined)) {
      ctx.addIssue({ code: 'custom', path: [r.numerator === undefined ? 'numerator' : 'denominator'], message: `is required (${form})` });
    } else if (histogram && (r.histogram === undefined || r.slowerThan === undefined)) {
      ctx.addIssue({ code: 'custom', path: [r.histogram === undefined ? 'histogram' : 'slowerThan'], message: `is required (${form})` });
    }
  });

export const predict = z.strictObject({
  /** A gauge selector or an expression; recorded, then extrapolated with predict_linear. */
  series: promqlExpr,
  /** How much history the linear fit reads (default 1h). */
  window: positiveDuration.optional(),
  /** How far ahead the fit looks: fire when the level will be crossed within this time. */
  horizon: positiveDuration,
});

export const anomaly = z.strictObject({
  /** A selector or expression whose z-score against its own history is alerted on. */
  series: promqlExpr,
  /** History the mean and standard deviation are taken over (default 1d). */
  baseline: positiveDuration.optional(),
  /** No alert until the baseline holds this much history (default half the baseline). */
  minBaseline: positiveDuration.optional(),
});

export const THRESHOLD_KINDS = ['expr', 'percentile', 'ratio', 'predict', 'anomaly'] as const;
export type ThresholdKind = (typeof THRESHOLD_KINDS)[number];

const thresholdObject = z
  .strictObject({
    name,
    expr: promqlExpr.optional(),
    percentile: percentile.optional(),
    ratio: ratio.optional(),
    predict: predict.optional(),
    anomaly: anomaly.optional(),
    warning: z.number({ error: 'must be a number' }).optional(),
    critical: z.number({ error: 'must be a number' }).optional(),
    direction: z.enum(['above', 'below'], { error: 'must be "above" or "below"' }).optional(),
    for: duration.optional(),
    keepFiringFor: duration.optional(),
    unit: z.string().optional(),
    description: z.string().optional(),
    runbook: url.optional(),
    remediation: name.optional(),
    noData: noData.optional(),
  })
  .superRefine((t, ctx) => {
    const kinds = THRESHOLD_KINDS.filter((k) => t[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [kinds[1] ?? 'expr'],
        message: `give exactly one of ${THRESHOLD_KINDS.join(', ')}${kinds.length > 1 ? ` (found ${kinds.join(' and ')})` : ''}`,
      });
    }
    const { warning, critical } = t;
    if (warning === undefined && critical === undefined) {
      ctx.addIssue({ code: 'custom', path: ['critical'], message: 'give a `warning` level, a `critical` level or both' });
    }
    // Anomaly levels are scores, growing towards critical whichever way the series moves.
    const dir = t.anomaly ? 'above' : (t.direction ?? 'above');
    if (warning !== undefined && critical !== undefined && (dir === 'above' ? warning >= critical : warning <= critical)) {
      ctx.addIssue({
        code: 'custom',
        path: ['warning'],
        message: `must be ${dir === 'above' ? 'below' : 'above'} critical (${critical}) for direction "${dir}": warning comes first on the way to critical`,
      });
    }
    for (const key of ['warning', 'critical'] as const) {
      const v = t[key];
      if (v === undefined) continue;
      if (t.ratio && !(v > 0 && v < 100))
        ctx.addIssue({ code: 'custom', path: [key], message: 'is a percentage for ratio: must be between 0 and 100 (exclusive)' });
      if (t.percentile && !(v > 0)) ctx.addIssue({ code: 'custom', path: [key], message: 'is a latency for percentile: must be above 0' });
    }
    if (t.anomaly) {
      for (const key of ['warning', 'critical'] as const) {
        const v = t[key];
        if (v !== undefined && v <= 0)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is a z-score for anomaly: must be above 0 (use direction "below" for drops)',
          });
      }
      const base = parseDuration(t.anomaly.baseline ?? '1d') ?? 0;
      const min = t.anomaly.minBaseline === undefined ? undefined : parseDuration(t.anomaly.minBaseline);
      if (base < 3_600_000)
        ctx.addIssue({
          code: 'custom',
          path: ['anomaly', 'baseline'],
          message: 'must be at least 1h: a shorter history has too few samples for a standard deviation',
        });
      if (min !== undefined && min < 600_000)
        ctx.addIssue({ code: 'custom', path: ['anomaly', 'minBaseline'], message: 'must be at least 10m' });
      if (min !== undefined && min > base)
        ctx.addIssue({
          code: 'custom',
          path: ['anomaly', 'minBaseline'],
          message: `must not be longer than the baseline (${t.anomaly.baseline ?? '1d'})`,
        });
    }
  });

type ObjectInput = z.input<typeof thresholdObject>;
type Common = Omit<ObjectInput, ThresholdKind>;
type Only<K extends ThresholdKind> = { [P in K]-?: NonNullable<ObjectInput[P]> } & { [P in Exclude<ThresholdKind, K>]?: never };

/**
 * What users write: the common fields and exactly one kind, so the editor flags a threshold that
 * has none or two. The runtime schema enforces the same and names the field.
 */
export type ThresholdShape = Common & (Only<'expr'> | Only<'percentile'> | Only<'ratio'> | Only<'predict'> | Only<'anomaly'>);

export const threshold = thresholdObject as unknown as z.ZodType<z.output<typeof thresholdObject>, ThresholdShape>;
