// promtool tests for every no-data alert of a service (its SLOs' and its thresholds'), on one
// timeline: promtool evaluates every rule of the service at every minute of every test group, so
// scenarios that each replayed their own minutes from zero cost the sum of their lengths.
import { MINUTE_MS } from '../config/duration.js';
import { NODATA_ALERTS } from '../conventions.js';
import type { NoDataModel, ServiceModel } from '../model/types.js';
import { labelText } from '../promql/labels.js';
import { selectorMatches } from '../promql/match.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { groupValues, seriesText, type ConcreteSeries } from '../promql/series.js';
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
  /** What the rules read: the inputs, and a grouped SLO's `seen` selectors. */
  readers: Selector[];
  /** Series per group, each once. */
  groups: Array<{ labels: Record<string, string>; series: ConcreteSeries[] }>;
  /** The no-data wait in evaluations. */
  W: number;
  /** The subject's ALERTS check at a minute: firing with its labels, or not at all. */
  check: (minute: number, firing: boolean) => PromqlExprTest;
  /** ALERTS of the subject at a minute, firing with exactly these extra label sets. */
  samples: (minute: number, extra: Array<Record<string, string>>) => PromqlExprTest;
}

/**
 * Minutes an input is absent in a vanish-and-return phase: its wait (the alert fires at its end,
 * or a minute before where a range leaves out its first instant), and the firing check a minute later.
 */
const gone = (W: number) => W + 2;
/** Minutes a phase takes: absent, then back for two samples before the next phase may begin. */
const phase = (W: number) => gone(W) + 2;

/**
 * One test group, minute by minute:
 *
 * 1. Cold start: no series at all, as a fresh Prometheus has before its first scrape; every input
 *    arrives a little before the shortest `for:` runs out, and nothing fires, then or one `for:`
 *    later (the pending state does not carry over).
 * 2. Each input of a subject that reads several (a latency SLO's count and bucket) vanishes alone,
 *    in turn, while the others and the decoys go on: the alert fires its wait later, not before,
 *    and stops when the input is back. For a grouped SLO, one group stops: the alert fires for
 *    that group alone, and stops when it reports again. Subjects run side by side unless one's
 *    gap could disturb the other's checks (`touches`): those run one after another.
 * 3. Every input vanishes for good while series that differ in one label (decoys) go on: each
 *    alert fires its wait later, not before (a grouped SLO's once per group and once for nothing
 *    reporting at all).
 *
 * Phase 2 may begin before the cold start's last check (or, without a cold start, a first check
 * with every input reporting): an input gone then still has its last sample inside every
 * lookback at that check, so each rule sees there what it would with every input present.
 */
export function noDataGroups(svc: ServiceModel): TestGroup[] {
  const subjects = fedSubjects(svc);
  if (subjects.length === 0) return [];
  const minutes = (ms: number) => Math.floor(ms / MINUTE_MS);
  const cold = Math.min(...subjects.map((f) => minutes(f.nd.pendingMs) - 1));
  const start = cold >= 1 ? cold : 0;
  // With no cold start, a first check once every lookback holds samples only.
  const quiet = cold >= 1 ? 2 * cold + 1 : Math.max(...subjects.map((f) => Math.ceil(f.nd.lookbackMs / MINUTE_MS)));
  const first = Math.max(start + 1, quiet + 2 - Math.min(...subjects.map((f) => minutes(f.nd.lookbackMs))));

  const tests: PromqlExprTest[] = [];
  for (const f of subjects) {
    if (cold >= 1) tests.push(f.check(cold - 1, false));
    tests.push(f.check(quiet, false));
  }

  const decoys = decoysOf(subjects);
  // Phase 2: the gaps [from, to) of each series, and when each scheduled subject's phase ends.
  const gaps = new Map<string, Array<[number, number]>>();
  const addGap = (s: ConcreteSeries, from: number, W: number) => {
    const key = seriesText(s);
    gaps.set(key, [...(gaps.get(key) ?? []), [from, from + gone(W)]]);
  };
  const scheduled: Array<{ f: Fed; end: number }> = [];
  const names = { alone: [] as string[], grouped: [] as string[] };
  for (const f of subjects) {
    const alone = !f.nd.perGroup && f.groups[0]!.series.length > 1;
    if (!alone && !f.nd.perGroup) continue;
    const base = Math.max(first, ...scheduled.filter((o) => touches(f, o.f, decoys)).map((o) => o.end));
    if (alone) {
      names.alone.push(f.nd.name);
      f.groups[0]!.series.forEach((s, i) => {
        const g = base + i * phase(f.W);
        addGap(s, g, f.W);
        tests.push(f.check(g + f.W - 2, false), f.check(g + f.W + 1, true), f.check(g + gone(f.W) + 1, false));
      });
      scheduled.push({ f, end: base + f.groups[0]!.series.length * phase(f.W) });
    } else {
      names.grouped.push(f.nd.name);
      const stops = f.groups[0]!;
      for (const s of stops.series) addGap(s, base, f.W);
      tests.push(f.samples(base + f.W - 2, []), f.samples(base + f.W + 1, [stops.labels]), f.samples(base + gone(f.W) + 1, []));
      scheduled.push({ f, end: base + phase(f.W) });
    }
  }

  // Phase 3.
  const vanish = Math.max(first, ...scheduled.map((o) => o.end));
  for (const f of subjects) {
    tests.push(f.check(vanish + f.W - 2, false));
    tests.push(f.nd.perGroup ? f.samples(vanish + f.W + 1, [{}, ...f.groups.map((g) => g.labels)]) : f.check(vanish + f.W + 1, true));
  }
  const last = Math.max(...subjects.map((f) => vanish + f.W + 1));

  const inputs = new Set(subjects.flatMap((f) => f.groups.flatMap((g) => g.series.map(seriesText))));
  const phases = [
    ...(cold >= 1 ? [`a cold start whose inputs arrive within ${cold}m raises none`] : []),
    ...(names.alone.length > 0
      ? [`each input of ${names.alone.join(', ')} vanishes alone and its alert fires its wait later, then stops when it is back`]
      : []),
    ...(names.grouped.length > 0
      ? [`one group of ${names.grouped.join(', ')} stops reporting and its alert fires for that group alone`]
      : []),
    'then every input vanishes: each alert fires its wait later, not before, although series that differ in one label (decoys) go on',
  ];
  return [
    {
      name: `${svc.name}: no-data alerts: ${phases.join('; ')}`,
      interval: at(TEST_INTERVAL_MS),
      input_series: [
        ...[...inputs].sort().map((s) => ({ series: s, values: presence(start, vanish - 1, gaps.get(s) ?? []) })),
        ...decoys.map((d) => ({ series: seriesText(d), values: presence(start, last, []) })),
      ],
      promql_expr_test: tests,
    },
  ];
}

/** Every subject with an input a test can feed, its series invented once. */
function fedSubjects(svc: ServiceModel): Fed[] {
  const out: Fed[] = [];
  for (const nd of noDataSubjects(svc)) {
    const selectors = nd.inputs.map((text) => parseSelector(text)).filter((x): x is Selector => typeof x !== 'string');
    if (selectors.length === 0) continue;
    const seen = (nd.perGroup?.pairs ?? []).map((p) => parseSelector(p.seen)).filter((x): x is Selector => typeof x !== 'string');
    const groups = groupsOf(nd, selectors).map(({ labels, series: own }) => {
      const series = new Map<string, ConcreteSeries>();
      for (const sel of selectors) {
        const s = invent(sel);
        const c = { ...s, labels: { ...s.labels, ...own } };
        series.set(seriesText(c), c);
      }
      return { labels, series: [...series.values()] };
    });
    const labels = noDataAlertLabels(svc, nd);
    delete labels.alertname;
    const filter = { service: svc.name, [nd.kind]: nd.name };
    out.push({
      nd,
      selectors,
      readers: [...selectors, ...seen],
      groups,
      W: Math.ceil(nd.waitMs / TEST_INTERVAL_MS),
      check: (m, firing) => alertsTest(NODATA_ALERTS[nd.kind], filter, labels, m * MINUTE_MS, firing),
      samples: (m, extra) =>
        samplesTest(
          nd,
          filter,
          extra.map((e) => ({ ...labels, ...e })),
          m,
        ),
    });
  }
  return out;
}

/** Whether one subject's phase could disturb the other's checks, so the two must not overlap. */
function touches(a: Fed, b: Fed, steady: readonly ConcreteSeries[]): boolean {
  return confuses(a, b, steady) || confuses(b, a, steady);
}

/**
 * Whether a rule of `a` reads series of `b`, or would once it lost one label matcher, with no
 * series fed throughout (a decoy) that tells that looser rule from the right one. Such a looser
 * rule, checked while `b`'s input is gone, would fire as the right one does and pass.
 */
function confuses(a: Fed, b: Fed, steady: readonly ConcreteSeries[]): boolean {
  const series = b.groups.flatMap((g) => g.series);
  const reads = (sel: Selector, xs: readonly ConcreteSeries[]) => xs.some((x) => selectorMatches(sel, x.metric, x.labels));
  return a.readers.some(
    (sel) =>
      reads(sel, series) ||
      sel.matchers.some((m) => {
        const looser = { ...sel, matchers: sel.matchers.filter((o) => o !== m) };
        const told = steady.some((d) => selectorMatches(looser, d.metric, d.labels) && !selectorMatches(sel, d.metric, d.labels));
        return !told && reads(looser, series);
      }),
  );
}

/** promtool values for a series reported every minute from `from` to `to`, except in each gap [a, b). */
function presence(from: number, to: number, gaps: ReadonlyArray<[number, number]>): string {
  const parts = from > 0 ? [`_x${from}`] : [];
  let t = from;
  for (const [a, b] of [...gaps].sort((x, y) => x[0] - y[0])) {
    if (a > t) parts.push(`1+0x${a - 1 - t}`);
    parts.push(`_x${b - a}`);
    t = b;
  }
  if (to >= t) parts.push(`1+0x${to - t}`);
  return parts.join(' ');
}

/** Decoys of every input, except those some subject's input reads, each once, in text order. */
function decoysOf(subjects: readonly Fed[]): ConcreteSeries[] {
  const readers = subjects.flatMap((f) => f.readers);
  // A grouped SLO's decoy would lack the grouping label and count as a group of its own.
  const own = subjects.filter((f) => !f.nd.perGroup);
  const out = new Map<string, ConcreteSeries>();
  for (const d of own.flatMap((f) => f.selectors.flatMap((sel) => decoySeries(sel, readers)))) out.set(seriesText(d), d);
  return [...out].sort(([x], [y]) => (x < y ? -1 : 1)).map(([, d]) => d);
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
