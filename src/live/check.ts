// `sloforge check`: what only real data can show. Every question of subjects.ts becomes one
// aggregation, asked in batches (batch.ts); a second, smaller round asks what Prometheus has
// instead for the selectors that matched nothing (the label values present, the nearest metric
// names), so a problem says how to fix it.
import { formatDuration } from '../config/duration.js';
import { UserError } from '../errors.js';
import type { Model } from '../model/types.js';
import { formatSelector, type Selector } from '../promql/parse.js';
import { matcherAccepts } from '../promql/match.js';
import { formatNumber } from '../promql/number.js';
import { histogramPart } from '../promql/histogram.js';
import { countOf, evaluateAll, type Answer } from './batch.js';
import type { PrometheusClient } from './client.js';
import { liveChecks, type Field, type SeriesRead, type Subject } from './subjects.js';
import { someOf } from '../list-text.js';

export interface LiveProblem {
  subject: Subject;
  field: Field;
  message: string;
}

export interface GroupCardinality {
  subject: Subject;
  label: string;
  values: number;
}

export interface CheckReport {
  problems: LiveProblem[];
  /** SLOs and thresholds checked. */
  checked: number;
  groups: GroupCardinality[];
}

export interface CheckOptions {
  lookbackMs: number;
  service?: string | undefined;
  /** The current time in ms (tests and the benchmark pin it). */
  now?: number;
}

const MAX_LISTED = 12;

/** Series of a selector seen within the lookback; histogram_count() keeps only native histogram samples. */
function recent(sel: Selector, lookback: string, native = false): string {
  const s = `last_over_time(${formatSelector(sel)}[${lookback}])`;
  return native ? `histogram_count(${s})` : s;
}

function listed(values: readonly string[]): string {
  return someOf(values, ', ', MAX_LISTED);
}

/** Edit distance, for "did you mean" among metric names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

export function nearestNames(name: string, names: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 4));
  return names
    .map((n) => ({ n, d: Math.abs(n.length - name.length) > limit ? limit + 1 : distance(name, n) }))
    .filter((x) => x.d <= limit && x.n !== name)
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
    .slice(0, max)
    .map((x) => x.n);
}

function leValue(le: string): number {
  return le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
}

function sameBound(a: number, b: number): boolean {
  // +Inf is no bound a threshold can name, and would pass any relative comparison.
  return a === b || (Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
}

/** Why a selector whose metric exists matches nothing: which matchers no series' label value passes. */
function matcherHint(sel: Selector, combos: Array<Record<string, string>>): string {
  const own = sel.matchers.filter((m) => m.name !== '__name__');
  const refused = own.filter((m) => !combos.some((c) => matcherAccepts(m, c[m.name] ?? '')));
  if (refused.length === 0) return `each of its matchers matches some series of ${sel.metric}, but no series matches all of them`;
  return refused
    .map((m) => {
      const values = [...new Set(combos.map((c) => c[m.name]).filter((v): v is string => v !== undefined && v !== ''))].sort();
      const m0 = `${m.name}${m.op}${JSON.stringify(m.value)}`;
      return values.length === 0
        ? `no series of ${sel.metric} has the label ${m.name} (${m0})`
        : `${sel.metric} has ${m.name} ${listed(values.map((v) => JSON.stringify(v)))}, none matching ${m0}`;
    })
    .join('; ');
}

function missingMessage(
  r: SeriesRead,
  lookback: string,
  names: ReadonlySet<string>,
  nameList: readonly string[],
  hint: string | undefined,
  partCount: number | undefined,
): string {
  const text = formatSelector(r.selector);
  let why: string;
  if (!names.has(r.selector.metric)) {
    const near = nearestNames(r.selector.metric, nameList);
    why = `Prometheus has no metric ${r.selector.metric}${near.length > 0 ? ` (nearest: ${near.join(', ')})` : ''}`;
  } else {
    why = hint ?? `no series of ${r.selector.metric} matches it`;
  }
  const lead = `${text} matches no series in the last ${lookback}: ${why}`;
  if (r.partOf && partCount !== undefined && partCount > 0) {
    return `${lead}; ${formatSelector(r.partOf)} matches ${partCount} series, so this side reads as 0 and no burn-rate alert can ever fire`;
  }
  return lead;
}

export async function runCheck(client: PrometheusClient, model: Model, opts: CheckOptions): Promise<CheckReport> {
  const now = opts.now ?? Date.now();
  const lookback = formatDuration(opts.lookbackMs);
  if (opts.service !== undefined && !model.services.some((s) => s.name === opts.service)) {
    throw new UserError(
      `--service ${opts.service}: no such service (the config has ${model.services.map((s) => s.name).join(', ') || 'none'})`,
    );
  }
  const checks = liveChecks(model, opts.service);
  const problems: LiveProblem[] = [];
  const groups: GroupCardinality[] = [];

  // Round one: every question at once.
  const nameList = [...(await client.labelValues('__name__', Math.floor((now - opts.lookbackMs) / 1000)))].sort();
  const names = new Set(nameList);
  const readExprs = checks.reads.map((r) => `count(${recent(r.selector, lookback, r.native)})`);
  const boundExprs = checks.bounds.map((b) => `group by (le) (${recent(histogramPart(b.histogram, '_bucket'), lookback)})`);
  const groupExprs = checks.groups.map((g) => {
    const withLabel: Selector = { metric: g.selector.metric, matchers: [...g.selector.matchers, { name: g.label, op: '!=', value: '' }] };
    return `count(group by (${g.label}) (${recent(withLabel, lookback, g.native)}))`;
  });
  const exprExprs = checks.exprs.map((e) => `count(${e.expr})`);
  const answers = await evaluateAll(client, [...readExprs, ...boundExprs, ...groupExprs, ...exprExprs]);
  const take = (n: number) => answers.splice(0, n);
  const readAnswers = take(readExprs.length);
  const boundAnswers = take(boundExprs.length);
  const groupAnswers = take(groupExprs.length);
  const exprAnswers = take(exprExprs.length);

  const refused = (a: Answer) => ('error' in a ? a.error : undefined);
  const countBySelector = new Map<string, number | undefined>();
  checks.reads.forEach((r, i) => countBySelector.set(formatSelector(r.selector), countOf(readAnswers[i]!)));

  // Round two, for the reads that matched nothing: the label values their metric has.
  const missing = checks.reads.filter((r, i) => countOf(readAnswers[i]!) === 0 && !r.native);
  const hintable = missing.filter((r) => names.has(r.selector.metric) && r.selector.matchers.some((m) => m.name !== '__name__'));
  const hintAnswers = await evaluateAll(
    client,
    hintable.map((r) => {
      const labels = [...new Set(r.selector.matchers.filter((m) => m.name !== '__name__').map((m) => m.name))];
      return `group by (${labels.join(', ')}) (${recent({ metric: r.selector.metric, matchers: [] }, lookback)})`;
    }),
  );
  const hints = new Map<SeriesRead, string>();
  hintable.forEach((r, i) => {
    const a = hintAnswers[i]!;
    if ('samples' in a)
      hints.set(
        r,
        matcherHint(
          r.selector,
          a.samples.map((s) => s.metric),
        ),
      );
  });

  const subjectsWithMissingReads = new Set<Subject>();
  checks.reads.forEach((r, i) => {
    const a = readAnswers[i]!;
    const error = refused(a);
    if (error !== undefined) {
      problems.push({ subject: r.subject, field: r.field, message: `Prometheus refused to read ${formatSelector(r.selector)}: ${error}` });
      return;
    }
    if (countOf(a)! > 0) return;
    subjectsWithMissingReads.add(r.subject);
    if (r.native) {
      const classic = names.has(`${r.selector.metric}_bucket`);
      const floats = names.has(r.selector.metric);
      const why = classic
        ? `it is a classic histogram (${r.selector.metric}_bucket has series): drop \`native: true\``
        : floats
          ? `${r.selector.metric} has series, but no native histogram samples (is Prometheus running with --enable-feature=native-histograms?)`
          : missingMessage(r, lookback, names, nameList, undefined, undefined);
      problems.push({
        subject: r.subject,
        field: r.field,
        message: classic || floats ? `${formatSelector(r.selector)} holds no native histogram in the last ${lookback}: ${why}` : why,
      });
      return;
    }
    const partCount = r.partOf ? countBySelector.get(formatSelector(r.partOf)) : undefined;
    problems.push({ subject: r.subject, field: r.field, message: missingMessage(r, lookback, names, nameList, hints.get(r), partCount) });
  });

  checks.bounds.forEach((b, i) => {
    const a = boundAnswers[i]!;
    const error = refused(a);
    const bucket = formatSelector(histogramPart(b.histogram, '_bucket'));
    if (error !== undefined) {
      problems.push({ subject: b.subject, field: b.field, message: `Prometheus refused to read ${bucket}: ${error}` });
      return;
    }
    const les = [
      ...new Set(
        (a as { samples: Array<{ metric: Record<string, string> }> }).samples
          .map((s) => s.metric.le)
          .filter((v): v is string => v !== undefined),
      ),
    ].sort((x, y) => leValue(x) - leValue(y));
    if (les.length === 0) {
      // The histogram's _count read already says it matches nothing; a _bucket alone missing is news.
      if (!subjectsWithMissingReads.has(b.subject)) {
        const native = names.has(b.histogram.metric) && !names.has(`${b.histogram.metric}_bucket`);
        problems.push({
          subject: b.subject,
          field: b.field,
          message: `${bucket} matches no series in the last ${lookback}${native ? `: ${b.histogram.metric} looks like a native histogram (set \`native: true\`)` : ', so no bound can be checked'}`,
        });
      }
      return;
    }
    if (les.some((le) => sameBound(leValue(le), b.bound))) return;
    const below = les.filter((le) => leValue(le) < b.bound).at(-1);
    const above = les.find((le) => leValue(le) > b.bound);
    const nearest = [below, above].filter((v): v is string => v !== undefined);
    problems.push({
      subject: b.subject,
      field: b.field,
      message:
        `${formatNumber(b.bound)} is no \`le\` bound of ${bucket}: it has le ${listed(les)}` +
        `${nearest.length > 0 ? ` (nearest: ${nearest.join(', ')})` : ''}; no bucket series is read, so the SLI sees no good events and its no-data alert fires`,
    });
  });

  checks.groups.forEach((g, i) => {
    const a = groupAnswers[i]!;
    const error = refused(a);
    if (error !== undefined) {
      problems.push({ subject: g.subject, field: g.field, message: `Prometheus refused to read ${formatSelector(g.selector)}: ${error}` });
      return;
    }
    const values = countOf(a)!;
    if (values > 0) {
      groups.push({ subject: g.subject, label: g.label, values });
      return;
    }
    // A selector that matches nothing is reported on its own field already.
    if ((countBySelector.get(formatSelector(g.selector)) ?? 0) === 0) return;
    problems.push({
      subject: g.subject,
      field: g.field,
      message: `label "${g.label}" is on no series of ${formatSelector(g.selector)} in the last ${lookback}`,
    });
  });
  // What labels the series have instead: one request per such problem, and there are few.
  const groupProblems = problems.filter((p) => p.field[0] === 'groupBy' && p.subject.kind === 'slo');
  for (const p of groupProblems) {
    const g = checks.groups.find((x) => x.subject === p.subject && x.field === p.field);
    if (!g) continue;
    const labels = (await client.labelNames(formatSelector(g.selector), Math.floor((now - opts.lookbackMs) / 1000))).filter(
      (l) => l !== '__name__',
    );
    if (labels.length > 0) p.message += ` (its series have ${listed(labels)})`;
  }

  checks.exprs.forEach((e, i) => {
    const a = exprAnswers[i]!;
    const error = refused(a);
    if (error !== undefined) {
      problems.push({ subject: e.subject, field: e.field, message: `Prometheus refused the expression: ${error}` });
      return;
    }
    // A missing input is reported on its own; the empty result follows from it.
    if (countOf(a)! > 0 || subjectsWithMissingReads.has(e.subject)) return;
    problems.push({
      subject: e.subject,
      field: e.field,
      message: `the threshold's expression returns no data now, so its alerts can never fire: ${e.expr.replace(/\s*\n\s*/g, ' ')}`,
    });
  });

  const order = new Map(checks.subjects.map((s, i) => [s, i]));
  problems.sort((a, b) => order.get(a.subject)! - order.get(b.subject)!);
  return { problems, checked: checks.subjects.length, groups };
}
