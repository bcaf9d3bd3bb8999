import { z } from 'zod';
import { duration, histogramSelector, name, positiveDuration, seriesSelector, url } from './common.js';
import { noData } from './threshold.js';

export const ratioSli = z.strictObject({
  /** Counter selector of failed events. Give `errors` or `good`, not both. */
  errors: seriesSelector.optional(),
  /** Counter selector of good events. */
  good: seriesSelector.optional(),
  /** Counter selector of all events. */
  total: seriesSelector,
}).superRefine((v, ctx) => {
  if ((v.errors === undefined) === (v.good === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['errors'], message: 'give exactly one of `errors` or `good` next to `total`' });
  }
});

export const latencySli = z.strictObject({
  /** A classic histogram's base name and matchers, e.g. http_request_duration_seconds{job="api"}. */
  histogram: histogramSelector,
  /** Seconds; must be one of the histogram's `le` bucket bounds. */
  threshold: z.number({ error: 'must be a number of seconds' }).positive({ error: 'must be a positive number of seconds' }),
});

// An object with one kind key rather than a z.union, so errors inside a kind name their field.
export const sli = z.strictObject({
  ratio: ratioSli.optional(),
  latency: latencySli.optional(),
}).refine((v) => (v.ratio === undefined) !== (v.latency === undefined), {
  error: 'must have exactly one kind: { ratio: { errors|good, total } } or { latency: { histogram, threshold } }',
});

export const sloAlerting = z.strictObject({
  runbook: url.optional(),
  /** Name of a remediation declared in the config's `remediations`. */
  remediation: name.optional(),
  /** Extra labels on this SLO's alerts. */
  labels: z.record(z.string(), z.string()).optional(),
  /** Set false to record the SLO without alerting on it. */
  enabled: z.boolean().optional(),
  /** The companion alert raised when the SLI's total series are absent. */
  noData: noData.optional(),
});

export const slo = z.strictObject({
  name,
  objective: z.number({ error: 'must be a number (percent)' }).gt(0, { error: 'must be above 0 and below 100 (percent)' }).lt(100, { error: 'must be above 0 and below 100 (percent)' }),
  period: positiveDuration.optional(),
  description: z.string().optional(),
  sli,
  alerting: sloAlerting.optional(),
});

export { duration };
