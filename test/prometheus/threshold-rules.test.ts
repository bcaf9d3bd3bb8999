import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NODATA_RECORD, THRESHOLD_ALERTS } from '../../src/conventions.js';
import { thresholdRuleGroup } from '../../src/prometheus/threshold-rules.js';
import { noDataRuleGroup } from '../../src/prometheus/nodata.js';
import { isAlert, type AlertingRule, type RecordingRule } from '../../src/prometheus/rules.js';
import { exprSelectors, yieldsWithoutInputs } from '../../src/promql/reads.js';
import { firingStates } from '../../src/promtool/alert-timeline.js';
import { modelOf } from '../helpers/config.js';
import { team } from '../helpers/teams.js';

const cfg = modelOf({
  grafana: { url: 'http://grafana.example' },
  teams: [team('ops')],
  remediations: [{ name: 'restart', action: { http: { url: 'http://127.0.0.1:9/r' } } }],
  services: [
    {
      name: 'api',
      team: 'ops',
      labels: { tier: '1' },
      slos: [
        {
          name: 'availability',
          objective: 99,
          sli: { ratio: { errors: 'req_total{code="500"}', total: 'req_total{job="api"}' } },
          alerting: { remediation: 'restart', noData: { for: '15m', severity: 'critical' } },
        },
      ],
      thresholds: [
        {
          name: 'cpu',
          expr: 'a{job="api"} / on() b{job="api"}',
          warning: 70,
          critical: 85,
          for: '5m',
          keepFiringFor: '2m',
          remediation: 'restart',
          runbook: 'https://r.example/cpu',
        },
        { name: 'hits', ratio: { numerator: 'c_total{r="hit"}', denominator: 'c_total' }, direction: 'below', warning: 30 },
        { name: 'calm', anomaly: { series: 'x', baseline: '2h' }, critical: 3, direction: 'below' },
      ],
    },
  ],
});
const svc = cfg.services[0]!;
const [cpu, hits, calm] = svc.thresholds.map((th) => thresholdRuleGroup(svc, th));

test('threshold alerts carry the label contract, static service/threshold/team, and annotations', () => {
  const alerts = cpu!.rules.filter(isAlert);
  assert.deepEqual(
    alerts.map((a) => a.alert),
    [THRESHOLD_ALERTS.warning, THRESHOLD_ALERTS.critical],
  );
  const crit = alerts[1]!;
  assert.deepEqual(crit.labels, { remediation: 'restart', service: 'api', severity: 'critical', team: 'ops', threshold: 'cpu' });
  assert.equal(crit.expr, 'threshold:value:measured{service="api",threshold="cpu"} > 85');
  assert.deepEqual(Object.keys(crit), ['alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);
  assert.equal(crit.keep_firing_for, '2m');
  assert.equal(crit.annotations.dashboard, 'http://grafana.example/d/sloforge-api');
  assert.equal(crit.annotations.runbook_url, 'https://r.example/cpu');
  assert.match(crit.annotations.summary!, /^api cpu: above 85 \(critical\)$/);
  const record = cpu!.rules[0] as RecordingRule;
  assert.deepEqual(record.labels, { service: 'api', team: 'ops', threshold: 'cpu', tier: '1' });
});

test('direction below compares with <, and an anomaly drop with a negative score', () => {
  assert.equal(hits!.rules.filter(isAlert)[0]!.expr, 'threshold:value:measured{service="api",threshold="hits"} < 30');
  assert.equal(calm!.rules.filter(isAlert)[0]!.expr, 'threshold:value:zscore{service="api",threshold="calm"} < -3');
  // A 2h baseline with minBaseline 1h: the readiness reference window is 30m.
  assert.match(
    (calm!.rules[3] as RecordingRule).expr,
    /count_over_time\(threshold:value:measured\{service="api",threshold="calm"\}\[2h\]\) >= 2 \* count_over_time\(threshold:value:measured\{service="api",threshold="calm"\}\[30m\]\)/,
  );
});

test("no-data: a recording with every label, then an alert that waits and never carries the SLO's remediation", () => {
  const g = noDataRuleGroup(svc)!;
  assert.equal(g.name, 'sloforge-api-nodata');
  const [rec, alert] = g.rules as [RecordingRule, AlertingRule];
  assert.equal(rec.record, NODATA_RECORD);
  // for: 15m splits into a 5m lookback (scrape gaps) and a 10m `for:` (cold starts).
  assert.equal(rec.expr, 'count(\n  absent_over_time(req_total{job="api"}[5m])\n)');
  assert.equal(alert.for, '10m');
  assert.deepEqual(rec.labels, { nodata: 'true', service: 'api', severity: 'critical', slo: 'availability', team: 'ops', tier: '1' });
  assert.equal(alert.alert, 'SLONoData');
  // The SLO names remediation "restart"; its no-data alert must not: "" also drops a series' label.
  assert.deepEqual(alert.labels, { remediation: '', slo: 'availability' });
  const cpuNoData = g.rules.find((r) => 'record' in r && r.labels?.threshold === 'cpu') as RecordingRule;
  assert.match(cpuNoData.expr, /absent_over_time\(a\{job="api"\}\[5m\]\)\n  or\n  absent_over_time\(b\{job="api"\}\[5m\]\)/);
  const cpuAlert = g.rules.find((r) => 'alert' in r && r.labels.threshold === 'cpu') as AlertingRule;
  assert.equal(cpuAlert.for, '5m');
  const hitsNoData = g.rules.find((r) => 'record' in r && r.labels?.threshold === 'hits') as RecordingRule;
  assert.doesNotMatch(hitsNoData.expr, /r="hit"/, 'the numerator may rightly be absent');
});

test('exprSelectors finds every selector once, inside ranges and offsets', () => {
  assert.deepEqual(exprSelectors('rate(a{x="1"}[5m]) / a{x="1"} offset 5m + on() b'), ['a{x="1"}', 'b']);
});

test('alert model: for, keep_firing_for, and unknown steps', () => {
  const T = true,
    F = false,
    U = undefined;
  // for = 2 steps: fires at the third true evaluation.
  assert.deepEqual(firingStates([F, T, T, T, T, F], 2, 0), [F, F, F, T, T, F]);
  // keep_firing_for = 2 steps holds it for two false evaluations.
  assert.deepEqual(firingStates([T, T, F, F, F], 0, 2), [T, T, T, T, F]);
  // An unknown step makes only the states that depend on it unknown.
  assert.deepEqual(firingStates([T, U, T, F], 1, 0), [F, U, U, F]);
});

test('expressions that yield data without inputs are recognised (their tests would collide)', () => {
  assert.equal(yieldsWithoutInputs('sum(rate(e_total[5m])) or vector(0)'), true);
  assert.equal(yieldsWithoutInputs('time() - last_success_timestamp_seconds'), false);
  assert.equal(yieldsWithoutInputs('42'), true);
  assert.equal(yieldsWithoutInputs('avg(rate(cpu_seconds_total[5m])) * 100'), false);
});
