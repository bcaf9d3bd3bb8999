// The Prometheus HTTP API as `check` and `status` use it: instant queries (POSTed, so a batch of
// selectors fits in one request), label values, and the server's config. Every failure to get an
// answer, from a refused connection to a query error, is a PrometheusError whose message is one
// line naming the URL, so the CLI can print it as it is and exit 2.
import { readFileSync } from 'node:fs';
import type { Agent } from 'node:http';
import { http, https } from '../node-http.js';
import { EnvironmentError, UserError } from '../errors.js';

export interface ClientOptions {
  url: string;
  /** A file holding the bearer token (trailing newline ignored). */
  bearerTokenFile?: string | undefined;
  /** A file holding `user:password`. */
  basicAuthFile?: string | undefined;
  /** PEM file of the CA that signed Prometheus' certificate. */
  caFile?: string | undefined;
  timeoutMs: number;
}

/** Prometheus could not be reached or answered with an error: the environment's failure, exit 2. */
export class PrometheusError extends EnvironmentError {
  override name = 'PrometheusError';
}

/** A query refused on its own merits (bad_data, execution): a batch can split and retry around it. */
export class QueryError extends PrometheusError {
  override name = 'QueryError';
}

export interface Sample {
  metric: Record<string, string>;
  /** NaN for a native histogram sample (only its presence counts here). */
  value: number;
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: unknown;
}

function readSecret(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new UserError(`${file}: cannot read the ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function headersOf(opts: ClientOptions): Record<string, string> {
  if (opts.bearerTokenFile !== undefined && opts.basicAuthFile !== undefined) {
    throw new UserError('--bearer-token-file and --basic-auth-file exclude each other: give one');
  }
  if (opts.bearerTokenFile !== undefined) return { authorization: `Bearer ${readSecret(opts.bearerTokenFile, 'bearer token')}` };
  if (opts.basicAuthFile !== undefined) {
    const pair = readSecret(opts.basicAuthFile, 'basic auth user:password');
    if (!pair.includes(':')) throw new UserError(`${opts.basicAuthFile}: must hold user:password on one line`);
    return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
  }
  return {};
}

function parseBase(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`--prometheus ${url}: not a URL (expected http://host:9090 or https://...)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UserError(`--prometheus ${url}: must be an http:// or https:// URL`);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

const networkReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

export class PrometheusClient {
  /** Requests sent so far: what bench/live.ts reports. */
  requests = 0;
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  private readonly agent: Agent;
  private readonly shown: string;

  constructor(readonly opts: ClientOptions) {
    this.base = parseBase(opts.url);
    this.headers = headersOf(opts);
    this.shown = opts.url.replace(/\/+$/, '');
    const ca = opts.caFile === undefined ? undefined : readSecret(opts.caFile, 'CA certificate');
    if (ca !== undefined && this.base.protocol !== 'https:') throw new UserError(`--ca-file needs an https:// URL, not ${this.shown}`);
    // Keep-alive: a batch is a handful of requests in a row to the same server.
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 4, ...(ca === undefined ? {} : { ca }) })
        : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  close(): void {
    this.agent.destroy();
  }

  /** An instant query at the current time. */
  async query(expr: string): Promise<Sample[]> {
    const data = (await this.call('api/v1/query', { query: expr })) as {
      resultType?: string;
      result?: Array<{ metric: Record<string, string>; value?: [number, string]; histogram?: unknown }>;
    };
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw new QueryError(`${this.shown}: query returned a ${data.resultType ?? 'malformed'} result, not a vector: ${expr.slice(0, 120)}`);
    }
    return data.result.map((r) => ({ metric: r.metric, value: r.value ? Number(r.value[1]) : Number.NaN }));
  }

  /** Values of a label over series seen since `startS` (seconds), optionally within selectors. */
  async labelValues(label: string, startS: number, match: readonly string[] = []): Promise<string[]> {
    const params = new URLSearchParams({ start: String(startS) });
    for (const m of match) params.append('match[]', m);
    const data = await this.call(`api/v1/label/${encodeURIComponent(label)}/values`, params, 'GET');
    return Array.isArray(data) ? data.filter((v): v is string => typeof v === 'string') : [];
  }

  /** Label names of the series a selector matches since `startS`. */
  async labelNames(match: string, startS: number): Promise<string[]> {
    const params = new URLSearchParams({ start: String(startS) });
    params.append('match[]', match);
    const data = await this.call('api/v1/labels', params, 'GET');
    return Array.isArray(data) ? data.filter((v): v is string => typeof v === 'string') : [];
  }

  /** The loaded configuration file as YAML text. */
  async configYaml(): Promise<string> {
    const data = (await this.call('api/v1/status/config', new URLSearchParams(), 'GET')) as { yaml?: unknown };
    return typeof data.yaml === 'string' ? data.yaml : '';
  }

  private call(apiPath: string, params: Record<string, string> | URLSearchParams, method: 'GET' | 'POST' = 'POST'): Promise<unknown> {
    const url = new URL(apiPath, this.base);
    const body = (params instanceof URLSearchParams ? params : new URLSearchParams(params)).toString();
    if (method === 'GET' && body !== '') url.search = body;
    const lib = url.protocol === 'https:' ? https : http;
    this.requests++;
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers, accept: 'application/json' };
      if (method === 'POST') {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = lib.request(url, { method, headers, agent: this.agent, timeout: this.opts.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new PrometheusError(`${this.shown}: the answer broke off: ${err.message}`)));
        res.on('end', () => {
          try {
            resolve(this.answer(apiPath, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
      });
      req.on('timeout', () =>
        req.destroy(new PrometheusError(`${this.shown}: no answer within ${this.opts.timeoutMs / 1000}s (--timeout)`)),
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof PrometheusError) return reject(err);
        const reason = (err.code && networkReasons[err.code]) ?? err.message;
        reject(new PrometheusError(`cannot reach Prometheus at ${this.shown}: ${reason}`));
      });
      if (method === 'POST') req.end(body);
      else req.end();
    });
  }

  private answer(apiPath: string, status: number, text: string): unknown {
    if (status === 401 || status === 403) {
      throw new PrometheusError(
        `${this.shown}: HTTP ${status} on /${apiPath}: the credentials were refused (--bearer-token-file, --basic-auth-file)`,
      );
    }
    let body: ApiBody;
    try {
      body = JSON.parse(text) as ApiBody;
    } catch {
      throw new PrometheusError(
        `${this.shown}: HTTP ${status} on /${apiPath} without a JSON answer: is this the Prometheus URL (http://host:9090, no /graph)?`,
      );
    }
    if (body.status === 'success') return body.data;
    if (body.status === 'error' && (body.errorType === 'bad_data' || body.errorType === 'execution')) {
      throw new QueryError(`${this.shown}: ${body.errorType}: ${body.error ?? 'no reason given'}`);
    }
    throw new PrometheusError(`${this.shown}: HTTP ${status} on /${apiPath}: ${body.error ?? 'not a Prometheus API answer'}`);
  }
}
