// Pyrra ServiceLevelObjectives written for this test, one of each kind (ratio, classic and native
// latency, bool_gauge), grouped (also by the series' own `service`), in a List, and in a manifest
// beside other kinds, import into a slos folder that generates rules promtool accepts and tests
// that pass; --merge adds them to an existing folder the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cli, tempDir } from '../helpers/cli.js';
import { FIXTURES, importAndGenerate, rulesAndTestsPass } from './helpers.js';

const PYRRA = path.join(FIXTURES, 'pyrra');

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function rules(gen: string, service: string): Rule[] {
  const file = parse(readFileSync(path.join(gen, 'prometheus/rules', `${service}.yml`), 'utf8')) as { groups: Array<{ rules: Rule[] }> };
  return file.groups.flatMap((g) => g.rules);
}

/** The services' SLO files of a generated folder whose rules and tests pass; beside each, its no-data alerts' file. */
async function sloRuleFiles(gen: string): Promise<string[]> {
  return (await rulesAndTestsPass(gen)).filter((f) => !f.endsWith('.nodata.yml'));
}

test('a folder of Pyrra SLOs imports, generates, and its generated promtool tests pass', async () => {
  const { slos, gen, imported } = await importAndGenerate('pyrra', PYRRA);
  assert.match(imported.stdout, /imported 4 service\(s\) and 7 SLO\(s\)/);
  // The manifest's other kinds are skipped with a note; the List's items are read one by one.
  assert.match(imported.stderr, /monitoring-manifest\.yaml \(document 1\): skipped: Namespace \(v1\) is not a Pyrra ServiceLevelObjective/);
  assert.match(imported.stderr, /monitoring-manifest\.yaml \(document 2\): skipped: Deployment \(apps\/v1\)/);
  assert.deepEqual(await sloRuleFiles(gen), ['gateway.yml', 'probes.yml', 'search.yml', 'shop.yml']);

  // Each kind, with its target (percent string) and window.
  const shop = readFileSync(path.join(slos, 'shop.ts'), 'utf8');
  assert.match(
    shop,
    /name: "checkout-errors",\s+objective: 99\.5,\s+period: "28d",\s+description: "Checkout requests that do not fail\.",\s+sli: \{\s+ratio: \{\s+errors: "http_requests_total\{job=\\"checkout\\",code=~\\"5\.\.\\"\}",\s+total: "http_requests_total\{job=\\"checkout\\"\}"/,
  );
  assert.match(shop, /runbook: "https:\/\/runbooks\.example\.com\/shop\/checkout-errors",\s+labels: \{\s+tier: "1"/);
  assert.match(
    shop,
    /name: "checkout-latency",\s+objective: 99,\s+period: "14d",\s+sli: \{\s+latency: \{\s+histogram: "http_request_duration_seconds\{job=\\"checkout\\"\}",\s+threshold: 0\.3\s+\}\s+\},\s+groupBy: \[\s+"route"/,
  );
  assert.match(shop, /histogram: "http_request_duration_seconds\{job=\\"checkout\\"\}",\s+threshold: 0\.25,\s+native: true/);
  assert.match(shop, /team: "payments"/);
  const probes = readFileSync(path.join(slos, 'probes.ts'), 'utf8');
  assert.match(probes, /boolGauge: \{\s+series: "probe_success\{job=\\"blackbox\\"\}"/);
  assert.match(probes, /name: "blackbox-recorded",[\s\S]*alerting: \{\s+page: false,\s+ticket: false/);
  assert.match(readFileSync(path.join(slos, 'search.ts'), 'utf8'), /noData: \{\s+enabled: false/);

  // Tier switches and alert labels in the rules: the recorded-only probe has no burn-rate alert,
  // the propagated tier label and the team ride on the checkout alerts.
  const burn = (r: Rule) => r.alert === 'ErrorBudgetBurnFast' || r.alert === 'ErrorBudgetBurnSlow';
  assert.deepEqual(
    rules(gen, 'probes')
      .filter(burn)
      .map((r) => r.labels?.slo),
    ['blackbox-up', 'blackbox-up'],
  );
  const checkout = rules(gen, 'shop').filter((r) => burn(r) && r.labels?.slo === 'checkout-errors');
  assert.equal(checkout.length, 2);
  for (const a of checkout) {
    assert.equal(a.labels?.tier, '1');
    assert.equal(a.labels?.team, 'payments');
    assert.equal(a.annotations?.runbook_url, 'https://runbooks.example.com/shop/checkout-errors');
  }
  assert.equal(rules(gen, 'search').filter((r) => r.alert === 'SLONoData').length, 0, 'absent: false drops the no-data alert');
});

test("grouping by the series' own service label: carried as exported_service, and the generated tests prove it per group", async () => {
  const { slos, gen, imported } = await importAndGenerate('pyrra', path.join(PYRRA, 'gateway-grouped.yaml'));
  assert.match(
    imported.stderr,
    /field "spec\.indicator\.ratio\.grouping\[0\]": sloforge sets "service" on every rule itself: the series' "service" is carried as "exported_service"/,
  );
  assert.match(readFileSync(path.join(slos, 'gateway.ts'), 'utf8'), /groupBy: \[\s+"service",\s+"method"\s+\]/);
  await rulesAndTestsPass(gen);
  const total = rules(gen, 'gateway').find((r) => r.record === 'slo:sli_total:rate5m')!;
  assert.match(
    total.expr,
    /^label_replace\(label_replace\(sum by \(service, method\) \(rate\(gateway_upstream_requests_total\[5m\]\)\), "exported_service", "\$1", "service", "\(\.\*\)"\), "service", "", "service", "\.\*"\)$/,
  );
  assert.equal(total.labels?.service, 'gateway');
  const tests = readFileSync(path.join(gen, 'prometheus/tests/gateway.test.yml'), 'utf8');
  assert.match(tests, /exp_labels:\n\s+exported_service: [^\n]+\n\s+method: [^\n]+\n\s+service: gateway\n/);
});

test('an unknown field and dynamic burn rates are refused per SLO with the reason, and nothing is written', async () => {
  const out = path.join(tempDir(), 'slos');
  const r = await cli('import', 'pyrra', path.join(FIXTURES, 'pyrra-refused'), '--out', out);
  assert.equal(r.code, 1, r.stdout);
  assert.match(
    r.stderr,
    /unknown-field\.yaml: service "api" > SLO "api-errors" > field "spec\.budgetPolicy": is unknown: sloforge knows no such ServiceLevelObjective field/,
  );
  assert.match(
    r.stderr,
    /dynamic\.yaml: service "api" > SLO "api-dynamic" > field "spec\.alerting\.burnRateType": cannot be imported: dynamic burn rates move each alert's threshold with the traffic of its window/,
  );
  assert.match(r.stderr, /^2 problems; nothing was written$/m);
  assert.equal(readdirSync(path.dirname(out)).length, 0);
});

test('--merge adds Pyrra SLOs to an existing slos folder, which then generates and passes its tests', async () => {
  const { slos } = await importAndGenerate('pyrra', path.join(PYRRA, 'probes-list.yaml'));
  const merged = await cli('import', 'pyrra', path.join(PYRRA, 'gateway-grouped.yaml'), '--out', slos, '--merge');
  assert.equal(merged.code, 0, merged.stderr);
  assert.match(merged.stdout, /with new team\(s\) edge in pyrra-teams\.ts/);
  const gen = path.join(path.dirname(slos), 'merged');
  const g = await cli('generate', '--slos', slos, '--out', gen);
  assert.equal(g.code, 0, g.stderr);
  assert.deepEqual(await sloRuleFiles(gen), ['gateway.yml', 'probes.yml']);
});
