import { test } from 'node:test';
import assert from 'node:assert/strict';
import { someOf } from '../src/list-text.js';

test('someOf lists every name up to the limit, then the first ones and how many more', () => {
  const names = Array.from({ length: 12 }, (_, i) => `svc-${i}/latency`);
  assert.equal(someOf(names.slice(0, 3), ', '), 'svc-0/latency, svc-1/latency, svc-2/latency');
  assert.equal(someOf(names.slice(0, 10), '; '), names.slice(0, 10).join('; '));
  assert.equal(someOf(names, ', '), `${names.slice(0, 10).join(', ')} and 2 more`);
  assert.equal(someOf(names, '; ', 1), 'svc-0/latency and 11 more');
  assert.equal(someOf([], ', '), '');
});
