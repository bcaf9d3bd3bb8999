// Queue and guard-rail behaviour through an in-process receiver (faster than a child process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startReceiver } from '../../src/receiver/server.js';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { LogStore } from '../../src/receiver/store/log-store.js';
import { TOKEN, alert, audit, fp, inProcess, payload, post, settled, setup, waitFor } from './helpers.js';

test('maxConcurrent: further alerts wait in the queue until a run finishes', async (t) => {
  const { env, rx } = await inProcess((url) => [
    { name: 'r', cooldown: '0s', maxConcurrent: 2, maxPerHour: 100, action: { http: { url, retries: 0 } } },
  ]);
  t.after(async () => {
    env.target.release();
    await rx.close();
    await env.target.stop();
  });
  env.target.hold = () => true;
  await post(rx.url, payload(['a', 'b', 'c'].map((f) => alert(f, 'r'))));
  await waitFor('two running actions', () => env.target.calls.length === 2);
  const states = (await audit(rx.url)).map((e) => e.state).sort();
  assert.deepEqual(states, ['queued', 'running', 'running']);
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_queue_depth 1/);
  assert.match(metrics, /sloforge_receiver_actions_running 2/);
  env.target.hold = () => false;
  env.target.release(); // the two held calls fail (connection reset); the third then runs
  const events = await settled(rx.url, 3);
  assert.deepEqual(events.map((e) => e.state).sort(), ['failure', 'failure', 'success']);
  assert.equal(env.target.calls.length, 3);
});

test('onResolved runs on the resolved notice too, which the cooldown does not block; dryRun runs nothing', async (t) => {
  const { env, rx } = await inProcess((url) => [
    { name: 'both', cooldown: '1h', onResolved: true, action: { http: { url: `${url}/both`, body: { state: '{{status}}' } } } },
    { name: 'dry', dryRun: true, action: { http: { url: `${url}/dry` } } },
  ]);
  t.after(async () => {
    await rx.close();
    await env.target.stop();
  });
  await post(rx.url, payload([alert('x', 'both'), alert('y', 'dry')]));
  await settled(rx.url, 2);
  await post(rx.url, payload([alert('x', 'both', { status: 'resolved', endsAt: '2026-11-22T11:00:00Z' })]));
  const events = await settled(rx.url, 3);
  assert.deepEqual(
    env.target.calls.map((c) => `${c.url} ${c.body}`),
    ['/both {"state":"firing"}', '/both {"state":"resolved"}'],
  );
  const dry = events.find((e) => e.remediation === 'dry');
  assert.equal(dry.state, 'dry-run');
  assert.match(dry.detail, /would POST/);
});

test('alerts without a remediation are ignored; an unknown one is recorded as skipped', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }]);
  t.after(async () => {
    await rx.close();
    await env.target.stop();
  });
  const none = alert('n', 'r');
  delete (none.labels as Record<string, string>).remediation;
  const res = await post(rx.url, payload([none, alert('u', 'typo-name')]));
  assert.deepEqual(res.json, { status: 'accepted', queued: 0, duplicates: 0, ignored: 2 });
  const [event] = await settled(rx.url, 1);
  assert.equal(event.reason, 'unknown-remediation');
  assert.equal(env.target.calls.length, 0);
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_actions_total\{remediation="\(unknown\)",result="skipped-unknown-remediation"\} 1/);
});

test('shutdown deadline: a hanging action is aborted, left unfinished, and (retryInterrupted) runs on the next start', async (t) => {
  const { env, rx, options, logs } = await inProcess(
    (url) => [{ name: 'r', retryInterrupted: true, action: { http: { url, retries: 0, timeout: '1h' } } }],
    { shutdownMs: 50 },
  );
  t.after(() => env.target.stop());
  env.target.hold = () => true;
  await post(rx.url, payload([alert('h', 'r')]));
  await waitFor('the action to start', () => env.target.calls.length === 1);
  await rx.close();
  assert.ok(logs.some((l) => l.includes('aborting 1 running action')));
  const log = await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8');
  assert.doesNotMatch(log, /"t":"finished"/);

  env.target.hold = () => false;
  const again = await startReceiver(options);
  t.after(() => again.close());
  const [event] = await settled(again.url, 1);
  assert.equal(event.state, 'success');
  assert.equal(event.attempts, 2);
  assert.equal(env.target.countsByKey().size, 1, 'both deliveries carry the same Idempotency-Key');
});

test('shutdown deadline without retryInterrupted: the aborted action is audited as interrupted, not repeated', async (t) => {
  const { env, rx, options } = await inProcess((url) => [{ name: 'r', action: { http: { url, retries: 0, timeout: '1h' } } }], {
    shutdownMs: 50,
  });
  t.after(() => env.target.stop());
  env.target.hold = () => true;
  await post(rx.url, payload([alert('h', 'r')]));
  await waitFor('the action to start', () => env.target.calls.length === 1);
  await rx.close();
  env.target.hold = () => false;
  const again = await startReceiver(options);
  t.after(() => again.close());
  const [event] = await settled(again.url, 1);
  assert.equal(event.state, 'skipped');
  assert.equal(event.reason, 'interrupted');
  assert.equal(env.target.calls.length, 1);
  const metrics = await (await fetch(`${again.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_actions_total\{remediation="r",result="skipped-interrupted"\} 1/);
});

test('HTTP edge cases: chunked oversize body 413, unknown path 404, wrong method 405, HEAD health', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }], { bodyLimit: 1000 });
  t.after(async () => {
    await rx.close();
    await env.target.stop();
  });
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
  const parsed = actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8')));
  const logs: string[] = [];
  const rx = await startReceiver({
    remediations: parsed.remediations,
    tokens: [TOKEN],
    dataDir: env.dataDir,
    host: '127.0.0.1',
    port: 0,
    dryRun: false,
    log: (l) => logs.push(l),
  });
  await waitFor('the start-time compaction', () => logs.some((l) => l.includes('compacted the event log (at start)')));
  assert.equal((await post(rx.url, payload([a]))).json.duplicates, 1);
  assert.equal(env.target.calls.length, 0);
  // And after a restart on the compacted log.
  await rx.close();
  const again = await startReceiver({
    remediations: parsed.remediations,
    tokens: [TOKEN],
    dataDir: env.dataDir,
    host: '127.0.0.1',
    port: 0,
    dryRun: false,
    log: () => {},
  });
  t.after(() => again.close());
  assert.equal((await post(again.url, payload([a]))).json.duplicates, 1);
  assert.match(await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8'), /^\{"t":"seen","id":"e1"/);
  assert.equal(env.target.calls.length, 0);
});

test('a queued firing alert whose resolved notice arrives before it starts is skipped', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', cooldown: '0s', action: { http: { url, retries: 0 } } }]);
  t.after(async () => {
    await rx.close();
    await env.target.stop();
  });
  env.target.hold = (_c, i) => i === 0;
  await post(rx.url, payload([alert('first', 'r'), alert('second', 'r')]));
  await waitFor('the first action to start', () => env.target.calls.length === 1);
  assert.equal((await post(rx.url, payload([alert('second', 'r', { status: 'resolved' })]))).json.ignored, 1);
  env.target.release();
  const events = await settled(rx.url, 2);
  const second = events.find((e) => e.fingerprint === fp('second'));
  assert.equal(second.reason, 'resolved');
  assert.equal(env.target.calls.length, 1);
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_actions_total\{remediation="r",result="skipped-resolved"\} 1/);
});

test('/metrics exports at 0, from the start, every series the receiver thresholds read', async (t) => {
  const { env, rx } = await inProcess((url) => [
    { name: 'restart', action: { http: { url } } },
    { name: 'scale', action: { http: { url } } },
  ]);
  t.after(async () => {
    await rx.close();
    await env.target.stop();
  });
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
