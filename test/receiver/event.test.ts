// Replay and the live path change events through one reducer (src/receiver/event.ts): a
// receiver restarted on the same log shows every event exactly as the one that wrote it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startReceiver } from '../../src/receiver/server.js';
import { applyRecord, eventFromAccepted } from '../../src/receiver/event.js';
import { TEST_TRIGGER, alert, audit, inProcess, nameOf, payload, post, settled } from './helpers.js';

test('an event rebuilt from the log is in the state the live receiver left it', async (t) => {
  const { env, rx, options } = await inProcess((url) => [
    { name: 'ok', cooldown: '0s', action: { http: { url: `${url}/ok` } } },
    { name: 'fails', cooldown: '0s', action: { http: { url: `${url}/fails`, retries: 0 } } },
    { name: 'dry', dryRun: true, action: { http: { url: `${url}/dry` } } },
    { name: 'slow', cooldown: '1h', action: { http: { url: `${url}/slow` } } },
  ]);
  t.after(() => env.target.stop());
  env.target.status = (call) => (call.url === '/fails' ? 500 : 200);
  await post(
    rx.url,
    payload([
      alert('ok', 'ok'),
      alert('fails', 'fails'),
      alert('dry', 'dry'),
      alert('slow-1', 'slow'),
      alert('slow-2', 'slow'), // within the cooldown: skipped
      alert('typo', 'no-such-remediation'),
      alert('unbound', 'ok', { labels: { ...TEST_TRIGGER, alertname: 'SomethingElse', remediation: 'ok' } }),
    ]),
  );
  const live = await settled(rx.url, 7);
  await rx.close();
  assert.deepEqual(live.map((e) => `${nameOf(e.fingerprint)}:${e.state}${e.reason ? `/${e.reason}` : ''}`).sort(), [
    'dry:dry-run',
    'fails:failure',
    'ok:success',
    'slow-1:success',
    'slow-2:skipped/cooldown',
    'typo:skipped/unknown-remediation',
    'unbound:skipped/not-bound',
  ]);

  const again = await startReceiver(options);
  t.after(() => again.close());
  assert.deepEqual(await audit(again.url), live);
});

test('the reducer: started, finished and skipped records move an accepted event', () => {
  const alertFields = { remediation: 'r', status: 'firing', fingerprint: 'f', startsAt: 's', endsAt: '', labels: {}, annotations: {} };
  const ev = eventFromAccepted({ t: 'accepted', id: 'e', at: 1, key: 'k', alert: alertFields });
  assert.deepEqual([ev.state, ev.attempts, ev.acceptedAt], ['queued', 0, 1]);
  applyRecord(ev, { t: 'started', id: 'e', at: 2, attempt: 1, dryRun: false });
  assert.deepEqual([ev.state, ev.attempts, ev.startedAt], ['running', 1, 2]);
  applyRecord(ev, { t: 'finished', id: 'e', at: 3, result: 'failure', detail: 'HTTP 500', durationMs: 5 });
  assert.deepEqual([ev.state, ev.detail, ev.finishedAt], ['failure', 'HTTP 500', 3]);
  const other = eventFromAccepted({ t: 'accepted', id: 'o', at: 1, key: 'k2', alert: alertFields });
  applyRecord(other, { t: 'skipped', id: 'o', at: 4, reason: 'cooldown', detail: 'ran 10s ago' });
  assert.deepEqual([other.state, other.reason, other.detail, other.finishedAt], ['skipped', 'cooldown', 'ran 10s ago', 4]);
});
