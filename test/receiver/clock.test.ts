// Issue 22: cooldowns and hourly caps run on a clock no wall-clock jump moves, and a start logged
// while the clock was ahead does not hold a remediation back after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { Engine } from '../../src/receiver/engine.js';
import { ReceiverMetrics } from '../../src/receiver/metrics.js';
import { startReceiver } from '../../src/receiver/server.js';
import { alert, audit, fp, payload, post, receiverOptions, setup, waitFor } from './helpers.js';

const HOUR = 3_600_000;

test('a start logged 24 h ahead (the clock was ahead) counts as now after a restart: one cooldown, not a day, and said in the log', async (t) => {
  const env = await setup((url) => [{ name: 'r', cooldown: '2s', maxPerHour: 100, action: { http: { url, retries: 0 } } }]);
  t.after(() => env.target.stop());
  await mkdir(env.dataDir, { recursive: true });
  const ahead = Date.now() + 24 * HOUR;
  const a = alert('earlier', 'r');
  const key = `${fp('earlier')}|${a.startsAt}|firing`;
  await writeFile(
    path.join(env.dataDir, 'events.jsonl'),
    [
      {
        t: 'accepted',
        id: 'e1',
        at: ahead,
        key,
        alert: {
          remediation: 'r',
          status: 'firing',
          fingerprint: fp('earlier'),
          startsAt: a.startsAt,
          endsAt: '',
          labels: a.labels,
          annotations: {},
        },
      },
      { t: 'started', id: 'e1', key, at: ahead, attempt: 1, dryRun: false },
      { t: 'finished', id: 'e1', key, at: ahead, result: 'success', detail: 'ok', durationMs: 1 },
    ]
      .map((r) => `${JSON.stringify(r)}\n`)
      .join(''),
  );
  const logs: string[] = [];
  const rx = await startReceiver(await receiverOptions(env, logs));
  t.after(() => rx.close());
  assert.ok(
    logs.some((l) => /1 start\(s\) in the event log are stamped up to 8640\d s in the future/.test(l)),
    logs.join('\n'),
  );
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal((await post(rx.url, payload([alert('later', 'r')]))).status, 200);
  const ev = await waitFor('the alert to finish', async () =>
    (await audit(rx.url)).find((e) => e.fingerprint === fp('later') && !['queued', 'running'].includes(e.state)),
  );
  assert.equal(ev.state, 'success', JSON.stringify(ev));
  assert.equal(env.target.calls.length, 1);
});

test('within a run, cooldowns follow the monotonic clock: a wall clock jumping two hours ahead does not end one', async (t) => {
  const env = await setup((url) => [{ name: 'r', cooldown: '1h', maxPerHour: 100, action: { http: { url, retries: 0 } } }]);
  t.after(() => env.target.stop());
  const { remediations } = actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8')));
  let wall = Date.now();
  let steady = 1_000_000;
  const engine = new Engine({
    remediations,
    metrics: new ReceiverMetrics(),
    dryRun: false,
    log: () => {},
    store: { append: async () => {}, close: async () => {} },
    now: () => wall,
    clock: () => steady,
  });
  engine.finishReplay();
  await engine.start();
  await engine.accept([alert('one', 'r') as never]);
  await waitFor('the first run', () => env.target.calls.length === 1 || undefined);
  wall += 2 * HOUR;
  steady += 1000;
  await engine.accept([alert('two', 'r') as never]);
  const ev = await waitFor('the second alert to be decided', () =>
    engine.recent(10).find((e) => e.fingerprint === fp('two') && e.state !== 'queued' && e.state !== 'running'),
  );
  assert.equal(`${ev.state}/${ev.reason}`, 'skipped/cooldown');
  // And the monotonic clock passing the cooldown ends it, whatever the wall clock says.
  wall -= 5 * HOUR;
  steady += HOUR;
  await engine.accept([alert('three', 'r') as never]);
  await waitFor('the third run', () => env.target.calls.length === 2 || undefined);
  await engine.shutdown(1000);
});
