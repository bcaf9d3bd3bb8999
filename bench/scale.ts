// How generate and the generated promtool tests scale with the number of services (issue 13: 100
// services of bench/shape.ts must pass in at most 120 s on 2 cores, growing linearly).
// Run: npx tsx bench/scale.ts [--services 1,10,100] [--jobs N] [--sequential-up-to 10]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { validateConfig } from '../src/config/validate.js';
import { compileModel, summarize } from '../src/compile.js';
import { ruleSet } from '../src/prometheus/target.js';
import { resolveModel } from '../src/model/resolve.js';
import { writeArtifacts } from '../src/output/write.js';
import { TESTS_DIR } from '../src/promtool/target.js';
import { defaultJobs, findTestFiles, promtoolVersion, runPromtoolTests } from '../src/promtool/run.js';
import { shapeConfig } from './shape.js';
import { countingPromtool } from './cpu-time.js';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string', default: '1,10,100' },
    jobs: { type: 'string' },
    // One promtool process over every file is what `promtool test rules dir/*.yml` does; past 10
    // services it only repeats what the parallel run shows, at twice the wait.
    'sequential-up-to': { type: 'string', default: '10' },
  },
});
const sizes = args.services.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--services: expected whole numbers, got ${args.services}`);
const jobs = args.jobs ? Number(args.jobs) : defaultJobs();
const sequentialUpTo = Number(args['sequential-up-to']);

interface Row {
  services: number;
  slos: number;
  thresholds: number;
  rules: number;
  files: number;
  generateMs: number;
  sequentialMs?: number;
  sequentialCpu?: number;
  parallelMs: number;
  /** promtool user+sys seconds of the parallel run: the work, whatever else the machine did. */
  parallelCpu: number;
  slowest: { file: string; ms: number };
  minutesFileMs: number;
  daysFileMs: number;
  failed: string[];
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

async function measure(services: number): Promise<Row> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `sloforge-scale-${services}-`));
  const out = path.join(dir, 'generated');
  try {
    const start = performance.now();
    const model = resolveModel(validateConfig(shapeConfig(services)));
    const rules = ruleSet(model);
    await writeArtifacts(out, compileModel(model, rules));
    const generateMs = performance.now() - start;
    const n = summarize(model, rules);

    const files = await findTestFiles(path.join(out, TESTS_DIR));
    const promtool = countingPromtool(dir);
    let sequentialMs: number | undefined;
    let sequentialCpu: number | undefined;
    if (services <= sequentialUpTo) {
      const t = performance.now();
      const r = await execa(promtool.bin, ['test', 'rules', ...files], { reject: false, all: true });
      sequentialMs = performance.now() - t;
      sequentialCpu = promtool.take();
      if (r.exitCode !== 0) throw new Error(`sequential promtool run failed:\n${r.all}`);
    }
    const run = await runPromtoolTests(files, {
      jobs,
      promtool: promtool.bin,
      onResult: (r) => process.stderr.write(`  ${services} service(s): ${r.ok ? 'pass' : 'FAIL'} ${(r.ms / 1000).toFixed(1)}s ${path.basename(r.file)}\n`),
    });
    const days = run.results.filter((r) => r.file.endsWith('.days.test.yml'));
    const minutes = run.results.filter((r) => !r.file.endsWith('.days.test.yml'));
    const slowest = run.results.reduce((a, b) => (b.ms > a.ms ? b : a));
    return {
      services,
      slos: n.slos,
      thresholds: n.thresholds,
      rules: n.alerts + n.recordings,
      files: files.length,
      generateMs,
      sequentialMs,
      sequentialCpu,
      parallelMs: run.ms,
      parallelCpu: promtool.take(),
      slowest: { file: path.basename(slowest.file), ms: slowest.ms },
      minutesFileMs: mean(minutes.map((r) => r.ms)),
      daysFileMs: mean(days.map((r) => r.ms)),
      failed: run.results.filter((r) => !r.ok).map((r) => `${r.file}\n${r.output}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const cpu = (seconds: number | undefined) => (seconds === undefined || Number.isNaN(seconds) ? '-' : `${seconds.toFixed(1)} s`);

console.log(`${await promtoolVersion()}, ${os.availableParallelism()} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, ${jobs} at a time`);
const rows: Row[] = [];
for (const n of sizes) {
  rows.push(await measure(n));
  const r = rows[rows.length - 1]!;
  process.stderr.write(`  ${n} service(s) done: generate ${s(r.generateMs)}, promtool ${s(r.parallelMs)}\n`);
}

const header = [
  'services', 'SLOs', 'thresholds', 'rules', 'test files', 'generate', 'promtool sequential (cpu)', `promtool ${jobs} at a time (cpu)`, 'per service',
  'mean .test.yml', 'mean .days.test.yml', 'slowest file',
];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---:').join('|')}|`);
for (const r of rows) {
  console.log(
    `| ${[
      r.services, r.slos, r.thresholds, r.rules, r.files, s(r.generateMs), `${s(r.sequentialMs)} (${cpu(r.sequentialCpu)})`,
      `${s(r.parallelMs)} (${cpu(r.parallelCpu)})`, s(r.parallelMs / r.services), s(r.minutesFileMs), s(r.daysFileMs), `${r.slowest.file} ${s(r.slowest.ms)}`,
    ].join(' | ')} |`,
  );
}
console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; the goal is 100 services in at most 120 s on 2 cores`);
const failed = rows.flatMap((r) => r.failed);
if (failed.length > 0) {
  console.error(`${failed.length} test file(s) failed:\n${failed.join('\n')}`);
  process.exitCode = 1;
}
