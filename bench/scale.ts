// How generate and the generated promtool tests scale with the number of services (issue 13: 100
// services of bench/shape.ts must pass in at most 120 s on 2 cores, growing linearly).
// Run: npx tsx bench/scale.ts [--services 1,10,100] [--jobs N] [--sequential-up-to 10]
//      npx tsx bench/scale.ts --no-test [--services 1,1000,5000]: `sloforge generate` alone (issue
//      24: 1,000 services in at most 5 s and 400 MB, 5,000 in at most 25 s and 1.5 GB, 2 cores),
//      each size a fresh CLI process whose wall time, CPU time and peak memory are reported;
//      `bash scripts/node-lts.sh npx tsx bench/scale.ts --no-test` runs it on the Node.js LTS the package targets.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { validateConfig } from '../src/config/validate.js';
import { compileModel, ruleCounts, summarize } from '../src/compile.js';
import { ruleSet } from '../src/prometheus/target.js';
import { resolveModel } from '../src/model/resolve.js';
import { writeArtifacts } from '../src/output/write.js';
import { TESTS_DIR } from '../src/promtool/target.js';
import { defaultJobs, findTestFiles, promtoolVersion, runPromtoolTests } from '../src/promtool/run.js';
import { shapeConfig } from './shape.js';
import { countingPromtool } from './cpu-time.js';

const { values: args } = parseArgs({
  options: {
    services: { type: 'string' },
    'no-test': { type: 'boolean', default: false },
    jobs: { type: 'string' },
    // One promtool process over every file is what `promtool test rules dir/*.yml` does; past 10
    // services it only repeats what the parallel run shows, at twice the wait.
    'sequential-up-to': { type: 'string', default: '10' },
  },
});
const servicesArg = args.services ?? (args['no-test'] ? '1,1000,5000' : '1,10,100');
const sizes = servicesArg.split(',').map(Number);
if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--services: expected whole numbers, got ${servicesArg}`);
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
  steadyFileMs: number;
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
    const n = summarize(model, ruleCounts(rules));

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
      onResult: (r) =>
        process.stderr.write(`  ${services} service(s): ${r.ok ? 'pass' : 'FAIL'} ${(r.ms / 1000).toFixed(1)}s ${path.basename(r.file)}\n`),
    });
    const days = run.results.filter((r) => r.file.endsWith('.days.test.yml'));
    const steady = run.results.filter((r) => r.file.endsWith('.steady.test.yml'));
    const minutes = run.results.filter((r) => !/\.(days|steady|baselines)\.test\.yml$/.test(r.file));
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
      steadyFileMs: mean(steady.map((r) => r.ms)),
      failed: run.results.filter((r) => !r.ok).map((r) => `${r.file}\n${r.output}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const cpu = (seconds: number | undefined) => (seconds === undefined || Number.isNaN(seconds) ? '-' : `${seconds.toFixed(1)} s`);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface GenerateRow {
  services: number;
  files: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  maxRssMB: number;
}

function treeSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(path.join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

/**
 * The CLI as the package ships it (compiled JavaScript in dist/, next to bin/): a checkout runs
 * src/ through tsx instead, which would add the transpiling of sloforge itself to every figure.
 */
async function builtCli(into: string): Promise<string> {
  const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  await execa(process.execPath, [tsc, '-p', path.join(repo, 'tsconfig.build.json'), '--outDir', path.join(into, 'dist')]);
  mkdirSync(path.join(into, 'bin'));
  for (const f of readdirSync(path.join(repo, 'bin'))) writeFileSync(path.join(into, 'bin', f), readFileSync(path.join(repo, 'bin', f)));
  writeFileSync(path.join(into, 'package.json'), readFileSync(path.join(repo, 'package.json')));
  symlinkSync(path.join(repo, 'node_modules'), path.join(into, 'node_modules'));
  return path.join(into, 'bin', 'sloforge.mjs');
}

/**
 * One `sloforge generate` of the bench shape, as a user runs it: the packaged CLI, in a fresh
 * process. Its folder is left in `keep` for the caller to remove after the last run: on this
 * machine's ext4, creating a file passes over the inodes freed within about the last half
 * minute one by one, so removing one run's thousands of files just before the next run added 1 to 3 s
 * of system CPU to that run (bench/README.md, fourth session).
 */
async function measureGenerate(cli: string, services: number, keep: string[]): Promise<GenerateRow> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `sloforge-generate-${services}-`));
  keep.push(dir);
  const slos = path.join(dir, 'slos');
  mkdirSync(slos);
  const shape = path.join(repo, 'bench', 'shape.ts');
  writeFileSync(
    path.join(slos, 'index.ts'),
    `import { shapeConfig } from ${JSON.stringify(shape)};\nexport default shapeConfig(${services});\n`,
  );
  const usageFile = path.join(dir, 'usage.json');
  const out = path.join(dir, 'generated');
  const start = performance.now();
  const r = await execa(
    process.execPath,
    ['--import', path.join(repo, 'bench', 'usage-on-exit.mjs'), cli, 'generate', '--slos', slos, '--out', out],
    {
      reject: false,
      all: true,
      env: { SLOFORGE_USAGE_FILE: usageFile },
    },
  );
  const wallMs = performance.now() - start;
  if (r.exitCode !== 0) throw new Error(`generate of ${services} service(s) failed:\n${r.all}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { userMs: number; systemMs: number; maxRssKiB: number };
  return { services, ...treeSize(out), wallMs, cpuMs: usage.userMs + usage.systemMs, maxRssMB: usage.maxRssKiB / 1024 };
}

if (args['no-test']) {
  console.log(
    `sloforge generate alone: Node ${process.version}, ${os.availableParallelism()} CPUs, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const pkg = mkdtempSync(path.join(os.tmpdir(), 'sloforge-package-'));
  const cli = await builtCli(pkg);
  const rows: GenerateRow[] = [];
  const runs: string[] = [];
  try {
    for (const n of sizes) {
      rows.push(await measureGenerate(cli, n, runs));
      process.stderr.write(`  ${n} service(s): ${(rows[rows.length - 1]!.wallMs / 1000).toFixed(1)} s\n`);
    }
  } finally {
    // A failed run leaves nothing behind either.
    for (const dir of [pkg, ...runs]) rmSync(dir, { recursive: true, force: true });
  }
  console.log('| services | files | output | wall | CPU (user+sys) | peak memory (max RSS) |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.services} | ${r.files} | ${(r.bytes / 1e6).toFixed(1)} MB | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.cpuMs / 1000).toFixed(1)} s | ${r.maxRssMB.toFixed(0)} MB |`,
    );
  }
  console.log(
    `load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; the goals are 1,000 services in at most 5 s and 400 MB, 5,000 in at most 25 s and 1.5 GB, on 2 cores`,
  );
  process.exit(0);
}

console.log(
  `${await promtoolVersion()}, ${os.availableParallelism()} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${jobs} at a time`,
);
const rows: Row[] = [];
for (const n of sizes) {
  rows.push(await measure(n));
  const r = rows[rows.length - 1]!;
  process.stderr.write(`  ${n} service(s) done: generate ${s(r.generateMs)}, promtool ${s(r.parallelMs)}\n`);
}

const header = [
  'services',
  'SLOs',
  'thresholds',
  'rules',
  'test files',
  'generate',
  'promtool sequential (cpu)',
  `promtool ${jobs} at a time (cpu)`,
  'per service',
  'mean 1m file (SLOs, thresholds, no-data)',
  'mean .days.test.yml',
  'mean .steady.test.yml',
  'slowest file',
];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---:').join('|')}|`);
for (const r of rows) {
  console.log(
    `| ${[
      r.services,
      r.slos,
      r.thresholds,
      r.rules,
      r.files,
      s(r.generateMs),
      `${s(r.sequentialMs)} (${cpu(r.sequentialCpu)})`,
      `${s(r.parallelMs)} (${cpu(r.parallelCpu)})`,
      s(r.parallelMs / r.services),
      s(r.minutesFileMs),
      s(r.daysFileMs),
      s(r.steadyFileMs),
      `${r.slowest.file} ${s(r.slowest.ms)}`,
    ].join(' | ')} |`,
  );
}
console.log(
  `load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; the goal is 100 services in at most 120 s on 2 cores`,
);
const failed = rows.flatMap((r) => r.failed);
if (failed.length > 0) {
  console.error(`${failed.length} test file(s) failed:\n${failed.join('\n')}`);
  process.exitCode = 1;
}
