// What a PromQL expression reads, from the lezer syntax tree: its series selectors, the metric of
// each, the range of every rate-like call, and whether it yields data with no input at all.
import { parseTree } from './tree.js';
import { deepFreeze, memoByText } from './memo.js';
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
  return literal.startsWith('`')
    ? literal.slice(1, -1)
    : (JSON.parse(literal.startsWith("'") ? `"${literal.slice(1, -1).replace(/"/g, '\\"')}"` : literal) as string);
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
function promqlReadsUncached(expr: string): Reads {
  const err = promqlSyntaxError(expr);
  if (err) throw new Error(err);
  const reads: Reads = { metrics: [], unnamed: [], rateRanges: [] };
  parseTree(expr).iterate({
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
function exprSelectorsUncached(expr: string): string[] {
  const out = new Set<string>();
  parseTree(expr).iterate({
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
function yieldsWithoutInputsUncached(expr: string): boolean {
  if (exprSelectors(expr).length === 0) return true;
  let found = false;
  parseTree(expr).iterate({
    enter(node) {
      if (node.name === 'FunctionIdentifier' && CONSTANT_FUNCTIONS.has(expr.slice(node.from, node.to))) found = true;
      return !found;
    },
  });
  return found;
}

/**
 * What Prometheus would refuse in an expression the grammar accepts: a range (`x[5m]`) where an
 * instant value is expected at the top, or a range over something other than a series selector
 * (`vector(1)[5m]`, which MetricsQL takes and PromQL needs as a subquery `(...)[5m:]`).
 */
function rangeProblemUncached(expr: string): string | undefined {
  const top = parseTree(expr).topNode.firstChild;
  let problem: string | undefined;
  const unwrap = (n: SyntaxNode): SyntaxNode => (n.name === 'ParenExpr' && n.firstChild ? unwrap(n.firstChild) : n);
  if (top && (unwrap(top).name === 'MatrixSelector' || unwrap(top).name === 'SubqueryExpr')) {
    return 'is a range vector; it must give one value per series (wrap the range in a function such as rate() or sum_over_time())';
  }
  parseTree(expr).iterate({
    enter(ref) {
      if (problem !== undefined) return false;
      if (ref.name !== 'MatrixSelector') return true;
      const inner = ref.node.firstChild;
      if (inner && inner.name !== 'VectorSelector') {
        problem = `takes a range of "${expr.slice(inner.from, inner.to)}", which is no series selector: PromQL needs a subquery there, "(...)[range:]"`;
      }
      return true;
    },
  });
  return problem;
}

/**
 * Whether the expression certainly drops `label` from its result: an aggregation at its top
 * (through parentheses, functions, subqueries and both sides of binary operators other than
 * constants) that keeps no such label (`sum(...)`, `sum by (other)`, `sum without (label)`).
 * Only what the syntax proves: a label can still be lost in ways this cannot see.
 */
export function aggregatesAway(expr: string, label: string): boolean {
  const top = parseTree(expr).topNode.firstChild;
  const drops = (n: SyntaxNode | null): boolean => {
    if (!n) return false;
    switch (n.name) {
      case 'ParenExpr':
      case 'SubqueryExpr':
        return drops(n.firstChild);
      case 'FunctionCall': {
        const fn = n.getChild('FunctionIdentifier');
        const name = fn ? expr.slice(fn.from, fn.to) : '';
        if (CONSTANT_FUNCTIONS.has(name)) return false;
        const args = n.getChild('FunctionCallBody');
        for (let a = args?.firstChild ?? null; a; a = a.nextSibling) {
          if (a.name !== 'NumberDurationLiteral' && a.name !== 'StringLiteral' && drops(a.name === 'MatrixSelector' ? null : a))
            return true;
        }
        return false;
      }
      case 'BinaryExpr': {
        const kids: SyntaxNode[] = [];
        for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
        const operands = [kids[0], kids[kids.length - 1]].filter((k): k is SyntaxNode => k !== undefined);
        return operands.some((o) => o.name !== 'NumberDurationLiteral' && drops(o));
      }
      case 'AggregateExpr': {
        const mod = n.getChild('AggregateModifier');
        if (!mod) return true;
        const labels = mod.getChild('GroupingLabels');
        const names: string[] = [];
        for (let l = labels?.firstChild ?? null; l; l = l.nextSibling) {
          if (l.name === 'LabelName' || l.name === 'QuotedLabelName') names.push(expr.slice(l.from, l.to).replace(/^["'`]|["'`]$/g, ''));
        }
        const without = mod.getChild('Without') !== null;
        return without ? names.includes(label) : !names.includes(label);
      }
      default:
        return false;
    }
  };
  return drops(top);
}

/** Names of the functions an expression calls, each once, in order of first call. */
function functionsCalledUncached(expr: string): string[] {
  const out = new Set<string>();
  parseTree(expr).iterate({
    enter(ref) {
      if (ref.name !== 'FunctionCall') return;
      const fn = ref.node.getChild('FunctionIdentifier');
      if (fn) out.add(expr.slice(fn.from, fn.to));
    },
  });
  return [...out];
}

export const promqlReads: (expr: string) => Reads = memoByText((text) => deepFreeze(promqlReadsUncached(text)));

export const exprSelectors: (expr: string) => string[] = memoByText((text) => deepFreeze(exprSelectorsUncached(text)));

export const yieldsWithoutInputs: (expr: string) => boolean = memoByText(yieldsWithoutInputsUncached);

export const rangeProblem: (expr: string) => string | undefined = memoByText(rangeProblemUncached);

export const functionsCalled: (expr: string) => string[] = memoByText((text) => deepFreeze(functionsCalledUncached(text)));
