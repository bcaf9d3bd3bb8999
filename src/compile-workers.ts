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
 * The main thread's share of services next to a worker's. A worker loads sloforge and builds its
 * share's rule groups while this thread validates the config and builds every service's, so
 * both start writing at about the same time; measured on 1,000 services of the bench shape on
 * 2 cores (CPU time of each thread), a worker then spends about 5% more per service.
 */
const MAIN_SHARE = 1.05;

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
function startWorker(): Worker {
  const own = import.meta.url;
  // tsx may add a query to the URL of a module it loads.
  if (!new URL(own).pathname.endsWith('.ts')) return new Worker(new URL('./compile-worker.js', own));
  const entry = new URL('./compile-worker.ts', own).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(own)}));`;
  return new Worker(code, { eval: true });
}

/**
 * What a worker is sent, in this order: the model with its share of the services, whose rule
 * groups it builds at once; then where to put its files, once this thread has decided to write.
 */
export type WorkerInput = { model: Model } | { sink: SinkSpec };

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

/**
 * A compile worker, started before it has work so that its loading of sloforge overlaps this
 * thread's (the config's load, the model, the rule groups). Unreferenced until it is told to
 * write: an unused worker never keeps the process alive, whatever path `generate` leaves by.
 */
export class CompileWorker {
  readonly #worker: Worker;
  readonly #done: Promise<SinkReport>;

  constructor() {
    const worker = startWorker();
    worker.unref();
    this.#worker = worker;
    this.#done = new Promise((resolve, reject) => {
      let output: WorkerOutput | undefined;
      worker.once('message', (m: WorkerOutput) => (output = m));
      worker.once('error', (err) => reject(rethrown(thrownData(err))));
      worker.once('exit', (code) => {
        if (output && 'report' in output) resolve(output.report);
        else if (output) reject(rethrown(output.failed));
        else reject(new InternalError(`a compile worker exited (code ${code}) without its report`));
      });
    });
    // Observed by run(); a worker stopped or failed before then must not be an unhandled rejection.
    this.#done.catch(() => {});
  }

  /** Its share of the services: it builds their rule groups while this thread goes on. */
  share(model: Model): void {
    this.#worker.postMessage({ model } satisfies WorkerInput);
  }

  /** Its share's files put into a sink of `spec`; the sink's report, or what the worker threw. */
  run(sink: SinkSpec): Promise<SinkReport> {
    this.#worker.ref();
    this.#worker.postMessage({ sink } satisfies WorkerInput);
    return this.#done;
  }

  stop(): void {
    void this.#worker.terminate();
  }
}

/**
 * The threads of one `generate`. start() starts the workers a config of that many services
 * needs as soon as the number is known (the config imported, before it is validated), so that
 * their loading of sloforge overlaps this thread's work until it writes; share() hands each
 * worker its share of the model (starting any more it needs, stopping any it does not);
 * compile() writes. stop() ends every worker, for the paths that write nothing (a user error,
 * --strict) and a failure here while workers write.
 */
export class CompileThreads {
  #idle: CompileWorker[] = [];
  #working: CompileWorker[] = [];
  /** Services whose per-service files a worker compiles, one set per worker. */
  #shares: ReadonlySet<string>[] = [];

  /** Starts the workers for `services` services (none when one thread will do, or SLOFORGE_THREADS is wrong: share() says so). */
  start(services: number, env: NodeJS.ProcessEnv = process.env): void {
    let threads: number;
    try {
      threads = compileThreads(services, env);
    } catch {
      return;
    }
    while (this.#idle.length < threads - 1) this.#idle.push(new CompileWorker());
  }

  /**
   * Splits the services by `threads` (compileThreads of their number): the first share stays on
   * this thread, each other goes to a worker now. The model's own services; each worker keeps
   * those with rule groups.
   */
  share(model: Model, threads: number): void {
    const [, ...others] = shares(model.services, threads);
    for (const part of others.filter((p) => p.length > 0)) {
      const worker = this.#idle.shift() ?? new CompileWorker();
      worker.share({ ...model, services: part });
      this.#working.push(worker);
      this.#shares.push(new Set(part.map((s) => s.name)));
    }
    for (const w of this.#idle) w.stop();
    this.#idle = [];
  }

  /** Every file compileModel makes, put into sinks of `spec`: the workers' shares there, the rest here. */
  async compile(model: Model, rules: RuleSet, spec: SinkSpec): Promise<SinkReport[]> {
    const pending = this.#working.map((w) => w.run(spec));
    // A failed worker must not leave the others' rejections unobserved while this thread works.
    const settled = Promise.allSettled(pending);
    const withRules = rules.filter(({ groups }) => groups.length > 0);
    const own = withRules.filter(({ svc }) => !this.#shares.some((s) => s.has(svc.name)));
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

  /** Workers started and not stopped. */
  get workers(): number {
    return this.#idle.length + this.#working.length;
  }

  /** Ends the workers: those never told to write, and on a failure here those still writing. */
  stop(): void {
    for (const w of [...this.#idle, ...this.#working]) w.stop();
    this.#idle = [];
    this.#working = [];
  }
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
  const t = new CompileThreads();
  try {
    t.share(model, threads);
    return await t.compile(model, rules, spec);
  } finally {
    t.stop();
  }
}
