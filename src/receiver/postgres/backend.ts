// The receiver on PostgreSQL: connects, migrates the schema, and serves through PgEngine.
import pg from 'pg';
import type { ResolvedRemediation } from '../../remediation/actions-file.js';
import { EnvironmentError } from '../../errors.js';
import type { ReceiverMetrics } from '../metrics.js';
import type { ReceiverBackend } from '../backend.js';
import { DEFAULT_SESSION_LIMITS, describeDatabase, describeDbError, poolConfig, type DatabaseOptions } from './connection.js';
import { PgEngine, replicaName } from './engine.js';
import { PgStore } from './store.js';
import { SchemaTooNew } from './schema.js';

/** The database could not be reached or prepared at start. */
export class DatabaseUnavailable extends EnvironmentError {
  override name = 'DatabaseUnavailable';
}

export interface PgBackendOptions {
  database: DatabaseOptions;
  remediations: readonly ResolvedRemediation[];
  metrics: ReceiverMetrics;
  dryRun: boolean;
  log: (line: string) => void;
  leaseMs?: number;
  retentionMs?: number;
  pruneEveryMs?: number;
  /** Connections this replica keeps open at most. */
  poolSize?: number;
}

/** How long /readyz waits for the database before calling the receiver not ready. */
const READY_TIMEOUT_MS = 2000;

export async function openPgBackend(o: PgBackendOptions): Promise<ReceiverBackend & { engine: PgEngine; replica: string }> {
  const leaseMs = o.leaseMs;
  // A replica frozen mid-transaction holds row locks; the server ends that transaction well
  // within a lease, so the others wait at most that long.
  const idle = leaseMs === undefined ? DEFAULT_SESSION_LIMITS.idleInTransactionTimeoutMs : Math.min(5000, Math.max(500, leaseMs / 2));
  const { config, target } = await poolConfig(o.database, {
    ...DEFAULT_SESSION_LIMITS,
    idleInTransactionTimeoutMs: idle,
    lockTimeoutMs: Math.min(DEFAULT_SESSION_LIMITS.lockTimeoutMs, idle * 2),
  });
  const where = describeDatabase(target);
  const replica = replicaName();
  const pool = new pg.Pool({ ...config, max: o.poolSize ?? 10 });
  const store = new PgStore({ replica, pool, log: o.log });
  let version: number;
  try {
    const m = await store.migrate();
    version = m.version;
    if (m.applied.length > 0) o.log(`database ${where}: applied schema migration(s) ${m.applied.join(', ')}`);
  } catch (err) {
    await pool.end().catch(() => {});
    if (err instanceof SchemaTooNew) throw new DatabaseUnavailable(`database ${where}: ${err.message}`);
    throw new DatabaseUnavailable(`cannot use the database ${where}: ${describeDbError(err, config.password as string | undefined)}`);
  }
  o.log(`event store: PostgreSQL ${where}, schema version ${version}, this replica ${replica}`);
  const engine = new PgEngine({
    remediations: o.remediations,
    store,
    metrics: o.metrics,
    dryRun: o.dryRun,
    log: o.log,
    ...(leaseMs !== undefined ? { leaseMs } : {}),
    ...(o.retentionMs !== undefined ? { retentionMs: o.retentionMs } : {}),
    ...(o.pruneEveryMs !== undefined ? { pruneEveryMs: o.pruneEveryMs } : {}),
  });
  return {
    engine,
    replica,
    accept: (alerts) => engine.accept(alerts),
    setRemediations: (next) => engine.setRemediations(next),
    ready: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
      });
      try {
        return await Promise.race([engine.ready(), late]);
      } finally {
        clearTimeout(timer);
      }
    },
    recent: (n) => engine.recent(n),
    queueDepth: () => engine.queueDepth(),
    start: () => engine.start(),
    shutdown: (ms) => engine.shutdown(ms),
    close: () => store.close(),
  };
}
