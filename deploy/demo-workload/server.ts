// The demo workload's HTTP side: metrics per simulated job, a chaos switch to break a service on
// purpose, and the checkout admin endpoint the `restart-checkout` remediation calls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { timingSafeEqual } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import { simulatedServices } from './services.js';
import { acceptsProtobuf } from './native-histogram.js';
import { Traffic, type Shares } from './traffic.js';

export interface DemoOptions {
  host: string;
  port: number;
  /** Simulated requests per second, per service. */
  perSecond: number;
  /** When set, /admin/restart wants an Authorization header equal to this file's content. */
  adminAuthorizationFile?: string;
  /** A restart ends an injected checkout outage, as a real restart would clear a stuck process. */
  restartHeals: boolean;
}

export interface RestartCall {
  at: string;
  idempotencyKey: string | undefined;
  body: unknown;
}

export interface DemoWorkload {
  url: string;
  traffic: Traffic;
  restarts: RestartCall[];
  close(): Promise<void>;
}

const RESTART_JOB = 'checkout';
const MAX_BODY = 64 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? `${JSON.stringify(body)}\n` : String(body);
  res.writeHead(status, { 'content-type': type }).end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

function share(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new HttpError(400, `${field}: expected a number from 0 to 1`);
  return value;
}

/** `{"service": "checkout", "errorRate": 1, "slowRate": 0.5}`; service defaults to checkout. */
export function parseChaos(body: unknown, jobs: string[]): { job: string; chaos: Partial<Shares> } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'expected a JSON object');
  const { service = RESTART_JOB, errorRate, slowRate, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new HttpError(400, `unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')} (service, errorRate, slowRate)`);
  if (typeof service !== 'string' || !jobs.includes(service)) throw new HttpError(400, `service: expected one of ${jobs.join(', ')}`);
  const chaos: Partial<Shares> = {};
  const e = share(errorRate, 'errorRate');
  const s = share(slowRate, 'slowRate');
  if (e !== undefined) chaos.errorRate = e;
  if (s !== undefined) chaos.slowRate = s;
  return { job: service, chaos };
}

function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startDemoWorkload(opts: DemoOptions): Promise<DemoWorkload> {
  const traffic = new Traffic(simulatedServices(), opts.perSecond);
  const restarts: RestartCall[] = [];
  const own = new Registry();
  const restartCounter = new Counter({
    name: 'demo_admin_restarts_total',
    help: 'Calls to /admin/restart, by result',
    labelNames: ['result'],
    registers: [own],
  });
  const state = () => Object.fromEntries(traffic.jobs().map((job) => [job, traffic.shares(job)]));

  const restart = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readJson(req);
    if (opts.adminAuthorizationFile !== undefined) {
      // Read per call, like the receiver reads its header file: rotating the file needs no restart.
      const expected = (await readFile(opts.adminAuthorizationFile, 'utf8')).trim();
      if (!sameSecret(req.headers.authorization, expected)) {
        restartCounter.labels('unauthorized').inc();
        throw new HttpError(401, 'missing or wrong Authorization');
      }
    }
    restarts.push({ at: new Date().toISOString(), idempotencyKey: req.headers['idempotency-key'] as string | undefined, body });
    restartCounter.labels('ok').inc();
    if (opts.restartHeals) traffic.heal(RESTART_JOB);
    send(res, 200, { restarted: RESTART_JOB, count: restarts.length, shares: traffic.shares(RESTART_JOB) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://demo');
    const route = `${req.method} ${url.pathname}`;
    if (url.pathname.startsWith('/metrics/') && req.method === 'GET') {
      const service = traffic.service(url.pathname.slice('/metrics/'.length));
      if (!service) throw new HttpError(404, `no simulated service at ${url.pathname}`);
      if (service.protobuf) {
        // The text format cannot carry a native histogram: only a Prometheus with native
        // histograms on (which asks for protobuf) can scrape this job.
        if (!acceptsProtobuf(req.headers.accept))
          throw new HttpError(
            406,
            `${url.pathname} serves a native histogram, in the protobuf format only (start Prometheus with --enable-feature=native-histograms)`,
          );
        const p = service.protobuf();
        res.writeHead(200, { 'content-type': p.contentType }).end(p.body);
        return;
      }
      return send(res, 200, await service.registry.metrics(), service.registry.contentType);
    }
    switch (route) {
      case 'GET /metrics':
        return send(res, 200, await own.metrics(), own.contentType);
      case 'GET /healthz':
        return send(res, 200, { ok: true });
      case 'GET /chaos':
        return send(res, 200, state());
      case 'POST /chaos': {
        const { job, chaos } = parseChaos(await readJson(req), traffic.jobs());
        return send(res, 200, { [job]: traffic.inject(job, chaos) });
      }
      case 'DELETE /chaos':
        for (const job of traffic.jobs()) traffic.heal(job);
        return send(res, 200, state());
      case 'POST /admin/restart':
        return restart(req, res);
      case 'GET /admin/restarts':
        return send(res, 200, { count: restarts.length, calls: restarts });
      default:
        throw new HttpError(404, `no route ${route}`);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof HttpError) send(res, err.status, { error: err.message });
      else send(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  traffic.start();
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    traffic,
    restarts,
    close: async () => {
      traffic.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
