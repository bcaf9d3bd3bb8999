import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/compile.js';
import { loadConfig } from '../../src/config/load.js';
import type { Artifact } from '../../src/output/artifact.js';
import {
  checkArtifacts,
  checkDashboards,
  configuredMetrics,
  producedMetrics,
  provisionedDatasources,
  panelQueries,
  type DashboardJson,
  type CheckContext,
} from './offline-check.js';
import { OVERVIEW_DASHBOARD_UID, serviceDashboardUid } from '../../src/conventions.js';
import { fixtureConfig, LONG_SERVICE } from './fixture.js';

const dashboardsOf = (artifacts: Artifact[]) =>
  artifacts.filter((a) => a.path.startsWith('grafana/dashboards/')).map((a) => JSON.parse(a.content) as DashboardJson);

const fixture = fixtureConfig();
const artifacts = compile(fixture);
const context = (): CheckContext => ({
  produced: producedMetrics(artifacts),
  configured: configuredMetrics(fixture),
  datasourceUids: provisionedDatasources(artifacts),
});
const clone = () => dashboardsOf(artifacts);

test('the example SLOs in slos/ compile to dashboards that pass every check', async () => {
  const { config } = await loadConfig('slos');
  const out = compile(config);
  assert.ok(dashboardsOf(out).length >= 2);
  assert.deepEqual(checkArtifacts(config, out), []);
});

test('the fixture compiles to dashboards that pass every check', () => {
  assert.deepEqual(checkArtifacts(fixture, artifacts), []);
});

test('one dashboard per service plus the overview, with stable uids derived from names', () => {
  const uids = clone()
    .map((d) => d.uid)
    .sort();
  assert.deepEqual(uids, [OVERVIEW_DASHBOARD_UID, ...fixture.services.map((s) => serviceDashboardUid(s.name))].sort());
  assert.equal(new Set(uids).size, uids.length);
  assert.equal(serviceDashboardUid(LONG_SERVICE).length, 40);
});

test('generation is byte-for-byte deterministic', () => {
  const again = compile(fixtureConfig());
  assert.deepEqual(
    again.filter((a) => a.path.startsWith('grafana/')),
    artifacts.filter((a) => a.path.startsWith('grafana/')),
  );
});

test('every panel has an id, every target a refId, every panel a unit and the datasource variable', () => {
  for (const d of clone()) {
    const panels = d.panels ?? [];
    assert.deepEqual(
      panels.map((p) => p.id),
      panels.map((_, i) => i + 1),
      `${d.uid}: ids from 1`,
    );
    for (const p of panels.filter((x) => x.type !== 'row')) {
      assert.ok(p.fieldConfig?.defaults?.unit, `${d.uid} panel ${p.id} unit`);
      assert.equal(p.datasource?.uid, '${datasource}');
      assert.ok((p.targets ?? []).length > 0);
      (p.targets ?? []).forEach((t, i) => assert.equal(t.refId, String.fromCharCode(65 + i)));
    }
  }
});

test('dashboards are tagged per team', () => {
  const byUid = new Map(clone().map((d) => [d.uid, d as DashboardJson & { tags?: string[] }]));
  assert.deepEqual(byUid.get(serviceDashboardUid('checkout'))?.tags, ['sloforge', 'team:payments']);
  assert.deepEqual(byUid.get(OVERVIEW_DASHBOARD_UID)?.tags, ['sloforge', 'team:payments', 'team:search']);
});

// The acceptance test: a panel reading a metric nothing produces must be caught.
test('a panel reading a metric that nothing produces fails the check', () => {
  const dashboards = clone();
  const checkout = dashboards.find((d) => d.uid === 'sloforge-checkout')!;
  const panel = checkout.panels!.find((p) => p.type === 'stat')!;
  panel.targets![0]!.expr = 'slo:period_error_budget_remaning:ratio{service="checkout"}';
  const problems = checkDashboards(dashboards, context());
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(
    problems[0]!,
    /dashboard "sloforge-checkout" > panel \d+ ".*error budget remaining" > target A: reads metric "slo:period_error_budget_remaning:ratio", which no generated rule records/,
  );
});

test('a recording rule the Prometheus target stops writing is caught too', () => {
  const produced = new Set(producedMetrics(artifacts));
  produced.delete('slo:current_burn_rate:ratio');
  const problems = checkDashboards(clone(), { ...context(), produced });
  assert.ok(
    problems.some((p) => p.includes('"slo:current_burn_rate:ratio"')),
    problems.join('\n'),
  );
});

test('the linter-like rules catch each kind of mistake', () => {
  const cases: Array<[string, (d: DashboardJson[]) => void, RegExp]> = [
    [
      'fixed rate window',
      (d) => {
        d
          .find((x) => x.uid === 'sloforge-checkout')!
          .panels!.find((p) => p.targets?.some((t) => t.expr?.includes('$__rate_interval')))!.targets![0]!.expr =
          'sum(rate(http_requests_total[5m]))';
      },
      /fixed \[5m\] window/,
    ],
    [
      'syntax error',
      (d) => {
        d[0]!.panels![1]!.targets![0]!.expr = 'sum(rate(x[$__rate_interval])';
      },
      /does not parse/,
    ],
    [
      'missing unit',
      (d) => {
        delete d[0]!.panels![1]!.fieldConfig!.defaults!.unit;
      },
      /has no unit/,
    ],
    [
      'unnamed panel',
      (d) => {
        d[0]!.panels![1]!.title = '';
      },
      /no unnamed panels/,
    ],
    [
      'missing refId',
      (d) => {
        delete d[0]!.panels![1]!.targets![0]!.refId;
      },
      /has no refId/,
    ],
    [
      'unknown datasource',
      (d) => {
        d[0]!.panels![1]!.datasource = { type: 'prometheus', uid: 'elsewhere' };
      },
      /"elsewhere" is not provisioned/,
    ],
    [
      'no datasource variable',
      (d) => {
        d[0]!.templating = { list: [] };
      },
      /template-datasource-rule/,
    ],
    [
      'duplicate uid',
      (d) => {
        d[1]!.uid = d[0]!.uid;
      },
      /is used by 2 dashboards/,
    ],
    [
      'duplicate panel id',
      (d) => {
        d[0]!.panels![2]!.id = d[0]!.panels![1]!.id;
      },
      /is used twice/,
    ],
    [
      'unknown variable',
      (d) => {
        d[0]!.panels![1]!.targets![0]!.expr = 'up{job="$job"}';
      },
      /uses \$job/,
    ],
    [
      'panel without query',
      (d) => {
        d[0]!.panels![1]!.targets = [];
      },
      /has no query/,
    ],
    [
      'broken link',
      (d) => {
        (d[0] as { links?: unknown[] }).links = [{ type: 'link', url: '/d/nope' }];
      },
      /"nope", which is not generated/,
    ],
  ];
  for (const [name, breakIt, expected] of cases) {
    const dashboards = clone();
    breakIt(dashboards);
    const problems = checkDashboards(dashboards, context());
    assert.ok(
      problems.some((p) => expected.test(p)),
      `${name}: ${problems.join('\n') || 'no problem found'}`,
    );
  }
});

test('threshold panels read the series the alert compares, recorded with no window of their own', () => {
  const queries = panelQueries(clone()).map((q) => q.expr);
  assert.ok(queries.includes('threshold:value:measured{service="checkout",threshold="cpu"}'), queries.join('\n'));
  assert.ok(!queries.some((q) => q.includes('process_cpu_seconds_total')));
  assert.deepEqual(checkDashboards(clone(), context()), []);
});

test("the overview computes each row's dashboard uid the way links.ts does, long names included", () => {
  const overview = clone().find((d) => d.uid === OVERVIEW_DASHBOARD_UID)!;
  const expr = panelQueries([overview]).find((q) => q.expr.includes('label_replace'))!.expr;
  // Nested label_replace calls apply in the order their arguments are written, innermost first.
  const steps = [...expr.matchAll(/"dashboard", "([^"]*)", "service", "([^"]*)"/g)];
  const labelOf = (name: string) =>
    steps.reduce<string | undefined>((label, m) => {
      const re = new RegExp(`^(?:${m[2]})$`);
      return re.test(name) ? name.replace(re, m[1]!.replace('$1', '$$1')) : label;
    }, undefined);
  for (const name of ['checkout', LONG_SERVICE]) assert.equal(labelOf(name), serviceDashboardUid(name));
});

test('a grouped SLO gets a variable per grouping label, and its row reads each group through it', () => {
  const kinds = clone().find((d) => d.uid === serviceDashboardUid('kinds'))!;
  const variables = (kinds.templating?.list ?? []).filter((v) => v.type === 'query');
  assert.deepEqual(
    variables.map((v) => v.name),
    ['route', 'tenant'],
  );
  assert.equal(variables[0]!.query, 'label_values(slo:sli_total:rate5m{service="kinds"}, route)');
  const queries = panelQueries([kinds]).map((q) => q.expr);
  assert.ok(
    queries.includes('slo:period_error_budget_remaining:ratio{service="kinds",slo="per-route",route=~"$route"}'),
    queries.join('\n'),
  );
  assert.ok(
    queries.includes('slo:period_error_budget_remaining:ratio{service="kinds",slo="per-tenant-latency",route=~"$route",tenant=~"$tenant"}'),
  );
  // Ungrouped SLOs and the objective (which carries no group) read every series.
  assert.ok(queries.includes('slo:period_error_budget_remaining:ratio{service="kinds",slo="grpc"}'));
  assert.ok(queries.includes('slo:objective:ratio{service="kinds",slo="per-route"}'));
  // No variable on a dashboard without grouped SLOs.
  const checkout = clone().find((d) => d.uid === serviceDashboardUid('checkout'))!;
  assert.deepEqual(
    (checkout.templating?.list ?? []).map((v) => v.name),
    ['datasource'],
  );
});

test('golden signals fit each kind: native quantiles, probe success, no traffic for a probe or an arbitrary query', () => {
  const kinds = clone().find((d) => d.uid === serviceDashboardUid('kinds'))!;
  const panels = kinds.panels ?? [];
  const exprs = (title: string) => (panels.find((p) => p.title === title)?.targets ?? []).map((t) => t.expr ?? '');
  assert.deepEqual(
    exprs('Latency: per-tenant-latency'),
    [0.5, 0.95, 0.99].map((q) => `histogram_quantile(${q}, sum(rate(api_duration_seconds{job="api"}[$__rate_interval])))`),
  );
  assert.deepEqual(exprs('Probe success'), [
    'avg(avg_over_time(probe_success{job="blackbox",instance="https://shop.example"}[$__rate_interval]))',
  ]);
  const traffic = exprs('Traffic');
  assert.ok(traffic.includes('sum by (route) (rate(api_requests_total{job="api"}[$__rate_interval]))'), traffic.join('\n'));
  assert.ok(traffic.includes('histogram_count(sum by (route, tenant) (rate(api_duration_seconds{job="api"}[$__rate_interval])))'));
  assert.ok(!traffic.some((e) => e.includes('probe_success') || e.includes('wifi_client_satisfaction')), traffic.join('\n'));
  const legends = (panels.find((p) => p.title === 'Traffic')?.targets ?? []).map((t) => (t as { legendFormat?: string }).legendFormat);
  assert.ok(legends.includes('per-route route={{route}}'), legends.join(', '));
});
