// What an SLI reads, whatever its kind: the one place targets and checks ask instead of reaching
// into each kind's fields.
import { atSampleWindow } from '../promql/window.js';
import { exprSelectors } from '../promql/reads.js';
import { counterRatio } from '../promql/query.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import type { PartMeaning, QueryFeed, SliModel } from './types.js';

/** The selectors inside an expression that parse as plain selectors (`{job="x"}` alone does not). */
export function selectorsOf(expr: string): Selector[] {
  return exprSelectors(expr)
    .map((t) => parseSelector(t))
    .filter((s): s is Selector => typeof s !== 'string');
}

/** Every raw series selector the SLI's rules read. */
export function sliReads(sli: SliModel): Selector[] {
  switch (sli.kind) {
    case 'ratio':
      return [sli.part, sli.total];
    case 'latency':
      return [sli.bucket, sli.count];
    case 'nativeLatency':
      return [sli.histogram];
    case 'boolGauge':
      return [sli.series];
    case 'query':
      return [...selectorsOf(atSampleWindow(sli.part)), ...selectorsOf(atSampleWindow(sli.total))];
  }
}

/**
 * Selectors whose absence blinds the SLI: its total (a part may rightly be missing, such as an
 * error counter before the first failure), and a classic histogram's bucket at the threshold
 * (missing when the threshold is no bucket bound).
 */
export function sliInputs(sli: SliModel): Selector[] {
  switch (sli.kind) {
    case 'ratio':
      return [sli.total];
    case 'latency':
      return [sli.count, sli.bucket];
    case 'nativeLatency':
      return [sli.histogram];
    case 'boolGauge':
      return [sli.series];
    case 'query':
      return selectorsOf(atSampleWindow(sli.total));
  }
}

/** A query SLI's counters, when sloforge recognises them (see `counterRatio`). */
export function queryFeed(meaning: PartMeaning, part: string, total: string): QueryFeed | undefined {
  const r = counterRatio(meaning, atSampleWindow(part), atSampleWindow(total));
  return r && { part: r.part, total: r.total, meaning: r.meaning };
}
