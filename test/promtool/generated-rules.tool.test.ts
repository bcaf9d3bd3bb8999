// The generated rules load in promtool 2.42 and pass their own generated unit tests, and those
// tests have teeth: rules broken on purpose fail them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir, writeTree, REPO } from '../helpers/cli.js';
import { baseConfig, configSource } from '../helpers/config.js';
import { promtool, promtoolOnBrokenRules, tool } from '../helpers/tools.js';
import { findTestFiles, runPromtoolTests } from '../../src/promtool/run.js';

async function generateExamples(): Promise<string> {
  const out = path.join(tempDir(), 'generated');
  const r = await cli('generate', '--slos', path.join(REPO, 'slos'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  return out;
}

const examples = generateExamples();
const files = (dir: string, sub: string) =>
  readdirSync(path.join(dir, sub))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => path.join(dir, sub, f));

test('promtool check rules accepts every generated rule file', async () => {
  const out = await examples;
  const rules = files(out, 'prometheus/rules');
  assert.ok(rules.length >= 3);
  // One promtool for all of them: it checks each file named and reports each on its own.
  const r = await promtool('check', 'rules', ...rules);
  assert.ok(r.ok, r.output);
  for (const f of rules) assert.ok(r.output.includes(`Checking ${f}\n  SUCCESS: `), r.output);
});

test('promtool test rules passes every generated test file', async () => {
  const out = await examples;
  const tests = await findTestFiles(path.join(out, 'prometheus/tests'));
  assert.ok(tests.length >= 6);
  // The runner `sloforge test` uses, two at a time like the rest of the suite.
  const run = await runPromtoolTests(tests, { jobs: 2, promtool: await tool('promtool') });
  for (const r of run.results) assert.ok(r.ok, `${r.file}\n${r.output}`);
});

type BaseFile = 'checkout.test.yml' | 'checkout.days.test.yml' | 'checkout.steady.test.yml';

/** The small base config, generated once; each of its test files proven to pass once. */
const base = (async () => {
  const dir = writeTree({ 'slos/index.ts': configSource(baseConfig()) });
  const out = path.join(dir, 'generated');
  assert.equal((await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out)).code, 0);
  return out;
})();
const passing = new Map<BaseFile, Promise<void>>();
function provenPassing(out: string, file: BaseFile): Promise<void> {
  let p = passing.get(file);
  if (!p) {
    p = promtool('test', 'rules', path.join(out, 'prometheus/tests', file)).then((good) => assert.ok(good.ok, good.output));
    passing.set(file, p);
  }
  return p;
}

/** Breaks the base config's rules with `edit` and runs one test file, which passes unbroken. */
async function runBroken(file: BaseFile, edit: (rules: string) => string) {
  const out = await base;
  await provenPassing(out, file);
  return promtoolOnBrokenRules(out, path.join(tempDir(), 'broken'), 'checkout', file, edit);
}

/** Which alert checks promtool reported failing, as `alertname/slo@time`, whichever kind of test it was. */
function failures(output: string): string[] {
  const fromList = [...output.matchAll(/alertname: (\w+), time: (\w+)/g)].map((m) => `${m[1]}@${m[2]}`);
  const fromQuery = [...output.matchAll(/expr: "ALERTS\{alertname=\\"(\w+)\\",.*?slo=\\"([\w-]+)\\".*?\}", time: (\w+)/g)].map(
    (m) => `${m[1]}/${m[2]}@${m[3]}`,
  );
  return [...fromList, ...fromQuery].sort();
}

test('a page tier that is too slow fails the outage test', async () => {
  // Only the 99.9% SLO's fast tier is made slow: its page must come within 2m of the outage at 1h.
  const r = await runBroken('checkout.test.yml', (t) =>
    t.replaceAll('/ 0.001 > 14.4', '/ 0.001 > 144').replaceAll('/ 0.001 > 6', '/ 0.001 > 60'),
  );
  assert.equal(r.ok, false);
  assert.ok(failures(r.output).includes('ErrorBudgetBurnFast/availability@1h2m'), r.output);
});

test('a page tier that is too eager fails the healthy and slow-burn tests', async () => {
  const r = await runBroken('checkout.steady.test.yml', (t) => t.replaceAll('> 14.4', '> 1.44'));
  assert.equal(r.ok, false);
  assert.match(r.output, /never pages/);
});

test('a ticket tier that never opens fails the slow-burn test', async () => {
  const r = await runBroken('checkout.steady.test.yml', (t) => t.replace(/(ratio_rate3d\{[^}]*\} \/ 0\.001) > 1\b/, '$1 > 3'));
  assert.equal(r.ok, false);
  assert.match(r.output, /opens a ticket/);
});

test('a latency SLI read at the wrong bucket fails the steady scenarios', async () => {
  // Every request then reads as slow: the healthy scenario of the latency SLO must catch it.
  const r = await runBroken('checkout.steady.test.yml', (t) => t.replaceAll('le=~"0\\\\.3"', 'le=~"0\\\\.5"'));
  assert.equal(r.ok, false);
  assert.match(r.output, /raises nothing for latency|never pages for latency/);
});

test('a page without its short windows fails the reset assertion, and only that one', async () => {
  // Without the short windows the long ones keep the page firing long after recovery.
  const r = await runBroken('checkout.test.yml', (t) => {
    const start = t.indexOf('alert: ErrorBudgetBurnFast');
    const end = t.indexOf('labels:', start);
    const expr = t.slice(start, end).replaceAll('ratio_rate5m', 'ratio_rate1h').replaceAll('ratio_rate30m', 'ratio_rate6h');
    return t.slice(0, start) + expr + t.slice(end);
  });
  assert.equal(r.ok, false);
  // The edit breaks the first SLO's page only. Both SLOs share one outage, from 1h (an hour of
  // clean traffic) to 1h15m (the 99% SLO's detection bound is 10m, plus 5m); each reset check
  // is 32m later.
  assert.deepEqual(failures(r.output), ['ErrorBudgetBurnFast/availability@1h47m']);
});

// Pairs that only the examples' periods show: at 28d the days file evaluates hourly and the slow
// ticket window spans 67h; at 7d the fast page pair's 14m long window holds three 5m samples.
// Only the days file's pair-alone group runs: it is the one each test names, and the file's
// other groups (healthy, silent and unreported traffic) were most of the broken copy's promtool time.
const PAIR_ALONE = /: each alert pair alone, /;
async function breakExample(service: string, file: string, from: string, to: string) {
  const out = await examples;
  // Only the service's SLO file holds `from`; the helper asserts that some file changed.
  return promtoolOnBrokenRules(out, path.join(tempDir(), 'broken'), service, file, (t) => t.replace(from, to), PAIR_ALONE);
}

test("a 28d SLO's fast ticket factor x10 fails the pair-alone scenario", async () => {
  const pair = 'slo:sli_error:ratio_rate22h24m{service="workflow-platform",slo="api-latency"} / 0.01 > 3';
  const r = await breakExample('workflow-platform', 'workflow-platform.days.test.yml', pair, `${pair}0`);
  assert.equal(r.ok, false);
  assert.ok(
    failures(r.output).some((f) => f.startsWith('ErrorBudgetBurnSlow/api-latency@')),
    r.output,
  );
});

test("a 7d SLO's fast page long window that lost its selector's stage fails the 5m spike", async () => {
  const total = 'llm_pipeline_stage_duration_seconds_count{job="llm-pipeline",stage="classify"}[14m]';
  const r = await breakExample('llm-pipeline', 'llm-pipeline.days.test.yml', total, total.replace(',stage="classify"', ''));
  assert.equal(r.ok, false);
  assert.ok(
    failures(r.output).some((f) => f.startsWith('ErrorBudgetBurnFast/classify-latency@')),
    r.output,
  );
});
