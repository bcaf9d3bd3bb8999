// The `http` action: one request describing the alert, retried with doubling backoff on
// network errors, timeouts, 429 and 5xx; other 4xx answers are final. Without a body template
// it sends the alert itself as JSON.
import type { HttpSpec } from '../../remediation/actions-file.js';
import { renderTemplate } from '../template.js';
import { redactUrl } from '../redact.js';
import { readSecret, request, sleep } from './request.js';
import type { ActionContext, ActionOutcome } from './types.js';

const MAX_BACKOFF_MS = 60_000;

const retryable = (status: number): boolean => status === 429 || status >= 500;

export async function runHttp(spec: HttpSpec, ctx: ActionContext): Promise<ActionOutcome> {
  const headers: Record<string, string> = { ...spec.headers, 'idempotency-key': ctx.id };
  for (const [name, file] of Object.entries(spec.headerFiles)) headers[name] = await readSecret(file);
  let body: string | undefined;
  if (spec.method !== 'GET' && spec.method !== 'DELETE') {
    body = JSON.stringify(spec.body === undefined ? ctx.alert : renderTemplate(spec.body, ctx.alert));
    headers['content-type'] = 'application/json';
  }
  // Details reach /api/actions and stderr: never the URL's credentials or query string.
  const shown = `${spec.method} ${redactUrl(spec.url)}`;
  let last = '';
  for (let attempt = 0; attempt <= spec.retries; attempt++) {
    if (attempt > 0) await sleep(Math.min(spec.retryBackoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS), ctx.signal);
    if (ctx.signal.aborted) return { ok: false, detail: `aborted at shutdown; ${last}` };
    try {
      const res = await request(spec.url, {
        method: spec.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs: spec.timeoutMs,
        signal: ctx.signal,
      });
      const summary = `${shown} answered ${res.status}`;
      if (res.status >= 200 && res.status < 300) return { ok: true, detail: attempt > 0 ? `${summary} after ${attempt} retries` : summary };
      last = summary;
      if (!retryable(res.status)) break;
    } catch (err) {
      last = `${shown} failed: ${(err as Error).message.replaceAll(spec.url, redactUrl(spec.url))}`;
    }
  }
  return { ok: false, detail: last };
}
