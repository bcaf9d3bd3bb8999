// PromQL for an SLI's error and total rates, whatever kind of SLI it is.
import type { Slo } from '../config/schema/config.js';
import { formatSelector, parseSelector, type Selector } from '../promql/parse.js';
import { formatNumber } from './number.js';

export interface SliQueries {
  /** Selectors of the raw series this SLI reads (for tests, no-data alerts and dashboards). */
  inputs: { bad?: Selector; good?: Selector; total: Selector };
  /** Events per second over `w`, aggregated to one series. */
  totalRate(w: string): string;
  /** Failed events per second over `w`, reading only the non-total counter, given the total rate. */
  errorRateGivenTotal(w: string, totalRate: string): string;
  /** Share of failed events over `w`, from the raw counters. */
  errorRatio(w: string): string;
}

function sel(text: string): Selector {
  const s = parseSelector(text);
  if (typeof s === 'string') throw new Error(`selector was not validated: ${text}`);
  return s;
}

const rate = (s: Selector, w: string) => `sum(rate(${formatSelector(s)}[${w}]))`;
// A counter such as errors{code=~"5.."} may not exist until the first failure: read it as 0
// rather than leave the SLI empty while the service is healthy.
const rateOrZero = (s: Selector, w: string) => `(${rate(s, w)} or vector(0))`;

/**
 * The `le` label is a string: Prometheus 2 keeps what the client exposed ("1", "0.3"),
 * Prometheus 3 writes whole numbers as "1.0". Match both.
 */
export function leMatcher(threshold: number): string {
  const text = formatNumber(threshold);
  const escaped = text.replace(/\./g, '\\.').replace(/\+/g, '\\+');
  return Number.isInteger(threshold) && !/e/i.test(text) ? `${escaped}(\\.0)?` : escaped;
}

export function sliQueries(slo: Slo): SliQueries {
  const { ratio, latency } = slo.sli;
  let good: Selector | undefined;
  let bad: Selector | undefined;
  let total: Selector;
  if (ratio) {
    total = sel(ratio.total);
    if (ratio.errors !== undefined) bad = sel(ratio.errors);
    else good = sel(ratio.good!);
  } else {
    const h = sel(latency!.histogram);
    total = { metric: `${h.metric}_count`, matchers: h.matchers };
    good = { metric: `${h.metric}_bucket`, matchers: [...h.matchers, { name: 'le', op: '=~', value: leMatcher(latency!.threshold) }] };
  }
  return {
    inputs: { bad, good, total },
    totalRate: (w) => rate(total, w),
    errorRateGivenTotal: (w, totalRate) => (bad ? rateOrZero(bad, w) : `${totalRate} - ${rateOrZero(good!, w)}`),
    errorRatio: (w) => (bad ? `${rateOrZero(bad, w)}\n/\n${rate(total, w)}` : `1 - ${rateOrZero(good!, w)}\n/\n${rate(total, w)}`),
  };
}
