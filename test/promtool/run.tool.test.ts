// `sloforge test` runs every generated promtool test file, several at once, reports each file's
// time and result, and fails naming the file when one fails or when promtool is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, writeTree } from '../helpers/cli.js';
import { team } from '../helpers/teams.js';
import { tool } from '../helpers/tools.js';
import { findTestFiles, inParallel } from '../../src/promtool/run.js';

// Threshold-only services keep each generated file to about a second of promtool time.
function service(name: string) {
  return {
    name,
    team: 'ops',
    thresholds: [
      { name: 'cpu', expr: `avg(rate(process_cpu_seconds_total{job="${name}"}[5m])) * 100`, warning: 70, critical: 85, for: '5m' },
    ],
  };
}

async function generated(services: string[]): Promise<string> {
  const dir = writeTree({
    'slos/index.ts': `export default ${JSON.stringify({ teams: [team('ops')], services: services.map(service) })};\n`,
  });
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

const testsDir = (out: string) => path.join(out, 'prometheus/tests');
/** The per-file lines: result, seconds, file. */
const fileLines = (stdout: string) =>
  [...stdout.matchAll(/^(pass|FAIL) +(\d+\.\d)s {2}(\S+)$/gm)].map((m) => ({ result: m[1], file: path.basename(m[3]!) }));

test('sloforge test passes on generated files and prints a time line per file and a total', async () => {
  const out = await generated(['api', 'web']);
  const r = await cli('test', '--out', out, '--promtool', await tool('promtool'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(
    fileLines(r.stdout).sort((a, b) => a.file.localeCompare(b.file)),
    [
      { result: 'pass', file: 'api.nodata.test.yml' },
      { result: 'pass', file: 'api.thresholds.test.yml' },
      { result: 'pass', file: 'web.nodata.test.yml' },
      { result: 'pass', file: 'web.thresholds.test.yml' },
    ],
  );
  assert.match(r.stdout, /^4 test file\(s\): 4 passed, 0 failed, in \d+\.\ds \(2 at a time; \d+\.\ds of promtool time\)$/m);
});

test("one broken test file fails the run, named with promtool's report, while the others pass", async () => {
  const out = await generated(['api', 'web']);
  const broken = path.join(testsDir(out), 'web.thresholds.test.yml');
  // Expect the critical alert with a severity the rule never sets: promtool must disagree.
  writeFileSync(broken, readFileSync(broken, 'utf8').replace('severity="critical"', 'severity="wrong"'));
  const r = await cli('test', '--out', out, '--promtool', await tool('promtool'));
  assert.equal(r.code, 1);
  assert.deepEqual(
    fileLines(r.stdout).sort((a, b) => a.file.localeCompare(b.file)),
    [
      { result: 'pass', file: 'api.nodata.test.yml' },
      { result: 'pass', file: 'api.thresholds.test.yml' },
      { result: 'pass', file: 'web.nodata.test.yml' },
      { result: 'FAIL', file: 'web.thresholds.test.yml' },
    ],
  );
  // promtool's own account of the failure follows the file's line, indented.
  assert.match(r.stdout, /FAIL .*web\.thresholds\.test\.yml\n(    .*\n)*    .*severity="wrong"/);
  assert.match(r.stdout, /4 test file\(s\): 3 passed, 1 failed/);
});

test('--jobs 1 runs the files one after another and still reports each', async () => {
  const out = await generated(['api', 'web', 'db']);
  const r = await cli('test', '--out', out, '--jobs', '1', '--promtool', await tool('promtool'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(fileLines(r.stdout).length, 6);
  assert.match(r.stdout, /6 passed, 0 failed, in .*\(1 at a time;/);
});

test('the pool never has more than --jobs runs in flight, and keeps results in file order', async () => {
  for (const limit of [1, 2, 5]) {
    let running = 0;
    let most = 0;
    const results = await inParallel([1, 2, 3, 4, 5, 6], limit, async (n) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return n * 10;
    });
    assert.equal(most, limit);
    assert.deepEqual(results, [10, 20, 30, 40, 50, 60]);
  }
});

test('missing promtool is a failure of the environment: exit 2, saying how to install it', async () => {
  const out = await generated(['api']);
  const r = await cli('test', '--out', out, '--promtool', path.join(out, 'no-such-promtool'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no-such-promtool.*not found/);
  assert.match(r.stderr, /apt-get install prometheus/);
});

test('an output folder without generated tests, or a bad --jobs, is a usage error', async () => {
  const empty = writeTree({ 'README.md': 'nothing here\n' });
  const r = await cli('test', '--out', empty);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /prometheus\/tests: not found; run `sloforge generate/);
  const jobs = await cli('test', '--out', empty, '--jobs', '0');
  assert.equal(jobs.code, 2);
  assert.match(jobs.stderr, /--jobs.*at least 1/);
});

test('test files are run biggest first', async () => {
  const dir = writeTree({
    'a.test.yml': 'x\n',
    'b.test.yml': 'x'.repeat(100),
    'c.test.yml': 'x'.repeat(10),
    'notes.txt': 'x'.repeat(1000),
  });
  assert.deepEqual(
    (await findTestFiles(dir)).map((f) => path.basename(f)),
    ['b.test.yml', 'c.test.yml', 'a.test.yml'],
  );
});
