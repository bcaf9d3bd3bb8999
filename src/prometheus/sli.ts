// PromQL for an SLI's error and total rates, whatever kind of SLI it is.
import type { SliModel } from '../model/types.js';
import { formatSelector, type Selector } from '../promql/parse.js';

export interface SliQueries {
  /** Events per second over `w`, aggregated to one series. */
  totalRate(w: string): string;
  /** Failed events per second over `w`, reading only the non-total counter, given the total rate. */
  errorRateGivenTotal(w: string, totalRate: string): string;
  /** Share of failed events over `w`, from the raw counters. */
  errorRatio(w: string): string;
}

const rate = (s: Selector, w: string) => `sum(rate(${formatSelector(s)}[${w}]))`;
// A counter such as errors{code=~"5.."} may not exist until the first failure: read it as 0
// rather than leave the SLI empty while the service is healthy.
const rateOrZero = (s: Selector, w: string) => `(${rate(s, w)} or vector(0))`;

export function sliQueries(sli: SliModel): SliQueries {
  const { bad, good, total } = sli;
  return {
    totalRate: (w) => rate(total, w),
    errorRateGivenTotal: (w, totalRate) => (bad ? rateOrZero(bad, w) : `${totalRate} - ${rateOrZero(good!, w)}`),
    errorRatio: (w) => (bad ? `${rateOrZero(bad, w)}\n/\n${rate(total, w)}` : `1 - ${rateOrZero(good!, w)}\n/\n${rate(total, w)}`),
  };
}
