// Queue and guard-rail behaviour through an in-process receiver (faster than a child process).
// The cases that hold for both stores are in engine-cases.ts (here on the file log; PostgreSQL in
// engine-postgres.system.test.ts); those below are the file log's or the HTTP side's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startReceiver } from '../../src/receiver/server.js';
import { LogStore } from '../../src/receiver/store/log-store.js';
import { TOKEN, alert, fp, inProcess, payload, post, receiverOptions, setup, waitFor, closeAfter } from './helpers.js';
import { engineCases } from './engine-cases.js';
import { FILE_STORE } from './stores.js';

engineCases(FILE_STORE);

test('HTTP edge cases: chunked oversize body 413, unknown path 404, wrong method 405, HEAD health', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }], { bodyLimit: 1000 });
  closeAfter(t, env, rx);
  const status = await new Promise<number>((resolve, reject) => {
    const { port } = new URL(rx.url);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/alerts',
        headers: { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on('error', reject);
    for (let i = 0; i < 20; i++) req.write('x'.repeat(100));
    req.end();
  });
  assert.equal(status, 413);
  assert.equal((await fetch(`${rx.url}/nope`)).status, 404);
  assert.equal((await fetch(`${rx.url}/alerts`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 405);
  assert.equal((await fetch(`${rx.url}/healthz`, { method: 'HEAD' })).status, 200);
  assert.equal((await fetch(`${rx.url}/healthz`, { method: 'POST' })).status, 405);
  // A client that hangs up mid-body is counted, and leaves nothing pending.
  const { port } = new URL(rx.url);
  const half = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/alerts',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-length': '500' },
  });
  half.on('error', () => {});
  half.write('{"version":"4",');
  const metricsText = async () => (await fetch(`${rx.url}/metrics`)).text();
  await waitFor('the partial request to be in flight', async () => /requests_in_flight\{route="\/alerts"\} 1/.test(await metricsText()));
  half.destroy();
  await waitFor('the hang-up to be counted', async () => /route="\/alerts",outcome="bad_request"\} 1/.test(await metricsText()));
  assert.match(await metricsText(), /requests_in_flight\{route="\/alerts"\} 0/);
  assert.equal((await post(rx.url, payload([]))).status, 200, 'still serving');
});

test('a compacted log still dedupes: an alert that ran a month ago does not run again', async (t) => {
  const env = await setup((url) => [{ name: 'r', action: { http: { url } } }]);
  t.after(() => env.target.stop());
  const monthAgo = Date.now() - 30 * 86_400_000;
  const a = alert('old', 'r');
  const fields = {
    remediation: 'r',
    status: 'firing',
    fingerprint: fp('old'),
    startsAt: a.startsAt as string,
    endsAt: '',
    labels: a.labels as Record<string, string>,
    annotations: {},
  };
  const seed = await LogStore.open(env.dataDir);
  await seed.store.append([
    { t: 'accepted', id: 'e1', at: monthAgo, key: `${fp('old')}|${fields.startsAt}|firing`, alert: fields },
    { t: 'started', id: 'e1', at: monthAgo, attempt: 1, dryRun: false },
    { t: 'finished', id: 'e1', at: monthAgo, result: 'success', detail: 'ok', durationMs: 5 },
  ]);
  await seed.store.close();
  const logs: string[] = [];
  const rx = await startReceiver(await receiverOptions(env, logs));
  await waitFor('the start-time compaction', () => logs.some((l) => l.includes('compacted the event log (at start)')));
  assert.equal((await post(rx.url, payload([a]))).json.duplicates, 1);
  assert.equal(env.target.calls.length, 0);
  // And after a restart on the compacted log.
  await rx.close();
  const again = await startReceiver(await receiverOptions(env, [], { log: () => {} }));
  t.after(() => again.close());
  assert.equal((await post(again.url, payload([a]))).json.duplicates, 1);
  assert.match(await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8'), /^\{"t":"seen","id":"e1"/);
  assert.equal(env.target.calls.length, 0);
});

test('/metrics exports at 0, from the start, every series the receiver thresholds read', async (t) => {
  const { env, rx } = await inProcess((url) => [
    { name: 'restart', action: { http: { url } } },
    { name: 'scale', action: { http: { url } } },
  ]);
  closeAfter(t, env, rx);
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  for (const line of [
    'sloforge_receiver_actions_total{remediation="restart",result="failure"} 0',
    'sloforge_receiver_actions_total{remediation="scale",result="failure"} 0',
    'sloforge_receiver_actions_total{remediation="scale",result="success"} 0',
    'sloforge_receiver_remediation_halted{remediation="restart"} 0',
    'sloforge_receiver_requests_total{route="/alerts",outcome="persist_failed"} 0',
    'sloforge_receiver_log_skipped_lines 0',
  ])
    assert.ok(metrics.split('\n').includes(line), `missing: ${line}`);
});
