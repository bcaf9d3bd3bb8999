// What a PromQL expression reads, from the lezer syntax tree: its series selectors, the metric of
// each, the range of every rate-like call, and whether it yields data with no input at all.
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { formatSelector, parseSelector, promqlSyntaxError } from './parse.js';

export interface Reads {
  metrics: string[];
  /** Selectors that name no metric (`{job="x"}`): they read every metric, which no check can vouch for. */
  unnamed: string[];
  /** Range text of each rate(), irate() and increase() argument, e.g. "5m". */
  rateRanges: string[];
}

const RATE_FUNCTIONS = new Set(['rate', 'irate', 'increase']);

function unquote(literal: string): string {
  return literal.startsWith('`') ? literal.slice(1, -1) : (JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal) as string);
}

function selectorMetric(node: SyntaxNode, text: string): string | undefined {
  const ident = node.getChild('Identifier');
  if (ident) return text.slice(ident.from, ident.to);
  const list = node.getChild('LabelMatchers');
  for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
    const name = m.getChild('LabelName');
    const op = m.getChild('MatchOp');
    const value = m.getChild('StringLiteral');
    if (name && op && value && text.slice(name.from, name.to) === '__name__' && text.slice(op.from, op.to) === '=') {
      return unquote(text.slice(value.from, value.to));
    }
  }
  return undefined;
}

/** Throws when `expr` does not parse; variables must be substituted first. */
export function promqlReads(expr: string): Reads {
  const err = promqlSyntaxError(expr);
  if (err) throw new Error(err);
  const reads: Reads = { metrics: [], unnamed: [], rateRanges: [] };
  parser.parse(expr).iterate({
    enter(ref) {
      const node = ref.node;
      if (node.name === 'VectorSelector') {
        const metric = selectorMetric(node, expr);
        if (metric === undefined) reads.unnamed.push(expr.slice(node.from, node.to));
        else reads.metrics.push(metric);
      } else if (node.name === 'FunctionCall') {
        const fn = node.getChild('FunctionIdentifier');
        const body = node.getChild('FunctionCallBody');
        if (fn && body && RATE_FUNCTIONS.has(expr.slice(fn.from, fn.to))) {
          for (let arg = body.firstChild; arg; arg = arg.nextSibling) {
            if (arg.name !== 'MatrixSelector') continue;
            const range = arg.lastChild;
            if (range) reads.rateRanges.push(expr.slice(range.from, range.to));
          }
        }
      }
    },
  });
  reads.metrics = [...new Set(reads.metrics)].sort();
  return reads;
}

/** Every plain series selector inside an expression, as written, without duplicates. */
export function exprSelectors(expr: string): string[] {
  const out = new Set<string>();
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return true;
      const text = expr.slice(node.from, node.to);
      const parsed = parseSelector(text);
      out.add(typeof parsed === 'string' ? text : formatSelector(parsed));
      return false;
    },
  });
  return [...out];
}

const CONSTANT_FUNCTIONS = new Set(['vector', 'absent', 'absent_over_time']);

/** Whether the expression yields a series even when none of its inputs exist (`... or vector(0)`). */
export function yieldsWithoutInputs(expr: string): boolean {
  if (exprSelectors(expr).length === 0) return true;
  let found = false;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.name === 'FunctionIdentifier' && CONSTANT_FUNCTIONS.has(expr.slice(node.from, node.to))) found = true;
      return !found;
    },
  });
  return found;
}
