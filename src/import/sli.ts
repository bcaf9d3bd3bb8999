// Turns the queries of an imported SLI into a sloforge SLI, only where the meaning is kept
// exactly: counters become a `ratio` or `latency` SLI (whose series tests can invent), a gauge's
// mean a `boolGauge`, and other PromQL with a window placeholder a `query` SLI taken as written.
// Anything else fails with the field that could not be mapped.
import type { SloInput } from '../config/define.js';
import type { Selector } from '../promql/parse.js';
import { formatSelector } from '../promql/parse.js';
import {
  analyseQuery,
  analyseRatio,
  gaugeAverage,
  gaugeMean,
  sameSelector,
  splitRatio,
  type CounterRead,
  type GaugeAverage,
  type QueryOptions,
  type QueryShape,
} from '../promql/query.js';
import { promqlSyntaxError } from '../promql/parse.js';
import { rangeProblem } from '../promql/reads.js';
import { atSampleWindow, hasWindow, WINDOW_PLACEHOLDER } from '../promql/window.js';
import { ImportFailure, type Report, type Where } from './report.js';

export interface SliQuery {
  /** Field path in the source spec, for messages. */
  field: string;
  query: unknown;
}

export interface SliQueries {
  errors?: SliQuery;
  good?: SliQuery;
  total: SliQuery;
}

type SliInput = SloInput['sli'];

function query(where: Where, q: SliQuery): string {
  if (typeof q.query !== 'string' || q.query.trim() === '') {
    throw new ImportFailure({ ...where, field: q.field }, 'must be a PromQL query string');
  }
  return q.query;
}

function counter(where: Where, q: SliQuery, opts: QueryOptions, report: Report): CounterRead {
  const shape = analyseQuery(query(where, q), opts);
  if (typeof shape === 'string') throw new ImportFailure({ ...where, field: q.field }, shape);
  if (shape.kind !== 'counter') {
    throw new ImportFailure(
      { ...where, field: q.field },
      `must read one counter; a difference of two is only understood in an error query as "total - good"`,
    );
  }
  noteGrouping(where, q.field, shape.read, report);
  return shape.read;
}

function noteGrouping(where: Where, field: string, read: CounterRead, report: Report): void {
  if (read.grouping === undefined) return;
  report.note({ ...where, field }, `"sum ${read.grouping}" dropped: sloforge computes one ratio per SLO over all series of ${read.text}`);
}

/**
 * `le` of a histogram bucket whose other matchers equal the `_count` (or `le="+Inf"` bucket) it is
 * compared with: then the SLI is sloforge's `latency` kind, which also matches "1" and "1.0".
 */
export function latencySli(good: Selector, total: Selector): SliInput | undefined {
  if (!good.metric.endsWith('_bucket')) return undefined;
  const base = good.metric.slice(0, -'_bucket'.length);
  const le = good.matchers.filter((m) => m.name === 'le');
  const rest = good.matchers.filter((m) => m.name !== 'le');
  if (le.length !== 1 || le[0]!.op !== '=') return undefined;
  const threshold = Number(le[0]!.value);
  if (!Number.isFinite(threshold) || threshold <= 0) return undefined;
  const histogram = { metric: base, matchers: rest };
  const totalIsCount = sameSelector(total, { metric: `${base}_count`, matchers: rest });
  const totalIsInf = sameSelector(total, { metric: `${base}_bucket`, matchers: [...rest, { name: 'le', op: '=', value: '+Inf' }] });
  if (!totalIsCount && !totalIsInf) return undefined;
  return { latency: { histogram: formatSelector(histogram), threshold } };
}

/** An error or good shape over a total counter: the one place that decides ratio or latency. */
function fromShapes(
  where: Where,
  numerator: { field: string; shape: QueryShape; meaning: 'errors' | 'good' },
  total: CounterRead,
  report: Report,
): SliInput {
  const { field, shape } = numerator;
  if (shape.kind === 'counter') {
    noteGrouping(where, field, shape.read, report);
    if (numerator.meaning === 'errors') return { ratio: { errors: shape.read.text, total: total.text } };
    return latencySli(shape.read.selector, total.selector) ?? { ratio: { good: shape.read.text, total: total.text } };
  }
  // errors = total - good: the usual way to write a latency SLO as events in Sloth.
  if (numerator.meaning === 'good' || !sameSelector(shape.minuend.selector, total.selector)) {
    throw new ImportFailure(
      { ...where, field },
      `is a difference A - B whose A (${shape.minuend.text}) is not the total counter (${total.text}); sloforge can only read an error count as total - good`,
    );
  }
  noteGrouping(where, field, shape.subtrahend, report);
  const good = shape.subtrahend;
  return latencySli(good.selector, total.selector) ?? { ratio: { good: good.text, total: total.text } };
}

function shape(where: Where, q: SliQuery, opts: QueryOptions): QueryShape {
  const s = analyseQuery(query(where, q), opts);
  if (typeof s === 'string') throw new ImportFailure({ ...where, field: q.field }, s);
  return s;
}

/** Sloth's `{{.window}}` as sloforge's placeholder. */
const SLOTH_WINDOW_RE = /\{\{\s*\.window\s*\}\}/g;

/**
 * A query as a `query` SLI expression: Sloth's window placeholder becomes `$window`, and the
 * result must be what sloforge's own validation accepts (the placeholder, PromQL that parses).
 */
function windowQuery(where: Where, q: SliQuery, why: string): string {
  const text = query(where, q).replace(SLOTH_WINDOW_RE, WINDOW_PLACEHOLDER).trim();
  const at = { ...where, field: q.field };
  const sample = atSampleWindow(text);
  const syntax = promqlSyntaxError(sample);
  if (syntax) throw new ImportFailure(at, `${syntax} (MetricsQL and other dialects are not PromQL)`);
  if (!hasWindow(text)) {
    throw new ImportFailure(
      at,
      `${why}, and it has no {{.window}} placeholder, which a query SLI needs to be written once per alert window: ${JSON.stringify(text)}`,
    );
  }
  const range = rangeProblem(sample);
  if (range) throw new ImportFailure(at, `${why}; as a query SLI it ${range}`);
  return text;
}

/**
 * Expressions that are no counters sloforge recognises, kept as a `query` SLI: Sloth's events
 * are exactly an error (or good) count over a total count per window, which is what a query SLI
 * computes. The report says no generated test can feed it.
 */
function querySli(where: Where, part: { q: SliQuery; meaning: 'errors' | 'good' }, total: SliQuery, why: string, report: Report): SliInput {
  const partText = windowQuery(where, part.q, why);
  const totalText = windowQuery(where, total, why);
  report.note(
    { ...where, field: part.q.field },
    `kept as PromQL (sli.query): ${why}; sloforge writes it once per window, and no generated promtool test can invent its series`,
  );
  return { query: part.meaning === 'errors' ? { errors: partText, total: totalText } : { good: partText, total: totalText } };
}

export function mapSli(where: Where, q: SliQueries, opts: QueryOptions, report: Report): SliInput {
  const numerator = q.good ?? q.errors;
  if (!numerator) throw new ImportFailure(where, 'needs an error (bad) or a good query next to the total');
  const meaning = q.good ? 'good' : 'errors';
  try {
    const total = counter(where, q.total, opts, report);
    return fromShapes(where, { field: numerator.field, shape: shape(where, numerator, opts), meaning }, total, report);
  } catch (err) {
    // Counters read as values (OpenSLO counter: true) have no window to put a placeholder in.
    if (!(err instanceof ImportFailure) || opts.counterValue) throw err;
    return querySli(where, { q: numerator, meaning }, q.total, 'the queries are no plain counter reads', report);
  }
}

/**
 * A ready-made ratio `A / B` (or `1 - A / B`) of two counters is the same SLI as A and B given
 * apart; any other ratio query cannot be split into the counters sloforge records.
 */
export function mapRatioSli(where: Where, q: SliQuery, meaning: 'errors' | 'good', opts: QueryOptions, report: Report): SliInput {
  const ratio = analyseRatio(query(where, q), opts);
  if (typeof ratio === 'string') {
    // Not two counters: still a ratio of two expressions, A / B, each additive over time.
    const parts = splitRatio(query(where, q));
    if (typeof parts === 'string') {
      const mean = gaugeAverage(query(where, q));
      if (mean) return gaugeAverageSli(where, q.field, mean, meaning, report);
      throw new ImportFailure(
        { ...where, field: q.field },
        `${parts}; sloforge needs the ${meaning === 'errors' ? 'error' : 'good'} and total parts apart, because it derives every window from recorded rates`,
      );
    }
    const flipped = parts.complement ? (meaning === 'errors' ? 'good' : 'errors') : meaning;
    const gauge = gaugeMean(parts.numerator, parts.denominator);
    if (gauge && flipped === 'good') {
      report.note(
        { ...where, field: q.field },
        "a gauge's mean over each window (sum_over_time / count_over_time): imported as sli.boolGauge, which computes exactly that; values between 0 and 1 count as partly good",
      );
      return { boolGauge: { series: formatSelector(gauge) } };
    }
    return querySli(
      where,
      { q: { field: q.field, query: parts.numerator }, meaning: flipped },
      { field: q.field, query: parts.denominator },
      'the ratio is no ratio of two counters',
      report,
    );
  }
  noteGrouping(where, q.field, ratio.denominator, report);
  const flipped = ratio.complement ? (meaning === 'errors' ? 'good' : 'errors') : meaning;
  return fromShapes(where, { field: q.field, shape: ratio.numerator, meaning: flipped }, ratio.denominator, report);
}

/**
 * A gauge's mean as the ratio (`1 - avg_over_time(probe_success[w])` as an error ratio): a
 * boolGauge SLI when the gauge counts good (1 good); the reverse has no sloforge form.
 */
function gaugeAverageSli(where: Where, field: string, mean: GaugeAverage, meaning: 'errors' | 'good', report: Report): SliInput {
  const goodGauge = (meaning === 'errors') === mean.complement;
  if (!goodGauge) {
    throw new ImportFailure(
      { ...where, field },
      `reads the mean of ${formatSelector(mean.selector)} so that 1 is a bad event; sloforge's sli.boolGauge needs a gauge that is 1 when good (a probe_success), so it cannot import this as it is`,
    );
  }
  report.note(
    { ...where, field },
    `a gauge's mean over each window: imported as sli.boolGauge of ${formatSelector(mean.selector)}, whose error ratio is the share of samples at 0${mean.averaged ? "; avg(...) averaged each series' mean, the boolGauge weighs every sample alike (the same when the series are scraped alike)" : ''}; values between 0 and 1 count as partly good`,
  );
  return { boolGauge: { series: formatSelector(mean.selector) } };
}
