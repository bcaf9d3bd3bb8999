// The syntax tree of a PromQL text, parsed once per distinct text with the official grammar.
import { parser } from '@prometheus-io/lezer-promql';
import type { Tree } from '@lezer/common';
import { memoByText } from './memo.js';

/** A tree and whether it holds an error node: the first one's position, or undefined. */
interface Parsed {
  tree: Tree;
  errorAt: number | undefined;
}

function parsed(text: string): Parsed {
  const tree = parser.parse(text);
  let errorAt: number | undefined;
  tree.iterate({
    enter(node) {
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
      return errorAt === undefined;
    },
  });
  return { tree, errorAt };
}

/**
 * `text` with the content of every double-quoted string literal replaced by as many `x`, or
 * undefined when another kind of quote, a backslash or a comment could make the literals'
 * extent anything but "from one `"` to the next on the same line".
 *
 * Why: a lezer tree holds node types and positions, never the text. The grammar reads a string
 * literal's content as opaque characters up to the closing quote (no backslash and no newline
 * inside), so a text and its shape give the same tokens at the same positions, hence the same
 * tree. Every service of a config writes the same expressions with its own label values
 * (`rate(x{job="checkout"}[5m])`, `rate(x{job="payments"}[5m])`), and parsing each was 5%
 * of `generate` at 1,000 services; their shapes parse once for names of one length.
 */
function shapeOf(text: string): string | undefined {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A backslash, a single quote or backquote, or a comment (which may hold a lone `"`).
    if (c === 92 || c === 39 || c === 96 || c === 35) return undefined;
    if (c !== 34) continue;
    const end = text.indexOf('"', i + 1);
    if (end < 0) return undefined;
    for (let j = i + 1; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === 92 || d === 10) return undefined;
    }
    out += `${text.slice(from, i + 1)}${'x'.repeat(end - i - 1)}`;
    from = end;
    i = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

const parsedShape: (shape: string) => Parsed = memoByText(parsed);

/**
 * The text's tree, shared with every text of the same shape. A shape with a syntax error sends
 * the text to be parsed itself: the same tokens should recover the same way, but errors are rare
 * and their positions are what users read, so that is not relied on.
 */
const parsedText: (text: string) => Parsed = memoByText((text) => {
  const shape = shapeOf(text);
  if (shape !== undefined) {
    const p = parsedShape(shape);
    if (p.errorAt === undefined) return p;
    if (shape === text) return p;
  }
  return parsed(text);
});

/** lezer trees are immutable, so one tree serves every reader of the same text (and shape). */
export const parseTree = (expr: string): Tree => parsedText(expr).tree;

/** Where the first syntax error in `expr` starts, or undefined when it parses. */
export const syntaxErrorAt = (expr: string): number | undefined => parsedText(expr).errorAt;
