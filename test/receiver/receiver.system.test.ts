// The receiver as a real process on 127.0.0.1: the acceptance behaviours of issue 6. Those that
// are about the store (dedupe, guard rails across a restart, SIGKILL and SIGTERM mid-action) run
// on both stores: the file log, and PostgreSQL (issue 26), where a restart is a new replica.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiverProcess, TOKEN, alert, fp, nameOf, payload, post, settled, setup, waitFor } from './helpers.js';
import { storesUnderTest, type StoreUnderTest } from './stores.js';

const STORES = storesUnderTest();

const restart = (url: string) => ({
  name: 'restart-checkout',
  cooldown: '0s',
  maxPerHour: 100,
  action: { http: { url: `${url}/admin/restart`, method: 'POST' as const, retries: 0 } },
});

test('authentication, limits and malformed bodies; the process keeps serving', async (t) => {
  const env = await setup((url) => [restart(url)]);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => {
    await rx.stop();
    await env.target.stop();
  });
  const ok = payload([alert('a1', 'restart-checkout')]);

  assert.equal((await post(rx.url, ok, null)).status, 401);
  assert.equal((await post(rx.url, ok, 'wrong-token')).status, 401);
  const basicWrong = await fetch(`${rx.url}/alerts`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('am:nope').toString('base64')}` },
    body: JSON.stringify(ok),
  });
  assert.equal(basicWrong.status, 401);
  assert.equal((await fetch(`${rx.url}/api/actions`)).status, 401);
  assert.equal((await fetch(`${rx.url}/api/actions`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status, 401);

  const big = JSON.stringify(payload([alert('big', 'restart-checkout', { annotations: { summary: 'x'.repeat(1024 * 1024) } })]));
  assert.equal((await post(rx.url, big)).status, 413);

  for (const bad of [
    '{',
    'null',
    '[]',
    '"4"',
    '{"version":"3","alerts":[]}',
    '{"version":"4"}',
    '{"version":"4","alerts":[{"status":"firing"}]}',
    '{"version":"4","alerts":[{"status":"pending","labels":{},"startsAt":"x","fingerprint":"f"}]}',
  ]) {
    const r = await post(rx.url, bad);
    assert.equal(r.status, 400, bad);
    assert.ok(!JSON.stringify(r.json).includes('    at '), 'no stack trace in a response');
  }

  // Unknown fields are tolerated; basic auth with the token as password is accepted.
  const withExtra = payload([{ ...alert('a1', 'restart-checkout'), somethingNew: { nested: true } }]);
  const basic = await fetch(`${rx.url}/alerts`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`alertmanager:${TOKEN}`).toString('base64')}` },
    body: JSON.stringify(withExtra),
  });
  assert.equal(basic.status, 200);
  await settled(rx.url, 1);
  assert.equal(env.target.calls.length, 1);

  assert.equal((await fetch(`${rx.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${rx.url}/readyz`)).status, 200);
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_requests_total\{route="\/alerts",outcome="unauthorized"\} 3/);
  assert.match(metrics, /sloforge_receiver_requests_total\{route="\/alerts",outcome="too_large"\} 1/);
  assert.match(metrics, /sloforge_receiver_requests_total\{route="\/alerts",outcome="bad_request"\} 8/);
  assert.match(metrics, /sloforge_receiver_actions_total\{remediation="restart-checkout",result="success"\} 1/);
  assert.match(metrics, /sloforge_receiver_action_duration_seconds_count\{remediation="restart-checkout",result="success"\} 1/);
  assert.match(metrics, /sloforge_receiver_queue_depth 0/);
});

for (const store of STORES)
  test(`${store.name}: the same payload sent five times, some concurrently, runs the action once`, async (t) => {
    const env = await setup((url) => [restart(url)]);
    const rx = await ReceiverProcess.start({ ...env, store: await store.open(env) });
    t.after(async () => {
      await rx.stop();
      await env.target.stop();
    });
    const body = payload([alert('dup-1', 'restart-checkout')]);

    const answers = [(await post(rx.url, body)).status];
    answers.push(...(await Promise.all([post(rx.url, body), post(rx.url, body), post(rx.url, body)])).map((r) => r.status));
    answers.push((await post(rx.url, body)).status);
    assert.deepEqual(answers, [200, 200, 200, 200, 200]);

    const events = await settled(rx.url, 1);
    assert.equal(events[0].state, 'success');
    assert.equal(env.target.calls.length, 1);
    const call = JSON.parse(env.target.calls[0]!.body);
    assert.equal(call.fingerprint, fp('dup-1'));
    assert.equal(call.labels.service, 'checkout');
    const metrics = await (await fetch(`${rx.url}/metrics`)).text();
    assert.match(metrics, /sloforge_receiver_duplicates_skipped_total 4/);

    // A resolved notice is a different state, but this remediation does not act on it.
    assert.equal((await post(rx.url, payload([alert('dup-1', 'restart-checkout', { status: 'resolved' })]))).json.ignored, 1);
  });

for (const store of STORES)
  test(`${store.name}: cooldown and the hourly cap hold, across a restart too`, async (t) => {
    const env = await setup((url) => [
      { name: 'cooled', cooldown: '1h', maxPerHour: 10, action: { http: { url: `${url}/cooled`, retries: 0 } } },
      { name: 'capped', cooldown: '0s', maxPerHour: 2, action: { http: { url: `${url}/capped`, retries: 0 } } },
    ]);
    const where = await store.open(env);
    let rx = await ReceiverProcess.start({ ...env, store: where });
    t.after(async () => {
      await rx.stop();
      await env.target.stop();
    });

    assert.equal((await post(rx.url, payload([alert('c1', 'cooled'), alert('c2', 'cooled')]))).status, 200);
    assert.equal((await post(rx.url, payload(['k1', 'k2', 'k3', 'k4'].map((f) => alert(f, 'capped'))))).status, 200);
    const events = await settled(rx.url, 6);
    const by = (rem: string, state: string, reason?: string) =>
      events.filter((e) => e.remediation === rem && e.state === state && e.reason === reason).length;
    assert.equal(by('cooled', 'success'), 1);
    assert.equal(by('cooled', 'skipped', 'cooldown'), 1);
    assert.equal(by('capped', 'success'), 2);
    assert.equal(by('capped', 'skipped', 'hourly-cap'), 2);
    assert.equal(env.target.calls.filter((c) => c.url === '/cooled').length, 1);
    assert.equal(env.target.calls.filter((c) => c.url === '/capped').length, 2);
    const metrics = await (await fetch(`${rx.url}/metrics`)).text();
    assert.match(metrics, /sloforge_receiver_cooldown_skips_total\{remediation="cooled"\} 1/);
    assert.match(metrics, /sloforge_receiver_hourly_cap_skips_total\{remediation="capped"\} 2/);
    assert.match(metrics, /sloforge_receiver_remediation_halted\{remediation="capped"\} 1/);
    // Logged as the skips are decided; the pipe may deliver it after the audit shows them.
    await waitFor('the cap to be logged', () => /capped reached 2 runs in the last hour/.test(rx.stderr));

    // The guard rails are rebuilt from the log (or read from the database): a restart does not reset them.
    await rx.stop();
    rx = await ReceiverProcess.start({ ...env, store: where });
    await post(rx.url, payload([alert('c3', 'cooled'), alert('k5', 'capped')]));
    const after = await settled(rx.url, 8);
    assert.deepEqual(
      after
        .filter((e) => ['c3', 'k5'].includes(nameOf(e.fingerprint)))
        .map((e) => e.reason)
        .sort(),
      ['cooldown', 'hourly-cap'],
    );
    assert.equal(env.target.calls.length, 3);
  });

/** Kills the receiver while k3 of k1..k5 is in flight, restarts it, and returns what happened. */
async function killMidQueue(t: { after: (fn: () => Promise<void>) => void }, store: StoreUnderTest, retryInterrupted: boolean) {
  const env = await setup((url) => [{ ...restart(url), retryInterrupted }]);
  // The third call hangs, so the receiver dies with two actions finished, one running and two queued.
  env.target.hold = (_call, i) => i === 2;
  const where = await store.open(env);
  let rx = await ReceiverProcess.start({ ...env, store: where });
  t.after(async () => {
    await rx.stop('SIGKILL');
    await env.target.stop();
  });

  const fingerprints = ['k1', 'k2', 'k3', 'k4', 'k5'];
  for (const f of fingerprints) assert.equal((await post(rx.url, payload([alert(f, 'restart-checkout')]))).status, 200);
  await waitFor('the third call to reach the target', () => env.target.calls.length >= 3);
  const { signal } = await rx.stop('SIGKILL');
  assert.equal(signal, 'SIGKILL');
  assert.equal(env.target.calls.length, 3);
  env.target.release();
  env.target.hold = () => false;

  // On PostgreSQL a new replica: it finds the queued events, and ends the dead one's claim once its lease ran out.
  rx = await ReceiverProcess.start({ ...env, store: where });
  // Alertmanager re-sending the same alerts after the restart changes nothing.
  assert.equal((await post(rx.url, payload(fingerprints.map((f) => alert(f, 'restart-checkout'))))).json.duplicates, 5);
  const events = await settled(rx.url, 5);
  const calledFor = env.target.calls.map((c) => nameOf(JSON.parse(c.body).fingerprint as string));
  return { rx, env, events, calledFor };
}

for (const store of STORES)
  test(`${store.name}: SIGKILL with actions queued: after a restart none is lost and none repeated`, async (t) => {
    const { rx, events, calledFor } = await killMidQueue(t, store, false);
    if (store.name === 'file') {
      assert.match(rx.stderr, /resuming 2 unfinished remediation/);
      assert.match(rx.stderr, /1 remediation\(s\) were running when the receiver stopped: outcome unknown, not repeated/);
    } else {
      await waitFor('the takeover to be logged', () =>
        /1 claim\(s\) of other replicas expired \(they died or stalled mid-action\): 1 audited as interrupted, 0 queued again/.test(
          rx.stderr,
        ),
      );
    }
    // Every alert's action reached the target exactly once: the queued ones after the restart,
    // the one in flight at the kill before it.
    assert.deepEqual([...calledFor].sort(), ['k1', 'k2', 'k3', 'k4', 'k5']);
    const byFingerprint = Object.fromEntries(events.map((e) => [nameOf(e.fingerprint), `${e.state}${e.reason ? `/${e.reason}` : ''}`]));
    assert.deepEqual(byFingerprint, { k1: 'success', k2: 'success', k3: 'skipped/interrupted', k4: 'success', k5: 'success' });
  });

for (const store of STORES)
  test(`${store.name}: SIGKILL with retryInterrupted: the action in flight runs again with the same Idempotency-Key`, async (t) => {
    const { rx, env, events, calledFor } = await killMidQueue(t, store, true);
    if (store.name === 'file') assert.match(rx.stderr, /resuming 3 unfinished remediation/);
    else
      await waitFor('the takeover to be logged', () =>
        /1 claim\(s\) of other replicas expired \(they died or stalled mid-action\): 0 audited as interrupted, 1 queued again/.test(
          rx.stderr,
        ),
      );
    assert.ok(
      events.every((e) => e.state === 'success'),
      JSON.stringify(events),
    );
    for (const f of ['k1', 'k2', 'k4', 'k5']) assert.equal(calledFor.filter((x) => x === f).length, 1, `${f} ran once`);
    assert.equal(calledFor.filter((x) => x === 'k3').length, 2);
    assert.equal(env.target.countsByKey().size, 5);
    assert.equal(events.find((e) => e.fingerprint === fp('k3')).attempts, 2);
  });

for (const store of STORES)
  test(`${store.name}: SIGTERM: stops accepting, finishes the running action, closes the store, exits 0`, async (t) => {
    const env = await setup((url) => [restart(url)]);
    env.target.hold = () => true;
    const where = await store.open(env);
    const rx = await ReceiverProcess.start({ ...env, store: where });
    t.after(async () => {
      await rx.stop('SIGKILL');
      await env.target.stop();
    });

    await post(rx.url, payload([alert('g1', 'restart-checkout')]));
    await waitFor('the action to start', () => env.target.calls.length === 1);
    rx.child.kill('SIGTERM');
    await waitFor('the shutdown to begin', () => rx.stderr.includes('shutting down'));
    await assert.rejects(fetch(`${rx.url}/healthz`));
    // The running action is allowed to finish: the target answers now.
    env.target.hold = () => false;
    env.target.release();
    const exit = await rx.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.ok(
      (await where.records()).some((r) => r.t === 'finished'),
      'the outcome was recorded before the exit',
    );
    assert.match(rx.stderr, /stopped/);
  });
