// PromQL for an SLI's error and total rates, whatever kind of SLI it is. Each kind reduces to a
// total and a part (bad or good events) per window, summed to one series per SLO, or one per
// group (`sum by (<groupBy>)`); the generic combination below turns them into error rates and
// ratios. A kind whose error share is no simple part over total (a native histogram's fraction)
// gives its own.
import type { PartMeaning, SliModel, SloModel } from '../model/types.js';
import { moveLabels } from '../promql/labels.js';
import { formatSelector, type Selector } from '../promql/parse.js';
import { formatNumber } from '../promql/number.js';
import { atWindow } from '../promql/window.js';

export interface SliQueries {
  /** Events per window `w` (per second for counters), aggregated to one series (per group). */
  totalRate(w: string): string;
  /** Failed events over `w`, reading only the non-total part, given the total rate. */
  errorRateGivenTotal(w: string, totalRate: string): string;
  /** Share of failed events over `w`, from the raw series. */
  errorRatio(w: string): string;
}

/** `sum(x)`, or `sum by (a, b) (x)` for a grouped SLO (or another aggregation `op`). */
export function aggregate(groupBy: readonly string[], inner: string, op: 'sum' | 'avg' = 'sum'): string {
  return groupBy.length === 0 ? `${op}(${inner})` : `${op} by (${groupBy.join(', ')}) (${inner})`;
}

/** How an SLO groups: the labels as its recordings carry them, and the series' own names of the renamed ones. */
export type Grouping = Pick<SloModel, 'groupBy' | 'groupSource'>;

const NOT_GROUPED: Grouping = { groupBy: [], groupSource: {} };

/**
 * Raw series summed per group: by the series' own labels, then any label sloforge sets itself
 * (`service`) moved to the name its recordings carry (`exported_service`). The move comes after
 * the sum, so it touches one series per group.
 */
export function groupSum(g: Grouping, inner: string, op: 'sum' | 'avg' = 'sum'): string {
  return moveLabels(aggregate(seriesLabels(g), inner, op), g.groupSource);
}

/** The grouping labels as the raw series carry them. */
export function seriesLabels(g: Grouping): string[] {
  return g.groupBy.map((l) => g.groupSource[l] ?? l);
}

/** What each kind reads per window, before aggregation. */
interface Parts {
  total: (w: string) => string;
  part: (w: string) => string;
  meaning: PartMeaning;
}

const rate = (s: Selector, w: string) => `rate(${formatSelector(s)}[${w}])`;

function partsOf(sli: Exclude<SliModel, { kind: 'nativeLatency' }>): Parts {
  switch (sli.kind) {
    case 'ratio':
      return { total: (w) => rate(sli.total, w), part: (w) => rate(sli.part, w), meaning: sli.meaning };
    case 'latency':
      return { total: (w) => rate(sli.count, w), part: (w) => rate(sli.bucket, w), meaning: 'good' };
    case 'query':
      return { total: (w) => atWindow(sli.total, w), part: (w) => atWindow(sli.part, w), meaning: sli.meaning };
    case 'boolGauge': {
      // Every sample is one event, 1 good: the good share is the gauge's mean over the window,
      // and both sums stay additive over time, so long windows can still derive from short ones.
      const s = formatSelector(sli.series);
      return { total: (w) => `count_over_time(${s}[${w}])`, part: (w) => `sum_over_time(${s}[${w}])`, meaning: 'good' };
    }
  }
}

export function sliQueries(sli: SliModel, grouping: Grouping = NOT_GROUPED): SliQueries {
  const { groupBy } = grouping;
  const agg = (inner: string) => groupSum(grouping, inner);
  // A part such as errors{code=~"5.."} may not exist until the first failure: read it as 0 rather
  // than leave the SLI empty while the service is healthy. `vector(0)` has no labels, so a grouped
  // SLO takes 0 times its total instead, which keeps each group's labels.
  const zero = (totalRate: string) => (groupBy.length === 0 ? 'vector(0)' : `0 * ${totalRate}`);
  if (sli.kind === 'nativeLatency') {
    // Labels move on the float results: the histogram sums stay as Prometheus aggregated them.
    const h = (w: string) => aggregate(seriesLabels(grouping), rate(sli.histogram, w));
    const moved = (expr: string) => moveLabels(expr, grouping.groupSource);
    const slow = (w: string) => `(1 - ${moved(`histogram_fraction(0, ${formatNumber(sli.threshold)}, ${h(w)})`)})`;
    return {
      totalRate: (w) => moved(`histogram_count(${h(w)})`),
      // An empty window makes the fraction NaN, which would poison every sum_over_time that
      // derives a long window from this recording: `>= 0` drops it, and the fallback reads 0.
      errorRateGivenTotal: (w, totalRate) => `(${totalRate} * ${slow(w)} >= 0 or ${zero(totalRate)})`,
      errorRatio: (w) => slow(w).slice(1, -1),
    };
  }
  const p = partsOf(sli);
  const orZero = (w: string, totalRate: string) => `(${agg(p.part(w))} or ${zero(totalRate)})`;
  return {
    totalRate: (w) => agg(p.total(w)),
    errorRateGivenTotal: (w, totalRate) => (p.meaning === 'bad' ? orZero(w, totalRate) : `${totalRate} - ${orZero(w, totalRate)}`),
    errorRatio: (w) => {
      const total = agg(p.total(w));
      return p.meaning === 'bad' ? `${orZero(w, total)}\n/\n${total}` : `1 - ${orZero(w, total)}\n/\n${total}`;
    },
  };
}
