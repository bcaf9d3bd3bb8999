import { z } from 'zod';
import { duration, histogramSelector, LABEL_NAME_RE, name, positiveDuration, seriesSelector, url } from './common.js';
import { noData } from './threshold.js';
import { promqlSyntaxError } from '../../promql/parse.js';
import { rangeProblem } from '../../promql/reads.js';
import { atSampleWindow, hasWindow, SAMPLE_WINDOW, WINDOW_PLACEHOLDER } from '../../promql/window.js';
import { formatNumber } from '../../promql/number.js';

/** Below this, no burn-rate tier can stay above a burn of 1 and below a total outage (docs/slos.md, "Low objectives"). */
export const MIN_OBJECTIVE = 50;

/**
 * A percentage. At or below 1 it is almost surely a ratio (OpenSLO's `target: 0.999`); below
 * MIN_OBJECTIVE more than half the events may fail, and the tiers could not tell that budget
 * from a total outage.
 */
const objective = z
  .number({ error: 'must be a number (percent)' })
  .gt(0, { error: 'must be above 0 and below 100 (percent)' })
  .lt(100, { error: 'must be above 0 and below 100 (percent)' })
  .superRefine((v, ctx) => {
    if (v <= 0 || v >= 100) return;
    if (v <= 1) {
      const meant = v < 1 ? formatNumber(v * 100) : '99.9';
      ctx.addIssue({
        code: 'custom',
        message: `is ${formatNumber(v)}, which reads as ${formatNumber(v)}% (an error budget of ${formatNumber(100 - v)}%): objective is a percentage, not a ratio (did you mean ${meant}?)`,
      });
    } else if (v < MIN_OBJECTIVE) {
      ctx.addIssue({
        code: 'custom',
        message: `is ${formatNumber(v)}%: below ${MIN_OBJECTIVE}% more than half the events may fail, and a burn-rate alert cannot fire above the budget's rate while staying below a total outage (docs/slos.md, "Low objectives"); write the share of good events you promise (99.5, not 0.5), or watch a floor with a threshold (direction: 'below')`,
      });
    }
  });

/** A ratio or query SLI names its failed or its good events, never both. */
function exactlyOnePart(v: { errors?: unknown; good?: unknown }, ctx: z.RefinementCtx): void {
  if ((v.errors === undefined) === (v.good === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['errors'], message: 'give exactly one of `errors` or `good` next to `total`' });
  }
}

export const ratioSli = z
  .strictObject({
    /** Counter selector of failed events. Give `errors` or `good`, not both. */
    errors: seriesSelector.optional(),
    /** Counter selector of good events. */
    good: seriesSelector.optional(),
    /** Counter selector of all events. */
    total: seriesSelector,
    /**
     * Set true when `errors` (or `good`) and `total` are different metrics on purpose
     * (http_errors_total over http_requests_total); otherwise generate warns, as two names are
     * often a typo in one of them.
     */
    distinctMetrics: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine(exactlyOnePart);

export const latencySli = z.strictObject({
  /**
   * A classic histogram's base name and matchers, e.g. http_request_duration_seconds{job="api"};
   * with `native: true`, the native histogram's name and matchers.
   */
  histogram: histogramSelector,
  /** Seconds; for a classic histogram, one of its `le` bucket bounds. */
  threshold: z.number({ error: 'must be a number of seconds' }).positive({ error: 'must be a positive number of seconds' }),
  /** A native histogram (Prometheus --enable-feature=native-histograms): read with histogram_fraction(). */
  native: z.boolean({ error: 'must be true or false' }).optional(),
});

/**
 * An expression with the `$window` placeholder: required (one fixed range would read the same
 * window for every alert), and the PromQL grammar must accept the text once it is substituted.
 */
const windowQuery = z.string({ error: `must be a PromQL expression string with ${WINDOW_PLACEHOLDER}` }).superRefine((s, ctx) => {
  if (!hasWindow(s)) {
    ctx.addIssue({
      code: 'custom',
      message: `must contain the placeholder ${WINDOW_PLACEHOLDER} where the window goes, e.g. sum(rate(http_requests_total{job="api"}[${WINDOW_PLACEHOLDER}])); sloforge writes it once per alert window`,
    });
    return;
  }
  const expr = atSampleWindow(s);
  const problem = promqlSyntaxError(expr) ?? rangeProblem(expr);
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem} (with ${WINDOW_PLACEHOLDER} = ${SAMPLE_WINDOW})` });
});

export const querySli = z
  .strictObject({
    /** Failed events over `$window` (a count or a rate). Give `errors` or `good`, not both. */
    errors: windowQuery.optional(),
    /** Good events over `$window`, in the same unit as `total`. */
    good: windowQuery.optional(),
    /** All events over `$window`. */
    total: windowQuery,
  })
  .superRefine(exactlyOnePart);

export const boolGaugeSli = z.strictObject({
  /** A gauge that is 1 when good and 0 when not, e.g. probe_success{job="blackbox"}. */
  series: seriesSelector,
});

// An object with one kind key rather than a z.union, so errors inside a kind name their field.
const sliKinds = z.strictObject({
  ratio: ratioSli.optional(),
  latency: latencySli.optional(),
  query: querySli.optional(),
  boolGauge: boolGaugeSli.optional(),
});

/** Every SLI kind, read off the schema, so a kind added there is one here (and in `SliCase`, src/config/kinds.ts). */
export const SLI_KINDS = Object.keys(sliKinds.shape) as Array<keyof typeof sliKinds.shape>;

export const sli = sliKinds.refine((v) => SLI_KINDS.filter((k) => v[k] !== undefined).length === 1, {
  error:
    'must have exactly one kind: { ratio: { errors|good, total } }, { latency: { histogram, threshold, native? } }, { query: { errors|good, total } } or { boolGauge: { series } }',
});

export const sloAlerting = z
  .strictObject({
    runbook: url.optional(),
    /** Name of a remediation declared in the config's `remediations`. */
    remediation: name.optional(),
    /**
     * The tiers whose alerts start the remediation: ['page'] (the default), ['ticket'] or both.
     * People get one notification per incident either way (docs/remediation.md).
     */
    remediationTiers: z
      .array(z.enum(['page', 'ticket'], { error: "must be 'page' or 'ticket'" }), {
        error: "must be a list of tiers: ['page'], ['ticket'] or ['page', 'ticket']",
      })
      .min(1, { error: 'must name at least one tier (leave remediation out for none)' })
      .superRefine((tiers, ctx) => {
        tiers.forEach((t, i) => {
          if (tiers.indexOf(t) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `names "${t}" twice` });
        });
      })
      .optional(),
    /** Extra labels on this SLO's alerts. */
    labels: z.record(z.string(), z.string()).optional(),
    /** Set false to record the SLO without alerting on it. */
    enabled: z.boolean().optional(),
    /** Set false to drop the page (critical, fast burn) alert; its recordings stay. */
    page: z.boolean({ error: 'must be true or false' }).optional(),
    /** Set false to drop the ticket (warning, slow burn) alert; its recordings stay. */
    ticket: z.boolean({ error: 'must be true or false' }).optional(),
    /** The companion alert raised when the SLI's total series are absent. */
    noData: noData.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.remediationTiers === undefined) {
      if (a.remediation !== undefined && a.page === false && a.enabled !== false) {
        ctx.addIssue({
          code: 'custom',
          path: ['remediation'],
          message:
            "runs on the page tier unless remediationTiers says otherwise, and page: false switches that tier off; say remediationTiers: ['ticket']",
        });
      }
      return;
    }
    if (a.remediation === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['remediationTiers'],
        message: 'says which tiers start a remediation, but alerting.remediation names none',
      });
      return;
    }
    a.remediationTiers.forEach((t, i) => {
      if (a[t] === false || a.enabled === false)
        ctx.addIssue({
          code: 'custom',
          path: ['remediationTiers', i],
          message: `is "${t}", but that tier does not alert (${a.enabled === false ? 'enabled: false' : `${t}: false`}), so it would never start the remediation`,
        });
    });
  });

export const slo = z.strictObject({
  name,
  objective,
  period: positiveDuration.optional(),
  description: z.string().optional(),
  sli,
  /**
   * Labels to compute the SLI per value of (`sum by (...)`): one burn-rate alert per route or
   * tenant, each carrying its labels.
   */
  groupBy: z
    .array(z.string({ error: 'must be a label name' }).regex(LABEL_NAME_RE, { error: 'must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)' }), {
      error: 'must be a list of label names',
    })
    .min(1, { error: 'must name at least one label (leave groupBy out for one SLI over every series)' })
    .superRefine((labels, ctx) => {
      labels.forEach((l, i) => {
        if (labels.indexOf(l) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `names "${l}" twice` });
      });
    })
    .optional(),
  alerting: sloAlerting.optional(),
});

export { duration };
