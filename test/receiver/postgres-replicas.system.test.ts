// Issue 26: three receivers on one PostgreSQL. A load of distinct and duplicate alerts goes to
// all of them at once (each alert to at least two replicas); one replica is SIGKILLed, another
// SIGSTOPped past its lease and resumed, mid-load. Every acknowledged alert's action runs exactly
// once, or is audited as interrupted, and none runs twice. Then the database itself stops:
// /readyz fails and alerts are answered 503, never 200 without a record.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PG_PASSWORD, PgCluster } from '../helpers/postgres.js';
import { ReceiverProcess, TOKEN, alert, payload, setup, tempDir, waitFor, writeActions } from './helpers.js';

const LEASE = '2s';
const ALERTS = 240;

let cluster: PgCluster;
before(async () => {
  cluster = await PgCluster.start();
});
after(async () => {
  await cluster?.stop();
});

/** An action target that answers after `delayMs`, so actions are in flight when a replica dies. */
async function slowTarget(delayMs: number): Promise<{ url: string; calls: Array<{ key: string; fp: string }>; stop: () => Promise<void> }> {
  const calls: Array<{ key: string; fp: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({ key: String(req.headers['idempotency-key']), fp: Buffer.concat(chunks).toString('utf8') });
      setTimeout(() => res.writeHead(200).end('{}'), delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function passwordFile(dir: string): Promise<string> {
  const file = path.join(dir, 'db-password');
  await writeFile(file, `${PG_PASSWORD}\n`, { mode: 0o600 });
  return file;
}

function startReplica(actions: string, tokenFile: string, database: string, pwFile: string): Promise<ReceiverProcess> {
  return ReceiverProcess.spawn([
    '--actions',
    actions,
    '--token-file',
    tokenFile,
    '--database',
    database,
    '--database-password-file',
    pwFile,
    '--lease',
    LEASE,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
  ]);
}

/** POST with a deadline: a stopped replica answers only once resumed, a killed one never. */
async function postTo(url: string, body: unknown): Promise<number | 'error'> {
  try {
    const res = await fetch(`${url}/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    await res.text();
    return res.status;
  } catch {
    return 'error';
  }
}

test(
  'three replicas on one database: every acknowledged alert runs once or is audited as interrupted, none twice',
  { timeout: 300_000 },
  async (t) => {
    const target = await slowTarget(300);
    const dir = await tempDir();
    const actions = await writeActions(dir, [
      { name: 'r', cooldown: '0s', maxPerHour: 1000, maxConcurrent: 12, action: { http: { url: target.url, retries: 0 } } },
    ]);
    const env = await setup(() => []);
    const database = (await cluster.createDatabase('replicas')).replace(`:${PG_PASSWORD}@`, '@');
    const pwFile = await passwordFile(dir);
    const replicas = await Promise.all([0, 1, 2].map(() => startReplica(actions, env.tokenFile, database, pwFile)));
    t.after(async () => {
      for (const r of replicas) {
        r.child.kill('SIGCONT');
        r.killGroup();
        await r.exited;
      }
      await target.stop();
      await env.target.stop();
    });
    for (const r of replicas) assert.doesNotMatch(r.stderr, new RegExp(PG_PASSWORD), 'the password is never logged');

    const acknowledged = new Set<string>();
    const answers: Array<number | 'error'> = [];
    let next = 0;
    const names = Array.from({ length: ALERTS }, (_, i) => `alert-${i}`);
    // Each batch goes to two or three replicas at once; every fifth batch also re-sends an earlier alert.
    const sendBatch = async (b: number) => {
      const batch = names.slice(next, next + 3);
      next += batch.length;
      if (b % 5 === 0 && next > 10) batch.push(names[b % (next - 3)]!);
      const body = payload(batch.map((n) => alert(n, 'r')));
      const targets = b % 3 === 0 ? replicas : [replicas[b % 3]!, replicas[(b + 1) % 3]!];
      const results = await Promise.all(targets.map((r) => postTo(r.url, body)));
      answers.push(...results);
      if (results.includes(200)) for (const n of batch) acknowledged.add(n);
    };
    const load = (async () => {
      for (let b = 0; next < ALERTS; b++) {
        await Promise.all([sendBatch(b), sendBatch(b + 1000)]);
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    const faults = (async () => {
      await waitFor('a third of the load', () => next >= ALERTS / 3, 120_000);
      replicas[0]!.child.kill('SIGKILL');
      await waitFor('half of the load', () => next >= ALERTS / 2, 120_000);
      replicas[1]!.child.kill('SIGSTOP');
      // Past its lease (2 s), so its claims are taken over while it sleeps.
      await new Promise((r) => setTimeout(r, 5000));
      replicas[1]!.child.kill('SIGCONT');
    })();
    await Promise.all([load, faults]);

    const c = new pg.Client({ connectionString: cluster.url('replicas') });
    await c.connect();
    t.after(() => c.end());
    // Everything ends: the killed replica's claims expire and the survivors audit them.
    const events = await waitFor(
      'every event to finish',
      async () => {
        const { rows } = await c.query(`SELECT id, alert->>'fingerprint' AS fp, state, reason FROM sloforge.events`);
        return rows.every((r) => r.state !== 'queued' && r.state !== 'running') ? rows : undefined;
      },
      120_000,
    );
    const byFp = new Map<string, { id: string; state: string; reason: string | null }>();
    for (const e of events) {
      assert.ok(!byFp.has(e.fp), `one event per alert (${e.fp})`);
      byFp.set(e.fp, e);
    }
    const callsById = new Map<string, number>();
    for (const call of target.calls) callsById.set(call.key, (callsById.get(call.key) ?? 0) + 1);
    const twice = [...callsById].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], 'no action ran twice');
    let interrupted = 0;
    for (const name of acknowledged) {
      const ev = byFp.get(Buffer.from(name).toString('hex'));
      assert.ok(ev, `acknowledged alert ${name} is in the database`);
      const calls = callsById.get(ev.id) ?? 0;
      if (ev.state === 'skipped') {
        assert.equal(ev.reason, 'interrupted', `${name}: skipped only as interrupted`);
        assert.ok(calls <= 1);
        interrupted++;
      } else {
        assert.equal(ev.state, 'success', `${name}: ran`);
        assert.equal(calls, 1, `${name}: its action ran exactly once`);
      }
    }
    assert.ok(acknowledged.size >= ALERTS * 0.9, `most alerts were acknowledged (${acknowledged.size} of ${ALERTS})`);
    const { rows: dupes } = await c.query(`SELECT count(*)::int AS n FROM sloforge.event_log WHERE record->>'t' = 'accepted'`);
    assert.equal(dupes[0].n, events.length, 'each alert accepted once, however many replicas got it');
    t.diagnostic(
      `${acknowledged.size} alerts acknowledged; ${answers.filter((a) => a === 200).length} answers 200, ${answers.filter((a) => a !== 200).length} not; ${target.calls.length} action calls; ${interrupted} audited as interrupted`,
    );
  },
);

test('the database unreachable: /readyz fails and alerts are answered 503, then all is well again', { timeout: 120_000 }, async (t) => {
  const env = await setup((url) => [{ name: 'r', cooldown: '0s', action: { http: { url, retries: 0 } } }]);
  const database = (await cluster.createDatabase('outage')).replace(`:${PG_PASSWORD}@`, '@');
  const rx = await startReplica(env.actions, env.tokenFile, database, await passwordFile(env.dir));
  t.after(async () => {
    cluster.signal('SIGCONT');
    await rx.stop('SIGKILL');
    await env.target.stop();
  });
  const readyz = async () => (await fetch(`${rx.url}/readyz`)).status;
  assert.equal(await readyz(), 200);
  assert.equal(await postTo(rx.url, payload([alert('before', 'r')])), 200);
  // Stopped only once 'before' has run: a claim in flight when the database stops may arrive past
  // its lease, and is then rightly audited as interrupted rather than run, which is not this test.
  await waitFor('the first action ran', () => (env.target.calls.length === 1 ? true : undefined), 30_000);
  cluster.signal('SIGSTOP');
  try {
    assert.equal(await readyz(), 503, 'not ready while the database does not answer');
    assert.equal(await postTo(rx.url, payload([alert('during', 'r')])), 503, 'no 200 without a durable record');
  } finally {
    cluster.signal('SIGCONT');
  }
  await waitFor('ready again', async () => ((await readyz()) === 200 ? true : undefined), 30_000);
  assert.equal(await postTo(rx.url, payload([alert('during', 'r')])), 200, 'the retry is accepted');
  await waitFor('both actions ran', () => (env.target.calls.length === 2 ? true : undefined), 30_000).catch((err: Error) => {
    throw new Error(`${err.message}; the receiver said:\n${rx.stderr}`);
  });
  assert.doesNotMatch(rx.stderr, new RegExp(PG_PASSWORD));
});
