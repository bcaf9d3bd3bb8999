// Each promtool child gets GOMAXPROCS set to its share of the cores, so that N processes on N
// cores do not each spread Go's garbage collection over all of them; a GOMAXPROCS the user set wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { promtoolEnv, runPromtoolTests } from '../../src/promtool/run.js';

test('GOMAXPROCS is each job’s share of the cores, at least 1', () => {
  assert.deepEqual(promtoolEnv(2, {}, 2), { GOMAXPROCS: '1' });
  assert.deepEqual(promtoolEnv(1, {}, 2), { GOMAXPROCS: '2' });
  assert.deepEqual(promtoolEnv(3, {}, 8), { GOMAXPROCS: '2' });
  assert.deepEqual(promtoolEnv(16, {}, 4), { GOMAXPROCS: '1' });
});

test('a GOMAXPROCS the user set is left alone', () => {
  assert.deepEqual(promtoolEnv(2, { GOMAXPROCS: '4' }, 2), {});
});

test('the promtool children run with it, beside the rest of the environment', async () => {
  const dir = tempDir('sloforge-promtool-env-');
  const fake = path.join(dir, 'promtool');
  writeFileSync(fake, '#!/bin/sh\necho "GOMAXPROCS=${GOMAXPROCS:-unset} PATH=${PATH:+set} $3"\n');
  chmodSync(fake, 0o755);
  const files = ['a.test.yml', 'b.test.yml'].map((f) => path.join(dir, f));
  const jobs = os.availableParallelism();
  const run = await runPromtoolTests(files, { jobs, promtool: fake });
  const expected = process.env.GOMAXPROCS ?? String(Math.max(1, Math.floor(os.availableParallelism() / jobs)));
  assert.deepEqual(
    run.results.map((r) => r.output.trim()),
    files.map((f) => `GOMAXPROCS=${expected} PATH=set ${f}`),
  );
});
