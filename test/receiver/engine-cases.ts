// Queue and guard-rail behaviour through an in-process receiver, the same on both stores:
// engine.test.ts runs these cases on the file log, engine-postgres.system.test.ts on PostgreSQL.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver } from '../../src/receiver/server.js';
import { readFile } from 'node:fs/promises';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { alert, audit, fp, inProcess, nameOf, payload, post, settled, waitFor, writeActions, closeAfter } from './helpers.js';
import type { StoreUnderTest } from './stores.js';

/** True once /metrics matches every pattern. */
async function metricsMatch(url: string, patterns: RegExp[]): Promise<true | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return patterns.every((p) => p.test(text)) || undefined;
}

export function engineCases(store: StoreUnderTest): void {
  test(`${store.name}: maxConcurrent: further alerts wait in the queue until a run finishes`, async (t) => {
    const { env, rx } = await inProcess(
      (url) => [{ name: 'r', cooldown: '0s', maxConcurrent: 2, maxPerHour: 100, action: { http: { url, retries: 0 } } }],
      {},
      store,
    );
    closeAfter(t, env, rx);
    env.target.hold = () => true;
    await post(rx.url, payload(['a', 'b', 'c'].map((f) => alert(f, 'r'))));
    await waitFor('two running actions', () => env.target.calls.length === 2);
    const states = (await audit(rx.url)).map((e) => e.state).sort();
    assert.deepEqual(states, ['queued', 'running', 'running']);
    // PostgreSQL updates the queue gauge on its poll tick: waited for, not assumed.
    await waitFor('the gauges', () => metricsMatch(rx.url, [/sloforge_receiver_queue_depth 1\b/, /sloforge_receiver_actions_running 2\b/]));
    env.target.hold = () => false;
    env.target.release(); // the two held calls fail (connection reset); the third then runs
    const events = await settled(rx.url, 3);
    assert.deepEqual(events.map((e) => e.state).sort(), ['failure', 'failure', 'success']);
    assert.equal(env.target.calls.length, 3);
  });

  test(`${store.name}: onResolved runs on the resolved notice too, which the cooldown does not block; dryRun runs nothing`, async (t) => {
    const { env, rx } = await inProcess(
      (url) => [
        { name: 'both', cooldown: '1h', onResolved: true, action: { http: { url: `${url}/both`, body: { state: '{{status}}' } } } },
        { name: 'dry', dryRun: true, action: { http: { url: `${url}/dry` } } },
      ],
      {},
      store,
    );
    closeAfter(t, env, rx);
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

  test(`${store.name}: alerts without a remediation are ignored; an unknown one is recorded as skipped`, async (t) => {
    const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }], {}, store);
    closeAfter(t, env, rx);
    const none = alert('n', 'r');
    delete (none.labels as Record<string, string>).remediation;
    const res = await post(rx.url, payload([none, alert('u', 'typo-name')]));
    assert.deepEqual(res.json, { status: 'accepted', queued: 0, duplicates: 0, ignored: 2 });
    const [event] = await settled(rx.url, 1);
    assert.equal(event.reason, 'unknown-remediation');
    assert.equal(env.target.calls.length, 0);
    await waitFor('the metric', () =>
      metricsMatch(rx.url, [/sloforge_receiver_actions_total\{remediation="\(unknown\)",result="skipped-unknown-remediation"\} 1/]),
    );
  });

  test(`${store.name}: a reloaded actions file: queued alerts use the new definitions, a removed remediation's are skipped, running actions finish as they started`, async (t) => {
    const limits = { cooldown: '0s', maxConcurrent: 1, maxPerHour: 100 };
    const { env, rx } = await inProcess(
      (url) => [
        { name: 'r', ...limits, action: { http: { url: `${url}/r`, retries: 0 } } },
        { name: 'q', ...limits, action: { http: { url: `${url}/q`, retries: 0 } } },
      ],
      {},
      store,
    );
    closeAfter(t, env, rx);
    env.target.hold = () => true;
    await post(rx.url, payload([alert('a', 'r'), alert('b', 'r'), alert('c', 'q'), alert('d', 'q')]));
    await waitFor('one running action per remediation', () => env.target.calls.length === 2);
    // The file `generate` writes after r was switched to dryRun and q deleted.
    await writeActions(env.dir, [{ name: 'r', ...limits, dryRun: true, action: { http: { url: `${env.target.url}/r`, retries: 0 } } }]);
    rx.setRemediations(actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8'))).remediations);
    env.target.hold = () => false;
    env.target.release(); // the two held calls fail (connection reset)
    const byAlert = new Map((await settled(rx.url, 4)).map((e) => [nameOf(e.fingerprint), e]));
    assert.deepEqual(
      ['a', 'b', 'c', 'd'].map((n) => `${n} ${byAlert.get(n).state} ${byAlert.get(n).reason ?? ''}`.trim()),
      ['a failure', 'b dry-run', 'c failure', 'd skipped unknown-remediation'],
    );
    assert.deepEqual(env.target.calls.map((c) => c.url).sort(), ['/q', '/r'], 'nothing but the two actions that had started');
  });

  /**
   * A receiver whose one action hangs is shut down with a 50 ms deadline, mid-action; then a new
   * receiver starts on the same store (on PostgreSQL a new replica, which takes the event over
   * once the claim's lease has run out) and the target answers. Its one event, once settled.
   */
  async function abortedThenRestarted(t: TestContext, retryInterrupted: boolean) {
    const { env, rx, options, logs, where } = await inProcess(
      (url) => [{ name: 'r', ...(retryInterrupted ? { retryInterrupted } : {}), action: { http: { url, retries: 0, timeout: '1h' } } }],
      { shutdownMs: 50 },
      store,
    );
    t.after(() => env.target.stop());
    env.target.hold = () => true;
    await post(rx.url, payload([alert('h', 'r')]));
    await waitFor('the action to start', () => env.target.calls.length === 1);
    await rx.close();
    const recordsAtShutdown = await where?.records();
    env.target.hold = () => false;
    const again = await startReceiver(options);
    t.after(() => again.close());
    const [event] = await settled(again.url, 1);
    return { env, logs, recordsAtShutdown, again, event };
  }

  test(`${store.name}: shutdown deadline: a hanging action is aborted, left unfinished, and (retryInterrupted) runs on the next start`, async (t) => {
    const { env, logs, recordsAtShutdown, event } = await abortedThenRestarted(t, true);
    assert.ok(logs.some((l) => l.includes('aborting 1 running action')));
    assert.ok(!recordsAtShutdown!.some((r) => r.t === 'finished'), 'nothing recorded as finished');
    assert.equal(event.state, 'success');
    assert.equal(event.attempts, 2);
    assert.equal(env.target.countsByKey().size, 1, 'both deliveries carry the same Idempotency-Key');
  });

  test(`${store.name}: shutdown deadline without retryInterrupted: the aborted action is audited as interrupted, not repeated`, async (t) => {
    const { env, again, event } = await abortedThenRestarted(t, false);
    assert.equal(event.state, 'skipped');
    assert.equal(event.reason, 'interrupted');
    assert.equal(env.target.calls.length, 1);
    await waitFor('the metric', () =>
      metricsMatch(again.url, [/sloforge_receiver_actions_total\{remediation="r",result="skipped-interrupted"\} 1/]),
    );
  });

  test(`${store.name}: a queued firing alert whose resolved notice arrives before it starts is skipped`, async (t) => {
    const { env, rx } = await inProcess((url) => [{ name: 'r', cooldown: '0s', action: { http: { url, retries: 0 } } }], {}, store);
    closeAfter(t, env, rx);
    env.target.hold = (_c, i) => i === 0;
    await post(rx.url, payload([alert('first', 'r'), alert('second', 'r')]));
    await waitFor('the first action to start', () => env.target.calls.length === 1);
    assert.equal((await post(rx.url, payload([alert('second', 'r', { status: 'resolved' })]))).json.ignored, 1);
    env.target.release();
    const events = await settled(rx.url, 2);
    const second = events.find((e) => e.fingerprint === fp('second'));
    assert.equal(second.reason, 'resolved');
    assert.equal(env.target.calls.length, 1);
    await waitFor('the metric', () =>
      metricsMatch(rx.url, [/sloforge_receiver_actions_total\{remediation="r",result="skipped-resolved"\} 1/]),
    );
  });
}
