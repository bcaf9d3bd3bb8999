// `sloforge receiver`: runs until SIGTERM or SIGINT, then shuts down gracefully: stops
// accepting, lets running actions finish for up to --shutdown-grace, closes the log and returns,
// so the process exits 0. The command's action returns only after shutdown, so the CLI's main()
// keeps the process alive meanwhile.
// SIGHUP re-reads the token and actions files, so a token can be rotated and a remediation changed without a restart.
import { readFile, stat } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { UserError } from '../errors.js';
import { actionsFile } from '../remediation/actions-file.js';
import { MIN_TOKEN_LENGTH, parseTokens } from './auth.js';
import { payloadProblems } from './payload.js';
import { StartAborted, startReceiver, type Receiver, type ReceiverOptions } from './server.js';
import { SSL_MODES, poolConfig, type SslMode } from './postgres/connection.js';
import { DEFAULT_LEASE_MS, DEFAULT_RETENTION_MS, MIN_LEASE_MS, MIN_RETENTION_MS } from './postgres/engine.js';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './limits.js';
import { stderrLog } from './log-line.js';
import { DataDirFull, DataDirInUse, LOCK_STALE_MS, MIN_LOCK_STALE_MS } from './store/lock.js';
import { formatDuration, parseDuration } from '../config/duration.js';

/** How long a receiver that lost its data folder keeps answering 503 before it exits. */
const LOCK_LOST_DRAIN_MS = 1000;

interface ReceiverFlags {
  actions?: string;
  tokenFile?: string;
  dataDir?: string;
  database?: string;
  databasePasswordFile?: string;
  databaseSslmode?: string;
  databaseCaFile?: string;
  lease: string;
  retention: string;
  host: string;
  port: string;
  dryRun?: boolean | string;
  lockStale: string;
  shutdownGrace: string;
}

async function readUserFile(file: string, what: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the ${what} (${flag}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** What is weak about a token file: who else may read it, and tokens short enough to guess. */
async function tokenWarnings(file: string, tokens: readonly string[]): Promise<string[]> {
  const warnings: string[] = [];
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const who = [(mode & 0o070) !== 0 ? 'its group' : '', (mode & 0o007) !== 0 ? 'every user' : ''].filter(Boolean).join(' and ');
    warnings.push(
      `${file}: the token file (--token-file) is readable by ${who} (mode 0${mode.toString(8)}); make it readable by the receiver's user only (chmod 600)`,
    );
  }
  const short = tokens.filter((t) => t.length < MIN_TOKEN_LENGTH).length;
  if (short > 0) {
    warnings.push(
      `${file}: ${short} token(s) in the token file (--token-file) are shorter than ${MIN_TOKEN_LENGTH} characters and could be guessed; use long random ones (openssl rand -hex 32)`,
    );
  }
  return warnings;
}

function parseBool(value: boolean | string | undefined, name: string): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(v)) return false;
  throw new UserError(`${name}: expected true or false, got ${JSON.stringify(value)}`);
}

function required<T>(value: T | undefined, flag: string, env: string): T {
  if (value === undefined || value === '') throw new UserError(`receiver: ${flag} is required (or set ${env})`);
  return value;
}

async function runReceiver(flags: ReceiverFlags): Promise<void> {
  const actionsPath = required(flags.actions, '--actions FILE', 'SLOFORGE_RECEIVER_ACTIONS');
  const tokenPath = required(flags.tokenFile, '--token-file FILE', 'SLOFORGE_RECEIVER_TOKEN_FILE');
  if (flags.dataDir !== undefined && flags.database !== undefined) {
    throw new UserError(
      'receiver: --data-dir (SLOFORGE_RECEIVER_DATA_DIR) and --database (SLOFORGE_DATABASE_URL) both given: the events live in one of them',
    );
  }
  const database = flags.database !== undefined && flags.database !== '' ? await databaseOptions(flags) : undefined;
  const dataDir = database ? undefined : required(flags.dataDir, '--data-dir DIR (or --database URL)', 'SLOFORGE_RECEIVER_DATA_DIR');
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port / SLOFORGE_RECEIVER_PORT: not a port number: ${JSON.stringify(flags.port)}`);
  // The flag sets true; the environment variable is read as a boolean so "false" means false.
  const dryRun = flags.dryRun === true || parseBool(process.env.SLOFORGE_RECEIVER_DRY_RUN, 'SLOFORGE_RECEIVER_DRY_RUN');
  const lockStaleMs = parseDuration(flags.lockStale);
  if (lockStaleMs === undefined || lockStaleMs < MIN_LOCK_STALE_MS) {
    throw new UserError(
      `--lock-stale / SLOFORGE_RECEIVER_LOCK_STALE: expected a duration of at least 2s, got ${JSON.stringify(flags.lockStale)}`,
    );
  }
  const shutdownGraceMs = parseDuration(flags.shutdownGrace);
  if (shutdownGraceMs === undefined) {
    throw new UserError(
      `--shutdown-grace / SLOFORGE_RECEIVER_SHUTDOWN_GRACE: expected a duration such as 25s, got ${JSON.stringify(flags.shutdownGrace)}`,
    );
  }

  const readActions = async () => {
    let json: unknown;
    try {
      json = JSON.parse(await readUserFile(actionsPath, 'actions file', '--actions'));
    } catch (err) {
      if (err instanceof UserError) throw err;
      throw new UserError(`${actionsPath}: not JSON (expected generated/remediation/actions.json)`);
    }
    const parsed = actionsFile.safeParse(json);
    if (!parsed.success) throw new UserError(`${actionsPath}: not a sloforge actions file: ${payloadProblems(parsed.error).join('; ')}`);
    return parsed.data.remediations;
  };
  const remediations = await readActions();
  const readTokens = async () => {
    const tokens = parseTokens(await readUserFile(tokenPath, 'token file', '--token-file'));
    if (tokens.length === 0) throw new UserError(`${tokenPath}: the token file is empty (--token-file)`);
    for (const warning of await tokenWarnings(tokenPath, tokens)) stderrLog(`warning: ${warning}`);
    return tokens;
  };
  const tokens = await readTokens();
  const say = stderrLog;

  // The handlers go in before the log is replayed (a long start must survive SIGHUP and stop
  // cleanly on SIGTERM) and stay for the life of the process. A handler that removed itself
  // would leave the signal to the exit hooks of execa and the lock library, which then re-send
  // it to the process and kill it mid-shutdown, running commands included.
  const stopping = new AbortController();
  let receiver: Receiver | undefined;
  let reloadAfterStart = false;
  const reload = () => {
    // A bad new file keeps the old tokens: locking Alertmanager out is worse than a late rotation.
    readTokens().then(
      (next) => {
        receiver?.setTokens(next);
        say(`SIGHUP: reloaded ${next.length} token(s) from ${tokenPath}`);
      },
      (err: Error) => say(`SIGHUP: kept the current tokens: ${err.message}`),
    );
    // Each file on its own: a broken actions file keeps the remediations in force, and the tokens still rotate.
    readActions().then(
      (next) => {
        receiver?.setRemediations(next);
        say(`SIGHUP: reloaded ${next.length} remediation(s) from ${actionsPath}`);
      },
      (err: Error) => say(`SIGHUP: kept the current remediations: ${err.message}`),
    );
  };
  const onHup = () => {
    if (receiver) reload();
    else if (!reloadAfterStart) {
      reloadAfterStart = true;
      say('SIGHUP during the start: the token and actions files are read again once the event log is replayed');
    }
  };
  const stop = (signal: string) => {
    if (stopping.signal.aborted) {
      say(`${signal}: already shutting down`);
      return;
    }
    say(`${signal}: shutting down${receiver ? '' : ' (during the start)'}`);
    stopping.abort();
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGHUP', onHup);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);

  try {
    receiver = await startReceiver({
      remediations,
      tokens,
      ...(dataDir !== undefined ? { dataDir } : {}),
      ...(database ? { database } : {}),
      host: flags.host,
      port,
      dryRun,
      lockStaleMs,
      shutdownMs: shutdownGraceMs,
      signal: stopping.signal,
      // Another receiver owns the log now. The store already refuses every write, so for a moment
      // every request is answered 503 (those that queued up while this process stalled included;
      // Alertmanager retries them, at the new owner), then this one stops. Its running actions are
      // aborted at once, not drained: their results can no longer be logged, and the new owner
      // audits them as interrupted.
      onLockLost: () => {
        if (!receiver) process.exit(1);
        setTimeout(() => void receiver!.close(0).finally(() => process.exit(1)), LOCK_LOST_DRAIN_MS);
      },
    });
  } catch (err) {
    if (err instanceof StartAborted) {
      say('stopped');
      return;
    }
    if (err instanceof DataDirInUse || err instanceof DataDirFull) throw new UserError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL')
      throw new UserError(`cannot listen on ${flags.host}:${port}: ${e.code}`);
    if (dataDir !== undefined && e.code !== undefined && e.syscall !== undefined)
      throw new UserError(`${dataDir}: cannot use the data folder (--data-dir): ${e.code}`);
    throw err;
  }
  if (reloadAfterStart) reload();
  if (!stopping.signal.aborted) await new Promise((resolve) => stopping.signal.addEventListener('abort', resolve, { once: true }));
  await receiver.close();
}

async function databaseOptions(flags: ReceiverFlags): Promise<NonNullable<ReceiverOptions['database']>> {
  const sslMode = flags.databaseSslmode;
  if (sslMode !== undefined && !(SSL_MODES as readonly string[]).includes(sslMode)) {
    throw new UserError(
      `--database-sslmode / SLOFORGE_DATABASE_SSLMODE: expected one of ${SSL_MODES.join(', ')}, got ${JSON.stringify(sslMode)}`,
    );
  }
  const leaseMs = parseDuration(flags.lease);
  if (leaseMs === undefined || leaseMs < MIN_LEASE_MS) {
    throw new UserError(`--lease / SLOFORGE_RECEIVER_LEASE: expected a duration of at least 1s, got ${JSON.stringify(flags.lease)}`);
  }
  const retentionMs = parseDuration(flags.retention);
  if (retentionMs === undefined || retentionMs < MIN_RETENTION_MS) {
    throw new UserError(
      `--retention / SLOFORGE_RECEIVER_RETENTION: expected a duration of at least 1h, got ${JSON.stringify(flags.retention)}`,
    );
  }
  const opts = {
    url: flags.database!,
    leaseMs,
    retentionMs,
    ...(flags.databasePasswordFile !== undefined ? { passwordFile: flags.databasePasswordFile } : {}),
    ...(sslMode !== undefined ? { sslMode: sslMode as SslMode } : {}),
    ...(flags.databaseCaFile !== undefined ? { caFile: flags.databaseCaFile } : {}),
  };
  // Checked now, so a bad URL or an unreadable file is a user error before anything starts.
  await poolConfig(opts);
  return opts;
}

export function registerReceiverCommand(program: Command): void {
  program
    .command('receiver')
    .description('serve the remediation webhook for Alertmanager (POST /alerts) and run the actions it names')
    .addOption(
      new Option('--actions <file>', 'the actions file `generate` writes (generated/remediation/actions.json)').env(
        'SLOFORGE_RECEIVER_ACTIONS',
      ),
    )
    .addOption(new Option('--token-file <file>', 'file of accepted Bearer tokens, one per line').env('SLOFORGE_RECEIVER_TOKEN_FILE'))
    .addOption(new Option('--data-dir <dir>', 'folder for the durable event log').env('SLOFORGE_RECEIVER_DATA_DIR'))
    .addOption(
      new Option(
        '--database <url>',
        'keep events in PostgreSQL (postgres://USER@HOST:PORT/DATABASE) instead of --data-dir, so several replicas can share them',
      ).env('SLOFORGE_DATABASE_URL'),
    )
    .addOption(
      new Option('--database-password-file <file>', "file holding the database user's password").env('SLOFORGE_DATABASE_PASSWORD_FILE'),
    )
    .addOption(
      new Option(
        '--database-sslmode <mode>',
        `TLS to the database: ${SSL_MODES.join(', ')} (default: the URL's sslmode, else disable)`,
      ).env('SLOFORGE_DATABASE_SSLMODE'),
    )
    .addOption(
      new Option('--database-ca-file <file>', "PEM file of the CA that signed the database server's certificate").env(
        'SLOFORGE_DATABASE_CA_FILE',
      ),
    )
    .addOption(
      new Option(
        '--lease <duration>',
        "with --database: how long a replica's claim on a running action lasts unrenewed before another replica audits it as interrupted",
      )
        .env('SLOFORGE_RECEIVER_LEASE')
        .default(formatDuration(DEFAULT_LEASE_MS)),
    )
    .addOption(
      new Option(
        '--retention <duration>',
        'with --database: how long finished events stay in the audit trail before they are pruned to their dedupe keys',
      )
        .env('SLOFORGE_RECEIVER_RETENTION')
        .default(formatDuration(DEFAULT_RETENTION_MS)),
    )
    .addOption(new Option('--host <host>', 'address to listen on').env('SLOFORGE_RECEIVER_HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port to listen on').env('SLOFORGE_RECEIVER_PORT').default('9095'))
    .addOption(new Option('--dry-run', 'record what each action would do without doing it (env SLOFORGE_RECEIVER_DRY_RUN=true)'))
    .addOption(
      new Option(
        '--lock-stale <duration>',
        "how long a crashed receiver's data-folder lock holds before a new one takes it over (a restart after a crash waits this long)",
      )
        .env('SLOFORGE_RECEIVER_LOCK_STALE')
        .default(formatDuration(LOCK_STALE_MS)),
    )
    .addOption(
      new Option(
        '--shutdown-grace <duration>',
        "on SIGTERM or SIGINT, how long running actions may finish before they are aborted (keep it below the pod's terminationGracePeriodSeconds)",
      )
        .env('SLOFORGE_RECEIVER_SHUTDOWN_GRACE')
        .default(formatDuration(DEFAULT_SHUTDOWN_GRACE_MS)),
    )
    .action(async (flags: ReceiverFlags) => {
      await runReceiver(flags);
    });
}
