// Label text is written into every rule and test file: the fast quoting must be JSON's, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { labelText, matcherText, quoted, seriesText } from '../../src/promql/labels.js';

const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    '',
    'a"b',
    'a\\b',
    '\n',
    '\t',
    '\u0000',
    '\u001f',
    '\u007f',
    '\u2028',
    '\ud800',
    '\udfff',
    'x\ud83d\ude00y',
    '\ud83d',
    'é',
  ),
);

test('quoted writes any string exactly as JSON.stringify does', () => {
  fc.assert(
    fc.property(tricky, (s) => assert.equal(quoted(s), JSON.stringify(s))),
    { numRuns: 2000 },
  );
});

test('label sets quote their values as JSON, in the order asked', () => {
  const labels = { job: 'a"b', code: '5\\d', le: '0.3' };
  assert.equal(labelText(labels), '{code="5\\\\d",job="a\\"b",le="0.3"}');
  assert.equal(matcherText(labels), '{job="a\\"b",code="5\\\\d",le="0.3"}');
  assert.equal(seriesText('m', {}), 'm');
  fc.assert(
    fc.property(fc.dictionary(fc.stringMatching(/^[a-z_]{1,5}$/), tricky), (l) =>
      assert.equal(
        matcherText(l),
        `{${Object.keys(l)
          .map((k) => `${k}=${JSON.stringify(l[k])}`)
          .join(',')}}`,
      ),
    ),
  );
});
