// Who keeps a connection slot at the cap: authenticated connections always, unauthenticated
// ones only while nobody else needs the room.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionSlots } from '../../src/receiver/connection-slots.js';

test('below the cap every connection is admitted and nothing is evicted', () => {
  const slots = new ConnectionSlots<string>(2);
  assert.deepEqual(slots.admit('a'), { admitted: true });
  assert.deepEqual(slots.admit('b'), { admitted: true });
  assert.equal(slots.size, 2);
});

test('at the cap the oldest idle unauthenticated connection makes room, before any busy one', () => {
  const slots = new ConnectionSlots<string>(3);
  for (const c of ['busy', 'idle-old', 'idle-new']) slots.admit(c);
  slots.requestStarted('busy');
  assert.deepEqual(slots.admit('newcomer'), { admitted: true, evicted: 'idle-old' });
  assert.deepEqual(slots.admit('another'), { admitted: true, evicted: 'idle-new' });
  assert.equal(slots.size, 3);
});

test('a busy unauthenticated connection is displaced when no idle one is left (a slow 401 body cannot hold a slot)', () => {
  const slots = new ConnectionSlots<string>(2);
  slots.admit('trusted');
  slots.trust('trusted');
  slots.admit('slow');
  slots.requestStarted('slow');
  assert.deepEqual(slots.admit('newcomer'), { admitted: true, evicted: 'slow' });
});

test('authenticated connections are never displaced: with all slots trusted the newcomer is refused', () => {
  const slots = new ConnectionSlots<string>(2);
  for (const c of ['a', 'b']) {
    slots.admit(c);
    slots.trust(c);
  }
  assert.deepEqual(slots.admit('newcomer'), { admitted: false });
  assert.equal(slots.size, 2);
  slots.release('a');
  assert.deepEqual(slots.admit('newcomer'), { admitted: true });
});

test('a finished request makes its connection idle again', () => {
  const slots = new ConnectionSlots<string>(2);
  slots.admit('a');
  slots.admit('b');
  slots.requestStarted('a');
  slots.requestStarted('b');
  slots.requestEnded('b');
  assert.deepEqual(slots.admit('c'), { admitted: true, evicted: 'b' });
});
