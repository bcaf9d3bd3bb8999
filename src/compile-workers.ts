// A big config compiles on more than one core: the per-service targets (rules, promtool tests,
// engine copies) are most of the work and each service's files depend on that service alone, so
// worker threads compile them for shares of the services while the main thread compiles its own
// share and everything that spans services. The files, sorted by path, are the same bytes as a
// compile on one thread (compile.test checks), which stays the path for small configs, where a
// thread's start costs more than it saves.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileModel, needsEveryRule, perServiceArtifacts, ruleCounts, type RuleCounts } from './compile.js';
import { openSink, type ArtifactSink, type SinkReport, type SinkSpec } from './output/write.js';
import type { Model } from './model/types.js';
import { ruleSet, type RuleSet } from './prometheus/target.js';
import { EnvironmentError, InternalError, isSystemError, SloforgeError, UserError } from './errors.js';

/** Below this many services per thread a worker's start (loading sloforge, copying its share) outweighs its share. */
const MIN_SERVICES_PER_THREAD = 40;
/** More threads than this gain little: the main thread's own work and the writing of files stay serial. */
const MAX_THREADS = 4;
/**
 * The main thread's share of services next to a worker's. A worker loads sloforge while this
 * thread validates the config, then builds its share's rule groups and writes; this thread
 * builds its own share's, the notices and the files that span services before it writes its
 * share. Measured on 1,000 services of the bench shape on 2 cores (CPU time of each thread,
 * three runs), this thread then reaches its writing about 0.6 s of CPU later than a worker, and
 * a worker spends about 5% more per service: 0.9 of a worker's share ends both at about the same time.
 */
const MAIN_SHARE = 0.9;

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
 * groups it builds at once; then where to put its files (at once too when `generate` knows where
 * before it needs the rule groups of its own share).
 */
export type WorkerInput = { model: Model } | { sink: SinkSpec };

/** What a worker's share came to: its sink's report and its rules in numbers (for the summary line). */
export interface WorkerResult {
  report: SinkReport;
  rules: RuleCounts;
}

/** What a worker sends back: its result, or what it threw, in a form a message can carry. */
export type WorkerOutput = WorkerResult | { failed: ThrownData };

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
  readonly #done: Promise<WorkerResult>;
  #sink: SinkSpec | undefined;

  constructor() {
    const worker = startWorker();
    worker.unref();
    this.#worker = worker;
    this.#done = new Promise((resolve, reject) => {
      let output: WorkerOutput | undefined;
      worker.once('message', (m: WorkerOutput) => (output = m));
      worker.once('error', (err) => reject(rethrown(thrownData(err))));
      worker.once('exit', (code) => {
        if (output && 'report' in output) resolve(output);
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

  /** Its share's files put into a sink of `spec` (once; later calls with the same spec only wait); its result, or what the worker threw. */
  run(sink: SinkSpec): Promise<WorkerResult> {
    if (this.#sink === undefined) {
      this.#sink = sink;
      this.#worker.ref();
      this.#worker.postMessage({ sink } satisfies WorkerInput);
    } else if (this.#sink.kind !== sink.kind || this.#sink.dir !== sink.dir) {
      throw new InternalError(`a compile worker told to write into ${this.#sink.dir} was then told ${sink.dir}`);
    }
    return this.#done;
  }

  /** Ends the thread; resolves once it has stopped, so that nothing it wrote comes after. */
  stop(): Promise<void> {
    return this.#worker.terminate().then(() => undefined);
  }
}

/**
 * The threads of one `generate`. start() starts the workers a config of that many services
 * needs as soon as the number is known (the config imported, before it is validated), so that
 * their loading of sloforge overlaps this thread's work until it writes; share() hands each
 * worker its share of the model (starting any more it needs, stopping any it does not), and
 * where to write when that is known already; compile() writes this thread's share. Each thread
 * builds the rule groups of its own share only (rules()), unless a target needs them all.
 * stop() ends every worker, for the paths that write nothing (a user error, --strict) and a
 * failure here while workers write.
 */
export class CompileThreads {
  #idle: CompileWorker[] = [];
  #working: CompileWorker[] = [];
  /** Services whose per-service files a worker compiles. */
  #elsewhere = new Set<string>();
  #counts: RuleCounts[] = [];

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
   * this thread, each other goes to a worker now; with `spec`, each worker writes its files
   * there as soon as its rule groups are built.
   */
  share(model: Model, threads: number, spec?: SinkSpec): void {
    const [, ...others] = shares(model.services, threads);
    for (const part of others.filter((p) => p.length > 0)) {
      const worker = this.#idle.shift() ?? new CompileWorker();
      worker.share({ ...model, services: part });
      if (spec) void worker.run(spec).catch(() => {});
      this.#working.push(worker);
      for (const s of part) this.#elsewhere.add(s.name);
    }
    for (const w of this.#idle) void w.stop();
    this.#idle = [];
  }

  /** The rule groups this thread needs after share(): its own share's, or every service's when a target reads them all. */
  rules(model: Model): RuleSet {
    if (needsEveryRule(model) || this.#elsewhere.size === 0) return ruleSet(model);
    return ruleSet({ ...model, services: model.services.filter((s) => !this.#elsewhere.has(s.name)) });
  }

  /**
   * Every file compileModel makes, put into sinks of `spec`: the workers' shares there, the rest
   * here. `rules`: at least this thread's share's (rules()), every service's when a target needs them.
   */
  async compile(model: Model, rules: RuleSet, spec: SinkSpec): Promise<SinkReport[]> {
    const pending = this.#working.map((w) => w.run(spec));
    // A failed worker must not leave the others' rejections unobserved while this thread works.
    const settled = Promise.allSettled(pending);
    const own = rules.filter(({ svc }) => !this.#elsewhere.has(svc.name));
    const ownServices = model.services.length - this.#elsewhere.size;
    if (own.length !== ownServices) throw new InternalError(`rule groups of ${own.length} services for a share of ${ownServices}`);
    const sink = openSink(spec);
    // Here compileModel makes only the files that span services: each service's are putServices'.
    for (const a of compileModel(model, rules, new Set(model.services.map((s) => s.name)))) sink.put(a);
    putServices(model, own, sink);
    const reports = [sink.report()];
    this.#counts = [ruleCounts(own)];
    for (const r of await settled) {
      if (r.status === 'rejected') throw r.reason;
      reports.push(r.value.report);
      this.#counts.push(r.value.rules);
    }
    return reports;
  }

  /** The alerting and recording rules of every thread's share, after compile(). */
  get ruleCounts(): RuleCounts {
    return this.#counts.reduce((a, b) => ({ alerts: a.alerts + b.alerts, recordings: a.recordings + b.recordings }), {
      alerts: 0,
      recordings: 0,
    });
  }

  /** Workers started and not stopped. */
  get workers(): number {
    return this.#idle.length + this.#working.length;
  }

  /** Ends the workers: those never told to write, and on a failure here those still writing; resolves once all have stopped. */
  async stop(): Promise<void> {
    const all = [...this.#idle, ...this.#working];
    this.#idle = [];
    this.#working = [];
    await Promise.all(all.map((w) => w.stop()));
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
    await t.stop();
  }
}
