// The committed golden and example trees are not only unchanged (golden.test.ts) but right, as
// far as the tools can say: promtool loads every rule file and passes every generated test, and
// amtool accepts every alertmanager.yml. A tree blessed from a broken compiler fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { examples, goldenCases } from './tree.js';
import { promtool, promtoolInputs, tool } from '../helpers/tools.js';
import { amtool } from '../alertmanager/helpers.js';
import { findTestFiles, runPromtoolTests } from '../../src/promtool/run.js';

const trees = [...goldenCases(), ...examples()];
const within = (dir: string) => (existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : []);

test('promtool check rules accepts every rule file of the golden cases and examples', async () => {
  const files = trees.flatMap((t) => within(path.join(t.expected, 'prometheus/rules')));
  assert.equal(files.length >= trees.length, true, `${files.length} rule files for ${trees.length} trees`);
  // One promtool for all of them: it checks each file named and reports each on its own.
  const r = await promtool('check', 'rules', ...files);
  assert.ok(r.ok, r.output);
  for (const f of files) assert.ok(r.output.includes(`Checking ${f}\n  SUCCESS: `), `${path.relative(process.cwd(), f)}\n${r.output}`);
});

test('amtool check-config accepts the alertmanager.yml of every golden case and example', async () => {
  for (const t of trees) {
    const out = await amtool(['check-config', path.join(t.expected, 'alertmanager/alertmanager.yml')]);
    assert.match(out, /SUCCESS/, t.name);
  }
});

// Two test files with the same inputs are the same run (the kubernetes target's golden cases with
// and without PostgreSQL share their Prometheus side byte for byte), so each is run once.
test('the generated promtool tests of every golden case and example pass', async () => {
  const files = (await Promise.all(trees.map((t) => findTestFiles(path.join(t.expected, 'prometheus/tests'))))).flat();
  assert.equal(files.length >= trees.length, true, `${files.length} test files for ${trees.length} trees`);
  const inputs = files.map(promtoolInputs);
  const distinct = files.filter((_, i) => inputs.indexOf(inputs[i]!) === i);
  const run = await runPromtoolTests(distinct, { jobs: 2, promtool: await tool('promtool') });
  for (const r of run.results) assert.ok(r.ok, `${r.file}\n${r.output}`);
});
