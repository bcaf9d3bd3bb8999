// engine-cases.ts on PostgreSQL (issue 26): queue, guard rails, shutdown deadlines and resolved
// notices through an in-process receiver on a throwaway cluster, as engine.test.ts proves them on
// the file log. A restart is a new replica, which takes over what the old one left running once
// its lease has run out. Then what only the database store does: retention on its tick.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver } from '../../src/receiver/server.js';
import { engineCases } from './engine-cases.js';
import { postgresStore } from './stores.js';
import { alert, audit, payload, post, receiverOptions, setup, waitFor, closeAfter } from './helpers.js';

const store = postgresStore();
engineCases(store);

test('postgres: retention on its tick: a finished event leaves the audit trail, and a redelivery is still a duplicate', async (t) => {
  const env = await setup((url) => [{ name: 'r', cooldown: '0s', action: { http: { url, retries: 0 } } }]);
  const where = await store.open(env);
  const logs: string[] = [];
  const rx = await startReceiver(
    await receiverOptions(env, logs, { database: { ...where.options.database!, retentionMs: 1, pruneEveryMs: 100 } }),
  );
  closeAfter(t, env, rx);
  assert.equal((await post(rx.url, payload([alert('old', 'r')]))).json.queued, 1);
  // Not settled(): the tick (every 100 ms) may prune the event before the audit is read with it finished.
  await waitFor('the action to run', () => env.target.calls.length === 1 || undefined);
  await waitFor('the tick to prune the finished event', async () => ((await audit(rx.url)).length === 0 ? true : undefined));
  await waitFor('the log line', () =>
    logs.some((l) => /retention: 1 event\(s\) finished over 0\.001s ago pruned to their dedupe keys/.test(l)),
  );
  assert.match(await (await fetch(`${rx.url}/metrics`)).text(), /sloforge_receiver_database_pruned_total\{what="events"\} 1/);
  assert.ok(!(await where.records()).some((r) => r.t === 'finished'), 'its audit records are gone');
  assert.equal((await post(rx.url, payload([alert('old', 'r')]))).json.duplicates, 1, 'the dedupe key stays');
  assert.equal(env.target.calls.length, 1);
});
