// A service's rules are written in up to three files (SLOs, thresholds, no-data alerts) and each
// generated test file loads only those it needs. A test file that loaded too few would still pass
// where it asserts silence (an alert that is never evaluated never fires), so every alert and
// recording a test asserts on must come from a file it loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { promtoolArtifacts } from '../../src/promtool/target.js';
import { prometheusArtifacts, rulesFileOf } from '../../src/prometheus/target.js';
import { exprSelectors, promqlReads } from '../../src/promql/reads.js';
import { parseSelector } from '../../src/promql/parse.js';
import { baseConfig, modelOf } from '../helpers/config.js';
import { REPO } from '../helpers/cli.js';
import { examples, goldenCases } from '../golden/tree.js';

const loads = (cfg: unknown) =>
  Object.fromEntries(
    promtoolArtifacts(modelOf(cfg)).map((a) => [a.path.replace('prometheus/tests/', ''), parse(a.content).rule_files as string[]]),
  );

function withThreshold(expr: string): any {
  const cfg = baseConfig();
  cfg.services[0].thresholds = [{ name: 'cpu', expr, warning: 70, critical: 85, for: '10m' }];
  return cfg;
}

test('each part of a service has its rule file, and its tests load that file alone', () => {
  const cfg = withThreshold('avg(rate(process_cpu_seconds_total{job="checkout"}[5m])) * 100');
  assert.deepEqual(
    prometheusArtifacts(modelOf(cfg)).map((a) => a.path),
    ['prometheus/rules/checkout.yml', 'prometheus/rules/checkout.thresholds.yml', 'prometheus/rules/checkout.nodata.yml'],
  );
  assert.deepEqual(loads(cfg), {
    'checkout.test.yml': ['../rules/checkout.yml'],
    'checkout.days.test.yml': ['../rules/checkout.yml'],
    'checkout.steady.test.yml': ['../rules/checkout.yml'],
    'checkout.thresholds.test.yml': ['../rules/checkout.thresholds.yml'],
    'checkout.nodata.test.yml': ['../rules/checkout.nodata.yml'],
  });
});

test("a threshold on an SLO's recording loads the SLO file beside its own; one that reads by __name__ loads every file", () => {
  const onRecording = loads(withThreshold('max(slo:sli_error:ratio_rate5m{service="checkout",slo="availability"}) * 100'));
  assert.deepEqual(onRecording['checkout.thresholds.test.yml'], ['../rules/checkout.yml', '../rules/checkout.thresholds.yml']);
  // Its no-data alert watches that recording too.
  assert.deepEqual(onRecording['checkout.nodata.test.yml'], ['../rules/checkout.yml', '../rules/checkout.nodata.yml']);
  const byName = loads(withThreshold('max({__name__="process_open_fds",job="checkout"})'));
  assert.deepEqual(byName['checkout.thresholds.test.yml'], [
    '../rules/checkout.yml',
    '../rules/checkout.thresholds.yml',
    '../rules/checkout.nodata.yml',
  ]);
});

/** The alert names and metric names a test file's checks read. */
function asserted(file: { tests: any[] }): { alerts: Set<string>; metrics: Set<string> } {
  const alerts = new Set<string>();
  const metrics = new Set<string>();
  for (const g of file.tests) {
    for (const t of g.alert_rule_test ?? []) alerts.add(t.alertname);
    for (const t of g.promql_expr_test ?? []) {
      for (const m of promqlReads(t.expr).metrics) metrics.add(m);
      for (const text of exprSelectors(t.expr)) {
        const sel = parseSelector(text);
        if (typeof sel === 'string' || sel.metric !== 'ALERTS') continue;
        const name = sel.matchers.find((m) => m.name === 'alertname' && m.op === '=');
        assert.ok(name, `ALERTS read without an alert name: ${t.expr}`);
        alerts.add(name.value);
      }
    }
  }
  return { alerts, metrics };
}

test('every committed tree: each alert and recording a test asserts on comes from a rule file it loads', () => {
  const trees = [...goldenCases(), ...examples()].map((t) => t.expected);
  let checked = 0;
  for (const tree of [path.join(REPO, 'generated'), ...trees]) {
    const testsDir = path.join(tree, 'prometheus/tests');
    if (!existsSync(testsDir)) continue;
    const rulesDir = path.join(tree, 'prometheus/rules');
    const defined = new Map<string, Set<string>>();
    for (const f of readdirSync(rulesDir)) {
      const names = new Set<string>();
      for (const g of parse(readFileSync(path.join(rulesDir, f), 'utf8')).groups) for (const r of g.rules) names.add(r.alert ?? r.record);
      defined.set(f, names);
    }
    for (const f of readdirSync(testsDir)) {
      const file = parse(readFileSync(path.join(testsDir, f), 'utf8'));
      const service = f.split('.')[0]!;
      const own = [...defined.keys()].filter((r) => rulesFileOf(r).service === service);
      const loaded = (file.rule_files as string[]).map((r) => path.basename(r));
      const { alerts, metrics } = asserted(file);
      for (const name of [...alerts, ...metrics]) {
        const from = own.filter((r) => defined.get(r)!.has(name));
        if (from.length === 0) {
          assert.ok(!alerts.has(name), `${tree}: ${f} asserts on alert ${name}, which no rule file of ${service} defines`);
          continue;
        }
        for (const r of from)
          assert.ok(loaded.includes(r), `${path.relative(REPO, tree)}: ${f} asserts on ${name} from ${r} without loading it`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `${checked} names checked`);
});
