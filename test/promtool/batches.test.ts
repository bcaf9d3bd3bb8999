// Several test files per promtool process (a start costs about 0.08 CPU s): each file still gets
// its own result and time, and a file that does not pass is run again alone for its own report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { batches, runPromtoolTests } from '../../src/promtool/run.js';

test('files are dealt into balanced batches, four per job at least and at most six files each', () => {
  const ten = Array.from({ length: 10 }, (_, i) => i);
  const one = batches(ten, 1);
  assert.deepEqual(one, [
    [0, 7, 8],
    [1, 6, 9],
    [2, 5],
    [3, 4],
  ]);
  const many = batches(
    Array.from({ length: 500 }, (_, i) => i),
    2,
  );
  assert.equal(many.length, 84);
  assert.ok(many.every((b) => b.length >= 5 && b.length <= 6));
  assert.deepEqual(
    many.flat().sort((a, b) => a - b),
    Array.from({ length: 500 }, (_, i) => i),
  );
  // Few files: one each, so the jobs share them as before.
  assert.deepEqual(batches(['a', 'b', 'c'], 2), [['a'], ['b'], ['c']]);
});

/**
 * A stand-in promtool that prints what 2.42 prints: `Unit Testing:  <file>` on stdout before each
 * file, `  SUCCESS` after one that passes, `  FAILED:` and the reason on stderr. A file holding
 * "bad" fails, one holding "crash" kills the process. Every call is logged.
 */
function fakePromtool(dir: string): { bin: string; calls: () => string[][] } {
  const bin = path.join(dir, 'promtool');
  const log = path.join(dir, 'calls.log');
  writeFileSync(
    bin,
    `#!/bin/sh
shift 2
echo "$*" >> '${log}'
status=0
for f in "$@"; do
  echo "Unit Testing:  $f"
  if grep -q crash "$f"; then kill -9 $$; fi
  if grep -q bad "$f"; then echo "  FAILED:" >&2; echo "    $(basename "$f") expected an alert" >&2; status=1; else echo "  SUCCESS"; fi
  echo
done
exit $status
`,
  );
  chmodSync(bin, 0o755);
  writeFileSync(log, '');
  return {
    bin,
    calls: () =>
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').map((f) => path.basename(f))),
  };
}

test('a batch reports each file: those that passed from its output, the others from a run of their own', async () => {
  const dir = tempDir('sloforge-batches-');
  const names = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}.test.yml`);
  for (const n of names) writeFileSync(path.join(dir, n), n === 'f05.test.yml' ? 'bad\n' : n === 'f06.test.yml' ? 'crash\n' : 'ok\n');
  const files = names.map((n) => path.join(dir, n));
  const fake = fakePromtool(dir);
  const run = await runPromtoolTests(files, { jobs: 1, promtool: fake.bin });
  assert.deepEqual(
    run.results.map((r) => [path.basename(r.file), r.ok]),
    names.map((n) => [n, n !== 'f05.test.yml' && n !== 'f06.test.yml']),
  );
  const bad = run.results[5]!;
  // stdout's blank line may land anywhere in stderr's report: two pipes, read as they come.
  assert.match(bad.output, /FAILED:\n(?:\n)* {4}f05\.test\.yml expected an alert/);
  assert.match(run.results[6]!.output, /killed by SIGKILL/);
  for (const r of run.results) assert.ok(r.ms >= 0 && Number.isFinite(r.ms), r.file);
  const calls = fake.calls();
  // Four batches of three (jobs 1: four batches at least); the failed, the killed and the files
  // the killed batch never reached ran again alone.
  assert.deepEqual(
    calls.filter((c) => c.length > 1),
    batches(names, 1),
  );
  assert.deepEqual(
    calls.filter((c) => c.length === 1),
    [['f06.test.yml'], ['f09.test.yml'], ['f05.test.yml']],
  );
});
