// The receiver's two stores for tests that prove the same guarantee on both: the file log of one
// process, and PostgreSQL (--database) on a throwaway cluster (test/helpers/postgres.ts). A test
// file calls `storesUnderTest()` (or `postgresStore()`) once at its top: the cluster starts at the
// first PostgreSQL test and is shared by the file's tests (a database each), and stops after the
// file. Unit test files use FILE_STORE alone: they run no external binary.
import { after } from 'node:test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { ReceiverOptions } from '../../src/receiver/server.js';
import { PG_PASSWORD, PgCluster } from '../helpers/postgres.js';

export type StoreName = 'file' | 'postgres';

/** One test's store: the flags and options that point a receiver at it, and what it recorded. */
export interface StoreInstance {
  readonly name: StoreName;
  /** Flags that replace `--data-dir` for a child receiver (the same store on every restart). */
  readonly args: string[];
  /** Options for a receiver in this process (over receiverOptions' dataDir). */
  readonly options: Partial<ReceiverOptions>;
  /** Every record written, oldest first (the log's lines, or the database's event_log). */
  records(): Promise<Array<Record<string, unknown>>>;
}

export interface StoreUnderTest {
  readonly name: StoreName;
  /** A fresh store for one test, its files (password, log) in `dir`. */
  open(env: { dir: string; dataDir: string }): Promise<StoreInstance>;
}

/** The lease PostgreSQL receivers get here: a takeover after a SIGKILL waits this long. */
export const TEST_LEASE_MS = 2000;

/** The file log of one process, in the test's data folder. */
export const FILE_STORE: StoreUnderTest = {
  name: 'file',
  open: async (env) => ({
    name: 'file',
    // A restart after SIGKILL waits for the dead process's lock to go stale: 2s, not 10s.
    args: ['--data-dir', env.dataDir, '--lock-stale', '2s'],
    options: {},
    records: async () =>
      (await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8'))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  }),
};

/** PostgreSQL: one cluster for the calling test file, started at its first use, stopped after the file. */
export function postgresStore(): StoreUnderTest {
  let cluster: Promise<PgCluster> | undefined;
  let databases = 0;
  after(async () => {
    if (cluster) await (await cluster).stop();
  });
  return {
    name: 'postgres',
    open: async (env) => {
      cluster ??= PgCluster.start();
      const c = await cluster;
      const url = await c.createDatabase(`t${++databases}_${process.pid}`);
      const passwordFile = path.join(env.dir, 'db-password');
      await writeFile(passwordFile, `${PG_PASSWORD}\n`, { mode: 0o600 });
      const withoutPassword = url.replace(`:${PG_PASSWORD}@`, '@');
      return {
        name: 'postgres',
        args: ['--database', withoutPassword, '--database-password-file', passwordFile, '--lease', `${TEST_LEASE_MS / 1000}s`],
        options: { database: { url: withoutPassword, passwordFile, leaseMs: TEST_LEASE_MS } },
        records: async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            const { rows } = await client.query<{ record: Record<string, unknown>; event_id: string }>(
              'SELECT event_id, record FROM sloforge.event_log ORDER BY seq',
            );
            return rows.map((r) => ({ id: r.event_id, ...r.record }));
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}

/** Both stores; call once at the top of a test file. */
export function storesUnderTest(): StoreUnderTest[] {
  return [FILE_STORE, postgresStore()];
}
