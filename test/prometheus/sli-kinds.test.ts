// The PromQL each SLI kind becomes: per kind a total and a part per window, summed (per group),
// long windows derived from the recorded 5m rates, tiers switched off, and per-group no-data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sloRuleGroup } from '../../src/prometheus/slo-rules.js';
import { noDataRuleGroup } from '../../src/prometheus/nodata.js';
import { isAlert, type RecordingRule } from '../../src/prometheus/rules.js';
import { promqlSyntaxError } from '../../src/promql/parse.js';
import { baseConfig, modelOf } from '../helpers/config.js';

function group(sli: unknown, extra: Record<string, unknown> = {}) {
  const raw = baseConfig();
  raw.services[0].slos = [{ name: 's', objective: 99.9, sli, ...extra }];
  const svc = modelOf(raw).services[0]!;
  const g = sloRuleGroup(svc, svc.slos[0]!);
  const rec = (name: string) => (g.rules.find((r) => !isAlert(r) && r.record === name) as RecordingRule).expr;
  for (const r of g.rules) assert.equal(promqlSyntaxError(r.expr), undefined, r.expr);
  return { g, rec, svc };
}

const SEL = '{service="checkout",slo="s"}';

test('a query SLI substitutes each window and sums the result; long windows derive from the 5m recordings', () => {
  const { rec } = group({ query: { errors: 'sum(rate(grpc_total{code!="OK"}[$window]))', total: 'sum(rate(grpc_total[$window]))' } });
  assert.equal(rec('slo:sli_total:rate5m'), 'sum(sum(rate(grpc_total[5m])))');
  assert.equal(rec('slo:sli_errors:rate5m'), '(sum(sum(rate(grpc_total{code!="OK"}[5m]))) or vector(0))');
  assert.equal(
    rec('slo:sli_error:ratio_rate1h'),
    '(sum(sum(rate(grpc_total{code!="OK"}[1h]))) or vector(0))\n/\nsum(sum(rate(grpc_total[1h])))',
  );
  assert.equal(
    rec('slo:sli_error:ratio_rate30d'),
    `sum_over_time(slo:sli_errors:rate5m${SEL}[30d])\n/\nsum_over_time(slo:sli_total:rate5m${SEL}[30d])`,
  );
});

test('a query SLI of good events subtracts them from the total', () => {
  const { rec } = group({ query: { good: 'sum_over_time(ok[$window:1m])', total: 'count_over_time(ok[$window])' } });
  assert.equal(rec('slo:sli_errors:rate5m'), `sum(slo:sli_total:rate5m${SEL}) - (sum(sum_over_time(ok[5m:1m])) or vector(0))`);
});

test('a boolean gauge counts samples: each is an event, 1 good', () => {
  const { rec } = group({ boolGauge: { series: 'probe_success{job="blackbox"}' } });
  assert.equal(rec('slo:sli_total:rate5m'), 'sum(count_over_time(probe_success{job="blackbox"}[5m]))');
  assert.equal(
    rec('slo:sli_errors:rate5m'),
    `sum(slo:sli_total:rate5m${SEL}) - (sum(sum_over_time(probe_success{job="blackbox"}[5m])) or vector(0))`,
  );
  assert.equal(
    rec('slo:sli_error:ratio_rate30m'),
    '1 - (sum(sum_over_time(probe_success{job="blackbox"}[30m])) or vector(0))\n/\nsum(count_over_time(probe_success{job="blackbox"}[30m]))',
  );
});

test('a native histogram reads histogram_fraction over the summed rate, any threshold, never NaN in the 5m recordings', () => {
  const { rec } = group({ latency: { histogram: 'rpc_seconds{job="rpc"}', threshold: 0.27, native: true } });
  assert.equal(rec('slo:sli_total:rate5m'), 'histogram_count(sum(rate(rpc_seconds{job="rpc"}[5m])))');
  assert.equal(
    rec('slo:sli_errors:rate5m'),
    `(sum(slo:sli_total:rate5m${SEL}) * (1 - histogram_fraction(0, 0.27, sum(rate(rpc_seconds{job="rpc"}[5m])))) >= 0 or vector(0))`,
  );
  assert.equal(rec('slo:sli_error:ratio_rate1h'), '1 - histogram_fraction(0, 0.27, sum(rate(rpc_seconds{job="rpc"}[1h])))');
});

test('a grouped SLO sums by its labels and reads a missing part as 0 times its own total, keeping the group', () => {
  const { rec, g } = group(
    { ratio: { errors: 'http_requests_total{job="checkout",code=~"5.."}', total: 'http_requests_total{job="checkout"}' } },
    { groupBy: ['route', 'tenant'] },
  );
  assert.equal(rec('slo:sli_total:rate5m'), 'sum by (route, tenant) (rate(http_requests_total{job="checkout"}[5m]))');
  assert.equal(
    rec('slo:sli_errors:rate5m'),
    `(sum by (route, tenant) (rate(http_requests_total{job="checkout",code=~"5.."}[5m])) or 0 * sum by (route, tenant) (slo:sli_total:rate5m${SEL}))`,
  );
  assert.match(
    rec('slo:sli_error:ratio_rate1h'),
    /^\(sum by \(route, tenant\) \(rate\(.*\[1h\]\)\) or 0 \* sum by \(route, tenant\) \(rate\(http_requests_total\{job="checkout"\}\[1h\]\)\)\)\n\/\nsum by/,
  );
  const page = g.rules.find((r) => isAlert(r) && r.alert === 'ErrorBudgetBurnFast');
  assert.ok(page && isAlert(page));
  assert.equal(
    page.annotations.summary,
    'checkout s (route="{{ $labels.route }}", tenant="{{ $labels.tenant }}"): error budget burning fast (99.9% over 30d)',
  );
  assert.ok(!('route' in page.labels), 'group labels come from the series');
});

test('page: false and ticket: false drop that alert and keep every recording', () => {
  const sli = { ratio: { errors: 'e_total', total: 't_total' } };
  const all = group(sli).g.rules;
  const noPage = group(sli, { alerting: { page: false } }).g.rules;
  const noTicket = group(sli, { alerting: { ticket: false } }).g.rules;
  const neither = group(sli, { alerting: { page: false, ticket: false } });
  const alerts = (rules: typeof all) => rules.filter(isAlert).map((r) => r.alert);
  assert.deepEqual(alerts(noPage), ['ErrorBudgetBurnSlow']);
  assert.deepEqual(alerts(noTicket), ['ErrorBudgetBurnFast']);
  assert.deepEqual(alerts(neither.g.rules), []);
  for (const rules of [noPage, noTicket, neither.g.rules])
    assert.deepEqual(
      rules.filter((r) => !isAlert(r)),
      all.filter((r) => !isAlert(r)),
    );
  // Both tiers off still watches the inputs: that is what alerting.enabled: false turns off.
  assert.ok(neither.svc.slos[0]!.noData);
});

test("a grouped SLO's no-data rule also names each group that stopped reporting, remembered for an hour", () => {
  const raw = baseConfig();
  raw.services[0].slos[1].groupBy = ['route'];
  const svc = modelOf(raw).services[0]!;
  const expr = noDataRuleGroup(svc)!.rules.find((r) => !isAlert(r) && r.labels?.slo === 'latency')!.expr;
  assert.equal(promqlSyntaxError(expr), undefined);
  const count = 'http_request_duration_seconds_count{job="checkout"}';
  const bucket = 'http_request_duration_seconds_bucket{job="checkout",le=~"0\\\\.3"}';
  assert.ok(
    expr.startsWith(
      `count by (route) (\n  group by (route) (present_over_time(${count}[1h]))\n    unless\n  group by (route) (present_over_time(${count}[5m]))`,
    ),
    expr,
  );
  // A group whose threshold is no bucket bound: its _count reports, its bucket does not.
  assert.ok(
    expr.includes(`group by (route) (present_over_time(${count}[1h]))\n    unless\n  group by (route) (present_over_time(${bucket}[5m]))`),
    expr,
  );
  assert.ok(expr.includes(`or\ncount(\n  absent_over_time(${count}[5m])`), expr);
  // The ungrouped SLO keeps its plain rule.
  assert.ok(
    noDataRuleGroup(svc)!
      .rules.find((r) => !isAlert(r) && r.labels?.slo === 'availability')!
      .expr.startsWith('count(\n  absent_over_time('),
  );
});

test('more than 3 grouping labels is a warning; SLOs no generated test can prove are named', async () => {
  const { modelWarnings, untestedSlos } = await import('../../src/model/warnings.js');
  const raw = baseConfig();
  raw.grafana = { url: 'http://grafana.example', datasource: { url: 'http://prometheus.example:9090' } };
  raw.services[0].slos[0].groupBy = ['a', 'b', 'c', 'd'];
  raw.services[0].slos.push(
    { name: 'native', objective: 99, sli: { latency: { histogram: 'rpc_seconds{job="rpc"}', threshold: 0.3, native: true } } },
    {
      name: 'subquery',
      objective: 95,
      sli: { query: { errors: 'sum_over_time((count(x < 0.5))[$window:])', total: 'sum_over_time((count(x))[$window:])' } },
    },
    {
      name: 'counters',
      objective: 95,
      sli: { query: { errors: 'sum(rate(y_total{code="500"}[$window]))', total: 'sum(rate(y_total[$window]))' } },
    },
    {
      name: 'quiet',
      objective: 95,
      alerting: { enabled: false },
      sli: { query: { errors: 'sum_over_time((count(x < 0.5))[$window:])', total: 'sum_over_time((count(x))[$window:])' } },
    },
  );
  const model = modelOf(raw);
  const warnings = modelWarnings(model);
  assert.deepEqual(
    warnings.map((w) => w.path.join('.')),
    ['services.0.slos.0.groupBy'],
  );
  assert.match(warnings[0]!.message, /groups by 4 labels/);
  assert.deepEqual(
    untestedSlos(model).map((s) => s.split(' ')[0]),
    ['checkout/native', 'checkout/subquery'],
  );
});

test('page: false and ticket: false together is a warning naming the SLO; either alone or enabled: false is not', async () => {
  const { modelWarnings } = await import('../../src/model/warnings.js');
  const raw = baseConfig();
  raw.grafana = { url: 'http://grafana.example', datasource: { url: 'http://prometheus.example:9090' } };
  const sli = raw.services[0].slos[0].sli;
  raw.services[0].slos = [
    { name: 'silent', objective: 99, sli, alerting: { page: false, ticket: false } },
    { name: 'ticket-only', objective: 99, sli, alerting: { page: false } },
    { name: 'page-only', objective: 99, sli, alerting: { ticket: false } },
    { name: 'off', objective: 99, sli, alerting: { enabled: false } },
  ];
  const warnings = modelWarnings(modelOf(raw));
  assert.deepEqual(
    warnings.map((w) => w.path.join('.')),
    ['services.0.slos.0.alerting'],
  );
  assert.match(warnings[0]!.message, /no burn-rate alert remains.*alerting\.enabled: false/);
});

test("a grouped SLO's alerts link to the dashboard filtered to their own group, values URL-escaped by Prometheus", () => {
  const raw = baseConfig();
  raw.grafana = { url: 'https://grafana.example/', datasource: { url: 'http://prometheus.example:9090' } };
  raw.services[0].slos[0].groupBy = ['route', 'region'];
  const svc = modelOf(raw).services[0]!;
  const links = svc.slos.map((slo) =>
    sloRuleGroup(svc, slo)
      .rules.filter(isAlert)
      .map((a) => a.annotations?.dashboard),
  );
  const grouped =
    'https://grafana.example/d/sloforge-checkout?var-route={{ $labels.route | urlquery }}&var-region={{ $labels.region | urlquery }}';
  assert.deepEqual(links, [
    [grouped, grouped],
    ['https://grafana.example/d/sloforge-checkout', 'https://grafana.example/d/sloforge-checkout'],
  ]);
});
