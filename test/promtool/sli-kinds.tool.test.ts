// The generated promtool tests of the newer SLI kinds pass, and have teeth: a grouped SLI summed
// by the wrong label, an alert that forgets its group, a probe read the wrong way and a query
// counting the wrong events each fail them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, writeTree } from '../helpers/cli.js';
import { configSource } from '../helpers/config.js';
import { promtool, promtoolOnBrokenRules } from '../helpers/tools.js';

const config = {
  teams: [
    {
      name: 't',
      page: { pagerduty: { routingKeyFile: '/run/secrets/pd' } },
      ticket: { pagerduty: { routingKeyFile: '/run/secrets/pd2' } },
    },
  ],
  grafana: { url: 'http://grafana.example' },
  services: [
    {
      name: 'api',
      team: 't',
      slos: [
        {
          name: 'routes',
          objective: 99.9,
          groupBy: ['route'],
          sli: { ratio: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } },
        },
        {
          name: 'probe',
          objective: 99.5,
          alerting: { ticket: false },
          sli: { boolGauge: { series: 'probe_success{job="blackbox",instance="https://shop.example"}' } },
        },
        {
          name: 'grpc',
          objective: 99,
          period: '7d',
          sli: {
            query: {
              errors: 'sum(rate(grpc_server_handled_total{job="grpc",grpc_code!="OK"}[$window]))',
              total: 'sum(rate(grpc_server_handled_total{job="grpc"}[$window]))',
            },
          },
        },
        {
          name: 'wifi',
          objective: 95,
          sli: {
            query: {
              errors: 'sum_over_time((count(wifi_satisfaction < 0.75))[$window:]) or on() vector(0)',
              total: 'sum_over_time((count(wifi_satisfaction))[$window:])',
            },
          },
        },
      ],
    },
  ],
};

const generated = (async () => {
  const dir = writeTree({ 'slos/index.ts': configSource(config) });
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  return { dir, out, stderr: r.stderr };
})();

async function runBroken(file: string, edit: (rules: string) => string, groups?: RegExp) {
  const { dir, out } = await generated;
  return promtoolOnBrokenRules(out, path.join(dir, `broken-${Math.random().toString(36).slice(2)}`), 'api', file, edit, groups);
}

test('the generated tests of grouped, boolean-gauge and query SLOs pass; generate names the SLO it cannot test', async () => {
  const { out, stderr } = await generated;
  // Every test file of the service (a steady file only where its windows allow the 6h one).
  const files = readdirSync(path.join(out, 'prometheus/tests')).filter((f) => f.startsWith('api.'));
  for (const f of ['api.test.yml', 'api.days.test.yml']) assert.ok(files.includes(f), files.join(', '));
  for (const f of files) {
    const r = await promtool('test', 'rules', path.join(out, 'prometheus/tests', f));
    assert.ok(r.ok, r.output);
  }
  assert.match(
    stderr,
    /note: no generated promtool test proves the burn-rate alerts of these SLOs: api\/wifi \(its query is not a plain counter read/,
  );
  const tests = readFileSync(path.join(out, 'prometheus/tests/api.test.yml'), 'utf8');
  assert.match(tests, /one group of routes breaks and pages alone/);
  assert.match(
    readFileSync(path.join(out, 'prometheus/tests/api.nodata.test.yml'), 'utf8'),
    /no-data alerts: [^"]*one group of routes stops reporting and its alert fires for that group alone/,
  );
  // The untestable query gets no burn-rate scenario (its inputs are still fed to its no-data test).
  assert.match(tests, /name: "api\/routes, probe, grpc: total outage/);
});

test('a grouped SLI summed by the wrong label fails the outage test', async () => {
  const r = await runBroken('api.test.yml', (t) =>
    t.replaceAll(
      'sum by (route) (rate(http_requests_total{job="api",code=~"5.."}',
      'sum by (code) (rate(http_requests_total{job="api",code=~"5.."}',
    ),
  );
  assert.equal(r.ok, false);
  assert.match(r.output, /ErrorBudgetBurnFast/);
});

test("a page that forgets its group fails: the test expects the broken group's labels and nothing for the other", async () => {
  const r = await runBroken('api.test.yml', (t) =>
    t.replace(/(alert: ErrorBudgetBurnFast\n\s+expr: )([\s\S]*?)(\n\s+labels:)/, (_, a: string, expr: string, c: string) => {
      const grouped = expr.includes('slo="routes"')
        ? expr.replace(/(slo:sli_error:ratio_rate\w+\{[^}]*\})/g, 'max without (route) ($1)')
        : expr;
      return a + grouped + c;
    }),
  );
  assert.equal(r.ok, false);
  assert.match(r.output, /route/);
});

test('a probe read the wrong way round fails: an outage must page', async () => {
  const r = await runBroken('api.test.yml', (t) => t.replaceAll('sum_over_time(probe_success', 'count_over_time(probe_success'));
  assert.equal(r.ok, false);
  assert.match(r.output, /ErrorBudgetBurnFast/);
});

test('a query SLI counting the wrong events fails the steady scenarios', async () => {
  // The healthy-traffic groups are the steady scenarios; the file's others need not run.
  const r = await runBroken(
    'api.days.test.yml',
    (t) => t.replaceAll('grpc_code!=\\"OK\\"', 'grpc_code=\\"OK\\"').replaceAll('grpc_code!="OK"', 'grpc_code="OK"'),
    /: after heavy clean traffic, healthy traffic /,
  );
  assert.equal(r.ok, false);
  assert.match(r.output, /grpc|ErrorBudgetBurn/);
});
