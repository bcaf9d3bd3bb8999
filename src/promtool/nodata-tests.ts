// promtool tests for every no-data alert of a service (its SLOs' and its thresholds').
import { MINUTE_MS, parseDuration } from '../config/duration.js';
import { NODATA_ALERTS } from '../conventions.js';
import type { NoDataModel, ServiceModel } from '../model/types.js';
import { labelText } from '../promql/labels.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { groupValues, seriesText } from '../promql/series.js';
import { noDataAlertLabels, noDataSubjects } from '../prometheus/nodata.js';
import { decoySeries } from './decoys.js';
import { invent } from './drivers.js';
import type { PromqlExprTest, TestGroup } from './file.js';
import { alertsTest, at, TEST_INTERVAL_MS } from './notation.js';
import { InternalError } from '../errors.js';

/**
 * Label values of the two groups a grouped SLO's no-data tests feed, as the alerts carry them
 * (`labels`) and as the series do (`series`); one unlabelled group otherwise.
 */
function groupsOf(nd: NoDataModel, fed: readonly Selector[]): Array<{ labels: Record<string, string>; series: Record<string, string> }> {
  const g = nd.perGroup;
  if (!g) return [{ labels: {}, series: {} }];
  const values = g.by.map((label) => {
    const own = g.source[label] ?? label;
    const v = groupValues(fed, own, 2);
    if (typeof v === 'string') throw new InternalError(`validation let through a grouping label no test can split: ${v}`);
    return { label, own, v };
  });
  return [0, 1].map((i) => ({
    labels: Object.fromEntries(values.map(({ label, v }) => [label, v[i]!])),
    series: Object.fromEntries(values.map(({ own, v }) => [own, v[i]!])),
  }));
}

interface Fed {
  nd: NoDataModel;
  /** The inputs' selectors. */
  selectors: Selector[];
  /** Series per group. */
  groups: Array<{ labels: Record<string, string>; series: string[] }>;
}

/**
 * Every input present for twenty minutes, then gone: each subject's alert fires its wait later,
 * not before (a grouped SLO's once per group that vanished, and once for nothing reporting at
 * all). A second scenario starts with no inputs at all, as a fresh Prometheus does before its
 * first scrape, and feeds them a little before the alert's `for:` runs out: nothing fires. For
 * grouped SLOs, a third: one group stops while the other goes on, and only the first alerts.
 */
export function noDataGroups(svc: ServiceModel): TestGroup[] {
  const present = 20;
  const series = new Set<string>();
  const vanish: PromqlExprTest[] = [];
  const cold: PromqlExprTest[] = [];
  let coldStartMin = Infinity;
  const fedSubjects: Fed[] = [];
  for (const nd of noDataSubjects(svc)) {
    const fed = nd.inputs.map((text) => parseSelector(text)).filter((x): x is Selector => typeof x !== 'string');
    if (fed.length === 0) continue;
    const groups = groupsOf(nd, fed).map(({ labels, series: own }) => ({
      labels,
      series: fed.map((sel) => {
        const s = invent(sel);
        return seriesText({ ...s, labels: { ...s.labels, ...own } });
      }),
    }));
    for (const g of groups) for (const s of g.series) series.add(s);
    fedSubjects.push({ nd, selectors: fed, groups });
    coldStartMin = Math.min(coldStartMin, Math.floor(nd.pendingMs / MINUTE_MS) - 1);
  }
  if (fedSubjects.length === 0) return [];
  const oneGone: PromqlExprTest[] = [];
  const oneGoneSeries = new Map<string, string>();
  for (const { nd, groups } of fedSubjects) {
    const W = Math.ceil(nd.waitMs / TEST_INTERVAL_MS);
    const labels = noDataAlertLabels(svc, nd);
    delete labels.alertname;
    const filter = { service: svc.name, [nd.kind]: nd.name };
    const check = (m: number, firing: boolean) => alertsTest(NODATA_ALERTS[nd.kind], filter, labels, m * MINUTE_MS, firing);
    const firingAt = present - 1 + W + 2;
    if (nd.perGroup) {
      // Each vanished group alerts with its labels, and the whole SLO once without.
      const all = [{}, ...groups.map((g) => g.labels)].map((extra) => ({ ...labels, ...extra }));
      vanish.push(check(present - 10, false), check(present - 1 + W - 1, false), samplesTest(nd, filter, all, firingAt));
      const [gone, stays] = groups as [Fed['groups'][number], Fed['groups'][number]];
      for (const s of gone.series) oneGoneSeries.set(s, `1+0x${present - 1}`);
      for (const s of stays.series) oneGoneSeries.set(s, `1+0x${firingAt + 5}`);
      oneGone.push(samplesTest(nd, filter, [], present - 1 + W - 1), samplesTest(nd, filter, [{ ...labels, ...gone.labels }], firingAt));
    } else {
      vanish.push(check(present - 10, false), check(present - 1 + W - 1, false), check(firingAt, true));
    }
    // Inputs arrive at minute coldStartMin. Just before, the inputs have been absent since the
    // start, which a lookback alone would already report; the `for:` keeps it pending.
    cold.push(check(coldStartMin - 1, false), check(2 * coldStartMin + 1, false));
  }
  const sorted = [...series].sort();
  const decoys = decoysOf(fedSubjects);
  const groups: TestGroup[] = [
    {
      name: `${svc.name}: no-data alerts fire their wait after the inputs vanish, not before, although series that differ in one label (decoys) go on`,
      interval: at(TEST_INTERVAL_MS),
      input_series: [
        ...sorted.map((s) => ({ series: s, values: `1+0x${present - 1}` })),
        ...decoys.map((s) => ({ series: s, values: `1+0x${present + Math.max(...vanish.map((v) => minutesOf(v.eval_time)))}` })),
      ],
      promql_expr_test: vanish,
    },
  ];
  const alone = eachInputAlone(svc, fedSubjects);
  if (alone) groups.push(alone);
  if (coldStartMin >= 1) {
    groups.push({
      name: `${svc.name}: a cold start whose inputs arrive within ${coldStartMin}m raises no no-data alert`,
      interval: at(TEST_INTERVAL_MS),
      input_series: sorted.map((s) => ({ series: s, values: `_x${coldStartMin} 1+0x${2 * coldStartMin + 2}` })),
      promql_expr_test: cold,
    });
  }
  if (oneGone.length > 0) {
    groups.push({
      name: `${svc.name}: one group of a grouped SLO stops reporting: its no-data alert fires for that group alone`,
      interval: at(TEST_INTERVAL_MS),
      input_series: [...oneGoneSeries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, values]) => ({ series: s, values })),
      promql_expr_test: oneGone,
    });
  }
  return groups;
}

const minutesOf = (text: string) => Math.round(parseDuration(text)! / MINUTE_MS);

/** Decoys of every input, except those some subject's input reads. */
function decoysOf(subjects: readonly Fed[]): string[] {
  const seen = subjects
    .flatMap((f) => (f.nd.perGroup?.pairs ?? []).map((p) => parseSelector(p.seen)))
    .filter((x): x is Selector => typeof x !== 'string');
  const readers = [...subjects.flatMap((f) => f.selectors), ...seen];
  // A grouped SLO's decoy would lack the grouping label and count as a group of its own.
  const own = subjects.filter((f) => !f.nd.perGroup);
  return [...new Set(own.flatMap((f) => f.selectors.flatMap((sel) => decoySeries(sel, readers).map(seriesText))))].sort();
}

/**
 * For subjects with several inputs (a latency SLO's count and bucket): each input vanishes
 * alone, in turn, while the others and the decoys go on, and the alert fires its wait later;
 * the input comes back and the alert stops. A rule that forgot an input, or reads it under a
 * looser selector, stays silent.
 */
function eachInputAlone(svc: ServiceModel, fed: readonly Fed[]): TestGroup | undefined {
  const subjects = fed.filter((f) => !f.nd.perGroup && f.selectors.length > 1);
  if (subjects.length === 0) return undefined;
  const lead = 5;
  const inputs: Array<{ series: string; values: string }> = [];
  const tests: PromqlExprTest[] = [];
  let end = 0;
  const plans = subjects.map((f) => {
    const W = Math.ceil(f.nd.waitMs / TEST_INTERVAL_MS);
    const labels = noDataAlertLabels(svc, f.nd);
    delete labels.alertname;
    const check = (m: number, firing: boolean) =>
      alertsTest(NODATA_ALERTS[f.nd.kind], { service: svc.name, [f.nd.kind]: f.nd.name }, labels, m * MINUTE_MS, firing);
    // Input i is absent from minute gone(i) for W + 3 minutes.
    const gone = (i: number) => lead + i * (W + 6);
    f.groups[0]!.series.forEach((_, i) => {
      tests.push(check(gone(i) - 1 + W - 1, false), check(gone(i) - 1 + W + 2, true), check(gone(i) + W + 4, false));
    });
    end = Math.max(end, gone(f.selectors.length) + 1);
    return { f, W, gone };
  });
  for (const { f, W, gone } of plans) {
    f.groups[0]!.series.forEach((s, i) => {
      const back = gone(i) + W + 3;
      inputs.push({ series: s, values: `1+0x${gone(i) - 1} _x${back - gone(i)} 1+0x${end - back}` });
    });
  }
  const decoys = decoysOf(subjects);
  return {
    name: `${svc.name}: each input of ${subjects.map((f) => f.nd.name).join(', ')} vanishes alone, beside its decoys: the no-data alert fires its wait later, and stops when it is back`,
    interval: at(TEST_INTERVAL_MS),
    input_series: [...inputs, ...decoys.map((s) => ({ series: s, values: `1+0x${end}` }))],
    promql_expr_test: tests,
  };
}

/** ALERTS of one no-data subject, firing, with exactly these label sets. */
function samplesTest(
  nd: NoDataModel,
  filter: Record<string, string>,
  labelSets: Array<Record<string, string>>,
  minute: number,
): PromqlExprTest {
  const base = alertsTest(NODATA_ALERTS[nd.kind], filter, {}, minute * MINUTE_MS, false);
  const samples = labelSets
    .map((l) => labelText({ __name__: 'ALERTS', alertname: NODATA_ALERTS[nd.kind], alertstate: 'firing', ...l }))
    .sort();
  return { ...base, exp_samples: samples.map((labels) => ({ labels, value: 1 })) };
}
