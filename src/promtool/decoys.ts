// Decoys: series a rule must not read, fed beside the ones it must. One per label matcher of a
// selector, accepted by every other matcher and refused by that one (another `job`, `code`,
// `le`, group value): a rule that lost the matcher reads it, and the scenario's outcome changes.
import { selectorMatches } from '../promql/match.js';
import type { Selector } from '../promql/parse.js';
import { inventSeries, seriesText, type ConcreteSeries } from '../promql/series.js';

/** The decoys of `sel`, leaving out any that a selector in `readers` matches (those prove nothing, and could disturb it). */
export function decoySeries(sel: Selector, readers: readonly Selector[]): ConcreteSeries[] {
  const out: ConcreteSeries[] = [];
  const seen = new Set<string>();
  for (const m of sel.matchers) {
    const d = inventSeries([{ metric: sel.metric, matchers: sel.matchers.filter((o) => o !== m) }], { metric: sel.metric, matchers: [m] });
    if (typeof d === 'string' || seen.has(seriesText(d))) continue;
    if (readers.some((r) => selectorMatches(r, d.metric, d.labels))) continue;
    seen.add(seriesText(d));
    out.push(d);
  }
  return out;
}
