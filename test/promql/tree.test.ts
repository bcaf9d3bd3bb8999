// parseTree shares one tree among texts that differ only inside double-quoted strings: that tree
// must be, node for node and position for position, the one the grammar gives the text itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parser } from '@prometheus-io/lezer-promql';
import type { Tree } from '@lezer/common';
import { parseTree, syntaxErrorAt } from '../../src/promql/tree.js';

function nodes(tree: Tree): string[] {
  const out: string[] = [];
  tree.iterate({ enter: (n) => void out.push(`${n.name}@${n.from}-${n.to}`) });
  return out;
}

function firstError(tree: Tree): number | undefined {
  let at: number | undefined;
  tree.iterate({
    enter(n) {
      if (at === undefined && n.type.isError) at = n.from;
      return at === undefined;
    },
  });
  return at;
}

function sameAsGrammar(text: string): void {
  const own = parser.parse(text);
  assert.deepEqual(nodes(parseTree(text)), nodes(own), text);
  assert.equal(syntaxErrorAt(text), firstError(own), text);
}

// String contents that could change a token if they were read as anything but opaque text.
const content = fc.oneof(
  fc.constantFrom(
    '',
    'x',
    'svc-0001',
    '5..',
    'a b',
    'sum',
    'by',
    '#',
    "'",
    '`',
    '{',
    '}',
    '(',
    ')',
    ',',
    '=',
    '=~',
    '[5m]',
    'é',
    '\r',
    '\t',
    '1e3',
  ),
  fc.string({ maxLength: 6 }),
);
const lit = content.map((c) => JSON.stringify(c).replace(/^"|"$/g, '')).map((c) => `"${c}"`);
const piece = fc.oneof(
  lit,
  fc.constantFrom(
    'http_requests_total',
    '{',
    '}',
    'job=',
    'code=~',
    'le!=',
    'x!~',
    ',',
    'sum(',
    'rate(',
    ')',
    '[5m]',
    ' by (job) ',
    ' or ',
    ' / ',
    ' * 100',
    'vector(0)',
    '\n',
    ' ',
    '#c\n',
    "'a'",
    '`b`',
    '"',
    'label_replace(',
    '"$1"',
    '0.5',
    'offset 5m',
  ),
);

test('a text gets the tree the grammar gives it, shared or not', () => {
  for (const text of [
    'http_requests_total{job="svc-0001",code=~"5.."}',
    'http_requests_total{job="svc-0002",code=~"5.."}',
    'http_requests_total{job="svc-00003",code=~"5.."}',
    'avg(rate(process_cpu_seconds_total{job="a"}[5m])) * 100',
    'x{a="b # c"}',
    'x{a="it\'s"}',
    'x{a="a\\"b"}',
    'x{a="line\nbreak"}',
    'x{a="unclosed}',
    'x{a="b"} # a "comment',
    'x{a="b" == "c"}',
    '"just a string"',
    'sum by ("quoted.label") (x{"other.label"="v"})',
    '{"metric.name", a="b"}',
  ])
    sameAsGrammar(text);
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (ps) => sameAsGrammar(ps.join(''))),
    { numRuns: 3000 },
  );
});

test('texts that differ only inside strings of one length share one tree', () => {
  assert.equal(parseTree('x{job="svc-0001"}'), parseTree('x{job="svc-0002"}'));
  assert.notEqual(parseTree('x{job="svc-0001"}'), parseTree('x{job="svc-00001"}'));
});
