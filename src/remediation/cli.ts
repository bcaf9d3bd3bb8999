// `sloforge receiver`: runs until SIGTERM or SIGINT, then shuts down gracefully. The command's
// action returns only after shutdown, so the CLI's main() keeps the process alive meanwhile.
// SIGHUP re-reads the token file, so a token can be rotated without a restart.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { UserError } from '../config/errors.js';
import { actionsFile } from './actions-file.js';
import { parseTokens } from './auth.js';
import { payloadProblems } from './payload.js';
import { startReceiver } from './server.js';
import { DataDirFull, DataDirInUse, LOCK_STALE_MS, MIN_LOCK_STALE_MS } from './lock.js';
import { formatDuration, parseDuration } from '../config/duration.js';

/** How long a receiver that lost its data folder keeps answering 503 before it exits. */
const LOCK_LOST_DRAIN_MS = 1000;

interface ReceiverFlags {
  actions?: string;
  tokenFile?: string;
  dataDir?: string;
  host: string;
  port: string;
  dryRun?: boolean | string;
  lockStale: string;
}

async function readUserFile(file: string, what: string, flag: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the ${what} (${flag}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
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
  const dataDir = required(flags.dataDir, '--data-dir DIR', 'SLOFORGE_RECEIVER_DATA_DIR');
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port / SLOFORGE_RECEIVER_PORT: not a port number: ${JSON.stringify(flags.port)}`);
  // The flag sets true; the environment variable is read as a boolean so "false" means false.
  const dryRun = flags.dryRun === true || parseBool(process.env.SLOFORGE_RECEIVER_DRY_RUN, 'SLOFORGE_RECEIVER_DRY_RUN');
  const lockStaleMs = parseDuration(flags.lockStale);
  if (lockStaleMs === undefined || lockStaleMs < MIN_LOCK_STALE_MS) {
    throw new UserError(`--lock-stale / SLOFORGE_RECEIVER_LOCK_STALE: expected a duration of at least 2s, got ${JSON.stringify(flags.lockStale)}`);
  }

  let json: unknown;
  try {
    json = JSON.parse(await readUserFile(actionsPath, 'actions file', '--actions'));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${actionsPath}: not JSON (expected generated/remediation/actions.json)`);
  }
  const parsed = actionsFile.safeParse(json);
  if (!parsed.success) throw new UserError(`${actionsPath}: not a sloforge actions file: ${payloadProblems(parsed.error).join('; ')}`);
  const readTokens = async () => {
    const tokens = parseTokens(await readUserFile(tokenPath, 'token file', '--token-file'));
    if (tokens.length === 0) throw new UserError(`${tokenPath}: the token file is empty (--token-file)`);
    return tokens;
  };
  const tokens = await readTokens();
  const say = (line: string) => process.stderr.write(`sloforge receiver: ${line}\n`);

  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  try {
    receiver = await startReceiver({
      remediations: parsed.data.remediations, tokens, dataDir, host: flags.host, port, dryRun, lockStaleMs,
      // Another receiver owns the log now. The store already refuses every write, so for a moment
      // every request is answered 503 (those that queued up while this process stalled included;
      // Alertmanager retries them, at the new owner), then this one stops.
      onLockLost: () => {
        if (!receiver) process.exit(1);
        setTimeout(() => void receiver!.close().finally(() => process.exit(1)), LOCK_LOST_DRAIN_MS);
      },
    });
  } catch (err) {
    if (err instanceof DataDirInUse || err instanceof DataDirFull) throw new UserError(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen on ${flags.host}:${port}: ${e.code}`);
    if (e.code !== undefined && e.syscall !== undefined) throw new UserError(`${dataDir}: cannot use the data folder (--data-dir): ${e.code}`);
    throw err;
  }
  const onHup = () => {
    // A bad new file keeps the old tokens: locking Alertmanager out is worse than a late rotation.
    readTokens().then(
      (next) => { receiver.setTokens(next); say(`SIGHUP: reloaded ${next.length} token(s) from ${tokenPath}`); },
      (err: Error) => say(`SIGHUP: kept the current tokens: ${err.message}`),
    );
  };
  process.on('SIGHUP', onHup);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      process.off('SIGHUP', onHup);
      say(`${signal}: shutting down`);
      void receiver.close().then(resolve, resolve);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}

export function registerReceiverCommand(program: Command): void {
  program
    .command('receiver')
    .description('serve the remediation webhook for Alertmanager (POST /alerts) and run the actions it names')
    .addOption(new Option('--actions <file>', 'the actions file `generate` writes (generated/remediation/actions.json)').env('SLOFORGE_RECEIVER_ACTIONS'))
    .addOption(new Option('--token-file <file>', 'file of accepted Bearer tokens, one per line').env('SLOFORGE_RECEIVER_TOKEN_FILE'))
    .addOption(new Option('--data-dir <dir>', 'folder for the durable event log').env('SLOFORGE_RECEIVER_DATA_DIR'))
    .addOption(new Option('--host <host>', 'address to listen on').env('SLOFORGE_RECEIVER_HOST').default('127.0.0.1'))
    .addOption(new Option('--port <port>', 'port to listen on').env('SLOFORGE_RECEIVER_PORT').default('9095'))
    .addOption(new Option('--dry-run', 'record what each action would do without doing it (env SLOFORGE_RECEIVER_DRY_RUN=true)'))
    .addOption(new Option('--lock-stale <duration>', 'how long a crashed receiver\'s data-folder lock holds before a new one takes it over (a restart after a crash waits this long)').env('SLOFORGE_RECEIVER_LOCK_STALE').default(formatDuration(LOCK_STALE_MS)))
    .action(async (flags: ReceiverFlags) => {
      await runReceiver(flags);
    });
}
