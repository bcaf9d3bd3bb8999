// Issue 22: a receiver that stalls past the lock's stale time (SIGSTOP, a frozen VM) is taken
// over by another one; when it wakes up it must write nothing more and answer 503, so no action
// runs twice and no acknowledged alert is lost. Repeated under load, round after round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ReceiverProcess, alert, audit, nameOf, payload, post, setup, waitFor } from './helpers.js';

const ROUNDS = 5;

interface Answer {
  fps: string[];
  status: number | 'error';
  /** Which receiver answered (its round), and whether it was sent after that one was stopped. */
  by: number;
  afterTakeover: boolean;
}

test(
  `a stalled receiver taken over by another writes nothing more and answers 503 (${ROUNDS} rounds under load)`,
  { timeout: 300_000 },
  async (t) => {
    const env = await setup((url) => [
      { name: 'r', cooldown: '0s', maxPerHour: 1000, maxConcurrent: 8, action: { http: { url, retries: 0 } } },
    ]);
    const everyone: ReceiverProcess[] = [];
    t.after(async () => {
      for (const p of everyone) {
        if (p.child.exitCode === null && p.child.signalCode === null) {
          p.child.kill('SIGCONT');
          await p.stop('SIGKILL');
        }
      }
      await env.target.stop();
    });

    let current = await ReceiverProcess.start(env);
    everyone.push(current);
    let round = 0;
    /** Rounds whose receiver was stopped: whatever is sent to it from then on it handles only after the takeover. */
    const takenOver = new Set<number>();
    const answers: Answer[] = [];
    let n = 0;
    let loading = true;
    const send = async (rx: ReceiverProcess, by: number): Promise<void> => {
      const fps = Array.from({ length: 2 }, () => `fp-${n++}`);
      const afterTakeover = takenOver.has(by);
      let status: number | 'error';
      try {
        status = (await post(rx.url, payload(fps.map((f) => alert(f, 'r'))))).status;
      } catch {
        status = 'error';
      }
      answers.push({ fps, status, by, afterTakeover });
    };
    // Three clients posting new alerts to whichever receiver is current (kept under the hourly cap).
    const clients = Array.from({ length: 3 }, async () => {
      while (loading) {
        await send(current, round);
        await new Promise((r) => setTimeout(r, 150));
      }
    });

    for (round = 0; round < ROUNDS;) {
      const stalled = current;
      const stalledRound = round;
      await new Promise((r) => setTimeout(r, 400));
      stalled.child.kill('SIGSTOP');
      takenOver.add(stalledRound);
      // The next receiver waits for the lock to go stale (--lock-stale 2s), then takes it over.
      const next = await ReceiverProcess.start(env);
      everyone.push(next);
      current = next;
      round++;
      await new Promise((r) => setTimeout(r, 400));
      stalled.child.kill('SIGCONT');
      // Fresh requests to the woken receiver: it may not make them durable any more.
      await Promise.all(Array.from({ length: 3 }, () => send(stalled, stalledRound)));
      const exit = await stalled.exited;
      assert.equal(exit.code, 1, `round ${stalledRound}: the stalled receiver stops once it knows it lost the folder\n${stalled.stderr}`);
      assert.match(stalled.stderr, /another (receiver|process) (took it over|claimed the data folder)/);
      assert.doesNotMatch(stalled.stderr, /crashed|internal error/);
    }
    loading = false;
    await Promise.all(clients);

    const late = answers.filter((a) => a.afterTakeover);
    assert.ok(late.length >= 3 * ROUNDS);
    // Those sent while it was stopped wait in its socket buffers and are answered once it wakes.
    assert.deepEqual(
      late.filter((a) => a.status === 200),
      [],
      'a receiver taken over acknowledged nothing more',
    );
    const lateRefusals = late.filter((a) => a.status === 503).length;
    assert.ok(
      lateRefusals >= ROUNDS,
      `the woken receivers answered 503 (${lateRefusals} of ${late.length}; the rest found the port closed as it stopped)`,
    );

    // Let the last receiver finish its queue, then restart on the folder: Alertmanager re-sends
    // everything ever acknowledged, and all of it is a duplicate.
    await waitFor(
      'the queue to drain',
      async () => (await audit(current.url)).every((e) => !['queued', 'running'].includes(e.state)) || undefined,
      60_000,
    );
    await current.stop();
    const final = await ReceiverProcess.start(env);
    everyone.push(final);
    const acked = answers.filter((a) => a.status === 200).flatMap((a) => a.fps);
    for (let i = 0; i < acked.length; i += 64) {
      const r = await post(final.url, payload(acked.slice(i, i + 64).map((f) => alert(f, 'r'))));
      assert.equal(r.json.duplicates, Math.min(64, acked.length - i), 'every acknowledged alert is in the log');
    }
    assert.doesNotMatch(final.stderr, /unreadable/, 'no record was written over another');

    // Every action ran at most once, by fingerprint and by Idempotency-Key.
    const runs = new Map<string, number>();
    for (const c of env.target.calls) {
      const f = nameOf(JSON.parse(c.body).fingerprint as string);
      runs.set(f, (runs.get(f) ?? 0) + 1);
    }
    assert.deepEqual(
      [...runs].filter(([, k]) => k > 1),
      [],
    );
    assert.deepEqual(
      [...env.target.countsByKey()].filter(([, k]) => k > 1),
      [],
    );

    // And every acknowledged alert either ran or is audited as interrupted (its receiver stalled
    // while the action was under way: outcome unknown, not repeated).
    const last = new Map<string, { t: string; reason?: string }>();
    const fpOf = new Map<string, string>();
    for (const l of (await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8')).split('\n').filter(Boolean)) {
      const r = JSON.parse(l) as { t: string; id: string; reason?: string; alert?: { fingerprint: string } };
      if (r.t === 'accepted') fpOf.set(r.id, nameOf(r.alert!.fingerprint));
      const f = fpOf.get(r.id);
      if (f !== undefined) last.set(f, r);
    }
    const unaccounted = acked.filter((f) => runs.get(f) !== 1 && last.get(f)?.reason !== 'interrupted');
    assert.deepEqual(unaccounted, []);
    t.diagnostic(
      `${n} alerts sent, ${acked.length} acknowledged, ${runs.size} actions run, ${acked.filter((f) => runs.get(f) !== 1).length} interrupted by a stall; after takeover ${lateRefusals} answers 503, ${late.length - lateRefusals} refused connections`,
    );
    await final.stop();
  },
);
