// Runs the generated promtool unit tests: several `promtool test rules` processes at once, because
// promtool evaluates a file's test groups one after another on a single core, each process given
// a few files (a process start costs promtool about 0.08 CPU s, a tenth of a small file).
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { EnvironmentError } from '../errors.js';

export const PROMTOOL_INSTALL_HINT =
  'install Prometheus 2.42 or later (Debian/Ubuntu: `apt-get install prometheus`, which ships promtool), ' + 'or pass --promtool PATH';

export interface TestFileResult {
  file: string;
  ok: boolean;
  ms: number;
  /** promtool's stdout and stderr, interleaved as printed. */
  output: string;
}

export interface TestRunSummary {
  results: TestFileResult[];
  /** Wall time of the whole run. */
  ms: number;
  jobs: number;
}

export interface RunOptions {
  jobs: number;
  /** The promtool binary, a name on PATH or a path. */
  promtool?: string;
  /** Called as each file finishes, for progress on long runs. */
  onResult?: (r: TestFileResult) => void;
}

/** Runs `fn` over items with at most `limit` in flight; results keep the items' order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

export function defaultJobs(): number {
  return os.availableParallelism();
}

/**
 * The environment each promtool child adds when `jobs` of them run at once: GOMAXPROCS set to its
 * share of the cores. promtool evaluates a test file on one goroutine, but Go's runtime sizes its
 * garbage collector's workers to every core, so N processes on N cores each spread their
 * collections over all of them and contend (bench/README.md: at 2 on 2 cores, 15 to 25% less
 * CPU and wall time with GOMAXPROCS=1). A GOMAXPROCS the user set is left alone.
 */
export function promtoolEnv(jobs: number, env: NodeJS.ProcessEnv = process.env, cores = os.availableParallelism()): Record<string, string> {
  if (env.GOMAXPROCS) return {};
  return { GOMAXPROCS: String(Math.max(1, Math.floor(cores / Math.max(1, jobs)))) };
}

/**
 * The test files in `dir`, biggest first: with N at a time, a long file started last would keep
 * one core busy while the others idle. Size is a rough estimate: a days file is smaller than its
 * service's minutes file but slower (its long series fold into promtool's a+bxn notation), which
 * costs at most one file's time at the end of a run (bench/README.md).
 */
export async function findTestFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f));
  const sized = await Promise.all(names.map(async (f) => ({ file: path.join(dir, f), size: (await stat(path.join(dir, f))).size })));
  return sized.sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : 1)).map((s) => s.file);
}

/** promtool's version line; throws an EnvironmentError (exit 2) when it cannot be run. */
export async function promtoolVersion(bin = 'promtool'): Promise<string> {
  const r = await execa(bin, ['--version'], { reject: false, all: true });
  if (r.exitCode !== 0) {
    const why = r.code === 'ENOENT' ? 'not found' : (r.all || r.shortMessage || `exit code ${r.exitCode}`).trim();
    throw new EnvironmentError(`promtool (${bin}): ${why}; ${PROMTOOL_INSTALL_HINT}`);
  }
  const first = (r.all ?? '').split('\n')[0]!.trim();
  const version = /version (\S+)/.exec(first)?.[1];
  return version ? `promtool ${version}` : first;
}

/** One `promtool test rules` run; `env` is added to this process's environment (see promtoolEnv). */
export async function runTestFile(file: string, bin = 'promtool', env: Record<string, string> = {}): Promise<TestFileResult> {
  const start = performance.now();
  const r = await execa(bin, ['test', 'rules', file], { reject: false, all: true, env });
  const ms = performance.now() - start;
  if (r.code === 'ENOENT') throw new EnvironmentError(`promtool (${bin}): not found; ${PROMTOOL_INSTALL_HINT}`);
  // A signal (out of memory, a timeout in CI) leaves no promtool output to explain the failure.
  const output = r.signal ? `${r.all ?? ''}\npromtool was killed by ${r.signal}`.trim() : (r.all ?? '');
  return { file, ok: r.exitCode === 0, ms, output };
}

/** Files per promtool process, at most; fewer when that would leave fewer than four batches per job. */
const BATCH_FILES = 6;

/**
 * `files` (biggest first) dealt into batches, one promtool process each: enough batches that the
 * jobs stay balanced at the end of a run (four per job at least), each batch as big as the
 * others, by dealing the files to the batches in turn, back and forth.
 */
export function batches<T>(files: readonly T[], jobs: number): T[][] {
  const count = Math.min(files.length, Math.max(jobs * 4, Math.ceil(files.length / BATCH_FILES)));
  const out: T[][] = Array.from({ length: count }, () => []);
  files.forEach((f, i) => {
    const pass = Math.floor(i / count);
    const k = i % count;
    out[pass % 2 === 0 ? k : count - 1 - k]!.push(f);
  });
  return out;
}

const HEADER = /^Unit Testing: {2}/;

/**
 * One promtool process for several files. promtool tests them in order, printing `Unit Testing:
 * <file>` on stdout before each and `  SUCCESS` after each that passed; its failures go to stderr,
 * which carries no file name. So a file's time runs from its line to the next file's (the first
 * carries the process start), and a file that did not pass is run again alone for its own report
 * and result.
 */
async function runBatch(files: readonly string[], bin: string, env: Record<string, string>): Promise<TestFileResult[]> {
  if (files.length === 1) return [await runTestFile(files[0]!, bin, env)];
  const start = performance.now();
  const marks: number[] = [];
  const passed = new Set<number>();
  const child = execa(bin, ['test', 'rules', ...files], { reject: false, env, lines: false });
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('utf8')).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (HEADER.test(line)) marks.push(performance.now());
      else if (line === '  SUCCESS' && marks.length > 0) passed.add(marks.length - 1);
    }
  });
  const r = await child;
  if (r.code === 'ENOENT') throw new EnvironmentError(`promtool (${bin}): not found; ${PROMTOOL_INSTALL_HINT}`);
  const end = performance.now();
  const out: TestFileResult[] = [];
  // One after another: the batch holds one of the run's job slots.
  for (const [i, file] of files.entries()) {
    const from = i === 0 ? start : marks[i]!;
    out.push(
      passed.has(i)
        ? { file, ok: true, ms: (marks[i + 1] ?? end) - from, output: `Unit Testing:  ${file}\n  SUCCESS\n` }
        : await runTestFile(file, bin, env),
    );
  }
  return out;
}

export async function runPromtoolTests(files: readonly string[], opts: RunOptions): Promise<TestRunSummary> {
  const start = performance.now();
  const env = promtoolEnv(opts.jobs);
  const bin = opts.promtool ?? 'promtool';
  const results: TestFileResult[] = new Array(files.length);
  const indices = files.map((_, i) => i);
  await inParallel(batches(indices, opts.jobs), opts.jobs, async (batch) => {
    const rs = await runBatch(
      batch.map((i) => files[i]!),
      bin,
      env,
    );
    rs.forEach((r, k) => {
      results[batch[k]!] = r;
      opts.onResult?.(r);
    });
  });
  return { results, ms: performance.now() - start, jobs: opts.jobs };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One line per file; a failure is followed by promtool's own report, indented. */
export function formatResult(r: TestFileResult, shownAs = r.file): string {
  const line = `${r.ok ? 'pass' : 'FAIL'} ${seconds(r.ms).padStart(7)}  ${shownAs}`;
  if (r.ok) return line;
  return `${line}\n${r.output
    .trimEnd()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}`;
}

export function formatSummary(s: TestRunSummary): string {
  const failed = s.results.filter((r) => !r.ok).length;
  const busy = s.results.reduce((sum, r) => sum + r.ms, 0);
  return (
    `${s.results.length} test file(s): ${s.results.length - failed} passed, ${failed} failed, ` +
    `in ${seconds(s.ms)} (${s.jobs} at a time; ${seconds(busy)} of promtool time)`
  );
}
