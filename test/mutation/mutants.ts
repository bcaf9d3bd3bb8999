// Mutants of a generated rule file: each a copy with one rule broken in one way a person or a
// generator bug could break it (a factor off by 10 or lowered to 0.8x, a window pair or confirming window gone, a
// window one step too long, a label matcher lost, a range four times too long, `for:` lost or
// six times too long, a level off by 10, a comparison flipped, a severity swapped). The mutation
// test (run.ts) runs the generated promtool tests on each copy: a copy that passes them is a
// survivor, an alert parameter the tests do not pin.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { parse, stringify } from 'yaml';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { formatNumber } from '../../src/promql/number.js';

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleGroup {
  name: string;
  rules: Rule[];
}

export interface Mutant {
  /** Stable and unique within a rule file: `group#rule op detail`. */
  id: string;
  /** The kind of change, for sampling and the summary: `factor x10`, `matcher dropped`, ... */
  op: string;
  /** What changed, for a person reading the survivors. */
  what: string;
  /** The rule file with this one change. */
  rules: string;
  /** Why the change cannot alter any alert (an equivalent mutant, not counted), when it cannot. */
  equivalent?: string;
  /** Why no generated test can see the rule at all (not counted, listed apart), when none can. */
  untested?: string;
}

interface Edit {
  op: string;
  what: string;
  rule: Rule;
  equivalent?: string;
}

const ONE_TO_ONE =
  'the other side of the division keeps the matcher, and one-to-one vector matching pairs series by all their labels: ' +
  "the other SLOs' (or thresholds') series it now reads find no partner and drop out";
const BAD_PART_EMPTY =
  'the errors are then empty instead of 0 when no failing series exists; no alert fires on either, ' +
  'and the no-data alerts read the inputs themselves';

const NATIVE =
  'a native histogram SLO: promtool 2.42 cannot feed native histograms, so generate writes no test for its alerts (docs/slos.md)';
/** Functions only a native histogram SLO's rules call. */
const NATIVE_FUNCTIONS = /\bhistogram_(fraction|count|sum)\(/;

const UNREAD = 'no alert reads this recording, directly or through another recording: it feeds dashboards only';

/** Recorded series a rule's expression selects: the name and its `label="value"` matchers. */
function recordedSelectors(expr: string): Array<{ name: string; equal: Record<string, string> }> {
  const out: Array<{ name: string; equal: Record<string, string> }> = [];
  for (const sel of nodes(expr, (n) => n.name === 'VectorSelector')) {
    const id = sel.getChild('Identifier');
    const name = id ? expr.slice(id.from, id.to) : '';
    if (!name.includes(':')) continue;
    const equal: Record<string, string> = {};
    for (const m of expr.slice(sel.from, sel.to).matchAll(/(\w+)="([^"]*)"/g)) equal[m[1]!] = m[2]!;
    out.push({ name, equal });
  }
  return out;
}

/**
 * The recordings (group index, rule index) that some alert of the file reads, directly or
 * through other recordings. A recording's own labels decide which selectors pick it; a label it
 * does not set could come from its expression, so a matcher on one counts as a match.
 */
function readByAlerts(groups: readonly RuleGroup[]): Set<string> {
  const all = groups.flatMap((g, gi) => g.rules.map((r, ri) => ({ key: `${gi}#${ri}`, r })));
  const read = new Set<string>();
  const queue = all.filter((x) => x.r.alert);
  while (queue.length > 0) {
    const { r } = queue.pop()!;
    for (const sel of recordedSelectors(r.expr)) {
      for (const x of all) {
        if (x.r.record !== sel.name || read.has(x.key)) continue;
        if (Object.entries(sel.equal).some(([k, v]) => x.r.labels?.[k] !== undefined && x.r.labels[k] !== v)) continue;
        read.add(x.key);
        queue.push(x);
      }
    }
  }
  return read;
}

/** Whether `node` sits (without aggregation) in an operand of a plain division whose other operand has `text`. */
function pairedInDivision(expr: string, node: SyntaxNode, text: string): boolean {
  for (let child = node, p = node.parent; p; child = p, p = p.parent) {
    if (p.name === 'AggregateExpr') return false;
    if (p.name === 'BinaryExpr' && operatorOf(p)?.name === 'Div' && !p.getChild('MatchingModifierClause')) {
      const other = p.firstChild!.from === child.from ? rightOf(p) : p.firstChild!;
      return expr.slice(other.from, other.to).includes(text);
    }
  }
  return false;
}

/**
 * Whether an `x or vector(0)` is the numerator of an SLO's ratio of bad events (no `1 -` or
 * `total -` before it). A threshold's ratio may alert below a level, where 0 and empty differ.
 */
function badPartFallback(bin: SyntaxNode, record: string): boolean {
  let n: SyntaxNode = bin;
  while (n.parent?.name === 'ParenExpr') n = n.parent;
  // The recorded rate of bad events itself: every reader divides it by a total or sums it over time.
  if (!n.parent?.parent && record.startsWith('slo:sli_errors:')) return true;
  const div = n.parent;
  if (!div || div.name !== 'BinaryExpr' || operatorOf(div)?.name !== 'Div' || div.firstChild!.from !== n.from) return false;
  for (let p = div.parent; p; p = p.parent) if (p.name === 'BinaryExpr' && operatorOf(p)?.name === 'Sub') return false;
  return true;
}

const BURN_ALERTS = new Set(['ErrorBudgetBurnFast', 'ErrorBudgetBurnSlow']);
const COMPARISONS = new Set(['Gtr', 'Lss', 'Gte', 'Lte']);
const FLIPPED: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=' };
const RATIO_WINDOW = /slo:sli_error:ratio_rate(\w+)/g;

function nodes(expr: string, name: (n: SyntaxNode) => boolean): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (name(ref.node)) out.push(ref.node);
    },
  });
  return out;
}

/** The text with spans replaced (spans must not overlap). */
function splice(text: string, edits: ReadonlyArray<{ from: number; to: number; insert: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.insert + out.slice(e.to);
  return out;
}

/** The operator token of a binary expression (`Gtr`, `And`, `Or`, `Div`, ...) and its text. */
function operatorOf(bin: SyntaxNode): SyntaxNode | undefined {
  for (let c = bin.firstChild?.nextSibling ?? null; c; c = c.nextSibling) {
    if (c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause') return c;
  }
  return undefined;
}

/** The right operand of a binary expression. */
const rightOf = (bin: SyntaxNode) => bin.lastChild!;

/** Comparisons of a literal number (`x > 14.4`): the literal, grouped by the `and` pair they sit in. */
function comparisonGroups(expr: string): SyntaxNode[][] {
  const comparisons = nodes(
    expr,
    (n) => n.name === 'BinaryExpr' && COMPARISONS.has(operatorOf(n)?.name ?? '') && rightOf(n).name === 'NumberDurationLiteral',
  );
  const groups = new Map<number, SyntaxNode[]>();
  for (const c of comparisons) {
    let owner = c.parent;
    while (owner && !(owner.name === 'BinaryExpr' && operatorOf(owner)?.name === 'And')) owner = owner.parent;
    const key = owner ? owner.from : c.from;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()];
}

const scaled = (literal: string, by: number) => formatNumber(Number(formatNumber(Number(literal) * by)));

function exprEdits(rule: Rule, windows: readonly string[]): Edit[] {
  const expr = rule.expr;
  const kind = rule.alert ? (BURN_ALERTS.has(rule.alert) ? 'factor' : 'level') : 'constant';
  const out: Edit[] = [];
  const withExpr = (text: string): Rule => ({ ...rule, expr: text });

  for (const group of comparisonGroups(expr)) {
    const literals = group.map(rightOf);
    const shown = literals.map((l) => expr.slice(l.from, l.to)).join(', ');
    // A burn factor lowered a little too (0.8x): the scenarios burn just below each factor.
    const scales: ReadonlyArray<readonly [number, string]> = [
      [10, 'x10'],
      [0.1, '/10'],
      ...(kind === 'factor' ? [[0.8, 'x0.8'] as const] : []),
    ];
    for (const [by, name] of scales) {
      out.push({
        op: `${kind} ${name}`,
        what: `${shown} ${name}`,
        rule: withExpr(
          splice(
            expr,
            literals.map((l) => ({ from: l.from, to: l.to, insert: scaled(expr.slice(l.from, l.to), by) })),
          ),
        ),
      });
    }
    const ops = group.map((c) => operatorOf(c)!);
    out.push({
      op: 'comparison flipped',
      what: `${shown}: ${expr.slice(ops[0]!.from, ops[0]!.to)} flipped`,
      rule: withExpr(
        splice(
          expr,
          ops.map((o) => ({ from: o.from, to: o.to, insert: FLIPPED[expr.slice(o.from, o.to)]! })),
        ),
      ),
    });
  }

  // An alert's division by its budget (`/ 0.001`), all at once: the budget x10.
  const budgets = nodes(
    expr,
    (n) => n.name === 'BinaryExpr' && operatorOf(n)?.name === 'Div' && rightOf(n).name === 'NumberDurationLiteral',
  ).map(rightOf);
  if (rule.alert && budgets.length > 0) {
    out.push({
      op: 'budget x10',
      what: `budget ${expr.slice(budgets[0]!.from, budgets[0]!.to)} x10`,
      rule: withExpr(
        splice(
          expr,
          budgets.map((b) => ({ from: b.from, to: b.to, insert: scaled(expr.slice(b.from, b.to), 10) })),
        ),
      ),
    });
  }

  // One side of an `and`, `or` or `unless` alone: a window pair or a confirming window removed,
  // a no-data input forgotten, `or vector(0)` dropped.
  for (const bin of nodes(expr, (n) => n.name === 'BinaryExpr' && ['And', 'Or', 'Unless'].includes(operatorOf(n)?.name ?? ''))) {
    const op = expr.slice(operatorOf(bin)!.from, operatorOf(bin)!.to);
    const left = bin.firstChild!;
    const right = rightOf(bin);
    const side = (keep: SyntaxNode, which: string) => ({ op: `${op} ${which} removed`, keep });
    for (const s of [side(left, 'right side'), side(right, 'left side')]) {
      const opName =
        rule.alert && BURN_ALERTS.has(rule.alert)
          ? op === 'or'
            ? 'window pair removed'
            : s.keep === left
              ? 'short window removed'
              : 'long window removed'
          : s.op;
      const droppedZero =
        (rule.record ?? '').startsWith('slo:') &&
        op === 'or' &&
        s.keep === left &&
        expr.slice(right.from, right.to) === 'vector(0)' &&
        badPartFallback(bin, rule.record ?? '');
      out.push({
        op: opName,
        what: `${op}: kept only ${JSON.stringify(expr.slice(s.keep.from, s.keep.to).replace(/\s+/g, ' '))}`,
        rule: withExpr(splice(expr, [{ from: bin.from, to: bin.to, insert: expr.slice(s.keep.from, s.keep.to) }])),
        ...(droppedZero ? { equivalent: BAD_PART_EMPTY } : {}),
      });
    }
  }

  // A recorded window read one step too long (1h -> 2h): the next longer window the SLO records.
  if (rule.alert && BURN_ALERTS.has(rule.alert)) {
    for (const m of expr.matchAll(RATIO_WINDOW)) {
      const i = windows.indexOf(m[1]!);
      const next = windows[i + 1];
      if (i < 0 || !next) continue;
      const from = m.index! + m[0].length - m[1]!.length;
      out.push({
        op: 'window longer',
        what: `${m[1]} -> ${next} at ${m.index}`,
        rule: withExpr(splice(expr, [{ from, to: from + m[1]!.length, insert: next }])),
      });
    }
  }

  if (rule.record) {
    // A range four times too long, and a label matcher lost, in what a recording reads.
    for (const d of nodes(expr, (n) => n.name === 'DurationExpr')) {
      const ms = parseDuration(expr.slice(d.from, d.to));
      if (ms === undefined) continue;
      out.push({
        op: 'range x4',
        what: `[${expr.slice(d.from, d.to)}] -> [${formatDuration(ms * 4)}] at ${d.from}`,
        rule: withExpr(splice(expr, [{ from: d.from, to: d.to, insert: formatDuration(ms * 4) }])),
      });
    }
    for (const list of nodes(expr, (n) => n.name === 'LabelMatchers')) {
      const matchers: SyntaxNode[] = [];
      for (let c = list.firstChild; c; c = c.nextSibling)
        if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') matchers.push(c);
      for (const [i, m] of matchers.entries()) {
        const rest = matchers.filter((_, j) => j !== i).map((o) => expr.slice(o.from, o.to));
        const selector = list.parent!;
        const metric = selector.getChild('Identifier');
        const name = expr.slice(m.from, m.to).split(/[=!~]/)[0];
        // A recorded series (a name with a colon) is sloforge's own: dropping its `service` matcher
        // reads another service's same-named SLO, which no test of one service's file can feed.
        if (metric && expr.slice(metric.from, metric.to).includes(':') && name === 'service') continue;
        // A selector needs a metric name or one matcher: `{job="x"}` alone stays.
        if (!metric && rest.length === 0) continue;
        const paired =
          metric !== null && expr.slice(metric.from, metric.to).includes(':') && pairedInDivision(expr, selector, expr.slice(m.from, m.to));
        out.push({
          op: 'matcher dropped',
          what: `${expr.slice(m.from, m.to)} dropped from ${expr.slice(selector.from, selector.to)}`,
          rule: withExpr(splice(expr, [{ from: list.from, to: list.to, insert: rest.length > 0 ? `{${rest.join(',')}}` : '' }])),
          ...(paired ? { equivalent: ONE_TO_ONE } : {}),
        });
      }
    }
  }
  return out;
}

function ruleEdits(rule: Rule, windows: readonly string[]): Edit[] {
  const out = exprEdits(rule, windows);
  if (rule.for) {
    const ms = parseDuration(rule.for)!;
    const { for: _, ...rest } = rule;
    out.push({ op: 'for removed', what: `for: ${rule.for} removed`, rule: rest });
    out.push({ op: 'for x6', what: `for: ${rule.for} -> ${formatDuration(ms * 6)}`, rule: { ...rule, for: formatDuration(ms * 6) } });
  }
  if (rule.keep_firing_for) {
    const { keep_firing_for: _, ...rest } = rule;
    out.push({ op: 'keep_firing_for removed', what: `keep_firing_for: ${rule.keep_firing_for} removed`, rule: rest });
  }
  const sev = rule.labels?.['severity'];
  if (rule.alert && (sev === 'critical' || sev === 'warning')) {
    const other = sev === 'critical' ? 'warning' : 'critical';
    out.push({
      op: 'severity swapped',
      what: `severity ${sev} -> ${other}`,
      rule: { ...rule, labels: { ...rule.labels, severity: other } },
    });
  }
  return out;
}

/** The recorded error-ratio windows of a rule group, shortest first (`5m`, `30m`, `1h`, ...). */
function groupWindows(group: RuleGroup): string[] {
  const ws = new Set<string>();
  for (const r of group.rules) for (const m of (r.record ?? '').matchAll(RATIO_WINDOW)) ws.add(m[1]!);
  return [...ws].sort((a, b) => parseDuration(a)! - parseDuration(b)!);
}

/** Every mutant of one generated rule file, in file order. */
export function mutants(rulesText: string): Mutant[] {
  const file = parse(rulesText) as { groups: RuleGroup[] };
  const out: Mutant[] = [];
  const ids = new Map<string, number>();
  const read = readByAlerts(file.groups);
  file.groups.forEach((group, g) => {
    const windows = groupWindows(group);
    const native = group.rules.some((r) => NATIVE_FUNCTIONS.test(r.expr));
    group.rules.forEach((rule, r) => {
      const name = rule.alert ?? rule.record ?? '?';
      const seen = new Set<string>();
      for (const e of ruleEdits(rule, windows)) {
        const rules = {
          ...file,
          groups: file.groups.map((gr, gi) => (gi !== g ? gr : { ...gr, rules: gr.rules.map((ru, ri) => (ri === r ? e.rule : ru)) })),
        };
        const text = stringify(rules, { lineWidth: 0, blockQuote: 'literal', indent: 2, aliasDuplicateObjects: false });
        // Two edits giving the same rule (both sides of `x or x`) are one mutant; an edit that
        // changes nothing (0 x10) is none.
        const key = JSON.stringify(e.rule);
        if (seen.has(key) || key === JSON.stringify(rule)) continue;
        seen.add(key);
        const base = `${group.name}#${r} ${name}: ${e.op}: ${e.what}`;
        const n = (ids.get(base) ?? 0) + 1;
        ids.set(base, n);
        const equivalent = rule.record && !read.has(`${g}#${r}`) ? UNREAD : e.equivalent;
        out.push({
          id: n === 1 ? base : `${base} (${n})`,
          op: e.op,
          what: `${group.name} ${name}: ${e.what}`,
          rules: text,
          ...(equivalent ? { equivalent } : {}),
          ...(native ? { untested: NATIVE } : {}),
        });
      }
    });
  });
  return out;
}
