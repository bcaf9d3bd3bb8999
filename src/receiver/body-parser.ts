// Parses request bodies without holding up other requests. JSON.parse runs on the event loop and
// takes its time on a 1 MiB body built to be slow (500k levels of nesting stalled every request
// for 0.6-0.9 s), so a body from BODY_WORKER_BYTES up is parsed in a worker thread, one at a
// time, at most MAX_WAITING waiting; smaller ones (an Alertmanager batch is a few KiB) are
// parsed in place, where a worker's round trip would cost more than the parse.
//
// The worker sends back only the fields the receiver reads, flattened: handing back the parsed
// value itself would rebuild it on the event loop (a structured clone as deep as the body), so a
// value where a field of the webhook should be is replaced by an empty object or array of its
// kind, which fails validation just as the original would.
import { Worker } from 'node:worker_threads';

/** Bodies of this size and over are parsed in the worker. */
export const BODY_WORKER_BYTES = 64 * 1024;
/** Bodies waiting for the worker at most; more are refused (answered 503, retried by Alertmanager). */
export const MAX_WAITING = 16;

/** The body was not JSON. */
export class NotJson extends Error {
  override name = 'NotJson';
}

/** Too many large bodies are waiting to be parsed. */
export class ParserBusy extends Error {
  override name = 'ParserBusy';
}

// Plain JavaScript, run in the worker as it stands (it needs nothing from this module, and the
// receiver runs from TypeScript sources in a checkout and from dist/ once installed).
const PROJECT = String.raw`
const FIELDS = ['status', 'labels', 'annotations', 'startsAt', 'endsAt', 'fingerprint'];
const flat = (v) => (v === null || typeof v !== 'object' ? v : Array.isArray(v) ? [] : {});
// Object.fromEntries, not assignment: a label named __proto__ stays a label.
const strings = (v) => (v === null || typeof v !== 'object' || Array.isArray(v) ? flat(v) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, flat(x)])));
const alert = (a) => {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return flat(a);
  const kept = FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(a, f));
  return Object.fromEntries(kept.map((f) => [f, f === 'labels' || f === 'annotations' ? strings(a[f]) : flat(a[f])]));
};
const project = (body) => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return flat(body);
  const out = {};
  if (Object.prototype.hasOwnProperty.call(body, 'version')) out.version = flat(body.version);
  if (Object.prototype.hasOwnProperty.call(body, 'alerts')) out.alerts = Array.isArray(body.alerts) ? body.alerts.map(alert) : flat(body.alerts);
  return out;
};
`;

const WORKER_SOURCE = `${PROJECT}
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, text }) => {
  let value;
  try {
    value = project(JSON.parse(text));
  } catch {
    parentPort.postMessage({ id, ok: false });
    return;
  }
  parentPort.postMessage({ id, ok: true, value });
});
`;

interface Job {
  text: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

export class BodyParser {
  private worker: Worker | undefined;
  private readonly waiting: Job[] = [];
  private current: (Job & { id: number }) | undefined;
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly workerBytes = BODY_WORKER_BYTES,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** The body as JSON (large ones reduced to the webhook's fields); NotJson or ParserBusy otherwise. */
  parse(body: Buffer): Promise<unknown> {
    if (body.length < this.workerBytes) {
      try {
        return Promise.resolve(JSON.parse(body.toString('utf8')));
      } catch {
        return Promise.reject(new NotJson('body is not valid JSON'));
      }
    }
    if (this.closed) return Promise.reject(new ParserBusy('the receiver is stopping'));
    if (this.waiting.length >= this.maxWaiting)
      return Promise.reject(new ParserBusy(`${this.maxWaiting} large bodies are waiting to be parsed`));
    return new Promise((resolve, reject) => {
      this.waiting.push({ text: body.toString('utf8'), resolve, reject });
      this.next();
    });
  }

  /** Large bodies waiting for, or in, the worker. */
  get pending(): number {
    return this.waiting.length + (this.current ? 1 : 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new ParserBusy('the receiver is stopping'));
    this.current?.reject(new ParserBusy('the receiver is stopping'));
    this.current = undefined;
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private next(): void {
    if (this.current || this.closed) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.current = { ...job, id: this.nextId++ };
    this.ensureWorker().postMessage({ id: this.current.id, text: job.text });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // Bounded, so a hostile body costs the worker, never the receiver's heap.
    const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 128 } });
    // An idle worker does not keep the process alive.
    w.unref();
    w.on('message', (m: { id: number; ok: boolean; value?: unknown }) => {
      const job = this.current;
      if (!job || job.id !== m.id) return;
      this.current = undefined;
      if (m.ok) job.resolve(m.value);
      else job.reject(new NotJson('body is not valid JSON'));
      this.next();
    });
    // A worker that dies (out of memory on a hostile body) fails its job; the next gets a new one.
    const died = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const job = this.current;
      this.current = undefined;
      job?.reject(new ParserBusy(`the body parser stopped (${err.message})`));
      this.next();
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`exit ${code}`)));
    this.worker = w;
    return w;
  }
}
