// Sloth specs, both spellings, become a slos folder that generates rules promtool accepts, with
// every service and SLO name kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FIXTURES, importAndGenerate, rulesAndTestsPass } from './helpers.js';

interface RuleFile {
  groups: Array<{
    rules: Array<{ alert?: string; record?: string; labels?: Record<string, string>; annotations?: Record<string, string> }>;
  }>;
}

function rules(gen: string, service: string) {
  const file = parse(readFileSync(path.join(gen, 'prometheus/rules', `${service}.yml`), 'utf8')) as RuleFile;
  return file.groups.flatMap((g) => g.rules);
}

test('a folder of Sloth specs (prometheus/v1 and PrometheusServiceLevel) generates valid, tested rules', async () => {
  const { gen, imported } = await importAndGenerate('sloth', path.join(FIXTURES, 'sloth'));
  assert.match(imported.stdout, /imported 4 service\(s\) and 6 SLO\(s\)/);

  // The services' SLO files, and beside each its no-data alerts' file.
  assert.deepEqual(
    (await rulesAndTestsPass(gen)).filter((f) => !f.endsWith('.nodata.yml')),
    ['checkout.yml', 'gateway.yml', 'search-indexer.yml', 'search.yml'],
  );

  const sloNames = (service: string) =>
    [
      ...new Set(
        rules(gen, service)
          .map((r) => r.labels?.slo)
          .filter(Boolean),
      ),
    ].sort();
  assert.deepEqual(sloNames('checkout'), ['requests-availability', 'requests-latency']);
  assert.deepEqual(sloNames('search'), ['query-errors']);
  assert.deepEqual(sloNames('search-indexer'), ['index-freshness']);
  assert.deepEqual(sloNames('gateway'), ['tls-handshakes', 'upstream-errors']);
});

test('a raw error ratio of two counters imports as errors/total, and 1 - good/total as good/total', async () => {
  const { slos } = await importAndGenerate('sloth', path.join(FIXTURES, 'sloth/gateway.yml'));
  const file = readFileSync(path.join(slos, 'gateway.ts'), 'utf8');
  assert.match(file, /errors: "gateway_upstream_requests_total\{status=~\\"5\.\.\\"\}",\s+total: "gateway_upstream_requests_total"/);
  assert.match(file, /good: "gateway_tls_handshakes_total\{result=\\"ok\\"\}",\s+total: "gateway_tls_handshakes_total"/);
  assert.match(file, /period: "7d"/);
  assert.match(file, /team: "edge"/);
});

test('alerts carry the team from the owner label, the runbook, and the SLO labels', async () => {
  const { gen } = await importAndGenerate('sloth', path.join(FIXTURES, 'sloth/checkout.yml'));
  const burn = (r: { alert?: string }) => r.alert === 'ErrorBudgetBurnFast' || r.alert === 'ErrorBudgetBurnSlow';
  const alerts = rules(gen, 'checkout').filter((r) => burn(r) && r.labels?.slo === 'requests-availability');
  assert.equal(alerts.length, 2);
  for (const a of alerts) {
    assert.equal(a.labels?.team, 'payments');
    assert.equal(a.labels?.service, 'checkout');
    assert.equal(a.labels?.category, 'availability');
    assert.equal(a.annotations?.runbook_url, 'https://runbooks.example.com/checkout/availability');
  }
  // Both tiers disabled in Sloth: the latency SLO is recorded but not alerted on.
  assert.equal(rules(gen, 'checkout').filter((r) => burn(r) && r.labels?.slo === 'requests-latency').length, 0);
});
