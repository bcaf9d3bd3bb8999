// How the receiver reaches PostgreSQL: the URL (--database or SLOFORGE_DATABASE_URL), the
// password from a file (so it is in neither the URL, the process list nor the environment), and
// TLS (--database-sslmode, --database-ca-file), turned into the `pg` pool's settings.
//
// The URL may hold a password, so no message here or anywhere else repeats it: errors name the
// flag, and logs print `describeDatabase`, which leaves the password out.
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import type { PoolConfig } from 'pg';
import { UserError } from '../../errors.js';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface DatabaseOptions {
  url: string;
  /** A file holding the password (its trailing newline is dropped); overrides one in the URL. */
  passwordFile?: string;
  /** Default: the URL's `sslmode`, else disable. */
  sslMode?: SslMode;
  /** PEM file of the CA that signed the server's certificate (verify-ca, verify-full). */
  caFile?: string;
}

export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslMode: SslMode;
}

/** Seconds a silent server has before a query fails, and timeouts the server enforces per session. */
export interface SessionLimits {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /**
   * A transaction left open this long is ended by the server, its locks released: a replica
   * frozen mid-transaction (SIGSTOP, a paused VM) must not hold the others up.
   */
  idleInTransactionTimeoutMs: number;
  lockTimeoutMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  connectTimeoutMs: 5000,
  statementTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 5000,
  lockTimeoutMs: 5000,
};

const FLAG = '--database / SLOFORGE_DATABASE_URL';

function isSslMode(v: string): v is SslMode {
  return (SSL_MODES as readonly string[]).includes(v);
}

/** The parts of the URL, checked; the message of a bad URL never repeats it (it may hold a password). */
export function parseDatabaseUrl(url: string): { target: Omit<DatabaseTarget, 'sslMode'>; password?: string; sslMode?: SslMode } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`${FLAG}: not a URL (expected postgres://USER@HOST:PORT/DATABASE)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new UserError(`${FLAG}: expected a postgres:// or postgresql:// URL, got a ${u.protocol.replace(/:$/, '')}: one`);
  }
  const params = new Set(u.searchParams.keys());
  for (const p of params) {
    if (p !== 'sslmode' && p !== 'host') {
      throw new UserError(`${FLAG}: unsupported URL parameter "${p}" (sslmode and host are; TLS files have their own flags)`);
    }
  }
  const sslmode = u.searchParams.get('sslmode') ?? undefined;
  if (sslmode !== undefined && !isSslMode(sslmode)) {
    throw new UserError(`${FLAG}: sslmode must be one of ${SSL_MODES.join(', ')}`);
  }
  // `?host=/run/postgresql` names a unix socket folder, as libpq reads it.
  const host = u.searchParams.get('host') ?? decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  if (host === '') throw new UserError(`${FLAG}: the URL names no host`);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(u.username);
  if (user === '') throw new UserError(`${FLAG}: the URL names no user (postgres://USER@HOST/DATABASE)`);
  const port = u.port === '' ? 5432 : Number(u.port);
  return {
    target: { host, port, database: database === '' ? user : database, user },
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    ...(sslmode !== undefined ? { sslMode: sslmode } : {}),
  };
}

/** What logs and errors may say about the database: no password. */
export function describeDatabase(t: DatabaseTarget): string {
  const host = t.host.startsWith('/') ? `socket ${t.host}` : `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`;
  return `postgres://${t.user}@${host}/${t.database} (sslmode ${t.sslMode})`;
}

async function readSecretFile(file: string, what: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the ${what} (${flag}): ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/** The pool settings for `opts`, with files read; throws a UserError naming the flag on bad input. */
export async function poolConfig(
  opts: DatabaseOptions,
  limits: SessionLimits = DEFAULT_SESSION_LIMITS,
): Promise<{ config: PoolConfig; target: DatabaseTarget }> {
  const parsed = parseDatabaseUrl(opts.url);
  let password = parsed.password;
  if (opts.passwordFile !== undefined) {
    password = (await readSecretFile(opts.passwordFile, 'database password', '--database-password-file')).replace(/\r?\n$/, '');
    if (password === '') throw new UserError(`${opts.passwordFile}: the database password file is empty (--database-password-file)`);
  }
  const sslMode = opts.sslMode ?? parsed.sslMode ?? 'disable';
  if (opts.caFile !== undefined && (sslMode === 'disable' || sslMode === 'require')) {
    throw new UserError(
      `--database-ca-file: a CA is only used to verify the server; set --database-sslmode verify-full (or verify-ca), not ${sslMode}`,
    );
  }
  let ssl: ConnectionOptions | false = false;
  if (sslMode !== 'disable') {
    const ca = opts.caFile !== undefined ? await readSecretFile(opts.caFile, 'database CA certificate', '--database-ca-file') : undefined;
    ssl = {
      // require: encrypted, the server not verified (libpq's meaning of the mode).
      rejectUnauthorized: sslMode !== 'require',
      ...(ca !== undefined ? { ca } : {}),
      // verify-ca: the chain is checked, the host name is not.
      ...(sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
    };
  }
  const target: DatabaseTarget = { ...parsed.target, sslMode };
  return {
    target,
    config: {
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      ...(password !== undefined ? { password } : {}),
      ssl,
      application_name: 'sloforge-receiver',
      connectionTimeoutMillis: limits.connectTimeoutMs,
      statement_timeout: limits.statementTimeoutMs,
      query_timeout: limits.statementTimeoutMs + 2000,
      lock_timeout: limits.lockTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      keepAlive: true,
    },
  };
}

/**
 * A database error as one line for logs and 503 reasons: its SQLSTATE and message, with the
 * password cut out should a driver ever put it there.
 */
export function describeDbError(err: unknown, password?: string): string {
  const e = err as { code?: unknown; message?: unknown };
  let text = typeof e.message === 'string' ? e.message : String(err);
  if (typeof e.code === 'string' && !text.includes(e.code)) text = `${text} (${e.code})`;
  if (password !== undefined && password !== '') text = text.split(password).join('***');
  return text.replace(/postgres(?:ql)?:\/\/[^\s@/]*:[^\s@/]*@/g, 'postgres://***@');
}
