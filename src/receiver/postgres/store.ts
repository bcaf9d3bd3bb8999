// The receiver's shared memory in PostgreSQL, for any number of replicas on one database.
//
// - Accepting: one transaction inserts the new events (a unique dedupe key: a copy that another
//   replica inserted first is a duplicate, and one still being inserted there is waited for by
//   the database), their `accepted` records in the audit log and the resolved episodes. Only
//   after COMMIT is Alertmanager answered 200.
// - Claiming: a replica takes queued events with FOR UPDATE SKIP LOCKED, locks the guard rows of
//   their remediations (in name order, so two replicas never deadlock), and decides cooldowns,
//   hourly caps and concurrency from the database's own clock and rows, so the rails hold across
//   replicas. A claim sets the event running with an owner, a lease and a new generation; its
//   `started` record commits with it, before the action runs.
// - Fencing: everything a claim's owner writes afterwards (lease renewals, the outcome, a release)
//   is one statement or transaction that matches the event's id AND generation while it is
//   running. Whoever takes the event over (an expired lease) bumps the generation first, so a
//   replica that stalled past its lease writes nothing when it wakes up.
// - Expired leases: any replica ends them, as the file store's replay does: interrupted, audited
//   and not repeated, or queued again for a remediation marked `retryInterrupted`.
// - Waking: a replica that queues work NOTIFYs WORK_CHANNEL; the others LISTEN and claim at once.
// - Retention: `prune` shrinks long-finished events to their dedupe keys (docs/receiver-postgres.md).
//
// Alert text only ever travels as bound parameters (a JSON document, unpacked by PostgreSQL).
import pg, { type PoolClient } from 'pg';
import type { ResolvedRemediation } from '../../remediation/actions-file.js';
import { toAuditEntry, type AuditEntry, type EventState } from '../audit.js';
import { HOUR_MS } from '../guard.js';
import type { ActionResult, SkipReason } from '../store/records.js';
import type { AlertFields } from '../template.js';
import { SCHEMA, migrate, type MigrateResult } from './schema.js';
import { describeDbError } from './connection.js';

const T = (name: string): string => `${SCHEMA}.${name}`;

/** The channel replicas NOTIFY when they queue work, so the others claim it without waiting for their poll. */
export const WORK_CHANNEL = 'sloforge_work';

/** An event as the receiver hands it to `accept`: queued, or already skipped (unknown, not bound). */
export interface NewEvent {
  id: string;
  key: string;
  alert: AlertFields;
  state: 'queued' | 'skipped';
  reason?: SkipReason;
  detail?: string;
}

/** An event this replica claimed: it may run the action while its lease lasts. */
export interface Claim {
  id: string;
  key: string;
  alert: AlertFields;
  /** The claim's generation: every later write names it, and fails once another replica took over. */
  generation: string;
  attempt: number;
  interrupted: boolean;
  /** The guard charge this claim made (undone by `release`). */
  charged: { at: number; previousFiringStart: number | null } | undefined;
}

export interface SkipDecision {
  id: string;
  remediation: string;
  fingerprint: string;
  reason: SkipReason;
  detail: string;
}

export interface ClaimResult {
  claimed: Claim[];
  skipped: SkipDecision[];
}

export interface PruneResult {
  /** Finished events older than the retention, shrunk to their dedupe keys (audit records deleted). */
  pruned: number;
  /** Episodes forgotten, their dedupe keys deleted: resolved longer than the retention ago. */
  episodes: number;
  /** Starts deleted from `runs`: past the hourly cap's window. */
  runs: number;
}

export interface ReapResult {
  interrupted: Array<{ id: string; remediation: string; owner: string | null }>;
  requeued: Array<{ id: string; remediation: string; owner: string | null }>;
}

const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Characters PostgreSQL cannot store (NUL, lone surrogates) replaced, so no alert is refused for them. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v)])) as T;
  }
  return value;
}

const episodeOf = (a: { fingerprint: string; startsAt: string }): string => `${a.fingerprint}|${a.startsAt}`;

interface EventRow {
  id: string;
  dedupe_key: string;
  remediation: string;
  status: string;
  episode: string;
  alert: AlertFields;
  interrupted: boolean;
  attempts: number;
}

export interface PgStoreOptions {
  /** This replica's name in claims and the audit log. */
  replica: string;
  pool: pg.Pool;
  /** Where a connection that fails while idle is reported (the pool replaces it). */
  log?: (line: string) => void;
}

export class PgStore {
  readonly replica: string;
  readonly pool: pg.Pool;

  constructor(opts: PgStoreOptions) {
    this.replica = opts.replica;
    this.pool = opts.pool;
    // An idle connection the server ended (a restart, idle_in_transaction_session_timeout): the
    // pool drops it and opens another on the next query. Without a listener it would crash the
    // process.
    this.pool.on('error', (err) => opts.log?.(`database connection lost while idle: ${describeDbError(err)}`));
  }

  /** Creates or migrates the schema (see schema.ts). */
  async migrate(): Promise<MigrateResult> {
    const { c, done } = await this.checkout();
    try {
      const r = await migrate(c);
      done();
      return r;
    } catch (err) {
      done(err);
      throw err;
    }
  }

  /**
   * A pooled client with an error listener while it is checked out: a connection that breaks
   * between queries (the server restarted or ended an idle transaction) emits an error event,
   * which would otherwise crash the process. `done` hands it back, or discards it when broken.
   */
  private async checkout(): Promise<{ c: PoolClient; done: (err?: unknown) => void }> {
    const c = await this.pool.connect();
    let broken: unknown;
    const onError = (err: Error) => {
      broken ??= err;
    };
    c.on('error', onError);
    return {
      c,
      done: (err?: unknown) => {
        c.off('error', onError);
        const bad = broken ?? err;
        c.release(bad === undefined ? undefined : bad instanceof Error ? bad : true);
      },
    };
  }

  /** Runs `work` in a transaction; a client that failed mid-way is discarded, not reused. */
  async transaction<R>(work: (c: PoolClient) => Promise<R>): Promise<R> {
    const { c, done } = await this.checkout();
    try {
      await c.query('BEGIN');
      const r = await work(c);
      await c.query('COMMIT');
      done();
      return r;
    } catch (err) {
      const rolledBack = await c.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      done(rolledBack ? undefined : err);
      throw err;
    }
  }

  /** Whether the database answers. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /**
   * Stores the events whose dedupe key is new, with their audit records, and remembers resolved
   * episodes; resolves to the ids that were new (the rest are duplicates). Nothing is stored
   * unless everything is.
   */
  async accept(events: readonly NewEvent[], resolvedEpisodes: readonly string[]): Promise<Set<string>> {
    const rows = events.map((e, ord) => {
      const alert = storable(e.alert);
      return {
        ord,
        id: e.id,
        key: storable(e.key),
        remediation: alert.remediation,
        status: alert.status,
        episode: episodeOf(alert),
        alert,
        state: e.state,
        reason: e.reason ?? null,
        detail: e.detail === undefined ? null : storable(e.detail),
      };
    });
    if (rows.length === 0 && resolvedEpisodes.length === 0) return new Set();
    // One statement, so one round trip and atomic on its own: the events, their audit records
    // and the resolved episodes commit together or not at all. (Every data-modifying part of a
    // WITH runs to completion whether or not the final SELECT reads it.)
    const { rows: inserted } = await this.pool.query<{ id: string }>(
      `WITH ins AS (
         INSERT INTO ${T('events')} (id, dedupe_key, remediation, status, episode, alert, accepted_at, accepted_by, state, reason, detail, finished_at)
         SELECT x.id, x.key, x.remediation, x.status, x.episode, x.alert, clock_timestamp(), $2, x.state, x.reason, x.detail,
                CASE WHEN x.state = 'skipped' THEN clock_timestamp() END
           FROM jsonb_to_recordset($1::jsonb) AS x(ord integer, id uuid, key text, remediation text, status text, episode text,
                                                   alert jsonb, state text, reason text, detail text)
          ORDER BY x.ord
         ON CONFLICT (dedupe_key) DO NOTHING
         RETURNING id, seq, dedupe_key, alert, accepted_at, state, reason, detail
       ),
       logged AS (
         INSERT INTO ${T('event_log')} (event_id, at, replica, generation, record)
         SELECT e.id, e.accepted_at, $2, 0, r.record
           FROM ins e
          CROSS JOIN LATERAL (
            SELECT jsonb_build_object('t', 'accepted', 'key', e.dedupe_key, 'alert', e.alert) AS record, 0 AS n
            UNION ALL
            SELECT jsonb_build_object('t', 'skipped', 'key', e.dedupe_key, 'reason', e.reason, 'detail', e.detail), 1
             WHERE e.state = 'skipped'
          ) r
          ORDER BY e.seq, r.n
       ),
       resolved AS (
         INSERT INTO ${T('resolved_episodes')} (episode, at)
         SELECT DISTINCT unnest($3::text[]), clock_timestamp()
         ON CONFLICT (episode) DO NOTHING
       )
       SELECT id FROM ins`,
      [JSON.stringify(rows), this.replica, resolvedEpisodes.map(storable)],
    );
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * Claims up to `max` runnable events for this replica, and records the guard rails' skips it
   * decides on the way; oldest first. `lookup` gives this replica's view of a remediation.
   */
  async claim(
    max: number,
    leaseMs: number,
    lookup: (name: string) => ResolvedRemediation | undefined,
    scan = Math.max(16, max * 4),
  ): Promise<ClaimResult> {
    return this.transaction(async (c) => {
      const result: ClaimResult = { claimed: [], skipped: [] };
      const { rows: candidates } = await c.query<EventRow>(
        `SELECT id, dedupe_key, remediation, status, episode, alert, interrupted, attempts
           FROM ${T('events')}
          WHERE state = 'queued' AND (not_before IS NULL OR not_before <= clock_timestamp())
          ORDER BY seq
          LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [scan],
      );
      if (candidates.length === 0) return result;
      const names = [...new Set(candidates.map((e) => e.remediation))].sort();
      await c.query(`INSERT INTO ${T('guard')} (remediation) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [names]);
      // Locked in name order: two replicas claiming at once wait for one another, never deadlock.
      const guard = await c.query<{ remediation: string; last_firing_ms: number | null }>(
        `SELECT remediation, (extract(epoch FROM last_firing_start) * 1000)::float8 AS last_firing_ms
           FROM ${T('guard')} WHERE remediation = ANY($1::text[]) ORDER BY remediation FOR UPDATE`,
        [names],
      );
      const lastFiring = new Map(guard.rows.map((g) => [g.remediation, g.last_firing_ms]));
      // The database's clock, read after the locks: one clock for every replica's decisions.
      const now = Number(
        (await c.query<{ ms: number }>(`SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms`)).rows[0]!.ms,
      );
      const counts = await c.query<{ remediation: string; running: number; recent: number }>(
        `SELECT n.remediation,
                (SELECT count(*) FROM ${T('events')} e WHERE e.remediation = n.remediation AND e.state = 'running')::int AS running,
                (SELECT count(*) FROM ${T('runs')} r WHERE r.remediation = n.remediation AND r.started_at > to_timestamp($2 / 1000.0))::int AS recent
           FROM unnest($1::text[]) AS n(remediation)`,
        [names, now - HOUR_MS],
      );
      const running = new Map(counts.rows.map((r) => [r.remediation, r.running]));
      const recent = new Map(counts.rows.map((r) => [r.remediation, r.recent]));
      const resolved = new Set(
        (
          await c.query<{ episode: string }>(`SELECT episode FROM ${T('resolved_episodes')} WHERE episode = ANY($1::text[])`, [
            [...new Set(candidates.filter((e) => e.status === 'firing').map((e) => e.episode))],
          ])
        ).rows.map((r) => r.episode),
      );

      for (const ev of candidates) {
        const rem = lookup(ev.remediation);
        let skip: { reason: SkipReason; detail: string } | undefined;
        if (!rem) {
          skip = { reason: 'unknown-remediation', detail: `no remediation named "${ev.remediation}" in the actions file` };
        } else if (!ev.interrupted && ev.status === 'firing' && resolved.has(ev.episode)) {
          skip = { reason: 'resolved', detail: 'the alert resolved before its remediation could start' };
        } else if ((running.get(rem.name) ?? 0) >= rem.maxConcurrent) {
          continue; // no free slot for this remediation on any replica: stays queued
        } else if (!ev.interrupted) {
          const last = lastFiring.get(rem.name) ?? null;
          if (ev.status === 'firing' && last !== null && now - last < rem.cooldownMs) {
            skip = { reason: 'cooldown', detail: `${rem.name} ran less than ${rem.cooldownMs / 1000}s ago` };
          } else if ((recent.get(rem.name) ?? 0) >= rem.maxPerHour) {
            skip = {
              reason: 'hourly-cap',
              detail: `${rem.name} already ran ${rem.maxPerHour} times in the last hour; stopped to break a possible remediation loop`,
            };
          }
        }
        if (skip) {
          await this.writeSkip(c, ev, skip.reason, skip.detail);
          result.skipped.push({ id: ev.id, remediation: ev.remediation, fingerprint: ev.alert.fingerprint, ...skip });
          continue;
        }
        if (result.claimed.length >= max) continue;
        const r = rem!;
        let charged: Claim['charged'];
        if (!ev.interrupted) {
          const previous = lastFiring.get(r.name) ?? null;
          await c.query(`INSERT INTO ${T('runs')} (remediation, started_at, event_id) VALUES ($1, to_timestamp($2 / 1000.0), $3)`, [
            r.name,
            now,
            ev.id,
          ]);
          if (ev.status === 'firing') {
            await c.query(`UPDATE ${T('guard')} SET last_firing_start = to_timestamp($2 / 1000.0) WHERE remediation = $1`, [r.name, now]);
            lastFiring.set(r.name, now);
          }
          recent.set(r.name, (recent.get(r.name) ?? 0) + 1);
          charged = { at: now, previousFiringStart: ev.status === 'firing' ? previous : null };
        }
        running.set(r.name, (running.get(r.name) ?? 0) + 1);
        const attempt = ev.attempts + 1;
        const { rows } = await c.query<{ generation: string }>(
          `UPDATE ${T('events')}
              SET state = 'running', generation = generation + 1, owner = $2, attempts = $3,
                  started_at = to_timestamp($4 / 1000.0), lease_until = to_timestamp(($4 + $5) / 1000.0), not_before = NULL
            WHERE id = $1
          RETURNING generation::text`,
          [ev.id, this.replica, attempt, now, leaseMs],
        );
        const generation = rows[0]!.generation;
        await this.log(c, ev.id, generation, now, {
          t: 'started',
          key: ev.dedupe_key,
          attempt,
          dryRun: r.dryRun,
          owner: this.replica,
          leaseMs,
        });
        result.claimed.push({
          id: ev.id,
          key: ev.dedupe_key,
          alert: ev.alert,
          generation,
          attempt,
          interrupted: ev.interrupted,
          charged,
        });
      }
      return result;
    });
  }

  private async writeSkip(c: PoolClient, ev: EventRow, reason: SkipReason, detail: string): Promise<void> {
    const { rows } = await c.query<{ generation: string; ms: number }>(
      `UPDATE ${T('events')} SET state = 'skipped', reason = $2, detail = $3, finished_at = clock_timestamp(), owner = NULL, lease_until = NULL
        WHERE id = $1
      RETURNING generation::text, (extract(epoch FROM finished_at) * 1000)::float8 AS ms`,
      [ev.id, reason, detail],
    );
    await this.log(c, ev.id, rows[0]!.generation, rows[0]!.ms, { t: 'skipped', key: ev.dedupe_key, reason, detail });
  }

  private async log(c: PoolClient, id: string, generation: string, atMs: number, record: Record<string, unknown>): Promise<void> {
    await c.query(
      `INSERT INTO ${T('event_log')} (event_id, at, replica, generation, record) VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5::jsonb)`,
      [id, atMs, this.replica, generation, JSON.stringify(storable(record))],
    );
  }

  /** Extends a claim's lease; false when the claim is no longer this replica's (fenced). */
  async renew(claim: Claim, leaseMs: number): Promise<boolean> {
    const r = await this.pool.query(
      `UPDATE ${T('events')} SET lease_until = clock_timestamp() + make_interval(secs => $3 / 1000.0)
        WHERE id = $1 AND generation = $2::bigint AND state = 'running'`,
      [claim.id, claim.generation, leaseMs],
    );
    return r.rowCount === 1;
  }

  /**
   * Records a claim's outcome, in one statement that matches the claim's generation: false (and
   * nothing written) when another replica took the event over meanwhile.
   */
  async finish(claim: Claim, result: ActionResult, detail: string, durationMs: number): Promise<boolean> {
    const r = await this.pool.query(
      `WITH done AS (
         UPDATE ${T('events')}
            SET state = $3, detail = $4, finished_at = clock_timestamp(), owner = NULL, lease_until = NULL
          WHERE id = $1 AND generation = $2::bigint AND state = 'running'
         RETURNING id, finished_at, generation, dedupe_key
       )
       INSERT INTO ${T('event_log')} (event_id, at, replica, generation, record)
       SELECT id, finished_at, $5, generation,
              jsonb_build_object('t', 'finished', 'key', dedupe_key, 'result', $3::text, 'detail', $4::text, 'durationMs', $6::integer)
         FROM done`,
      [claim.id, claim.generation, result, storable(detail), this.replica, Math.round(durationMs)],
    );
    return r.rowCount === 1;
  }

  /**
   * Gives a claim back before its action ran (its lease was too short to start safely): queued
   * again, the guard charge undone, and the generation bumped. False when it was no longer ours.
   */
  async release(claim: Claim, why: string, retryInMs: number): Promise<boolean> {
    return this.transaction(async (c) => {
      const { rows } = await c.query<{ remediation: string; generation: string }>(
        `UPDATE ${T('events')}
            SET state = 'queued', generation = generation + 1, owner = NULL, lease_until = NULL, started_at = NULL,
                attempts = attempts - 1, not_before = clock_timestamp() + make_interval(secs => $3 / 1000.0)
          WHERE id = $1 AND generation = $2::bigint AND state = 'running'
        RETURNING remediation, generation::text`,
        [claim.id, claim.generation, retryInMs],
      );
      if (rows.length === 0) return false;
      const { remediation, generation } = rows[0]!;
      if (claim.charged) {
        await c.query(`DELETE FROM ${T('runs')} WHERE event_id = $1`, [claim.id]);
        if (claim.alert.status === 'firing') {
          // Only when no later run was charged since, as GuardRails' uncharge does.
          await c.query(
            `UPDATE ${T('guard')} SET last_firing_start = to_timestamp($2 / 1000.0)
              WHERE remediation = $1 AND last_firing_start = to_timestamp($3 / 1000.0)`,
            [remediation, claim.charged.previousFiringStart, claim.charged.at],
          );
        }
      }
      await c.query(
        `INSERT INTO ${T('event_log')} (event_id, at, replica, generation, record)
         VALUES ($1, clock_timestamp(), $2, $3, jsonb_build_object('t', 'released', 'key', $4::text, 'detail', $5::text))`,
        [claim.id, this.replica, generation, claim.key, why],
      );
      return true;
    });
  }

  /**
   * Ends claims whose lease ran out (their replica died or stalled): each is audited as
   * interrupted, or queued again when its remediation retries interrupted runs. The generation
   * is bumped first, so the late owner's writes fail.
   */
  async reapExpired(lookup: (name: string) => ResolvedRemediation | undefined, limit = 100): Promise<ReapResult> {
    return this.transaction(async (c) => {
      const out: ReapResult = { interrupted: [], requeued: [] };
      const { rows } = await c.query<EventRow & { owner: string | null }>(
        `SELECT id, dedupe_key, remediation, status, episode, alert, interrupted, attempts, owner
           FROM ${T('events')}
          WHERE state = 'running' AND lease_until < clock_timestamp()
          ORDER BY lease_until
          LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const ev of rows) {
        const who = ev.owner === null ? 'its replica' : `replica ${ev.owner}`;
        if (lookup(ev.remediation)?.retryInterrupted) {
          const { rows: g } = await c.query<{ generation: string }>(
            `UPDATE ${T('events')} SET state = 'queued', interrupted = true, generation = generation + 1, owner = NULL, lease_until = NULL
              WHERE id = $1 RETURNING generation::text`,
            [ev.id],
          );
          await c.query(
            `INSERT INTO ${T('event_log')} (event_id, at, replica, generation, record)
             VALUES ($1, clock_timestamp(), $2, $3, jsonb_build_object('t', 'lease-expired', 'key', $4::text, 'owner', $5::text, 'retry', true))`,
            [ev.id, this.replica, g[0]!.generation, ev.dedupe_key, ev.owner],
          );
          out.requeued.push({ id: ev.id, remediation: ev.remediation, owner: ev.owner });
        } else {
          await c.query(`UPDATE ${T('events')} SET generation = generation + 1 WHERE id = $1`, [ev.id]);
          await this.writeSkip(
            c,
            ev,
            'interrupted',
            `${who} stopped renewing its claim while this action ran (it died or stalled): its outcome is unknown, so it is not repeated (set retryInterrupted for idempotent actions)`,
          );
          out.interrupted.push({ id: ev.id, remediation: ev.remediation, owner: ev.owner });
        }
      }
      return out;
    });
  }

  /**
   * One retention pass, by the database's clock, in batches of `batch` rows (each its own short
   * statement, so replicas pruning at once skip each other's rows rather than wait):
   * - `runs` older than the hourly cap's window go: nothing reads them.
   * - Finished events older than `retentionMs` keep only their row's dedupe key (the audit
   *   records and the alert's text go; /api/actions no longer lists them), as the file store
   *   compacts a long-finished event to a `seen` line: a late redelivery still never runs twice.
   * - The keys themselves go once their episode's resolved notice is older than `retentionMs`:
   *   Alertmanager sends nothing more for a resolved episode (the alert firing again starts a
   *   new one, with a new key). Keys of episodes never seen resolved stay.
   */
  async prune(retentionMs: number, batch = 1000): Promise<PruneResult> {
    const out: PruneResult = { pruned: 0, episodes: 0, runs: 0 };
    const loop = async (sql: string, params: unknown[]): Promise<number> => {
      let total = 0;
      for (;;) {
        const n = (await this.pool.query(sql, params)).rowCount ?? 0;
        total += n;
        if (n < batch) return total;
      }
    };
    out.runs = await loop(
      `DELETE FROM ${T('runs')} WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM ${T('runs')} WHERE started_at < clock_timestamp() - make_interval(secs => $1 / 1000.0) LIMIT $2))`,
      [HOUR_MS, batch],
    );
    out.pruned = await loop(
      `WITH old AS (
         SELECT id FROM ${T('events')}
          WHERE pruned_at IS NULL AND finished_at IS NOT NULL
            AND state IN ('success', 'failure', 'dry-run', 'skipped')
            AND finished_at < clock_timestamp() - make_interval(secs => $1 / 1000.0)
          ORDER BY finished_at
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       ),
       logs AS (DELETE FROM ${T('event_log')} l USING old WHERE l.event_id = old.id)
       UPDATE ${T('events')} e
          SET pruned_at = clock_timestamp(), detail = NULL,
              alert = jsonb_build_object('remediation', e.alert->'remediation', 'status', e.alert->'status',
                                         'fingerprint', e.alert->'fingerprint', 'startsAt', e.alert->'startsAt',
                                         'endsAt', '', 'labels', '{}'::jsonb, 'annotations', '{}'::jsonb)
         FROM old
        WHERE e.id = old.id`,
      [retentionMs, batch],
    );
    out.episodes = await loop(
      `WITH gone AS (
         SELECT r.episode FROM ${T('resolved_episodes')} r
          WHERE r.at < clock_timestamp() - make_interval(secs => $1 / 1000.0)
            AND NOT EXISTS (SELECT 1 FROM ${T('events')} e WHERE e.episode = r.episode AND e.pruned_at IS NULL)
          LIMIT $2
            FOR UPDATE SKIP LOCKED
       ),
       keys AS (DELETE FROM ${T('events')} e USING gone WHERE e.episode = gone.episode)
       DELETE FROM ${T('resolved_episodes')} r USING gone WHERE r.episode = gone.episode`,
      [retentionMs, batch],
    );
    return out;
  }

  /** The newest `limit` events, newest first, for /api/actions. */
  async recent(limit: number): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<{
      id: string;
      alert: AlertFields;
      state: EventState;
      reason: SkipReason | null;
      detail: string | null;
      attempts: number;
      accepted_at: Date;
      started_at: Date | null;
      finished_at: Date | null;
    }>(
      `SELECT id, alert, state, reason, detail, attempts, accepted_at, started_at, finished_at
         FROM ${T('events')} WHERE pruned_at IS NULL ORDER BY seq DESC LIMIT $1`,
      [limit],
    );
    return rows.map((r) =>
      toAuditEntry({
        id: r.id,
        alert: r.alert,
        state: r.state,
        ...(r.reason !== null ? { reason: r.reason } : {}),
        ...(r.detail !== null ? { detail: r.detail } : {}),
        attempts: r.attempts,
        acceptedAt: r.accepted_at.getTime(),
        ...(r.started_at !== null ? { startedAt: r.started_at.getTime() } : {}),
        ...(r.finished_at !== null ? { finishedAt: r.finished_at.getTime() } : {}),
      }),
    );
  }

  /** Events waiting to run, on every replica. */
  async queueDepth(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${T('events')} WHERE state = 'queued'`);
    return rows[0]!.n;
  }

  /** Tells every replica listening (`listen`) that there is queued work; delivered when it commits. */
  async notifyWork(): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [WORK_CHANNEL, this.replica]);
  }

  /**
   * Listens for `notifyWork` on a connection of its own (taken from the pool and kept). `onError`
   * hears once when the connection breaks; it is gone then, and a caller listens again. The
   * returned function stops listening and gives the connection back.
   */
  async listen(onWork: () => void, onError: (err: Error) => void): Promise<() => void> {
    const c = await this.pool.connect();
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      c.off('notification', onNotification);
      c.off('error', onClientError);
      c.release(err ?? true);
    };
    const onNotification = (msg: pg.Notification) => {
      if (msg.channel === WORK_CHANNEL) onWork();
    };
    const onClientError = (err: Error) => {
      finish(err);
      onError(err);
    };
    c.on('notification', onNotification);
    c.on('error', onClientError);
    try {
      await c.query(`LISTEN ${WORK_CHANNEL}`);
    } catch (err) {
      finish(err as Error);
      throw err;
    }
    // Released as broken (true) even when stopped cleanly: a connection that LISTENed is not reused.
    return () => finish();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
