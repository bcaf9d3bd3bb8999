// The PostgreSQL store against a real, throwaway cluster: migrations, dedupe across replicas,
// claims under the guard rails, and fencing of a replica whose lease ran out.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PgCluster } from '../helpers/postgres.js';
import { PgStore, WORK_CHANNEL, type NewEvent } from '../../src/receiver/postgres/store.js';
import { PgEngine } from '../../src/receiver/postgres/engine.js';
import { ReceiverMetrics } from '../../src/receiver/metrics.js';
import { waitFor } from './helpers.js';
import { MIGRATIONS, SCHEMA, SchemaTooNew, migrate } from '../../src/receiver/postgres/schema.js';
import type { ResolvedRemediation } from '../../src/remediation/actions-file.js';
import type { AlertFields } from '../../src/receiver/template.js';

let cluster: PgCluster;
let dbCount = 0;
const stores: PgStore[] = [];

before(async () => {
  cluster = await PgCluster.start();
});
after(async () => {
  for (const s of stores) await s.close().catch(() => {});
  await cluster?.stop();
});

/** A fresh database, migrated, and `n` replicas' stores on it. */
async function replicas(n: number): Promise<{ url: string; stores: PgStore[] }> {
  const url = await cluster.createDatabase(`store_${++dbCount}`);
  const made = Array.from(
    { length: n },
    (_, i) => new PgStore({ replica: `replica-${i}`, pool: new pg.Pool({ connectionString: url, max: 4 }) }),
  );
  stores.push(...made);
  await made[0]!.migrate();
  return { url, stores: made };
}

function rem(name: string, over: Partial<ResolvedRemediation> = {}): ResolvedRemediation {
  return {
    name,
    cooldownMs: 0,
    maxConcurrent: 100,
    maxPerHour: 1000,
    dryRun: false,
    onResolved: false,
    retryInterrupted: false,
    triggers: [],
    action: { kind: 'http', http: { method: 'POST', url: 'http://127.0.0.1:1/', headers: {}, timeoutMs: 1000, retries: 0 } } as never,
    ...over,
  };
}

function alertFields(fingerprint: string, remediation: string, over: Partial<AlertFields> = {}): AlertFields {
  return {
    remediation,
    status: 'firing',
    fingerprint,
    startsAt: '2026-11-22T10:00:00.000Z',
    endsAt: '',
    labels: { alertname: 'ErrorBudgetBurnFast', remediation },
    annotations: {},
    ...over,
  };
}

const ev = (fingerprint: string, remediation: string, over: Partial<AlertFields> = {}): NewEvent => {
  const alert = alertFields(fingerprint, remediation, over);
  return { id: randomUUID(), key: `${alert.fingerprint}|${alert.startsAt}|${alert.status}`, alert, state: 'queued' };
};

const lookupOf =
  (...rems: ResolvedRemediation[]) =>
  (name: string) =>
    rems.find((r) => r.name === name);

async function rows(url: string, sql: string, params: unknown[] = []): Promise<any[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

test('the schema is created once, however many replicas start together, and versioned', async () => {
  const url = await cluster.createDatabase(`migrate_${++dbCount}`);
  const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    const results = await Promise.all(clients.map((c) => migrate(c)));
    assert.deepEqual(
      results.map((r) => r.applied.length).sort(),
      [0, 0, 0, MIGRATIONS.length],
      'exactly one replica applied the migrations',
    );
    const versions = (await clients[0]!.query(`SELECT version FROM ${SCHEMA}.schema_migrations ORDER BY version`)).rows.map(
      (r) => r.version,
    );
    assert.deepEqual(
      versions,
      MIGRATIONS.map((m) => m.version),
    );
    assert.deepEqual((await migrate(clients[0]!)).applied, [], 'a restart applies nothing');
    // A database migrated by a newer receiver is refused, not misread.
    await clients[0]!.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, description) VALUES (999, 'future')`);
    await assert.rejects(migrate(clients[1]!), (err: Error) => err instanceof SchemaTooNew && /version 999/.test(err.message));
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
});

test('a failed migration leaves no trace: neither its tables nor its version row', async () => {
  const url = await cluster.createDatabase(`migrate_${++dbCount}`);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, description: 'broken', sql: `CREATE TABLE ${SCHEMA}.half (x int); SELECT nonsense_fn();` },
    ];
    await assert.rejects(migrate(c, broken), /nonsense_fn/);
    const tables = (await c.query(`SELECT to_regclass('${SCHEMA}.half') AS t, to_regclass('${SCHEMA}.events') AS e`)).rows[0];
    assert.equal(tables.t, null);
    assert.equal(tables.e, null, 'migration 1 of the same run rolled back with it');
    assert.deepEqual(
      (await migrate(c)).applied,
      MIGRATIONS.map((m) => m.version),
    );
  } finally {
    await c.end();
  }
});

test('the same alerts accepted by three replicas at once are stored once each', async () => {
  const {
    url,
    stores: [a, b, c],
  } = await replicas(3);
  const batches = Array.from({ length: 20 }, (_, i) => [ev(`a${i}`, 'r'), ev(`b${i}`, 'r')]);
  // Every replica gets every batch, each with its own event ids, at the same moment.
  const fresh = await Promise.all(
    [a!, b!, c!].flatMap((s) =>
      batches.map((batch) =>
        s.accept(
          batch.map((e) => ({ ...e, id: randomUUID() })),
          [],
        ),
      ),
    ),
  );
  const total = fresh.reduce((n, f) => n + f.size, 0);
  assert.equal(total, 40, 'each dedupe key new exactly once across the replicas');
  const stored = await rows(url, `SELECT dedupe_key, count(*)::int AS n FROM ${SCHEMA}.events GROUP BY dedupe_key`);
  assert.equal(stored.length, 40);
  assert.ok(stored.every((r) => r.n === 1));
  const accepted = await rows(url, `SELECT count(*)::int AS n FROM ${SCHEMA}.event_log WHERE record->>'t' = 'accepted'`);
  assert.equal(accepted[0].n, 40, 'one accepted record per stored event');
});

test('alert text is stored as data: quotes and SQL stay verbatim, NUL and lone surrogates are replaced', async () => {
  const {
    url,
    stores: [s],
  } = await replicas(1);
  const nasty = `'); DROP TABLE ${SCHEMA}.events; --`;
  const e = ev('abc', 'r', {
    annotations: { summary: nasty, nul: 'a\0b', lone: 'x\uD800y' },
    labels: { alertname: nasty, remediation: 'r' },
  });
  assert.equal((await s!.accept([e], [])).size, 1);
  const [row] = await rows(url, `SELECT alert FROM ${SCHEMA}.events WHERE id = $1`, [e.id]);
  assert.equal(row.alert.annotations.summary, nasty);
  assert.equal(row.alert.labels.alertname, nasty);
  assert.equal(row.alert.annotations.nul, 'a\uFFFDb');
  assert.equal(row.alert.annotations.lone, 'x\uFFFDy');
});

test('claims: each event claimed by one replica; maxConcurrent, cooldown and the hourly cap hold across replicas', async () => {
  const {
    stores: [a, b],
  } = await replicas(2);
  const slots = rem('slots', { maxConcurrent: 2 });
  const cool = rem('cool', { cooldownMs: 3_600_000 });
  const capped = rem('capped', { maxPerHour: 3 });
  const lookup = lookupOf(slots, cool, capped);
  await a!.accept(
    [
      ...Array.from({ length: 5 }, (_, i) => ev(`s${i}`, 'slots')),
      ev('c1', 'cool'),
      ev('c2', 'cool'),
      ...Array.from({ length: 5 }, (_, i) => ev(`h${i}`, 'capped')),
    ],
    [],
  );
  const [ra, rb] = await Promise.all([a!.claim(10, 60_000, lookup), b!.claim(10, 60_000, lookup)]);
  const claimed = [...ra.claimed, ...rb.claimed];
  const skipped = [...ra.skipped, ...rb.skipped];
  assert.equal(new Set(claimed.map((c) => c.id)).size, claimed.length, 'no event claimed twice');
  const by = (name: string) => claimed.filter((c) => c.alert.remediation === name).length;
  assert.equal(by('slots'), 2, 'two slots, shared by both replicas');
  assert.equal(by('cool'), 1);
  assert.equal(by('capped'), 3);
  assert.deepEqual(skipped.map((s) => `${s.remediation}:${s.reason}`).sort(), ['capped:hourly-cap', 'capped:hourly-cap', 'cool:cooldown']);
  // A finished run frees its slot for the other replica.
  const first = claimed.find((c) => c.alert.remediation === 'slots')!;
  assert.equal(await (ra.claimed.includes(first) ? a! : b!).finish(first, 'success', 'ok', 5), true);
  const next = await b!.claim(10, 60_000, lookup);
  assert.equal(next.claimed.length, 1);
  assert.equal(next.claimed[0]!.alert.remediation, 'slots');
});

test('fencing: a replica whose lease ran out writes nothing; the action is audited as interrupted', async () => {
  const {
    url,
    stores: [a, b],
  } = await replicas(2);
  const r = rem('r');
  const lookup = lookupOf(r);
  await a!.accept([ev('x', 'r')], []);
  const { claimed } = await a!.claim(1, 60_000, lookup);
  const claim = claimed[0]!;
  assert.equal(await a!.renew(claim, 60_000), true, 'the owner renews while its lease lasts');
  assert.deepEqual((await b!.reapExpired(lookup)).interrupted, [], 'a live lease is not taken over');
  // The owner stalls: its lease runs out (set in the past rather than waited for).
  assert.equal(await a!.renew(claim, -1000), true);
  const reaped = await b!.reapExpired(lookup);
  assert.deepEqual(
    reaped.interrupted.map((e) => e.id),
    [claim.id],
  );
  assert.equal(await a!.finish(claim, 'success', 'late', 1), false, 'the late outcome is refused');
  assert.equal(await a!.renew(claim, 300), false, 'and so is a late renewal');
  assert.equal(await a!.release(claim, 'late', 0), false, 'and a late release');
  const [row] = await rows(url, `SELECT state, reason, detail FROM ${SCHEMA}.events`);
  assert.equal(row.state, 'skipped');
  assert.equal(row.reason, 'interrupted');
  assert.match(row.detail, /replica-0 stopped renewing/);
  const log = await rows(url, `SELECT record->>'t' AS t, replica FROM ${SCHEMA}.event_log ORDER BY seq`);
  assert.deepEqual(
    log.map((l) => `${l.t}@${l.replica}`),
    ['accepted@replica-0', 'started@replica-0', 'skipped@replica-1'],
  );
  assert.equal((await b!.claim(5, 300, lookup)).claimed.length, 0, 'not run again');
});

test('fencing with retryInterrupted: the event is queued again, claimed anew, and only the new claim may finish it', async () => {
  const {
    url,
    stores: [a, b],
  } = await replicas(2);
  const r = rem('r', { retryInterrupted: true, cooldownMs: 3_600_000, maxPerHour: 1 });
  const lookup = lookupOf(r);
  await a!.accept([ev('x', 'r')], []);
  const old = (await a!.claim(1, 60_000, lookup)).claimed[0]!;
  assert.equal(await a!.renew(old, -1000), true, 'its lease runs out');
  assert.equal((await b!.reapExpired(lookup)).requeued.length, 1);
  // Neither the cooldown nor the cap (both used up by the first claim) stop the retry.
  const fresh = (await b!.claim(1, 60_000, lookup)).claimed[0]!;
  assert.equal(fresh.id, old.id);
  assert.equal(fresh.attempt, 2);
  assert.equal(fresh.interrupted, true);
  assert.notEqual(fresh.generation, old.generation);
  assert.equal(await a!.finish(old, 'failure', 'late', 1), false);
  assert.equal(await b!.finish(fresh, 'success', 'ok', 1), true);
  const [row] = await rows(url, `SELECT state, detail, attempts FROM ${SCHEMA}.events`);
  assert.deepEqual(row, { state: 'success', detail: 'ok', attempts: 2 });
});

test('a released claim is queued again with its guard charge undone', async () => {
  const {
    stores: [a, b],
  } = await replicas(2);
  const r = rem('r', { cooldownMs: 3_600_000, maxPerHour: 1 });
  const lookup = lookupOf(r);
  await a!.accept([ev('x', 'r')], []);
  const claim = (await a!.claim(1, 60_000, lookup)).claimed[0]!;
  assert.equal(await a!.release(claim, 'lease too short to start', 0), true);
  const again = await b!.claim(1, 60_000, lookup);
  assert.equal(again.skipped.length, 0, 'neither cooldown nor cap count the run that never started');
  assert.equal(again.claimed[0]?.id, claim.id);
  assert.equal(again.claimed[0]?.attempt, 1);
});

test('a firing event whose episode resolved before it started is skipped', async () => {
  const {
    stores: [a, b],
  } = await replicas(2);
  const r = rem('r');
  await a!.accept([ev('x', 'r')], []);
  await b!.accept([], ['x|2026-11-22T10:00:00.000Z']);
  const { claimed, skipped } = await a!.claim(1, 60_000, lookupOf(r));
  assert.equal(claimed.length, 0);
  assert.deepEqual(
    skipped.map((s) => s.reason),
    ['resolved'],
  );
});

test('retention: old finished events shrink to their dedupe keys, keys of long-resolved episodes go, runs past the hour go; nothing else', async () => {
  const {
    url,
    stores: [a, b],
  } = await replicas(2);
  const r = rem('r', { maxPerHour: 4 });
  const lookup = lookupOf(r);
  const old = ['old-1', 'old-2', 'old-resolved'].map((f) => ev(f, 'r'));
  const young = ev('young', 'r');
  await a!.accept([...old, young], []);
  const first = await a!.claim(10, 60_000, lookup);
  assert.equal(first.claimed.length, 4);
  for (const c of first.claimed) assert.ok(await a!.finish(c, 'success', 'ok', 1));
  const queued = ev('queued-old', 'r');
  await a!.accept(
    [queued, ev('resolved-recently', 'r')],
    ['old-resolved|2026-11-22T10:00:00.000Z', 'resolved-recently|2026-11-22T10:00:00.000Z'],
  );
  // Aged by the database's clock, as if a week and a day had passed for them.
  const age = (sql: string, params: unknown[]) => rows(url, sql, params);
  await age(`UPDATE ${SCHEMA}.events SET finished_at = finished_at - interval '8 days' WHERE id = ANY($1::uuid[])`, [old.map((e) => e.id)]);
  await age(`UPDATE ${SCHEMA}.events SET accepted_at = accepted_at - interval '8 days' WHERE id = $1`, [queued.id]);
  await age(`UPDATE ${SCHEMA}.resolved_episodes SET at = at - interval '8 days' WHERE episode LIKE 'old-resolved%'`, []);
  await age(`UPDATE ${SCHEMA}.runs SET started_at = started_at - interval '61 minutes' WHERE event_id = ANY($1::uuid[])`, [
    old.map((e) => e.id),
  ]);
  const logsOf = async (id: string) =>
    (await rows(url, `SELECT count(*)::int AS n FROM ${SCHEMA}.event_log WHERE event_id = $1`, [id]))[0].n;
  assert.ok((await logsOf(old[0]!.id)) >= 3);

  // Both replicas prune at once: each row is pruned by one of them.
  const [pa, pb] = await Promise.all([a!.prune(7 * 86_400_000), b!.prune(7 * 86_400_000)]);
  assert.deepEqual(
    { pruned: pa.pruned + pb.pruned, episodes: pa.episodes + pb.episodes, runs: pa.runs + pb.runs },
    { pruned: 3, episodes: 1, runs: 3 },
  );
  const state = async (f: string) =>
    (
      await rows(url, `SELECT state, pruned_at IS NOT NULL AS pruned, alert FROM ${SCHEMA}.events WHERE alert->>'fingerprint' = $1`, [f])
    )[0];
  for (const f of ['old-1', 'old-2']) {
    const row = await state(f);
    assert.equal(row.pruned, true, f);
    assert.deepEqual(row.alert.labels, {}, `${f}: the alert's text is gone`);
  }
  assert.equal(await logsOf(old[0]!.id), 0, 'its audit records are gone');
  assert.equal(await state('old-resolved'), undefined, 'the key of an episode resolved over the retention ago is gone');
  assert.equal((await rows(url, `SELECT * FROM ${SCHEMA}.resolved_episodes WHERE episode LIKE 'old-resolved%'`)).length, 0);
  assert.equal((await state('young')).pruned, false);
  assert.equal((await state('queued-old')).state, 'queued', 'a queued event is never pruned, however old');
  assert.equal((await rows(url, `SELECT * FROM ${SCHEMA}.resolved_episodes WHERE episode LIKE 'resolved-recently%'`)).length, 1);
  assert.equal((await logsOf(young.id)) >= 3, true);
  assert.deepEqual(
    (await a!.recent(100)).map((e) => e.fingerprint).sort(),
    ['queued-old', 'resolved-recently', 'young'],
    'pruned events leave the audit trail',
  );
  // A pruned event still dedupes a late redelivery; a forgotten episode's key does not.
  const again = [ev('old-1', 'r'), ev('old-resolved', 'r')];
  const stored = await b!.accept(again, []);
  assert.deepEqual([...stored], [again[1]!.id]);
  // The young run still counts against the hourly cap (4): three more starts, then the cap.
  await a!.accept(
    ['cap-1', 'cap-2', 'cap-3', 'cap-4'].map((f) => ev(f, 'r')),
    [],
  );
  const after = await a!.claim(10, 60_000, lookup);
  assert.equal(after.claimed.length, 3, 'runs inside the hour are kept: young and three more make the cap');
  assert.ok(after.skipped.some((x) => x.reason === 'hourly-cap'));
  assert.deepEqual(await a!.prune(7 * 86_400_000), { pruned: 0, episodes: 0, runs: 0 }, 'a second pass finds nothing');
});

test('LISTEN/NOTIFY: a replica claims what another queued at once, not at its next poll (an hour away here)', async (t) => {
  const {
    url,
    stores: [a, b],
  } = await replicas(2);
  const logs: string[] = [];
  const engine = new PgEngine({
    remediations: [rem('r', { dryRun: true })],
    store: b!,
    metrics: new ReceiverMetrics(),
    dryRun: false,
    log: (l) => logs.push(l),
    pollMs: 3_600_000,
  });
  engine.start();
  t.after(() => engine.shutdown(1000));
  // Listening before anything is queued: a notification sent earlier would reach nobody.
  await waitFor('replica b to listen', async () =>
    (await rows(url, `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN ${WORK_CHANNEL}'`)).length === 1
      ? true
      : undefined,
  );
  const e = ev('wake', 'r');
  await a!.accept([e], []);
  await a!.notifyWork();
  const done = await waitFor('replica b to run it', async () => {
    const [row] = await rows(url, `SELECT state, owner FROM ${SCHEMA}.events WHERE id = $1`, [e.id]);
    return row?.state === 'dry-run' ? row : undefined;
  });
  assert.equal(done.state, 'dry-run', logs.join('\n'));
  const [started] = await rows(url, `SELECT replica FROM ${SCHEMA}.event_log WHERE event_id = $1 AND record->>'t' = 'started'`, [e.id]);
  assert.equal(started.replica, 'replica-1');
});
