// A big config compiles on more than one core: the per-service targets (rules, promtool tests,
// engine copies) are most of the work and each service's files depend on that service alone, so
// worker threads compile them for shares of the services while the main thread compiles its own
// share and everything that spans services. The files, sorted by path, are the same bytes as a
// compile on one thread (compile.test checks), which stays the path for small configs, where a
// thread's start costs more than it saves.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileModel, perServiceArtifacts } from './compile.js';
import { openSink, type ArtifactSink, type SinkReport, type SinkSpec } from './output/write.js';
import type { Model } from './model/types.js';
import type { RuleSet } from './prometheus/target.js';
import { EnvironmentError, InternalError, isSystemError, SloforgeError, UserError } from './errors.js';

/** Below this many services per thread a worker's start (loading sloforge, copying its share) outweighs its share. */
const MIN_SERVICES_PER_THREAD = 40;
/** More threads than this gain little: the main thread's own work and the writing of files stay serial. */
const MAX_THREADS = 4;
/**
 * The main thread's share of services next to a worker's. The main thread also builds the
 * cross-service files and every service's rule groups, but a worker first loads sloforge, gets
 * its copy of the model and builds its share's rule groups again: measured on 1,000 services of
 * the bench shape on 2 cores, the main thread finished its equal share first in every run.
 */
const MAIN_SHARE = 1.1;

export const THREADS_ENV = 'SLOFORGE_THREADS';

/** Threads to compile on: SLOFORGE_THREADS when set (1 turns workers off), else one per core up to MAX_THREADS, fewer for small configs. */
export function compileThreads(services: number, env: NodeJS.ProcessEnv = process.env): number {
  const asked = env[THREADS_ENV];
  if (asked !== undefined && asked !== '') {
    if (!/^[1-9][0-9]*$/.test(asked)) throw new UserError(`${THREADS_ENV}=${asked}: expected a whole number of threads, 1 or more`);
    return Math.min(Number(asked), Math.max(1, services));
  }
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS, Math.floor(services / MIN_SERVICES_PER_THREAD)));
}

/** Contiguous shares of `services`: the first the main thread's (MAIN_SHARE of a worker's), the rest equal. */
export function shares<T>(services: readonly T[], threads: number): T[][] {
  if (threads <= 1) return [[...services]];
  const main = Math.floor((services.length * MAIN_SHARE) / (threads - 1 + MAIN_SHARE));
  const out: T[][] = [services.slice(0, main)];
  const rest = services.length - main;
  const workers = threads - 1;
  let from = main;
  for (let i = 0; i < workers; i++) {
    const to = main + Math.round((rest * (i + 1)) / workers);
    out.push(services.slice(from, to));
    from = to;
  }
  return out;
}

/**
 * A worker running compile-worker: the compiled .js beside this file in the package; in a
 * checkout, where this file is TypeScript, the worker loads the .ts entry through tsx as
 * bin/sloforge.mjs loads the CLI.
 */
function startWorker(data: WorkerInput): Worker {
  const own = import.meta.url;
  // tsx may add a query to the URL of a module it loads.
  if (!new URL(own).pathname.endsWith('.ts')) return new Worker(new URL('./compile-worker.js', own), { workerData: data });
  const entry = new URL('./compile-worker.ts', own).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(own)}));`;
  return new Worker(code, { eval: true, workerData: data });
}

export interface WorkerInput {
  /** The model with the worker's share of the services. */
  model: Model;
  sink: SinkSpec;
}

/** What a worker sends back: its sink's report, or what it threw, in a form a message can carry. */
export type WorkerOutput = { report: SinkReport } | { failed: ThrownData };

interface ThrownData {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  syscall?: string;
  path?: string;
}

/** A worker's error as data: a message keeps an Error's message but not its class or a system error's code. */
export function thrownData(err: unknown): ThrownData {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: ThrownData = { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  if (isSystemError(err)) Object.assign(out, { code: err.code, syscall: err.syscall, ...(err.path ? { path: err.path } : {}) });
  return out;
}

/** The same kind of error on this thread, so the CLI reports it (and exits) as if it had been thrown here. */
function rethrown(d: ThrownData): Error {
  if (d.code !== undefined && d.syscall !== undefined)
    return Object.assign(new Error(d.message), { code: d.code, syscall: d.syscall, path: d.path });
  const known: Record<string, (m: string) => SloforgeError> = {
    UserError: (m) => new UserError(m),
    EnvironmentError: (m) => new EnvironmentError(m),
  };
  const make = known[d.name];
  if (make) return make(d.message);
  // An InternalError's message already says it is a bug; anything else thrown there is one too.
  const bug = new InternalError(`a compile worker failed: ${d.stack ?? d.message}`);
  if (d.name === 'InternalError') bug.message = d.message;
  return bug;
}

function inWorker(data: WorkerInput): Promise<SinkReport> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(data);
    let output: WorkerOutput | undefined;
    worker.once('message', (m: WorkerOutput) => (output = m));
    worker.once('error', (err) => reject(rethrown(thrownData(err))));
    worker.once('exit', (code) => {
      if (output && 'report' in output) resolve(output.report);
      else if (output) reject(rethrown(output.failed));
      else reject(new InternalError(`a compile worker exited (code ${code}) without its report`));
    });
  });
}

/** Each service's per-service files, one service at a time, so only one service's text is held at once. */
export function putServices(model: Model, rules: RuleSet, sink: ArtifactSink): void {
  for (const entry of rules) {
    for (const a of perServiceArtifacts({ ...model, services: [entry.svc] }, [entry])) sink.put(a);
  }
}

/**
 * Every file compileModel makes, put into sinks as it is made: the per-service files spread over
 * `threads` threads (each opening its own sink from `spec`), the cross-service ones here.
 */
export async function compileInto(model: Model, rules: RuleSet, threads: number, spec: SinkSpec): Promise<SinkReport[]> {
  const withRules = rules.filter(({ groups }) => groups.length > 0);
  const [own = [], ...others] = shares(withRules, threads);
  const pending = others
    .filter((p) => p.length > 0)
    .map((part) => inWorker({ model: { ...model, services: part.map(({ svc }) => svc) }, sink: spec }));
  // A failed worker must not leave the others' rejections unobserved while this thread works.
  const settled = Promise.allSettled(pending);
  const sink = openSink(spec);
  for (const a of compileModel(model, rules, new Set(withRules.map(({ svc }) => svc.name)))) sink.put(a);
  putServices(model, own, sink);
  const reports = [sink.report()];
  for (const r of await settled) {
    if (r.status === 'rejected') throw r.reason;
    reports.push(r.value);
  }
  return reports;
}
