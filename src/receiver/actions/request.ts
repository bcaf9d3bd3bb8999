// One HTTP(S) request with a deadline, a custom CA and a capped response body. node:https is
// used rather than fetch because fetch cannot take a CA bundle per request.
import { http, https } from '../../node-http.js';
import { readFile } from 'node:fs/promises';

export interface RequestOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  ca?: string;
  signal?: AbortSignal;
}

export interface Response {
  status: number;
  body: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

export function request(url: string, opts: RequestOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const mod = u.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
    const req = mod.request(
      u,
      {
        method: opts.method,
        headers,
        timeout: opts.timeoutMs,
        ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES) }),
        );
        res.on('error', reject);
      },
    );
    // The socket timeout covers idle time; the overall deadline covers a slow trickle too.
    const deadline = setTimeout(() => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Reads a secret file at run time, so a rotated secret is picked up without a restart. */
export async function readSecret(file: string): Promise<string> {
  return (await readFile(file, 'utf8')).trim();
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    // The listener goes when the timer fires: a long-lived signal must not collect them.
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
