// promtool tests for every no-data alert of a service (its SLOs' and its thresholds').
import { MINUTE_MS } from '../config/duration.js';
import { NODATA_ALERTS } from '../conventions.js';
import type { NoDataModel, ServiceModel } from '../model/types.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { seriesText } from '../promql/series.js';
import { noDataAlertLabels, noDataSubjects } from '../prometheus/nodata.js';
import { invent } from './drivers.js';
import type { PromqlExprTest, TestGroup } from './file.js';
import { alertsTest, at, TEST_INTERVAL_MS } from './notation.js';

/**
 * Every input present for half an hour, then gone: each subject's alert fires its wait later,
 * not before. A second scenario starts with no inputs at all, as a fresh Prometheus does before
 * its first scrape, and feeds them a little before the alert's `for:` runs out: nothing fires.
 */
export function noDataGroups(svc: ServiceModel): TestGroup[] {
  const present = 30;
  const series = new Set<string>();
  const vanish: PromqlExprTest[] = [];
  const cold: PromqlExprTest[] = [];
  let coldStartMin = Infinity;
  const fedSubjects: NoDataModel[] = [];
  for (const nd of noDataSubjects(svc)) {
    const fed = nd.inputs.map((text) => parseSelector(text)).filter((x): x is Selector => typeof x !== 'string');
    if (fed.length === 0) continue;
    for (const sel of fed) series.add(seriesText(invent(sel)));
    fedSubjects.push(nd);
    coldStartMin = Math.min(coldStartMin, Math.floor(nd.pendingMs / MINUTE_MS) - 1);
  }
  if (fedSubjects.length === 0) return [];
  for (const nd of fedSubjects) {
    const W = Math.ceil(nd.waitMs / TEST_INTERVAL_MS);
    const labels = noDataAlertLabels(svc, nd);
    delete labels.alertname;
    const filter = { service: svc.name, [nd.kind]: nd.name };
    const check = (m: number, firing: boolean) => alertsTest(NODATA_ALERTS[nd.kind], filter, labels, m * MINUTE_MS, firing);
    vanish.push(check(present - 10, false), check(present - 1 + W - 1, false), check(present - 1 + W + 2, true));
    // Inputs arrive at minute coldStartMin. Just before, the inputs have been absent since the
    // start, which a lookback alone would already report; the `for:` keeps it pending.
    cold.push(check(coldStartMin - 1, false), check(2 * coldStartMin + 1, false));
  }
  const sorted = [...series].sort();
  const groups: TestGroup[] = [{
    name: `${svc.name}: no-data alerts fire their wait after the inputs vanish, not before`,
    interval: at(TEST_INTERVAL_MS),
    input_series: sorted.map((s) => ({ series: s, values: `1+0x${present - 1}` })),
    promql_expr_test: vanish,
  }];
  if (coldStartMin >= 1) {
    groups.push({
      name: `${svc.name}: a cold start whose inputs arrive within ${coldStartMin}m raises no no-data alert`,
      interval: at(TEST_INTERVAL_MS),
      input_series: sorted.map((s) => ({ series: s, values: `_x${coldStartMin} 1+0x${2 * coldStartMin + 2}` })),
      promql_expr_test: cold,
    });
  }
  return groups;
}
