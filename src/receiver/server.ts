// The receiver's HTTP side: routes, authentication, body limits, the event log's upkeep and
// graceful shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { http } from '../node-http.js';
import type { AddressInfo, Socket } from 'node:net';
import type { ResolvedRemediation } from '../remediation/actions-file.js';
import { TokenAuth } from './auth.js';
import { Engine, PersistError } from './engine.js';
import { ReceiverMetrics, type RequestOutcome } from './metrics.js';
import { payloadProblems, webhookPayload } from './payload.js';
import { someOf } from '../list-text.js';
import { LogStore } from './store/log-store.js';
import type { OpenFile } from './store/log-file.js';
import type { BadLine, Store } from './store/types.js';
import { Compactor, compactionPolicy } from './store/compact.js';
import { ConnectionSlots } from './connection-slots.js';
import { BodyParser, ParserBusy } from './body-parser.js';
import { DEFAULT_BODY_LIMIT, DEFAULT_MAX_CONNECTIONS, DEFAULT_SHUTDOWN_GRACE_MS, DISCARD_LIMIT, KEEP_ALIVE_TIMEOUT_MS } from './limits.js';
import { LogLimiter } from './log-limiter.js';
import { stderrLog } from './log-line.js';
import type { ReceiverBackend } from './backend.js';
import type { DatabaseOptions } from './postgres/connection.js';

export { DEFAULT_BODY_LIMIT } from './limits.js';
const AUDIT_SIZE = 1000;

export interface CompactionOptions {
  /** How often to check whether the log needs compacting. */
  checkMs: number;
  /** Compact once this much was appended since the last compaction... */
  bytes: number;
  /** ...or this long after it, so events age out of a quiet log too. */
  intervalMs: number;
}
export const DEFAULT_COMPACTION: CompactionOptions = { checkMs: 60_000, bytes: 16 * 1024 * 1024, intervalMs: 3_600_000 };

export interface ReceiverOptions {
  remediations: readonly ResolvedRemediation[];
  tokens: readonly string[];
  /** The event log's folder (one process); or `database` (PostgreSQL, any number of replicas). */
  dataDir?: string;
  database?: DatabaseOptions & {
    /** How long a claim on an action lasts without renewal before another replica may end it. */
    leaseMs?: number;
    /** Finished events older than this are pruned to their dedupe keys (default a week). */
    retentionMs?: number;
    /** How often each replica prunes (default 10 minutes; a test seam). */
    pruneEveryMs?: number;
  };
  host: string;
  port: number;
  dryRun: boolean;
  bodyLimit?: number;
  /** How long a shutdown lets running actions finish before aborting them. */
  shutdownMs?: number;
  /** Aborted (SIGTERM during the start): replay stops, the lock is released, StartAborted is thrown. */
  signal?: AbortSignal;
  /** Time allowed for a request's headers, and for the whole request (body included). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxConnections?: number;
  /** Bodies of this size and over are parsed off the event loop (test seam; BODY_WORKER_BYTES). */
  bodyWorkerBytes?: number;
  compaction?: Partial<CompactionOptions>;
  log?: (line: string) => void;
  /** Another process took the data folder over; the CLI exits. The receiver already refuses writes. */
  onLockLost?: (err: Error) => void;
  lockStaleMs?: number;
  lockWaitMs?: number;
  /** Wraps the opened store; tests use it to inject persistence failures. */
  wrapStore?: (store: Store) => Store;
  /** Test seam: how the log files are opened (to inject short writes and ENOSPC). */
  openFile?: OpenFile;
}

export interface Receiver {
  url: string;
  metrics: ReceiverMetrics;
  /** Replaces the accepted tokens (SIGHUP in the CLI). */
  setTokens(tokens: readonly string[]): void;
  /** Replaces the remediations (SIGHUP in the CLI): new alerts and queued ones use them; running actions finish as they started. */
  setRemediations(remediations: readonly ResolvedRemediation[]): void;
  /** Large bodies waiting to be parsed or being parsed off the event loop. */
  readonly bodiesParsing: number;
  /** Stops accepting, lets running actions finish up to the deadline, closes the store. Idempotent. */
  /** Stops accepting, lets running actions finish within `shutdownMs` (default: the configured grace), then aborts them. */
  close(shutdownMs?: number): Promise<void>;
}

/** The start was called off through `signal` before the receiver listened; nothing was changed. */
export class StartAborted extends Error {
  override name = 'StartAborted';
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: RequestOutcome,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, end = true): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  if (end) res.end(text);
  else res.write(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, 'too_large', `body larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  // Refused before a byte of the body is read; the error answer then drains it.
  if (declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    // A client that hangs up mid-body: nobody is left to answer, but the outcome is counted.
    const hungUp = () => {
      if (!failed && !req.complete) reject(new HttpError(400, 'bad_request', 'body ended early'));
    };
    req.on('error', hungUp);
    req.on('close', hungUp);
  });
}

/**
 * Answers an error while the client may still be sending its body. The whole answer goes out
 * at once, but the connection stays open while the rest of the body is read and thrown away
 * (up to DISCARD_LIMIT): closing with unread data makes the kernel send a reset, and a client
 * that writes its whole body before reading would see that reset instead of the answer.
 */
function answerEarly(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  bodyComing: boolean,
): void {
  if (req.socket.destroyed) return;
  if (!bodyComing || req.readableEnded) {
    send(res, status, body, { ...headers, ...(bodyComing ? {} : { connection: 'close' }) });
    return;
  }
  send(res, status, body, { ...headers, connection: 'close' }, false);
  let discarded = 0;
  const done = () => {
    if (!res.writableEnded) res.end();
  };
  req.on('data', (c: Buffer) => {
    discarded += c.length;
    if (discarded > DISCARD_LIMIT) req.socket.destroy();
  });
  req.on('end', done);
  req.on('close', done);
  req.resume();
}

/** One log line for the lines replay could not use, naming each (the first 50 by number, 20 in detail). */
function reportBadLines(file: string, bad: readonly BadLine[], log: (line: string) => void): void {
  if (bad.length === 0) return;
  const listed = someOf(
    bad.map((b) => String(b.line)),
    ', ',
    50,
  );
  log(
    `event log ${file}: skipped ${bad.length} unreadable line${bad.length === 1 ? '' : 's'}: line${bad.length === 1 ? '' : 's'} ${listed}`,
  );
  for (const b of bad.slice(0, 20)) log(`  line ${b.line}: ${b.problem}`);
}

/** The file log of one process as the receiver's backend: replayed into the engine, compacted while it serves. */
async function openFileBackend(
  opts: ReceiverOptions & { dataDir: string },
  metrics: ReceiverMetrics,
  log: (line: string) => void,
  limited: LogLimiter,
): Promise<ReceiverBackend> {
  let store: Store | undefined;
  // The engine is fed while the log streams in, before the store is handed over.
  const engine = new Engine({
    remediations: opts.remediations,
    store: { append: (records) => store!.append(records), close: () => store!.close() },
    metrics,
    dryRun: opts.dryRun,
    log,
    auditSize: AUDIT_SIZE,
  });
  let ready = false;
  const opened = await LogStore.open(opts.dataDir, {
    onRecord: (r, line) => {
      // Thrown out of replay: the store closes the log and releases the lock on its way out.
      if (opts.signal?.aborted) throw new StartAborted('stopped during the start');
      engine.replayRecord(r, line);
    },
    onBadLine: (b) => engine.replayBadLine(b),
    onLockLost: (err) => {
      ready = false;
      log(
        `lost the lock on the data folder ${opts.dataDir} (${err.message}): another receiver took it over; not writing to the event log any more`,
      );
      opts.onLockLost?.(err);
    },
    log,
    ...(opts.lockStaleMs !== undefined ? { lockStaleMs: opts.lockStaleMs } : {}),
    ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}),
    ...(opts.openFile ? { openFile: opts.openFile } : {}),
  });
  const logStore = opened.store;
  if (opts.signal?.aborted) {
    await logStore.close();
    throw new StartAborted('stopped during the start');
  }
  store = opts.wrapStore ? opts.wrapStore(logStore) : logStore;
  const bad = [...opened.report.bad, ...engine.finishReplay()].sort((a, b) => a.line - b.line);
  metrics.logSkippedLines.set(bad.length);
  metrics.logBytes.set(logStore.size);
  reportBadLines(logStore.file, bad, log);

  // Compaction: once at start (after the records that settle unreadable lines are written), then
  // whenever the log grew by `bytes` or `intervalMs` passed.
  const compaction = { ...DEFAULT_COMPACTION, ...opts.compaction };
  let lastCompaction = Date.now();
  let compacting: Promise<void> | undefined;
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const compact = (why: string): Promise<void> => {
    compacting ??= logStore
      .compact(new Compactor(compactionPolicy(Date.now(), engine.longestCooldownMs, AUDIT_SIZE)))
      .then(
        (r) => {
          metrics.compactions.inc({ result: r ? 'compacted' : 'unchanged' });
          if (r) log(`compacted the event log (${why}): ${r.before} to ${r.after} bytes; long-finished events kept as their dedupe keys`);
        },
        (err: Error) => {
          metrics.compactions.inc({ result: 'failed' });
          limited.line('compaction', `could not compact the event log (${err.message}); it stays as it was`);
        },
      )
      .finally(() => {
        compacting = undefined;
        lastCompaction = Date.now();
        metrics.logBytes.set(logStore.size);
      });
    return compacting;
  };
  return {
    accept: (alerts) => engine.accept(alerts),
    ready: () => Promise.resolve(ready),
    recent: (n) => Promise.resolve(engine.recent(n)),
    queueDepth: () => Promise.resolve(engine.queueDepth),
    setRemediations: (next) => engine.setRemediations(next),
    start: () => {
      const startupWritten = engine.start();
      ready = true;
      void startupWritten.then((ok) => {
        settled = ok;
        if (ok) void compact('at start');
        else log('not compacting the event log until a restart: the records that account for its unreadable lines could not be written');
      });
      timer = setInterval(() => {
        metrics.logBytes.set(logStore.size);
        if (!settled || compacting) return;
        if (logStore.appendedSinceCompaction >= compaction.bytes) void compact(`${logStore.appendedSinceCompaction} bytes appended`);
        else if (Date.now() - lastCompaction >= compaction.intervalMs) void compact('periodic');
      }, compaction.checkMs);
      timer.unref();
    },
    shutdown: async (deadlineMs) => {
      ready = false;
      clearInterval(timer);
      await engine.shutdown(deadlineMs);
    },
    close: async () => {
      await compacting;
      await store!.close();
    },
  };
}

export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const log = opts.log ?? stderrLog;
  const limited = new LogLimiter(log, Date.now);
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  let auth = new TokenAuth(opts.tokens);
  const metrics = new ReceiverMetrics();
  const slots = new ConnectionSlots<Socket>(opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  const bodies = new BodyParser(opts.bodyWorkerBytes);
  metrics.initialise(opts.remediations.map((r) => r.name));
  let backend: ReceiverBackend;
  if (opts.database) {
    const { leaseMs, retentionMs, pruneEveryMs, ...database } = opts.database;
    // Loaded only here: a receiver on its data folder starts without the PostgreSQL client.
    const { openPgBackend } = await import('./postgres/backend.js');
    backend = await openPgBackend({
      database,
      remediations: opts.remediations,
      metrics,
      dryRun: opts.dryRun,
      log,
      ...(leaseMs !== undefined ? { leaseMs } : {}),
      ...(retentionMs !== undefined ? { retentionMs } : {}),
      ...(pruneEveryMs !== undefined ? { pruneEveryMs } : {}),
    });
    if (opts.signal?.aborted) {
      await backend.close();
      throw new StartAborted('stopped during the start');
    }
  } else if (opts.dataDir !== undefined) {
    backend = await openFileBackend({ ...opts, dataDir: opts.dataDir }, metrics, log, limited);
  } else {
    throw new Error('sloforge bug: the receiver needs a data folder or a database');
  }
  let listening = false;

  async function route(req: IncomingMessage, res: ServerResponse, path: string, expectContinue: boolean): Promise<RequestOutcome> {
    const method = req.method ?? 'GET';
    if (path === '/healthz' || path === '/readyz' || path === '/metrics') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
      if (path === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      } else if (path === '/readyz' && !(listening && (await backend.ready()))) {
        send(res, 503, { status: 'not ready' });
      } else {
        send(res, 200, { status: 'ok' });
      }
      return 'ok';
    }
    if (path !== '/alerts' && path !== '/api/actions') throw new HttpError(404, 'not_found', 'not found');
    if (!auth.check(req.headers.authorization)) {
      throw new HttpError(401, 'unauthorized', 'missing or wrong credentials', {});
    }
    // An authenticated client's connection is never displaced by newcomers.
    slots.trust(req.socket);
    if (path === '/api/actions') {
      if (method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
      const asked = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? 100);
      const n = Number.isInteger(asked) && asked > 0 ? Math.min(asked, AUDIT_SIZE) : 100;
      send(res, 200, { actions: await backend.recent(n), queueDepth: await backend.queueDepth() });
      return 'ok';
    }
    if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
    if (expectContinue && !(Number(req.headers['content-length'] ?? NaN) > limit)) res.writeContinue();
    const raw = await readBody(req, limit);
    let json: unknown;
    try {
      json = await bodies.parse(raw);
    } catch (err) {
      if (err instanceof ParserBusy)
        throw new HttpError(503, 'busy', `cannot parse the body now (${err.message}); retry`, {}, { 'retry-after': '1' });
      throw new HttpError(400, 'bad_request', 'body is not valid JSON');
    }
    const parsed = webhookPayload.safeParse(json);
    if (!parsed.success)
      throw new HttpError(400, 'bad_request', 'body is not an Alertmanager webhook payload (version "4")', {
        problems: payloadProblems(parsed.error),
      });
    try {
      const result = await backend.accept(parsed.data.alerts);
      send(res, 200, { status: 'accepted', ...result });
      return 'accepted';
    } catch (err) {
      if (err instanceof PersistError) throw new HttpError(503, 'persist_failed', 'could not store the alerts; retry');
      throw err;
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): void {
    const path = (req.url ?? '/').split('?')[0]!;
    const routeLabel = ['/alerts', '/api/actions', '/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
    metrics.inFlight.inc({ route: routeLabel });
    slots.requestStarted(req.socket);
    res.on('close', () => {
      metrics.inFlight.dec({ route: routeLabel });
      slots.requestEnded(req.socket);
    });
    route(req, res, path, expectContinue).then(
      (outcome) => metrics.requests.inc({ route: routeLabel, outcome }),
      (err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, 'error', 'internal error');
        if (!(err instanceof HttpError)) log(`internal error on ${req.method} ${path}: ${(err as Error)?.stack ?? String(err)}`);
        metrics.requests.inc({ route: routeLabel, outcome: e.outcome });
        const headers: Record<string, string> =
          e.status === 401 ? { 'www-authenticate': 'Bearer realm="sloforge-receiver"' } : { ...e.headers };
        // A client that asked to continue and was not told to sends no body.
        const bodyComing = !req.complete && !(expectContinue && !res.headersSent);
        if (!res.headersSent) answerEarly(req, res, e.status, { error: e.message, ...e.extra }, headers, bodyComing);
      },
    );
  }

  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  const server = http.createServer(
    {
      headersTimeout,
      requestTimeout,
      // An idle keep-alive connection gives its slot back this soon (Node's default, pinned).
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // Node checks these timeouts only this often (30 s by default), so a timeout could fire
      // up to that late; a tenth of the shortest keeps them close to what is configured.
      connectionsCheckingInterval: Math.max(50, Math.floor(Math.min(headersTimeout, requestTimeout) / 10)),
    },
    (req, res) => handle(req, res, false),
  );
  server.on('checkContinue', (req, res) => handle(req, res, true));
  // The connection cap is kept by ConnectionSlots rather than Node's maxConnections, which
  // refuses newcomers however idle and unauthenticated the connections holding the slots are.
  server.on('connection', (socket: Socket) => {
    const admission = slots.admit(socket);
    if (!admission.admitted) {
      metrics.connectionsDropped.inc();
      limited.line('drop', `refused a connection: ${slots.cap} connections are open, each authenticated (maxConnections)`);
      socket.destroy();
      return;
    }
    socket.once('close', () => slots.release(socket));
    if (admission.evicted) {
      metrics.connectionsEvicted.inc();
      limited.line('evict', `closed an unauthenticated connection to make room: ${slots.cap} connections are open (maxConnections)`);
      admission.evicted.destroy();
    }
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await backend.close();
    throw err;
  }
  backend.start();
  listening = true;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  log(`listening on http://${host}:${addr.port} with ${opts.remediations.length} remediation(s)${opts.dryRun ? ' (dry run)' : ''}`);

  let closing: Promise<void> | undefined;
  const close = (shutdownMs?: number) => {
    closing ??= (async () => {
      listening = false;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await backend.shutdown(shutdownMs ?? opts.shutdownMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
      server.closeAllConnections();
      await stopped;
      await bodies.close();
      await backend.close();
      log('stopped');
    })();
    return closing;
  };
  return {
    url: `http://${host}:${addr.port}`,
    metrics,
    setTokens: (tokens) => {
      auth = new TokenAuth(tokens);
    },
    setRemediations: (remediations) => {
      metrics.initialise(remediations.map((r) => r.name));
      backend.setRemediations(remediations);
    },
    get bodiesParsing() {
      return bodies.pending;
    },
    close,
  };
}
