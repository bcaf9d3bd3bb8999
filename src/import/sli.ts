// Turns the queries of an imported SLI into a sloforge `ratio` or `latency` SLI, only where the
// meaning is kept exactly; anything else fails with the field that could not be mapped.
import type { SloInput } from '../config/define.js';
import type { Selector } from '../promql/parse.js';
import { formatSelector } from '../promql/parse.js';
import { analyseQuery, analyseRatio, sameSelector, type CounterRead, type QueryOptions, type QueryShape } from '../promql/query.js';
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
    throw new ImportFailure({ ...where, field: q.field }, `must read one counter; a difference of two is only understood in an error query as "total - good"`);
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
function latency(good: Selector, total: Selector): SliInput | undefined {
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
function fromShapes(where: Where, numerator: { field: string; shape: QueryShape; meaning: 'errors' | 'good' }, total: CounterRead, report: Report): SliInput {
  const { field, shape } = numerator;
  if (shape.kind === 'counter') {
    noteGrouping(where, field, shape.read, report);
    if (numerator.meaning === 'errors') return { ratio: { errors: shape.read.text, total: total.text } };
    return latency(shape.read.selector, total.selector) ?? { ratio: { good: shape.read.text, total: total.text } };
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
  return latency(good.selector, total.selector) ?? { ratio: { good: good.text, total: total.text } };
}

function shape(where: Where, q: SliQuery, opts: QueryOptions): QueryShape {
  const s = analyseQuery(query(where, q), opts);
  if (typeof s === 'string') throw new ImportFailure({ ...where, field: q.field }, s);
  return s;
}

export function mapSli(where: Where, q: SliQueries, opts: QueryOptions, report: Report): SliInput {
  const total = counter(where, q.total, opts, report);
  const numerator = q.good ?? q.errors;
  if (!numerator) throw new ImportFailure(where, 'needs an error (bad) or a good query next to the total');
  return fromShapes(where, { field: numerator.field, shape: shape(where, numerator, opts), meaning: q.good ? 'good' : 'errors' }, total, report);
}

/**
 * A ready-made ratio `A / B` (or `1 - A / B`) of two counters is the same SLI as A and B given
 * apart; any other ratio query cannot be split into the counters sloforge records.
 */
export function mapRatioSli(where: Where, q: SliQuery, meaning: 'errors' | 'good', opts: QueryOptions, report: Report): SliInput {
  const ratio = analyseRatio(query(where, q), opts);
  if (typeof ratio === 'string') {
    throw new ImportFailure({ ...where, field: q.field }, `${ratio}; sloforge needs the ${meaning === 'errors' ? 'error' : 'good'} and total counters, because it derives every window from recorded rates`);
  }
  noteGrouping(where, q.field, ratio.denominator, report);
  const flipped = ratio.complement ? (meaning === 'errors' ? 'good' : 'errors') : meaning;
  return fromShapes(where, { field: q.field, shape: ratio.numerator, meaning: flipped }, ratio.denominator, report);
}
