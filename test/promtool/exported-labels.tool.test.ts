// Grouping by a label sloforge sets itself (`service`, `team`): the series' own value is carried
// as `exported_service` / `exported_team` next to sloforge's, in the recordings, the alerts, the
// dashboard link and the generated promtool tests, which pass; rules that lose the move fail them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cli, writeTree } from '../helpers/cli.js';
import { baseConfig, configSource } from '../helpers/config.js';
import { promtool, promtoolOnBrokenRules } from '../helpers/tools.js';

// baseConfig's team and service, with two SLOs grouped by labels sloforge sets itself.
const config = baseConfig();
config.grafana = { url: 'http://grafana.example' };
config.services[0].name = 'api';
config.services[0].slos = [
  {
    name: 'per-service',
    objective: 99.9,
    groupBy: ['service'],
    sli: { ratio: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } },
  },
  { name: 'probes', objective: 99, groupBy: ['team', 'route'], sli: { boolGauge: { series: 'probe_success{job="blackbox"}' } } },
];

const generated = (async () => {
  const dir = writeTree({ 'slos/index.ts': configSource(config) });
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  return { dir, out };
})();

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

test('a label sloforge sets is carried as exported_<label>: rules, alerts, dashboard link and variable, and the generated tests pass', async () => {
  const { out } = await generated;
  // Every test file of the service (a steady file only where its windows allow the 6h one).
  const files = readdirSync(path.join(out, 'prometheus/tests')).filter((f) => f.startsWith('api.'));
  for (const f of ['api.test.yml', 'api.days.test.yml']) assert.ok(files.includes(f), files.join(', '));
  for (const f of files) {
    const r = await promtool('test', 'rules', path.join(out, 'prometheus/tests', f));
    assert.ok(r.ok, r.output);
  }
  const rules = (
    parse(readFileSync(path.join(out, 'prometheus/rules/api.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
  ).groups.flatMap((g) => g.rules);
  const total = rules.find((r) => r.record === 'slo:sli_total:rate5m' && r.labels?.slo === 'per-service')!;
  assert.equal(
    total.expr,
    'label_replace(label_replace(sum by (service) (rate(http_requests_total{job="api"}[5m])), "exported_service", "$1", "service", "(.*)"), "service", "", "service", ".*")',
  );
  assert.equal(total.labels?.service, 'api');
  const page = rules.find((r) => r.alert === 'ErrorBudgetBurnFast' && r.labels?.slo === 'per-service')!;
  assert.match(page.annotations!.summary!, /\(exported_service="\{\{ \$labels\.exported_service \}\}"\)/);
  assert.equal(
    page.annotations!.dashboard,
    'http://grafana.example/d/sloforge-api?var-exported_service={{ $labels.exported_service | urlquery }}',
  );
  const probePage = rules.find((r) => r.alert === 'ErrorBudgetBurnFast' && r.labels?.slo === 'probes')!;
  assert.match(probePage.annotations!.dashboard!, /var-exported_team=\{\{ \$labels\.exported_team \| urlquery \}\}&var-route=/);

  // The tests feed the series under their own label and expect the alert to carry both values.
  const tests = readFileSync(path.join(out, 'prometheus/tests/api.test.yml'), 'utf8');
  assert.match(tests, /series: http_requests_total\{job="api",service="b"\}/);
  assert.match(tests, /exported_service: \/orders\?id=1&v=a b\n\s+service: api\n/);
  assert.match(tests, /exported_team: \/orders\?id=1&v=a b/);

  // The dashboard's group variable lists the carried label from the recordings.
  const dashboard = JSON.parse(readFileSync(path.join(out, 'grafana/dashboards/teams/payments/api.json'), 'utf8')) as {
    templating: { list: Array<{ name: string; query: unknown }> };
  };
  const variable = dashboard.templating.list.find((v) => v.name === 'exported_service');
  assert.ok(variable, JSON.stringify(dashboard.templating.list.map((v) => v.name)));
  assert.match(JSON.stringify(variable.query), /label_values\(slo:sli_total:rate5m\{service=\\"api\\"\}, exported_service\)/);
});

test("rules that keep the series' service label next to the carried one fail the generated tests", async () => {
  const { dir, out } = await generated;
  // The copy stays but the original is not removed: the raw part no longer matches the recorded
  // total it is combined with, and the errors recording fails for every group.
  const r = await promtoolOnBrokenRules(out, path.join(dir, 'broken-move'), 'api', 'api.test.yml', (t) =>
    t.replaceAll('"service", "", "service", ".*")', '"unused", "", "unused", ".*")'),
  );
  assert.equal(r.ok, false);
  assert.match(r.output, /slo:sli_errors:rate5m.*same labelset/);
});

test('rules that put one constant in the carried label fail: the healthy group must not page', async () => {
  const { dir, out } = await generated;
  const r = await promtoolOnBrokenRules(out, path.join(dir, 'broken-value'), 'api', 'api.test.yml', (t) =>
    t.replaceAll('"exported_team", "$1", "team"', '"exported_team", "same", "team"'),
  );
  assert.equal(r.ok, false);
  assert.match(r.output, /exported_team/);
});
