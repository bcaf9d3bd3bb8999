// Signals against the receiver process: SIGTERM while a command runs (a graceful drain within
// --shutdown-grace), on both stores, and SIGHUP or SIGTERM while the start still replays a big
// event log (the file store's).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readlink } from 'node:fs/promises';
import { LISTEN_TIMEOUT_MS, ReceiverProcess, alert, receiverArgs, audit, payload, post, settled, setup, waitFor } from './helpers.js';
import { LogStore } from '../../src/receiver/store/log-store.js';
import { storesUnderTest } from './stores.js';

const STORES = storesUnderTest();

/** A command action that sleeps `seconds`, with a timeout well beyond it. */
const sleeper = (seconds: number) => () => [
  {
    name: 'slow-fix',
    cooldown: '0s',
    action: { command: { argv: ['sleep', String(seconds)], timeout: '2m' } },
  },
];

async function runningCommand(rx: ReceiverProcess): Promise<void> {
  assert.equal((await post(rx.url, payload([alert('s1', 'slow-fix')]))).status, 200);
  await waitFor('the command to run', async () => (await audit(rx.url))[0]?.state === 'running');
}

for (const store of STORES)
  test(`${store.name}: SIGTERM while a command runs: stops accepting, lets it finish, logs it, exits 0 with "stopped"`, async (t) => {
    const env = await setup(sleeper(4));
    const where = await store.open(env);
    const rx = await ReceiverProcess.start({ ...env, store: where });
    t.after(async () => {
      rx.killGroup();
      await env.target.stop();
    });
    await runningCommand(rx);

    const signalled = Date.now();
    rx.child.kill('SIGTERM');
    await waitFor('the shutdown to begin', () => rx.stderr.includes('SIGTERM: shutting down'));
    await assert.rejects(fetch(`${rx.url}/healthz`), 'the port is closed at once');
    const exit = await rx.exited;
    const took = Date.now() - signalled;
    assert.deepEqual(exit, { code: 0, signal: null }, rx.stderr);
    assert.ok(took >= 2_000, `waited for the command (${took} ms), did not die at once`);
    assert.match(rx.stderr, /sloforge receiver: stopped\n$/);
    const finished = (await where.records()).filter((r) => r.t === 'finished');
    assert.equal(finished.length, 1);
    assert.equal(finished[0]!.result, 'success');
    assert.match(String(finished[0]!.detail), /sleep exited 0/);
  });

for (const store of STORES)
  test(`${store.name}: SIGTERM with a command beyond --shutdown-grace: aborted, exits 0, audited as interrupted at the next start`, async (t) => {
    const env = await setup(sleeper(60));
    const where = await store.open(env);
    const rx = await ReceiverProcess.start({ ...env, store: where, extraArgs: ['--shutdown-grace', '1s'] });
    t.after(async () => {
      rx.killGroup();
      await env.target.stop();
    });
    await runningCommand(rx);

    rx.child.kill('SIGTERM');
    const exit = await rx.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, rx.stderr);
    assert.match(rx.stderr, /shutdown deadline passed: aborting 1 running action/);
    assert.match(rx.stderr, /stopped\n$/);

    // On PostgreSQL the next replica ends the claim once its lease has run out.
    const again = await ReceiverProcess.start({ ...env, store: where });
    t.after(() => again.killGroup());
    const [event] = await settled(again.url, 1);
    assert.equal(`${event.state}/${event.reason}`, 'skipped/interrupted');
    assert.equal((await again.stop()).code, 0);
  });

/** A data folder whose log holds `lines` dedupe keys, so that a start spends a while replaying it. */
async function bigLog(dataDir: string, lines: number): Promise<void> {
  const { store } = await LogStore.open(dataDir);
  for (let done = 0; done < lines; done += 10_000) {
    await store.append(
      Array.from({ length: 10_000 }, (_, i) => ({
        t: 'seen' as const,
        id: `old-${done + i}`,
        at: Date.now(),
        key: `f${done + i}|2026-11-22T10:00:00.000Z|firing`,
      })),
    );
  }
  await store.close();
}

/**
 * 'replaying' once the child has its event log open before it listens (the lock is taken and
 * replay is under way); 'missed' once it listens, as the store keeps the log open from then on.
 */
async function replayState(rx: ReceiverProcess): Promise<'replaying' | 'missed' | undefined> {
  if (rx.stderr.includes('listening on')) return 'missed';
  const fds = await readdir(`/proc/${rx.child.pid}/fd`).catch(() => []);
  for (const fd of fds) if ((await readlink(`/proc/${rx.child.pid}/fd/${fd}`).catch(() => '')).endsWith('events.jsonl')) return 'replaying';
  return undefined;
}

/**
 * A receiver child caught replaying a big log, and sent `signal` then. The replay and the
 * compaction after it take about a second (120,000 lines; 300,000 cost 4 CPU s a start, twice a
 * run); in the process the waiting tests share, another file can hold the event loop that long,
 * and the probe then first sees the child listening: that start is killed and another one made,
 * up to three. A signal can also land after the start although the probe saw the replay: the
 * child may listen between the probe and the kill, or its "listening on" line may still be in
 * the pipe when the probe reads its output. It then answers as to a signal after the start,
 * below "listening on", and that start is a miss too. An answer for after the start written
 * before "listening on" is no miss: the receiver handled a signal during its start as if it had
 * started, and the test fails.
 */
async function signalledWhileReplaying(
  t: TestContext,
  signal: 'SIGHUP' | 'SIGTERM',
  answers: { duringStart: string; afterStart: string },
): Promise<{ rx: ReceiverProcess; env: Awaited<ReturnType<typeof setup>> }> {
  const env = await setup(sleeper(1));
  await bigLog(env.dataDir, 120_000);
  t.after(() => env.target.stop());
  for (let attempt = 1; ; attempt++) {
    const rx = ReceiverProcess.launch(receiverArgs(env));
    t.after(() => rx.killGroup());
    const state = await waitFor('the start to replay the log', () => replayState(rx), LISTEN_TIMEOUT_MS);
    if (state === 'replaying') {
      rx.child.kill(signal);
      const answer = await waitFor(`the answer to ${signal}`, () => {
        if (rx.stderr.includes(answers.duringStart)) return 'during the start';
        const after = rx.stderr.indexOf(answers.afterStart);
        if (after === -1) return undefined;
        const listening = rx.stderr.indexOf('listening on');
        return listening !== -1 && listening < after ? 'after the start' : 'before listening';
      });
      assert.notEqual(answer, 'before listening', `${signal} during the start was handled as after it:\n${rx.stderr}`);
      if (answer === 'during the start') return { rx, env };
    }
    rx.killGroup();
    await rx.exited;
    if (attempt === 3) throw new Error(`three starts listened before ${signal} reached them replaying:\n${rx.stderr}`);
  }
}

test(
  'SIGHUP while the start replays a big log: the receiver survives and reads the token file once started',
  { skip: process.platform !== 'linux' },
  async (t) => {
    const { rx } = await signalledWhileReplaying(t, 'SIGHUP', {
      duringStart: 'SIGHUP during the start: the token and actions files are read again once the event log is replayed',
      afterStart: 'SIGHUP: reloaded',
    });
    await rx.listening();
    assert.match(
      rx.stderr,
      /SIGHUP during the start: the token and actions files are read again once the event log is replayed\n[^]*listening on/,
    );
    await waitFor('the token reload', () => rx.stderr.includes('SIGHUP: reloaded 1 token(s)'));
    assert.equal((await post(rx.url, payload([alert('after-hup', 'slow-fix')]))).status, 200);
    assert.equal((await rx.stop()).code, 0);
  },
);

test(
  'SIGTERM while the start replays a big log: exits 0 without listening, the data folder free for the next start',
  { skip: process.platform !== 'linux' },
  async (t) => {
    const { rx, env } = await signalledWhileReplaying(t, 'SIGTERM', {
      duringStart: 'SIGTERM: shutting down (during the start)',
      afterStart: 'SIGTERM: shutting down',
    });
    assert.deepEqual(await rx.exited, { code: 0, signal: null }, rx.stderr);
    assert.match(rx.stderr, /SIGTERM: shutting down \(during the start\)\n[^]*stopped\n$/);
    assert.doesNotMatch(rx.stderr, /listening on/);
    // The lock was released on the way out: the next start does not wait for it to go stale.
    const again = await ReceiverProcess.start(env);
    t.after(() => again.killGroup());
    assert.doesNotMatch(again.stderr, /in use|stale|waiting/i);
    assert.equal((await again.stop()).code, 0);
  },
);
