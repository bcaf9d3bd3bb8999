// Which PromQL shapes count as "reads one counter".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseQuery } from '../../src/promql/query.js';

const rate = { counterValue: false };
const counter = { counterValue: true };

function selectorOf(q: string, opts = rate): string | undefined {
  const s = analyseQuery(q, opts);
  return typeof s !== 'string' && s.kind === 'counter' ? s.read.text : undefined;
}

test('sum(rate()), increase, sum by, outer parentheses and "or vector(0)" read one counter', () => {
  assert.equal(selectorOf('sum(rate(a_total{x="1"}[{{.window}}]))'), 'a_total{x="1"}');
  assert.equal(selectorOf('sum(increase(a_total[{{ .window }}]))'), 'a_total');
  assert.equal(selectorOf('((sum by (pod) (rate(a_total[5m]))))'), 'a_total');
  assert.equal(selectorOf('sum(rate(a_total[5m])) without (pod)'), 'a_total');
  assert.equal(selectorOf('sum(rate(a_total{code=~"5.."}[5m])) or vector(0)'), 'a_total{code=~"5.."}');
  assert.equal(selectorOf('rate(a_total[5m])'), 'a_total');
  assert.equal(selectorOf('sum(rate(a_total[{{.window}}])) OR on() vector(0)'), 'a_total');
});

test('a bare counter reads as one only where the spec says its query returns counter values', () => {
  assert.equal(selectorOf('sum(a_total)'), undefined);
  assert.equal(selectorOf('sum(a_total)', counter), 'a_total');
  assert.equal(selectorOf('a_total{x="y"}', counter), 'a_total{x="y"}');
});

test('other shapes are refused', () => {
  for (const q of [
    'avg(rate(a[5m]))',
    'sum(rate(a[5m] offset 1h))',
    'sum(rate(a[5m])) / 2',
    'sum(irate(a[5m]))',
    'max(a)',
    'sum(rate(a[5m])) + sum(rate(b[5m]))',
  ]) {
    assert.equal(typeof analyseQuery(q, counter), 'string', q);
  }
});

test('A - B is a difference of two counters', () => {
  const s = analyseQuery('(sum(rate(t_count[5m])) - sum(rate(t_bucket{le="0.3"}[5m])))', rate);
  assert.ok(typeof s !== 'string' && s.kind === 'difference');
  assert.equal(s.minuend.text, 't_count');
  assert.equal(s.subtrahend.text, 't_bucket{le="0.3"}');
});
