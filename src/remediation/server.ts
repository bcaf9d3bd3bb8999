// The receiver's HTTP side: routes, authentication, body limits and graceful shutdown.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedRemediation } from './actions-file.js';
import { TokenAuth } from './auth.js';
import { Engine, PersistError } from './engine.js';
import { ReceiverMetrics, type RequestOutcome } from './metrics.js';
import { payloadProblems, webhookPayload } from './payload.js';
import { LogStore, type Store } from './store.js';
import { compactRecords, keepWholeMs } from './compact.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_SHUTDOWN_MS = 20_000;

export interface ReceiverOptions {
  remediations: readonly ResolvedRemediation[];
  tokens: readonly string[];
  dataDir: string;
  host: string;
  port: number;
  dryRun: boolean;
  bodyLimit?: number;
  shutdownMs?: number;
  log?: (line: string) => void;
  /** Wraps the opened store; tests use it to inject persistence failures. */
  wrapStore?: (store: Store) => Store;
}

export interface Receiver {
  url: string;
  metrics: ReceiverMetrics;
  engine: Engine;
  /** Stops accepting, lets running actions finish up to the deadline, closes the store. Idempotent. */
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, readonly outcome: RequestOutcome, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, 'too_large', `body larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length'] ?? NaN);
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
    req.on('end', () => { if (!failed) resolve(Buffer.concat(chunks)); });
    // A client that hangs up mid-body: nobody is left to answer, but the outcome is counted.
    const hungUp = () => { if (!failed && !req.complete) reject(new HttpError(400, 'bad_request', 'body ended early')); };
    req.on('error', hungUp);
    req.on('close', hungUp);
  });
}

export async function startReceiver(opts: ReceiverOptions): Promise<Receiver> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`sloforge receiver: ${line}\n`));
  const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const auth = new TokenAuth(opts.tokens);
  const metrics = new ReceiverMetrics();
  const longestCooldown = Math.max(0, ...opts.remediations.map((r) => r.cooldownMs));
  const opened = await LogStore.open(opts.dataDir, (records) => compactRecords(records, Date.now(), keepWholeMs(longestCooldown)));
  if (opened.droppedLines > 0) log(`compacted the event log: ${opened.droppedLines} lines of long-finished events reduced to their dedupe keys`);
  const store = opts.wrapStore ? opts.wrapStore(opened.store) : opened.store;
  const engine = new Engine({ remediations: opts.remediations, store, metrics, dryRun: opts.dryRun, log });
  engine.replay(opened.records);
  let ready = false;

  async function route(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<RequestOutcome> {
    const method = req.method ?? 'GET';
    if (path === '/healthz' || path === '/readyz' || path === '/metrics') {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
      if (path === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      } else if (path === '/readyz' && !ready) {
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
    if (path === '/api/actions') {
      if (method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
      const asked = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('limit') ?? 100);
      const n = Number.isInteger(asked) && asked > 0 ? Math.min(asked, 1000) : 100;
      send(res, 200, { actions: engine.recent(n), queueDepth: engine.queueDepth });
      return 'ok';
    }
    if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'method not allowed');
    const raw = await readBody(req, limit);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_request', 'body is not valid JSON');
    }
    const parsed = webhookPayload.safeParse(json);
    if (!parsed.success) throw new HttpError(400, 'bad_request', 'body is not an Alertmanager webhook payload (version "4")', { problems: payloadProblems(parsed.error) });
    try {
      const result = await engine.accept(parsed.data.alerts);
      send(res, 200, { status: 'accepted', ...result });
      return 'accepted';
    } catch (err) {
      if (err instanceof PersistError) throw new HttpError(503, 'persist_failed', 'could not store the alerts; retry');
      throw err;
    }
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const routeLabel = ['/alerts', '/api/actions', '/healthz', '/readyz', '/metrics'].includes(path) ? path : 'other';
    metrics.inFlight.inc({ route: routeLabel });
    res.on('close', () => metrics.inFlight.dec({ route: routeLabel }));
    route(req, res, path).then(
      (outcome) => metrics.requests.inc({ route: routeLabel, outcome }),
      (err: unknown) => {
        const e = err instanceof HttpError ? err : new HttpError(500, 'error', 'internal error');
        if (!(err instanceof HttpError)) log(`internal error on ${req.method} ${path}: ${(err as Error)?.stack ?? String(err)}`);
        metrics.requests.inc({ route: routeLabel, outcome: e.outcome });
        // An unread body on an error answer would otherwise be parsed as the next request.
        const headers: Record<string, string> = req.complete ? {} : { connection: 'close' };
        if (e.status === 401) headers['www-authenticate'] = 'Bearer realm="sloforge-receiver"';
        if (!res.headersSent) send(res, e.status, { error: e.message, ...e.extra }, headers);
        if (!req.complete) req.resume();
      },
    );
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  engine.start();
  ready = true;
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  log(`listening on http://${host}:${addr.port} with ${opts.remediations.length} remediation(s)${opts.dryRun ? ' (dry run)' : ''}`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      ready = false;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await engine.shutdown(opts.shutdownMs ?? DEFAULT_SHUTDOWN_MS);
      server.closeAllConnections();
      await stopped;
      await store.close();
      log('stopped');
    })();
    return closing;
  };
  return { url: `http://${host}:${addr.port}`, metrics, engine, close };
}
