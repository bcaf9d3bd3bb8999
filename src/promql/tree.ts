// The syntax tree of a PromQL text, parsed once per distinct text with the official grammar.
import { parser } from '@prometheus-io/lezer-promql';
import type { Tree } from '@lezer/common';
import { memoByText } from './memo.js';

/** lezer trees are immutable, so one tree serves every reader of the same text. */
export const parseTree: (expr: string) => Tree = memoByText((expr) => parser.parse(expr));
