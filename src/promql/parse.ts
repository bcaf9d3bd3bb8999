// PromQL checks with the official lezer grammar, so users learn of a typo at generate time
// rather than when Prometheus refuses to load the rule file.
import { parseTree, syntaxErrorAt } from './tree.js';
import { deepFreeze, memoByText } from './memo.js';
import { quoted } from './labels.js';
import type { SyntaxNode } from '@lezer/common';

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}

export interface Selector {
  metric: string;
  matchers: LabelMatcher[];
}

/** Describes the first syntax error in `expr`, or returns undefined when it parses. */
function promqlSyntaxErrorUncached(expr: string): string | undefined {
  if (expr.trim() === '') return 'is empty';
  const errorAt = syntaxErrorAt(expr);
  if (errorAt === undefined) return undefined;
  const near = expr.slice(Math.max(0, errorAt - 20), errorAt + 20);
  return `does not parse as PromQL (at character ${errorAt + 1}, near "${near}")`;
}

function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  if (quote === "'") return JSON.parse(`"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string;
  return JSON.parse(literal) as string;
}

/**
 * Splits a plain series selector (`metric{a="b",c=~"d"}`) into its parts. Returns an error text
 * when the input is anything else (a function call, an operator, a range).
 */
function parseSelectorUncached(expr: string): Selector | string {
  const syntax = promqlSyntaxError(expr);
  if (syntax) return syntax;
  const top = parseTree(expr).topNode.firstChild;
  if (!top || top.name !== 'VectorSelector' || top.nextSibling) {
    return 'must be a series selector such as metric_name{label="value"}, not an expression';
  }
  const ident = top.getChild('Identifier');
  if (!ident) return 'must name its metric before the braces (metric_name{...})';
  const metric = expr.slice(ident.from, ident.to);
  const matchers: LabelMatcher[] = [];
  const list = top.getChild('LabelMatchers');
  for (let m: SyntaxNode | null = list?.firstChild ?? null; m; m = m.nextSibling) {
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const nameNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
    const opNode = m.getChild('MatchOp');
    const valueNode = m.getChild('StringLiteral');
    if (!nameNode || !opNode || !valueNode) return 'has a label matcher that is not name op "value"';
    let name = expr.slice(nameNode.from, nameNode.to);
    if (nameNode.name === 'QuotedLabelName') name = unquote(name);
    matchers.push({
      name,
      op: expr.slice(opNode.from, opNode.to) as MatchOp,
      value: unquote(expr.slice(valueNode.from, valueNode.to)),
    });
  }
  return { metric, matchers };
}

/** Renders a selector back to PromQL with stable quoting. */
export function formatSelector(sel: Selector): string {
  if (sel.matchers.length === 0) return sel.metric;
  const inner = sel.matchers.map((m) => `${m.name}${m.op}${quoted(m.value)}`).join(',');
  return `${sel.metric}{${inner}}`;
}

export const promqlSyntaxError: (expr: string) => string | undefined = memoByText(promqlSyntaxErrorUncached);

export const parseSelector: (expr: string) => Selector | string = memoByText((text) => deepFreeze(parseSelectorUncached(text)));
