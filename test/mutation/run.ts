// The mutation test of the generated promtool tests: break a generated rule file one change at a
// time (mutants.ts), run the service's generated tests on each broken copy, and count the copies
// they fail (killed). A copy that passes is a survivor: an alert parameter no test pins. Fails
// below a score of 0.95 on either output: the example `slos/` (the committed generated/) and the
// bench shape (bench/shape.ts, one service).
//
// Run: npm run test:mutation [-- --targets examples,shape] [--sample N | --sample examples=N,shape=M | --all] [--jobs N]
//      [--filter REGEX]: only the mutants whose id matches (with --all: every one of them), to work on one kind
//
// Each broken copy costs at most one service's promtool run (1.5 to 9 CPU s; test groups run one
// per file, so a killed copy stops at its first failing group), and the examples give about
// 1,500 mutants, so by default a deterministic sample runs: mutants ordered by a hash of their id,
// taken in turn from each kind of change, so every kind is represented and the same mutants run
// every time. `--all` runs every mutant (bench/README.md has the full figures).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { fileURLToPath } from 'node:url';
import { shapeConfig } from '../../bench/shape.js';
import { compileModel } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { resolveModel } from '../../src/model/resolve.js';
import { writeArtifacts } from '../../src/output/write.js';
import { rulesFileOf } from '../../src/prometheus/target.js';
import { inParallel, promtoolEnv, promtoolVersion, runTestFile } from '../../src/promtool/run.js';
import { mutants, type Mutant } from './mutants.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GOAL = 0.95;

const { values: args } = parseArgs({
  options: {
    targets: { type: 'string', default: 'examples,shape' },
    sample: { type: 'string' },
    all: { type: 'boolean', default: false },
    filter: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    promtool: { type: 'string', default: 'promtool' },
  },
});
const jobs = Number(args.jobs);
const promtoolEnvironment = promtoolEnv(jobs);
/** Mutants per target by default: every kind of change represented, at a fraction of the full run. */
const DEFAULT_SAMPLE: Record<string, number> = { examples: 40, shape: 60 };

/** `--sample N` for every target, or `--sample examples=N,shape=M` per target (the others keep their default). */
function sampleSize(target: string): number {
  const given = args.sample;
  if (given === undefined) return DEFAULT_SAMPLE[target] ?? 100;
  if (!given.includes('=')) return Number(given);
  const own = given.split(',').find((part) => part.split('=')[0] === target);
  return own ? Number(own.split('=')[1]) : (DEFAULT_SAMPLE[target] ?? 100);
}

interface Service {
  name: string;
  /** The rule file its mutants break. */
  rulesFile: string;
  /**
   * Its test groups, each in a file of its own (same rule files and settings), the quickest
   * first: promtool runs every group of a file even after one fails, and a killed mutant usually
   * fails an early group, so a mutant's run stops at the first group that fails it.
   */
  tests: string[];
}

interface Outcome {
  mutant: Mutant;
  service: string;
  killed: boolean;
  /** The test group that failed (`<file>.<n>.test.yml`: its n-th group), and promtool's first failing check. */
  by?: string;
  ms: number;
}

/**
 * Each test group of `file` in a file of its own beside the originals' copies in `into` (the rule
 * files are named relative to the test file, so the copies keep the layout `tests/` beside `rules/`).
 * promtool evaluates every group on storage of its own, so a group alone passes or fails as it
 * does in its file.
 */
function splitGroups(file: string, into: string): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as { tests: unknown[] };
  return doc.tests.map((group, i) => {
    const one = path.join(into, `${path.basename(file).replace(/\.test\.yml$/, '')}.${i + 1}.test.yml`);
    writeFileSync(one, stringify({ ...doc, tests: [group] }, { lineWidth: 0 }));
    return one;
  });
}

/** The rule files a test file loads, by their names in its `rule_files`. */
function loadedRules(file: string): string[] {
  return ((parse(readFileSync(file, 'utf8')) as { rule_files?: string[] }).rule_files ?? []).map((r) => path.basename(r));
}

/**
 * One entry per rule file (a service's SLOs', thresholds' or no-data rules, each in a file of its
 * own), with the test files that load it, each split into a file per test group.
 */
async function servicesOf(dir: string, work: string): Promise<Service[]> {
  const testsDir = path.join(dir, 'prometheus/tests');
  const tests = readdirSync(testsDir).sort();
  const groupsDir = path.join(work, 'groups', path.basename(dir), 'tests');
  mkdirSync(groupsDir, { recursive: true });
  cpSync(path.join(dir, 'prometheus/rules'), path.join(groupsDir, '..', 'rules'), { recursive: true });
  const split = new Map<string, string[]>();
  const groupsOf = (t: string) => split.get(t) ?? split.set(t, splitGroups(path.join(testsDir, t), groupsDir)).get(t)!;
  const loads = new Map(tests.map((t) => [t, loadedRules(path.join(testsDir, t))]));
  const out: Service[] = [];
  for (const f of readdirSync(path.join(dir, 'prometheus/rules')).sort()) {
    const own = tests.filter((t) => loads.get(t)!.includes(f)).flatMap(groupsOf);
    if (own.length === 0) continue;
    // The unbroken rules must pass, or every mutant would count as killed.
    const timed = await inParallel(own, jobs, async (t) => ({ t, r: await runTestFile(t, args.promtool, promtoolEnvironment) }));
    const failed = timed.filter((x) => !x.r.ok);
    if (failed.length > 0)
      throw new Error(`the unbroken rules fail their tests:\n${failed.map((x) => `${x.t}\n${x.r.output}`).join('\n')}`);
    out.push({
      // Mutant ids name the service, not the file, so the sample stays the same when rules move between a service's files.
      name: rulesFileOf(f).service,
      rulesFile: path.join(dir, 'prometheus/rules', f),
      tests: timed.sort((a, b) => a.r.ms - b.r.ms).map((x) => x.t),
    });
  }
  return out;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/** Up to `n` mutants, in turn from each kind of change, each kind in the order of its ids' hashes. */
export function sample<T extends { id: string; op: string }>(all: readonly T[], n: number): T[] {
  const byOp = new Map<string, T[]>();
  for (const m of [...all].sort((a, b) => (hash(a.id) < hash(b.id) ? -1 : 1))) byOp.set(m.op, [...(byOp.get(m.op) ?? []), m]);
  const queues = [...byOp.keys()].sort().map((k) => byOp.get(k)!);
  const out: T[] = [];
  while (out.length < n && queues.some((q) => q.length > 0))
    for (const q of queues) if (q.length > 0 && out.length < n) out.push(q.shift()!);
  return out;
}

function firstFailure(output: string): string {
  const line = output.split('\n').find((l) => /alertname:|expr:|FAILED|error/i.test(l));
  return (line ?? output.split('\n')[0] ?? '').trim().slice(0, 160);
}

async function runMutant(work: string, i: number, svc: Service, m: Mutant): Promise<Outcome> {
  const dir = path.join(work, String(i));
  mkdirSync(path.join(dir, 'tests'), { recursive: true });
  // The service's other rule files too: a test file may load several.
  cpSync(path.dirname(svc.rulesFile), path.join(dir, 'rules'), { recursive: true });
  writeFileSync(path.join(dir, 'rules', path.basename(svc.rulesFile)), m.rules);
  const start = performance.now();
  try {
    for (const t of svc.tests) {
      const copy = path.join(dir, 'tests', path.basename(t));
      cpSync(t, copy);
      const r = await runTestFile(copy, args.promtool, promtoolEnvironment);
      if (!r.ok)
        return {
          mutant: m,
          service: svc.name,
          killed: true,
          by: `${path.basename(t)}: ${firstFailure(r.output)}`,
          ms: performance.now() - start,
        };
    }
    return { mutant: m, service: svc.name, killed: false, ms: performance.now() - start };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function generateShape(work: string): Promise<string> {
  const out = path.join(work, 'shape');
  await writeArtifacts(out, compileModel(resolveModel(validateConfig(shapeConfig(1)))));
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function runTarget(target: string, work: string): Promise<boolean> {
  const start = performance.now();
  const dir = target === 'examples' ? path.join(REPO, 'generated') : await generateShape(work);
  const services = await servicesOf(dir, work);
  const all = services.flatMap((svc) =>
    mutants(readFileSync(svc.rulesFile, 'utf8')).map((m) => ({ ...m, id: `${svc.name}: ${m.id}`, svc })),
  );
  const untested = all.filter((m) => m.untested && !m.equivalent);
  const equivalent = all.flatMap((m) => (m.equivalent ? [{ m, reason: m.equivalent }] : []));
  const only = args.filter === undefined ? undefined : new RegExp(args.filter);
  const candidates = all.filter((m) => !m.equivalent && !m.untested && (!only || only.test(m.id)));
  const n = args.all ? candidates.length : sampleSize(target);
  const chosen = sample(candidates, n);
  console.log(
    `${target}: ${new Set(services.map((s) => s.name)).size} service(s) in ${services.length} rule file(s), ${all.length} mutants, ${equivalent.length} equivalent, ${untested.length} of rules no generated test can feed, running ${chosen.length}${chosen.length < candidates.length ? ' (a deterministic sample; --all for every one)' : ''}, ${jobs} at a time`,
  );
  let started = 0;
  const outcomes = await inParallel(chosen, jobs, async (m) => {
    const o = await runMutant(work, started++, m.svc, m);
    if (!o.killed) process.stderr.write(`  survivor: ${m.id}\n`);
    return o;
  });
  const killed = outcomes.filter((o) => o.killed).length;
  const score = outcomes.length === 0 ? 1 : killed / outcomes.length;
  const byOp = new Map<string, { killed: number; total: number }>();
  for (const o of outcomes) {
    const s = byOp.get(o.mutant.op) ?? { killed: 0, total: 0 };
    s.total++;
    if (o.killed) s.killed++;
    byOp.set(o.mutant.op, s);
  }
  console.log(`| change (${target}) | killed |\n|---|---:|`);
  for (const [op, s] of [...byOp].sort()) console.log(`| ${op} | ${s.killed} of ${s.total} |`);
  const survivors = outcomes.filter((o) => !o.killed);
  console.log(`survivors (${survivors.length}):`);
  for (const o of survivors) console.log(`  ${o.mutant.id}`);
  const reasons = new Map<string, string[]>();
  for (const { m, reason } of equivalent) reasons.set(reason, [...(reasons.get(reason) ?? []), m.id]);
  console.log(`equivalent mutants, not counted (${equivalent.length}):`);
  for (const [reason, ids] of reasons)
    console.log(
      `  ${ids.length} x ${reason}\n${ids
        .slice(0, 3)
        .map((id) => `      e.g. ${id}`)
        .join('\n')}`,
    );
  const apart = new Map<string, string[]>();
  for (const m of untested) apart.set(m.untested!, [...(apart.get(m.untested!) ?? []), m.id]);
  console.log(`mutants of rules no generated test can feed, not counted (${untested.length}):`);
  for (const [reason, ids] of apart)
    console.log(
      `  ${ids.length} x ${reason}\n${ids
        .slice(0, 3)
        .map((id) => `      e.g. ${id}`)
        .join('\n')}`,
    );
  const cpu = outcomes.reduce((s, o) => s + o.ms, 0);
  const ok = score >= GOAL;
  console.log(
    `${target}: mutation score ${killed}/${outcomes.length} = ${pct(score)} (goal ${pct(GOAL)}) in ${((performance.now() - start) / 1000).toFixed(1)} s (${(cpu / 1000).toFixed(1)} s of promtool runs) ${ok ? 'ok' : 'FAILED'}`,
  );
  return ok;
}

console.log(
  `${await promtoolVersion(args.promtool)}, ${os.availableParallelism()} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const work = mkdtempSync(path.join(os.tmpdir(), 'sloforge-mutation-'));
// A run stopped by Ctrl-C or a CI timeout must not leave its broken copies (tens of MB) behind;
// execa ends the promtool children when this process exits.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    rmSync(work, { recursive: true, force: true });
    process.exit(code);
  });
}
try {
  const results: boolean[] = [];
  for (const t of args.targets.split(',')) results.push(await runTarget(t, work));
  const passed = results.filter(Boolean).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
  if (passed < results.length) process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
