// Sloth's examples that sloforge refused before query SLIs, boolean gauges and tier switches now
// import (home-wifi, k8s-home-wifi, raw-home-wifi), generate rules promtool accepts and tests that
// pass; the MetricsQL and SLI-plugin examples are still refused, each saying why. OpenSLO raw
// queries and thresholds on a 0/1 gauge map too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../helpers/cli.js';
import { FIXTURES, importAndGenerate, rulesAndTestsPass } from './helpers.js';

const SLOTH = path.join(FIXTURES, 'sloth-examples');
const OPENSLO = path.join(FIXTURES, 'openslo-kinds');

test('home-wifi: events of arbitrary PromQL become query SLIs, {{.window}} becomes $window, a disabled ticket tier ticket: false', async () => {
  const { slos, gen, imported } = await importAndGenerate('sloth', path.join(SLOTH, 'home-wifi.yml'));
  const file = readFileSync(path.join(slos, 'home-wifi.ts'), 'utf8');
  assert.ok(
    file.includes('errors: "sum_over_time((count(unifipoller_client_satisfaction_ratio < 0.75))[$window:]) OR on() vector(0)"'),
    file,
  );
  assert.ok(file.includes('total: "sum_over_time((count(unifipoller_client_satisfaction_ratio))[$window:])"'));
  assert.match(file, /ticket: false/);
  assert.match(imported.stderr, /kept as PromQL \(sli\.query\)/);
  const rules = readFileSync(path.join(gen, 'prometheus/rules/home-wifi.yml'), 'utf8');
  assert.ok(rules.includes('sum(sum_over_time((count(unifipoller_client_satisfaction_ratio))[1h:]))'), 'each raw window substituted');
  assert.equal((rules.match(/alert: ErrorBudgetBurnSlow/g) ?? []).length, 1, 'only the first SLO tickets');
  await rulesAndTestsPass(gen);
});

test('k8s-home-wifi: the same in the Kubernetes spelling, a disabled page tier page: false', async () => {
  const { slos, gen } = await importAndGenerate('sloth', path.join(SLOTH, 'k8s-home-wifi.yml'));
  const file = readFileSync(path.join(slos, 'home-wifi-k8s.ts'), 'utf8');
  assert.match(file, /page: false/);
  assert.match(file, /query: \{/);
  const rules = readFileSync(path.join(gen, 'prometheus/rules/home-wifi-k8s.yml'), 'utf8');
  assert.ok(!rules.includes('alert: ErrorBudgetBurnFast'));
  await rulesAndTestsPass(gen);
});

test("raw-home-wifi: a gauge's mean over the window imports as a boolGauge SLI, with a generated outage test", async () => {
  const { slos, gen, imported } = await importAndGenerate('sloth', path.join(SLOTH, 'raw-home-wifi.yml'));
  assert.match(
    readFileSync(path.join(slos, 'home-wifi-raw.ts'), 'utf8'),
    /boolGauge: \{\s+series: "unifipoller_client_satisfaction_ratio"/,
  );
  assert.match(imported.stderr, /imported as sli\.boolGauge/);
  assert.match(readFileSync(path.join(gen, 'prometheus/tests/home-wifi-raw.test.yml'), 'utf8'), /total outage/);
  await rulesAndTestsPass(gen);
});

test('victoria-metrics and the SLI plugins are still refused, each naming its field and why', async () => {
  const refused = async (file: string) => {
    const r = await cli('import', 'sloth', path.join(SLOTH, file), '--out', path.join(tempDir(), 'slos'));
    assert.equal(r.code, 1, r.stderr);
    return r.stderr;
  };
  assert.match(
    await refused('victoria-metrics.yml'),
    /field "sli\.events\.error_query": does not parse as PromQL .*MetricsQL and other dialects are not PromQL/,
  );
  assert.match(
    await refused('plugin-getting-started.yml'),
    /field "sli\.plugin": cannot be imported: Sloth plugin "getting_started_availability" builds its query at generation time/,
  );
  assert.match(await refused('plugin-k8s-getting-started.yml'), /field "sli\.plugin": cannot be imported/);
});

test('OpenSLO: a threshold on a 0/1 gauge is a boolGauge, raw non-counter queries a query SLI, a percentile threshold is refused', async () => {
  const probe = await importAndGenerate('openslo', path.join(OPENSLO, 'probe.yaml'));
  assert.match(
    readFileSync(path.join(probe.slos, 'storefront.ts'), 'utf8'),
    /boolGauge: \{\s+series: "probe_success\{job=\\"blackbox\\",instance=\\"https:\/\/shop\.example\.com\/\\"\}"/,
  );
  await rulesAndTestsPass(probe.gen);
  const raw = await importAndGenerate('openslo', path.join(OPENSLO, 'raw-queries.yaml'));
  assert.ok(
    readFileSync(path.join(raw.slos, 'wifi.ts'), 'utf8').includes(
      'good: "sum_over_time((count(client_satisfaction_ratio >= 0.75))[$window:]) or on() vector(0)"',
    ),
  );
  await rulesAndTestsPass(raw.gen);
  const r = await cli('import', 'openslo', path.join(OPENSLO, 'latency-threshold.yaml'), '--out', path.join(tempDir(), 'slos'));
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /field "spec\.indicator\.spec\.thresholdMetric\.metricSource\.spec\.query": cannot be imported: a thresholdMetric maps only when its query is a 0\/1 gauge's selector/,
  );
});
