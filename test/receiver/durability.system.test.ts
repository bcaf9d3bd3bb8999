// Issue 12: nothing acknowledged is lost or repeated, on a really full disk, with a second
// receiver on the same data folder, and with a log too large to read as one string.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startReceiver } from '../../src/receiver/server.js';
import {
  ROOT,
  ReceiverProcess,
  TOKEN,
  alert,
  audit,
  fp,
  inProcess,
  nameOf,
  payload,
  post,
  receiverArgs,
  receiverOptions,
  setup,
  sloforgeBin,
  waitFor,
} from './helpers.js';

/** Mounts a tmpfs of `size` on `dir`; the reason when this machine does not allow it. */
function mountTmpfs(dir: string, size: string): string | undefined {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0
    ? undefined
    : `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()}); the injected short-write test in store.test.ts covers the same`;
}

const callsByFingerprint = (calls: { body: string }[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const c of calls) {
    const f = nameOf(JSON.parse(c.body).fingerprint as string);
    m.set(f, (m.get(f) ?? 0) + 1);
  }
  return m;
};

test('full disk (a real 96 KiB tmpfs): every alert answered 200 runs exactly once across a restart; every 503 is accepted when re-sent', async (t) => {
  const env = await setup((url) => [
    { name: 'r', cooldown: '0s', maxPerHour: 1000, maxConcurrent: 4, action: { http: { url, retries: 0 } } },
  ]);
  t.after(() => env.target.stop());
  await mkdir(env.dataDir, { recursive: true });
  const refused = mountTmpfs(env.dataDir, '96k');
  if (refused !== undefined) {
    t.skip(refused);
    return;
  }
  t.after(() => {
    spawnSync('umount', ['-l', env.dataDir]);
  });
  const options = await receiverOptions(env, [], { shutdownMs: 10_000 });
  let receiver = await startReceiver(options);
  const answered = new Map<string, number>();
  let n = 0;
  let refusals = 0;
  // Concurrent requests of 1-4 alerts with uneven sizes, so writes stop at every kind of offset.
  while (refusals < 25 && n < 5000) {
    const sent = Array.from({ length: 6 }, () => {
      const fps = Array.from({ length: 1 + (n % 4) }, () => `fp-${n++}`);
      const body = payload(fps.map((f) => alert(f, 'r', { annotations: { summary: 'x'.repeat(40 + ((n * 131) % 1400)) } })));
      return { fps, answer: post(receiver.url, body) };
    });
    for (const { fps, answer } of sent) {
      const { status } = await answer;
      assert.ok(status === 200 || status === 503, `status ${status}`);
      if (status === 503) refusals++;
      for (const f of fps) answered.set(f, status);
    }
  }
  assert.ok(refusals >= 25, `the disk filled up (${refusals} refusals after ${n} alerts)`);
  t.diagnostic(
    `${n} alerts sent, ${[...answered.values()].filter((s) => s === 200).length} answered 200, ${refusals} requests answered 503`,
  );
  await receiver.close();

  // More room, then a restart: Alertmanager re-sends what was refused, and only that.
  assert.equal(spawnSync('mount', ['-o', 'remount,size=16m', env.dataDir]).status, 0);
  const logs: string[] = [];
  receiver = await startReceiver({ ...options, log: (l) => logs.push(l) });
  t.after(() => receiver.close());
  const refusedFps = [...answered].filter(([, s]) => s === 503).map(([f]) => f);
  for (let i = 0; i < refusedFps.length; i += 4) {
    const r = await post(receiver.url, payload(refusedFps.slice(i, i + 4).map((f) => alert(f, 'r'))));
    assert.equal(r.status, 200);
  }
  // Settled: nothing queued or running (an alert the log lost would simply be missing).
  await waitFor(
    'the queue to drain',
    async () => (await audit(receiver.url)).every((e) => !['queued', 'running'].includes(e.state)) || undefined,
    60_000,
  );

  const calls = callsByFingerprint(env.target.calls);
  const wrong = [...answered].filter(([f]) => calls.get(f) !== 1).map(([f, s]) => `${f} (answered ${s}) ran ${calls.get(f) ?? 0} times`);
  assert.deepEqual(wrong, [], `${answered.size} alerts, ${refusals} refused`);
  assert.ok(!logs.some((l) => /unreadable/.test(l)), logs.join('\n'));

  // And a later re-send of what was acknowledged changes nothing.
  const acked = [...answered].filter(([, s]) => s === 200).map(([f]) => f);
  for (let i = 0; i < acked.length; i += 16) {
    const r = await post(receiver.url, payload(acked.slice(i, i + 16).map((f) => alert(f, 'r'))));
    assert.equal(r.json.duplicates, Math.min(16, acked.length - i));
  }
});

const iso = (ms: number) => new Date(ms).toISOString();

/** Waits until the alert with this fingerprint has finished (whatever else the audit holds). */
const doneWith = (url: string, fingerprint: string) =>
  waitFor(
    `${fingerprint} to finish`,
    async () => (await audit(url)).some((e) => e.fingerprint === fp(fingerprint) && !['queued', 'running'].includes(e.state)) || undefined,
  );

/** An event that finished a month ago: compaction shrinks it, so a start rewrites the log. */
function oldEventLines(): string {
  const at = Date.now() - 30 * 86_400_000;
  const a = alert('old', 'restart-checkout');
  const fields = {
    remediation: 'restart-checkout',
    status: 'firing',
    fingerprint: fp('old'),
    startsAt: a.startsAt,
    endsAt: '',
    labels: a.labels,
    annotations: {},
  };
  return [
    { t: 'accepted', id: 'old-1', at, key: `${fp('old')}|${a.startsAt}|firing`, alert: fields },
    { t: 'started', id: 'old-1', at, attempt: 1, dryRun: false },
    { t: 'finished', id: 'old-1', at, result: 'success', detail: `ok at ${iso(at)}`, durationMs: 3 },
  ]
    .map((r) => `${JSON.stringify(r)}\n`)
    .join('');
}

test('a second receiver on the same data folder exits with a clear message and changes nothing', async (t) => {
  const env = await setup((url) => [{ name: 'restart-checkout', cooldown: '0s', maxPerHour: 100, action: { http: { url, retries: 0 } } }]);
  await mkdir(env.dataDir, { recursive: true });
  const logFile = path.join(env.dataDir, 'events.jsonl');
  await writeFile(logFile, oldEventLines());
  let first = await ReceiverProcess.start(env);
  t.after(async () => {
    await first.stop();
    await env.target.stop();
  });
  await waitFor('the first receiver to compact', () => first.stderr.includes('compacted the event log'));
  assert.equal((await post(first.url, payload([alert('a', 'restart-checkout')]))).status, 200);
  await doneWith(first.url, 'a');
  // The result is written just after the audit shows it.
  await waitFor('the result on disk', async () => (await readFile(logFile, 'utf8')).includes('"t":"finished"') || undefined);
  const before = await readFile(logFile);
  const inodeBefore = (await stat(logFile)).ino;

  // Same folder, same port: whichever check comes first, the log must be untouched.
  const port = new URL(first.url).port;
  const second = spawnSync(process.execPath, [sloforgeBin(), 'receiver', ...receiverArgs(env, port)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(second.status, 1, second.stderr);
  assert.equal((await stat(logFile)).ino, inodeBefore, 'the log is still the same file');
  assert.deepEqual(await readFile(logFile), before, 'and byte for byte the same');
  assert.match(second.stderr, /data folder .* is in use by another receiver/);
  assert.doesNotMatch(second.stderr, /\n\s+at /);

  // The first keeps working, and what it acknowledges survives its restart.
  assert.equal((await post(first.url, payload([alert('b', 'restart-checkout')]))).status, 200);
  await doneWith(first.url, 'b');
  await first.stop();
  first = await ReceiverProcess.start(env);
  assert.equal(
    (await post(first.url, payload([alert('a', 'restart-checkout'), alert('b', 'restart-checkout'), alert('old', 'restart-checkout')])))
      .json.duplicates,
    3,
  );
  assert.deepEqual([...callsByFingerprint(env.target.calls)].sort(), [
    ['a', 1],
    ['b', 1],
  ]);
});

test(
  'a log larger than the longest string Node can hold (old 1 MiB alerts) replays, and compaction shrinks it',
  { timeout: 480_000 },
  async (t) => {
    const {
      env,
      rx: seedRx,
      options,
    } = await inProcess((url) => [{ name: 'r', cooldown: '0s', maxPerHour: 1000, action: { http: { url, retries: 0 } } }]);
    await seedRx.close();
    t.after(() => env.target.stop());
    const logFile = path.join(env.dataDir, 'events.jsonl');
    // 530 events of 1 MiB each, finished an hour ago: 556 MB, past V8's 512 MiB string limit.
    const fh = await open(logFile, 'w');
    const at = Date.now() - 3_600_000;
    const big = 'x'.repeat(1_048_576);
    for (let i = 0; i < 530; i++) {
      const a = alert(`big-${i}`, 'r');
      const fields = {
        remediation: 'r',
        status: 'firing',
        fingerprint: fp(`big-${i}`),
        startsAt: a.startsAt,
        endsAt: '',
        labels: { ...(a.labels as object), blob: big },
        annotations: {},
      };
      await fh.write(
        [
          { t: 'accepted', id: `big-${i}`, at, key: `${fp(`big-${i}`)}|${a.startsAt}|firing`, alert: fields },
          { t: 'skipped', id: `big-${i}`, at, reason: 'cooldown', detail: 'x' },
        ]
          .map((r) => `${JSON.stringify(r)}\n`)
          .join(''),
      );
    }
    await fh.close();
    assert.ok((await stat(logFile)).size > 536_870_888);

    const logs: string[] = [];
    const rx = await startReceiver({ ...options, log: (l) => logs.push(l) });
    t.after(() => rx.close());
    assert.equal((await post(rx.url, payload([alert('big-7', 'r'), alert('big-529', 'r')]))).json.duplicates, 2);
    assert.equal((await fetch(`${rx.url}/api/actions`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
    await waitFor('compaction to shrink the log', async () => (await stat(logFile)).size < 50_000_000 || undefined, 400_000);
    assert.equal(env.target.calls.length, 0);
  },
);

test('issue 22: a restart on a completely full disk (a real 2 MiB tmpfs) starts, answers 503 while full, says why it cannot compact, and accepts once there is room', async (t) => {
  const env = await setup((url) => [{ name: 'r', cooldown: '0s', maxPerHour: 1000, action: { http: { url, retries: 0 } } }]);
  t.after(() => env.target.stop());
  await mkdir(env.dataDir, { recursive: true });
  const refused = mountTmpfs(env.dataDir, '2m');
  if (refused !== undefined) {
    t.skip(refused);
    return;
  }
  t.after(() => {
    spawnSync('umount', ['-l', env.dataDir]);
  });
  const options = await receiverOptions(env, [], { shutdownMs: 5000 });
  let receiver = await startReceiver(options);
  assert.equal((await post(receiver.url, payload([alert('before', 'r')]))).status, 200);
  await waitFor('the first alert to finish', async () => (await audit(receiver.url)).some((e) => e.state === 'success') || undefined);
  await receiver.close();
  // A line as an older receiver wrote it (no checksum): compaction wants to rewrite the log.
  await writeFile(path.join(env.dataDir, 'events.jsonl'), `${JSON.stringify({ t: 'seen', id: 'legacy', at: 1, key: 'legacy|key' })}\n`, {
    flag: 'a',
  });

  // Fill every byte that is left.
  const filler = await open(path.join(env.dataDir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let size = chunk.length; size > 0;) {
    try {
      await filler.write(chunk, 0, size);
    } catch {
      size = Math.floor(size / 2);
    }
  }
  await filler.close();

  const logs: string[] = [];
  receiver = await startReceiver({ ...options, log: (l) => logs.push(l), compaction: { checkMs: 50, intervalMs: 0 } });
  t.after(() => receiver.close());
  // The log's last page may still have room for a record or two; then it is full.
  let fullAt = -1;
  for (let i = 0; i < 5 && fullAt < 0; i++) {
    const { status } = await post(receiver.url, payload([alert(`while-full-${i}`, 'r', { annotations: { summary: 'x'.repeat(3000) } })]));
    if (status === 503) fullAt = i;
    else assert.equal(status, 200);
  }
  assert.ok(fullAt >= 0, 'the full disk is answered 503');
  assert.equal((await post(receiver.url, payload([alert('before', 'r')]))).json.duplicates, 1, 'what the log holds is still known');
  await waitFor(
    'the reason compaction cannot run',
    () => logs.some((l) => /could not compact the event log \((not enough free space|.*ENOSPC)/.test(l)) || undefined,
  );

  spawnSync('rm', ['-f', path.join(env.dataDir, 'filler')]);
  assert.equal((await post(receiver.url, payload([alert(`while-full-${fullAt}`, 'r')]))).status, 200);
  await waitFor('every acknowledged alert to run', () => env.target.calls.length === fullAt + 2 || undefined);
});
