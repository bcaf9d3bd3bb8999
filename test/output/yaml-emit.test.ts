// The fast YAML writer must write exactly what the yaml library writes, for every flavour and
// any data the targets can produce: generated/ is compared byte for byte by `generate --check`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { emitYaml, libraryYaml, type YamlFlavour } from '../../src/output/yaml-emit.js';

// Strings that sit on the edge of YAML's plain-scalar rules, and pieces to build more from.
const EDGES = [
  '',
  ' ',
  'a',
  'true',
  'True',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'n',
  'null',
  '~',
  '=',
  '<<',
  '-',
  '- a',
  '-a',
  '?',
  '? a',
  ':',
  'a:',
  'a: b',
  'a:b',
  '#',
  'a #b',
  'a#b',
  '@x',
  '`x',
  '%x',
  '&x',
  '*x',
  '!x',
  '|x',
  '>x',
  "'x",
  '"x',
  '[x]',
  '{x}',
  ',x',
  '0',
  '007',
  '1.5',
  '.5',
  '1e3',
  '-1',
  '+1',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  '1_000',
  '190:20:30',
  '2001-12-14',
  '2001-12-14 21:59:43.10 -5',
  '1 - (a / b)',
  '12:30',
  'a\nb',
  'a\n\nb',
  'a\n',
  'a\n\n',
  '\na',
  ' a',
  'a ',
  'a\tb',
  'tab\t',
  '---',
  '---\nx',
  '...',
  'x\n---\ny',
  'é',
  'ümlaut',
  '\u2028',
  '\u0007',
  'a\rb',
  '{{ $labels.job }}',
  'sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m]))',
  'a\n b',
  'a \nb',
  '  a\nb',
  'a\nb\n',
  'x: y\nz',
  "it's\nfine",
  '{a}\n"b"',
  'sum(\n  rate(x[5m])\n)\n/\nsum(y)',
  '(\n  a\n  or\n  b\n)',
  'a\n#b',
  'a\n- b',
  '{__name__="ALERTS",alertname="X"}',
  "{a='1'}",
  '{a="1",b=\'2\'}',
  'a\\b',
  '"q"',
  "'q'",
  'x:',
  'a: b "c"',
  'a # "b"',
  "a # 'b'",
  'summary: x',
  '$value',
  '/path',
  '(x)',
  'a: {b}',
  'x #',
  'http://x.example:9090/a?b=c#d',
  '../rules/x.yml',
  './x',
  '../',
  './',
  '.../x',
  '..',
  './1',
  '../ x',
  'a: "b" \'c\'',
  'a: \\b',
  ': "x" \\ \'y\'',
];
const piece = fc.constantFrom(...EDGES, 'job', ' ', ':', '#', '\n', '-', '"', "'", '0', '.', 'x', '\t', '\\', 'é');
const tricky = fc.oneof(
  fc.constantFrom(...EDGES),
  fc.array(piece, { maxLength: 6 }).map((p) => p.join('')),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const scalar = fc.oneof(
  tricky,
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 1e21, 0.1, 14.4, 1 / 3, Number.MAX_SAFE_INTEGER + 2, Infinity, -Infinity, NaN),
  fc.boolean(),
  fc.constant(null),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('tree'), { maxLength: 4 }),
  object: fc.dictionary(tricky, fc.oneof(tie('tree'), fc.constant(undefined)), { maxKeys: 4 }),
}));
const documents = fc.oneof(fc.dictionary(tricky, tree, { maxKeys: 5 }), fc.array(tree, { maxLength: 5 }));

for (const flavour of ['1.2', '1.1'] as YamlFlavour[]) {
  test(`YAML ${flavour}: the writer matches the yaml library on random documents`, () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const ours = emitYaml(doc, flavour);
        const theirs = libraryYaml(doc, flavour);
        assert.equal(ours, theirs, `the library writes\n${theirs}\nthe writer\n${ours}`);
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });

  test(`YAML ${flavour}: each edge string as a key, a value, a list item and a nested block matches the library`, () => {
    for (const s of EDGES) {
      for (const doc of [{ [s]: 1 }, { k: s }, [s], { a: [{ b: s, c: [s, { d: s }] }] }, [[s, [s]]], { e: {}, f: [], g: { h: s } }]) {
        assert.equal(emitYaml(doc, flavour), libraryYaml(doc, flavour), JSON.stringify(doc));
      }
    }
  });
}

test('what the library lays out itself: class instances, Maps, symbols, undefined list items, scalar documents', () => {
  class Point {
    constructor(readonly x: number) {}
  }
  const docs: unknown[] = [
    { p: new Point(1) },
    { m: new Map([['a', 1]]) },
    { d: new Date(0) },
    [undefined, 1],
    'text',
    5,
    null,
    { [Symbol('s')]: 1, a: 1 },
  ];
  for (const doc of docs) assert.equal(emitYaml(doc, '1.2'), libraryYaml(doc, '1.2'));
});
