// The queue is indexed (issue 22): accepting a duplicate or finishing a run does not look at the
// alerts waiting one by one, however many there are; and finished events stay visible in the
// audit trail while thousands wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { actionsFile, type ResolvedRemediation } from '../../src/remediation/actions-file.js';
import { Engine } from '../../src/receiver/engine.js';
import { ReceiverMetrics } from '../../src/receiver/metrics.js';
import { RunQueue } from '../../src/receiver/run-queue.js';
import { Deque } from '../../src/receiver/deque.js';
import { alert, setup, waitFor } from './helpers.js';

const ev = (remediation: string, n: number, retryAt?: number) => ({ alert: { remediation }, n, retryAt });

test('RunQueue: one line per remediation, oldest first; a full remediation is asked about once per pass, not once per alert', () => {
  const q = new RunQueue<ReturnType<typeof ev>>();
  for (let i = 0; i < 10_000; i++) q.push(ev('busy', i));
  q.push(ev('free', 0));
  q.push(ev('free', 1));
  assert.equal(q.size, 10_002);
  const asked = new Map<string, number>();
  const taken = [
    ...q.startable((name) => {
      asked.set(name, (asked.get(name) ?? 0) + 1);
      return name === 'free';
    }),
  ];
  assert.deepEqual(
    taken.map((e) => `${e.alert.remediation}${e.n}`),
    ['free0', 'free1'],
  );
  assert.deepEqual(Object.fromEntries(asked), { busy: 1, free: 2 });
  assert.equal(q.size, 10_000);
  let slots = 3;
  assert.deepEqual(
    [...q.startable(() => slots-- > 0)].map((e) => e.n),
    [0, 1, 2],
  );
});

test('RunQueue: an alert whose start failed waits out its backoff, then goes first in its line (earliest due first)', () => {
  const q = new RunQueue<ReturnType<typeof ev>>();
  q.push(ev('r', 1));
  q.retry(ev('r', 3, 300));
  q.retry(ev('r', 2, 200));
  assert.equal(q.size, 3);
  assert.equal(q.nextRetryAt, 200);
  q.releaseDue(250);
  assert.deepEqual(
    [...q.startable(() => true)].map((e) => e.n),
    [2, 1],
  );
  assert.equal(q.nextRetryAt, 300);
  q.releaseDue(300);
  assert.deepEqual(
    [...q.startable(() => true)].map((e) => e.n),
    [3],
  );
  assert.equal(q.size, 0);
});

/** Remediations whose `maxConcurrent` counts how often the engine reads it. */
function counting(remediations: readonly ResolvedRemediation[]): { remediations: ResolvedRemediation[]; reads: () => number } {
  let reads = 0;
  return {
    remediations: remediations.map((r) => {
      const copy = { ...r };
      Object.defineProperty(copy, 'maxConcurrent', {
        get: () => {
          reads++;
          return r.maxConcurrent;
        },
      });
      return copy;
    }),
    reads: () => reads,
  };
}

test('20,000 alerts queued behind a busy remediation: a duplicate and a finished run cost the same as with none queued', async (t) => {
  const env = await setup((url) => [
    { name: 'stuck', cooldown: '0s', maxConcurrent: 1, maxPerHour: 1000, action: { http: { url: `${url}/stuck`, retries: 0 } } },
    { name: 'quick', cooldown: '0s', maxConcurrent: 1, maxPerHour: 1000, action: { http: { url: `${url}/quick`, retries: 0 } } },
  ]);
  env.target.hold = (call) => call.url === '/stuck';
  t.after(async () => {
    env.target.release();
    await env.target.stop();
  });
  const { remediations: parsed } = actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8')));
  const { remediations, reads } = counting(parsed);
  const engine = new Engine({
    remediations,
    metrics: new ReceiverMetrics(),
    dryRun: false,
    log: () => {},
    store: { append: async () => {}, close: async () => {} },
    auditSize: 10,
  });
  t.after(() => engine.shutdown(0));
  engine.finishReplay();
  await engine.start();
  for (let b = 0; b < 625; b++) {
    await engine.accept(Array.from({ length: 32 }, (_, i) => alert(`${(b * 32 + i).toString(16).padStart(8, '0')}`, 'stuck') as never));
  }
  await waitFor('the first stuck run to be under way', () => env.target.calls.length === 1 || undefined);
  assert.equal(engine.queueDepth, 19_999);

  const before = reads();
  for (let i = 0; i < 100; i++) assert.equal((await engine.accept([alert('00000000', 'stuck') as never])).duplicates, 1);
  // A scan of the queue reads it once per waiting alert: 2 million times here.
  assert.ok(reads() - before <= 100 * 4, `maxConcurrent read ${reads() - before} times for 100 duplicates`);

  // Runs of another remediation finish while 19,999 wait: each finish and each start stays cheap,
  // and the audit trail keeps the finished ones (the newest 10) next to the waiting ones.
  const beforeQuick = reads();
  for (let i = 0; i < 20; i++) await engine.accept([alert(`cafe${String(i).padStart(4, '0')}`, 'quick') as never]);
  await waitFor('the quick runs', () => env.target.calls.filter((c) => c.url === '/quick').length === 20 || undefined);
  await waitFor('their results', () => engine.recent(20).filter((e) => e.state === 'success').length === 10 || undefined);
  assert.ok(reads() - beforeQuick <= 20 * 12, `maxConcurrent read ${reads() - beforeQuick} times for 20 quick runs`);
  assert.equal(engine.queueDepth, 19_999);
});

test('Deque: first in, first out, and taken from the front again after unshift, at any length', () => {
  const d = new Deque<number>();
  for (let i = 0; i < 5000; i++) d.push(i);
  for (let i = -1; i >= -3000; i--) d.unshift(i);
  const out: number[] = [];
  for (let x = d.shift(); x !== undefined; x = d.shift()) out.push(x);
  assert.equal(out.length, 8000);
  assert.deepEqual(out.slice(0, 3), [-3000, -2999, -2998]);
  assert.deepEqual(out.slice(2998, 3002), [-2, -1, 0, 1]);
  assert.equal(out.at(-1), 4999);
  assert.equal(d.length, 0);
});
