// The series of a classic histogram, from its base name and matchers.
import { formatNumber } from './number.js';
import type { LabelMatcher, Selector } from './parse.js';

/**
 * The `le` label is a string: Prometheus 2 keeps what the client exposed ("1", "0.3"),
 * Prometheus 3 writes whole numbers as "1.0". Match both.
 */
export function leMatcher(bound: number): string {
  const text = formatNumber(bound);
  const escaped = text.replace(/\./g, '\\.').replace(/\+/g, '\\+');
  return Number.isInteger(bound) && !/e/i.test(text) ? `${escaped}(\\.0)?` : escaped;
}

/** A histogram's `_bucket`, `_count`... series with the user's matchers. */
export function histogramPart(histogram: Selector, suffix: string, extra: readonly LabelMatcher[] = []): Selector {
  return { metric: `${histogram.metric}${suffix}`, matchers: [...histogram.matchers, ...extra] };
}

/** The bucket counting observations up to `bound`. */
export function bucketAt(histogram: Selector, bound: number): Selector {
  return histogramPart(histogram, '_bucket', [{ name: 'le', op: '=~', value: leMatcher(bound) }]);
}
