import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepFreeze, memoByText } from '../../src/promql/memo.js';
import { parseSelector } from '../../src/promql/parse.js';
import { exprSelectors } from '../../src/promql/reads.js';

test('memoByText computes each text once, undefined answers included', () => {
  let calls = 0;
  const f = memoByText((t) => {
    calls++;
    return t.length > 3 ? t.toUpperCase() : undefined;
  });
  assert.equal(f('abcd'), 'ABCD');
  assert.equal(f('abcd'), 'ABCD');
  assert.equal(f('ab'), undefined);
  assert.equal(f('ab'), undefined);
  assert.equal(calls, 2);
});

test('shared PromQL answers are frozen: a caller that mutates one fails instead of corrupting every later reader', () => {
  const sel = parseSelector('http_requests_total{job="api",code=~"5.."}');
  assert.ok(typeof sel !== 'string');
  assert.equal(parseSelector('http_requests_total{job="api",code=~"5.."}'), sel);
  assert.throws(() => (sel.matchers as unknown[]).push({ name: 'x', op: '=', value: 'y' }), TypeError);
  assert.throws(() => {
    (sel.matchers[0] as { value: string }).value = 'other';
  }, TypeError);
  assert.throws(() => exprSelectors('sum(rate(a{job="x"}[5m])) / sum(rate(b[5m]))').sort(), TypeError);
  assert.deepEqual(deepFreeze({ a: [{ b: 1 }] }), { a: [{ b: 1 }] });
});
