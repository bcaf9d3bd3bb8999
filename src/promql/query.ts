// Recognises the PromQL shapes that read one counter (sum(rate(sel[w])) and kin), so an imported
// SLI becomes a plain selector that sloforge wraps in its own rate() and sum() again.
import { parseTree } from './tree.js';
import type { SyntaxNode } from '@lezer/common';
import { formatSelector, parseSelector, promqlSyntaxError, type Selector } from './parse.js';
import { atSampleWindow, SAMPLE_WINDOW, WINDOW_PLACEHOLDER } from './window.js';

/** Code-unit order, the same under every locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface CounterRead {
  /** The selector as the user wrote it. */
  text: string;
  selector: Selector;
  /** Labels of a `sum by (...)` / `sum without (...)`; sloforge sums them away. */
  grouping?: string;
  /** How the counter is read: per second, per window, or its value (OpenSLO `counter: true`). */
  fn: 'rate' | 'increase' | 'value';
}

export type QueryShape =
  | { kind: 'counter'; read: CounterRead }
  /** `A - B`: for an error query whose A is the total, B counts the good events. */
  | { kind: 'difference'; minuend: CounterRead; subtrahend: CounterRead };

export interface QueryOptions {
  /** The query returns a counter's value, not a rate (OpenSLO `counter: true`): `sum(sel)` and `sel` count too. */
  counterValue: boolean;
}

/** Sloth's window placeholder; any valid range parses, the range is sloforge's to choose. */
const WINDOW_RE = /\{\{\s*\.window\s*\}\}/g;

const SHAPES = 'sum(rate(SELECTOR[w])) (or increase, sum by (...), outer parentheses, "or vector(0)")';

function unwrapParens(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === 'ParenExpr' && n.firstChild) n = n.firstChild;
  return n;
}

function children(node: SyntaxNode | null): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node?.firstChild ?? null; c; c = c.nextSibling) out.push(c);
  return out;
}

function onlyArg(body: SyntaxNode | null): SyntaxNode | undefined {
  const args = children(body);
  return args.length === 1 ? unwrapParens(args[0]!) : undefined;
}

function selectorAt(node: SyntaxNode, src: string, fn: CounterRead['fn']): CounterRead | string {
  const text = src.slice(node.from, node.to);
  const selector = parseSelector(text);
  if (typeof selector === 'string') return `selector ${text} ${selector}`;
  return { text, selector, fn };
}

function rateArg(node: SyntaxNode, src: string): { vs: SyntaxNode; fn: 'rate' | 'increase' } | undefined {
  if (node.name !== 'FunctionCall') return undefined;
  const fn = node.getChild('FunctionIdentifier')?.firstChild?.name;
  if (fn !== 'Rate' && fn !== 'Increase') return undefined;
  const arg = onlyArg(node.getChild('FunctionCallBody'));
  if (arg?.name !== 'MatrixSelector') return undefined;
  const vs = arg.getChild('VectorSelector');
  // A matrix selector is exactly `selector[range]`: an offset or @ would wrap it in another node.
  return vs && src.slice(arg.from, arg.to).startsWith(src.slice(vs.from, vs.to))
    ? { vs, fn: fn === 'Rate' ? 'rate' : 'increase' }
    : undefined;
}

function counterRead(node: SyntaxNode, src: string, opts: QueryOptions): CounterRead | string | undefined {
  let inner = node;
  let grouping: string | undefined;
  if (node.name === 'AggregateExpr') {
    if (node.getChild('AggregateOp')?.firstChild?.name !== 'Sum') return undefined;
    const mod = node.getChild('AggregateModifier');
    if (mod) grouping = src.slice(mod.from, mod.to);
    const arg = onlyArg(node.getChild('FunctionCallBody'));
    if (!arg) return undefined;
    inner = arg;
  }
  const found =
    rateArg(inner, src) ?? (opts.counterValue && inner.name === 'VectorSelector' ? { vs: inner, fn: 'value' as const } : undefined);
  if (!found) return undefined;
  const read = selectorAt(found.vs, src, found.fn);
  if (typeof read === 'string') return read;
  return grouping !== undefined ? { ...read, grouping } : read;
}

function isVectorZero(node: SyntaxNode, src: string): boolean {
  return node.name === 'FunctionCall' && /^vector\s*\(\s*0\s*\)$/.test(src.slice(node.from, node.to));
}

/** The query with Sloth's placeholder as `window`, parsed: its outermost expression, or a syntax problem. */
function parseQuery(query: string, window: string = SAMPLE_WINDOW): { src: string; node: SyntaxNode } | string {
  const src = query.replace(WINDOW_RE, window).trim();
  const syntax = promqlSyntaxError(src);
  if (syntax) return syntax;
  const top = parseTree(src).topNode.firstChild;
  if (!top) return 'is empty';
  return { src, node: unwrapParens(top) };
}

/** `1 - X` as X and true; any other expression as itself and false. */
function withoutOneMinus(node: SyntaxNode, src: string): { node: SyntaxNode; complement: boolean } {
  const sub = operands(node, 'Sub');
  const complement = sub !== undefined && sub[0].name === 'NumberDurationLiteral' && Number(src.slice(sub[0].from, sub[0].to)) === 1;
  return complement ? { node: sub![1], complement } : { node, complement };
}

function unsupported(query: string, opts: QueryOptions, what = SHAPES): string {
  return `is not a shape sloforge can import: expected ${what}${opts.counterValue ? ', sum(SELECTOR) or SELECTOR' : ''}, got ${JSON.stringify(query.trim())}`;
}

/** [left, right] of a binary operation `op` without bool or on/ignoring modifiers. */
function operands(node: SyntaxNode, op: string): [SyntaxNode, SyntaxNode] | undefined {
  const parts = children(node);
  if (node.name !== 'BinaryExpr' || parts.length !== 3 || parts[1]!.name !== op) return undefined;
  return [unwrapParens(parts[0]!), unwrapParens(parts[2]!)];
}

function shapeOf(start: SyntaxNode, src: string, query: string, opts: QueryOptions): QueryShape | string {
  let node = start;
  // Sloth users often write `... or vector(0)` so that no errors reads as 0; sloforge does the same itself.
  const or = node.name === 'BinaryExpr' && node.getChild('Or') ? children(node) : undefined;
  if (or && isVectorZero(or[or.length - 1]!, src)) node = unwrapParens(or[0]!);
  const diff = operands(node, 'Sub');
  if (diff) {
    const a = counterRead(diff[0], src, opts);
    const b = counterRead(diff[1], src, opts);
    if (typeof a === 'string') return a;
    if (typeof b === 'string') return b;
    if (!a || !b) return unsupported(query, opts);
    return { kind: 'difference', minuend: a, subtrahend: b };
  }
  const read = counterRead(node, src, opts);
  if (typeof read === 'string') return read;
  if (!read) return unsupported(query, opts);
  return { kind: 'counter', read };
}

/** The counter(s) a query reads, or a sentence saying why it is not one of the shapes sloforge maps. */
export function analyseQuery(query: string, opts: QueryOptions): QueryShape | string {
  const parsed = parseQuery(query);
  if (typeof parsed === 'string') return parsed;
  return shapeOf(parsed.node, parsed.src, query, opts);
}

export interface RatioShape {
  numerator: QueryShape;
  denominator: CounterRead;
  /** Written as `1 - (A / B)`. */
  complement: boolean;
}

const RATIO_SHAPES = `A / B or 1 - (A / B), where A and B each are ${SHAPES}`;

/** A ready-made ratio of two counters (Sloth's raw error_ratio_query, OpenSLO's raw ratioMetric). */
export function analyseRatio(query: string, opts: QueryOptions): RatioShape | string {
  const parsed = parseQuery(query);
  if (typeof parsed === 'string') return parsed;
  const { src } = parsed;
  const { node, complement } = withoutOneMinus(parsed.node, src);
  const div = operands(node, 'Div');
  if (!div) return unsupported(query, opts, RATIO_SHAPES);
  const numerator = shapeOf(div[0], src, query, opts);
  if (typeof numerator === 'string') return numerator;
  const denominator = counterRead(div[1], src, opts);
  if (typeof denominator === 'string') return denominator;
  if (!denominator) return unsupported(query, opts, RATIO_SHAPES);
  return { numerator, denominator, complement };
}

/** Compares selectors by meaning: matcher order and quoting do not matter. */
export function sameSelector(a: Selector, b: Selector): boolean {
  return canonical(a) === canonical(b);
}

export function canonical(sel: Selector): string {
  const key = (m: Selector['matchers'][number]) => `${m.name}${m.op}${m.value}`;
  const matchers = [...sel.matchers].sort((x, y) => byText(key(x), key(y)));
  return formatSelector({ metric: sel.metric, matchers });
}

/**
 * The counters of a part (bad or good events) and a total expression when both are counter
 * reads of the recognised shapes (`sum(rate(x[w]))` and kin, or `total - good` for errors), read
 * the same way (both rates or both increases): such a pair is a ratio of two counters in other
 * words. Undefined for anything else.
 */
export function counterRatio(
  meaning: 'bad' | 'good',
  part: string,
  total: string,
): { part: Selector; total: Selector; meaning: 'bad' | 'good' } | undefined {
  const t = analyseQuery(total, { counterValue: false });
  const p = analyseQuery(part, { counterValue: false });
  if (typeof t === 'string' || typeof p === 'string' || t.kind !== 'counter') return undefined;
  const same = (a: CounterRead) => a.fn === t.read.fn;
  if (p.kind === 'counter') return same(p.read) ? { part: p.read.selector, total: t.read.selector, meaning } : undefined;
  if (meaning === 'bad' && sameSelector(p.minuend.selector, t.read.selector) && same(p.minuend) && same(p.subtrahend)) {
    return { part: p.subtrahend.selector, total: t.read.selector, meaning: 'good' };
  }
  return undefined;
}

/** Stands in for a window placeholder while the grammar reads a query: a range nobody writes. */
const WINDOW_SENTINEL = '1234567s';

export interface RatioParts {
  /** The numerator and denominator as written, with `{{.window}}` as `$window`. */
  numerator: string;
  denominator: string;
  /** Written as `1 - (A / B)`. */
  complement: boolean;
}

/**
 * Any ready-made ratio `A / B` or `1 - (A / B)` split into its two expressions, kept as PromQL
 * with the window placeholder, for a query SLI when they are no counters sloforge recognises.
 */
export function splitRatio(query: string): RatioParts | string {
  const parsed = parseQuery(query, WINDOW_SENTINEL);
  if (typeof parsed === 'string') return parsed;
  const { src } = parsed;
  const { node, complement } = withoutOneMinus(parsed.node, src);
  const div = operands(node, 'Div');
  if (!div) return `is not a ratio sloforge can import: expected A / B or 1 - (A / B), got ${JSON.stringify(query.trim())}`;
  return { numerator: asTemplate(div[0], src), denominator: asTemplate(div[1], src), complement };
}

/** A part of a query parsed with the sentinel for its window, as a template with `$window`. */
function asTemplate(node: SyntaxNode, src: string): string {
  return src.slice(node.from, node.to).split(WINDOW_SENTINEL).join(WINDOW_PLACEHOLDER);
}

/**
 * S of `fn(S[w])`, optionally inside one `agg(...)` without `by`/`without` (e.g. Sum for
 * `sum(sum_over_time(S[w]))`); undefined for any other shape. `$window` stands for the window.
 */
function overTimeSelector(expr: string, fn: string, agg: string): Selector | undefined {
  const src = atSampleWindow(expr);
  if (promqlSyntaxError(src)) return undefined;
  let node = unwrapParens(parseTree(src).topNode.firstChild!);
  if (node.name === 'AggregateExpr') {
    if (node.getChild('AggregateOp')?.firstChild?.name !== agg || node.getChild('AggregateModifier')) return undefined;
    const arg = onlyArg(node.getChild('FunctionCallBody'));
    if (!arg) return undefined;
    node = unwrapParens(arg);
  }
  if (node.name !== 'FunctionCall' || src.slice(node.getChild('FunctionIdentifier')!.from, node.getChild('FunctionIdentifier')!.to) !== fn)
    return undefined;
  const arg = onlyArg(node.getChild('FunctionCallBody'));
  const vs = arg?.name === 'MatrixSelector' ? arg.getChild('VectorSelector') : undefined;
  if (!vs || !src.slice(arg!.from, arg!.to).startsWith(src.slice(vs.from, vs.to))) return undefined;
  const sel = parseSelector(src.slice(vs.from, vs.to));
  return typeof sel === 'string' ? undefined : sel;
}

/**
 * The gauge of `sum(sum_over_time(S[w])) / sum(count_over_time(S[w]))`, its mean over a window
 * weighted by samples: exactly what a boolGauge SLI computes of S.
 */
export function gaugeMean(numerator: string, denominator: string): Selector | undefined {
  const a = overTimeSelector(numerator, 'sum_over_time', 'Sum');
  const b = overTimeSelector(denominator, 'count_over_time', 'Sum');
  return a && b && sameSelector(a, b) ? a : undefined;
}

export interface GaugeAverage {
  selector: Selector;
  /** Written `1 - avg_over_time(...)`. */
  complement: boolean;
  /** Inside `avg(...)`: a mean of each series' mean, not of all samples together. */
  averaged: boolean;
}

/**
 * `avg_over_time(S[w])`, `avg(avg_over_time(S[w]))` or either as `1 - ...` (with `{{.window}}`
 * or `$window` as w): the mean of a gauge, which a boolGauge SLI of S computes. Undefined for
 * anything else.
 */
export function gaugeAverage(query: string): GaugeAverage | undefined {
  const parsed = parseQuery(query, WINDOW_SENTINEL);
  if (typeof parsed === 'string') return undefined;
  const { node, complement } = withoutOneMinus(parsed.node, parsed.src);
  const inner = asTemplate(node, parsed.src);
  const plain = overTimeSelector(inner, 'avg_over_time', '');
  if (plain) return { selector: plain, complement, averaged: false };
  const averaged = overTimeSelector(inner, 'avg_over_time', 'Avg');
  return averaged ? { selector: averaged, complement, averaged: true } : undefined;
}
