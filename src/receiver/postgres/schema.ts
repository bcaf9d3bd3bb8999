// The receiver's tables in PostgreSQL, created and migrated by the receiver itself at start.
//
// Every change is a numbered migration, applied once, in order, inside one transaction with its
// row in `schema_migrations`; replicas starting together take a transaction-level advisory lock
// first, so exactly one of them applies each migration and the others see it done. A database
// migrated by a newer receiver (a version this one does not know) is refused rather than used:
// an older receiver could misread tables it does not understand. docs/receiver-postgres.md
// describes the tables.
import type { ClientBase } from 'pg';

/** Where the tables live; created when missing (needs CREATE on the database). */
export const SCHEMA = 'sloforge';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'events, their audit log, guard rails and resolved episodes',
    sql: `
CREATE TABLE ${SCHEMA}.events (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  dedupe_key text NOT NULL UNIQUE,
  remediation text NOT NULL,
  status text NOT NULL,
  episode text NOT NULL,
  alert jsonb NOT NULL,
  accepted_at timestamptz NOT NULL,
  accepted_by text NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failure', 'dry-run', 'skipped')),
  reason text,
  detail text,
  attempts integer NOT NULL DEFAULT 0,
  interrupted boolean NOT NULL DEFAULT false,
  generation bigint NOT NULL DEFAULT 0,
  owner text,
  lease_until timestamptz,
  not_before timestamptz,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX events_queued ON ${SCHEMA}.events (seq) WHERE state = 'queued';
CREATE INDEX events_running ON ${SCHEMA}.events (remediation, lease_until) WHERE state = 'running';
CREATE INDEX events_episode ON ${SCHEMA}.events (episode);

CREATE TABLE ${SCHEMA}.event_log (
  seq bigserial PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES ${SCHEMA}.events (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  replica text NOT NULL,
  generation bigint NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX event_log_event ON ${SCHEMA}.event_log (event_id, seq);

CREATE TABLE ${SCHEMA}.guard (
  remediation text PRIMARY KEY,
  last_firing_start timestamptz
);

CREATE TABLE ${SCHEMA}.runs (
  remediation text NOT NULL,
  started_at timestamptz NOT NULL,
  event_id uuid NOT NULL
);
CREATE INDEX runs_recent ON ${SCHEMA}.runs (remediation, started_at);

CREATE TABLE ${SCHEMA}.resolved_episodes (
  episode text PRIMARY KEY,
  at timestamptz NOT NULL
);
`,
  },
  {
    version: 2,
    description: 'retention: pruned events kept as their dedupe keys; indexes for the pruning tick',
    sql: `
ALTER TABLE ${SCHEMA}.events ADD COLUMN pruned_at timestamptz;
CREATE INDEX events_prunable ON ${SCHEMA}.events (finished_at) WHERE pruned_at IS NULL AND finished_at IS NOT NULL;
CREATE INDEX runs_started ON ${SCHEMA}.runs (started_at);
CREATE INDEX resolved_episodes_at ON ${SCHEMA}.resolved_episodes (at);
`,
  },
];

/** The advisory lock key that serializes migrations (any constant; "sloforge" in ASCII). */
const MIGRATION_LOCK = 0x736c6f666f726765n;

export class SchemaTooNew extends Error {
  override name = 'SchemaTooNew';
}

export interface MigrateResult {
  /** Versions applied by this call, oldest first. */
  applied: number[];
  version: number;
}

/**
 * Brings the schema up to the newest migration. Each migration and its `schema_migrations` row
 * commit together, so a crash leaves either both or neither.
 */
export async function migrate(client: ClientBase, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrateResult> {
  const newest = migrations.at(-1)?.version ?? 0;
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (
         version integer PRIMARY KEY,
         description text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
       )`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${SCHEMA}.schema_migrations ORDER BY version`);
    const done = new Set(rows.map((r) => r.version));
    const unknown = rows.map((r) => r.version).filter((v) => v > newest);
    if (unknown.length > 0) {
      throw new SchemaTooNew(
        `the database's receiver schema is at version ${Math.max(...unknown)}, newer than this receiver knows (${newest}): run a receiver at least as new as the one that migrated it`,
      );
    }
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version, description) VALUES ($1, $2)`, [m.version, m.description]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  return { applied, version: newest };
}
