// What the SLO rule group contains: names, labels, cheap raw reads, and alert expressions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_NAMES } from '../../src/conventions.js';
import { sloRuleGroup } from '../../src/prometheus/slo-rules.js';
import { isAlert, type AlertingRule } from '../../src/prometheus/rules.js';
import { leMatcher } from '../../src/promql/histogram.js';
import { promqlSyntaxError } from '../../src/promql/parse.js';
import { baseConfig, modelOf } from '../helpers/config.js';

function groupFor(mutate: (c: any) => void = () => {}, sloIndex = 0) {
  const raw = baseConfig();
  raw.grafana = { url: 'http://grafana.example' };
  mutate(raw);
  const svc = modelOf(raw).services[0]!;
  return sloRuleGroup(svc, svc.slos[sloIndex]!);
}

test('recording rule names follow level:metric:operations', () => {
  for (const rule of groupFor().rules) {
    if (!isAlert(rule)) assert.match(rule.record, /^slo:[a-z_]+:[a-z0-9_]+$/, rule.record);
  }
});

test('every expression parses as PromQL', () => {
  for (const rule of [...groupFor().rules, ...groupFor(() => {}, 1).rules]) {
    assert.equal(promqlSyntaxError(rule.expr), undefined, rule.expr);
  }
});

test('raw counters are read for three windows only; the rest derive from the 5m rates', () => {
  const text = groupFor()
    .rules.map((r) => r.expr)
    .join('\n');
  const windowsOf = (metricSel: string) =>
    [...text.matchAll(new RegExp(`${metricSel.replace(/[{}()[\].*+?^$|\\]/g, '\\$&')}\\[(\\w+)\\]`, 'g'))].map((m) => m[1]).sort();
  assert.deepEqual(windowsOf('http_requests_total{job="checkout",code=~"5.."}'), ['1h', '30m', '5m']);
  assert.deepEqual(windowsOf('http_requests_total{job="checkout"}'), ['1h', '30m', '5m']);
  for (const w of ['2h', '6h', '1d', '3d', '30d']) {
    const rule = groupFor().rules.find((r) => !isAlert(r) && r.record === `slo:sli_error:ratio_rate${w}`);
    assert.ok(rule, w);
    assert.match(rule.expr, new RegExp(`sum_over_time\\(slo:sli_errors:rate5m\\{service="checkout",slo="availability"\\}\\[${w}\\]\\)`));
  }
});

test('recordings come before the alerts that read them', () => {
  const rules = groupFor().rules;
  const firstAlert = rules.findIndex(isAlert);
  assert.ok(firstAlert > 0);
  assert.ok(rules.slice(firstAlert).every(isAlert));
});

test('alerts carry service, slo, team, severity, remediation and the annotations of the contract', () => {
  const alerts = groupFor((c) => {
    c.remediations = [{ name: 'restart-checkout', action: { http: { url: 'http://127.0.0.1:9/x' } } }];
    c.services[0].slos[0].alerting = { runbook: 'https://runbooks.example/checkout', remediation: 'restart-checkout' };
  }).rules.filter(isAlert) as AlertingRule[];
  // The remediation runs on the page tier (the default): the ticket names none, so the page inhibits it.
  assert.deepEqual(
    alerts.map((a) => [a.alert, a.labels.severity, a.labels.remediation]),
    [
      [ALERT_NAMES.critical, 'critical', 'restart-checkout'],
      [ALERT_NAMES.warning, 'warning', ''],
    ],
  );
  for (const a of alerts) {
    assert.deepEqual(a.labels, {
      remediation: a.labels.remediation,
      service: 'checkout',
      severity: a.labels.severity,
      slo: 'availability',
      team: 'payments',
    });
    assert.equal(a.annotations.runbook_url, 'https://runbooks.example/checkout');
    assert.equal(a.annotations.dashboard, 'http://grafana.example/d/sloforge-checkout');
    assert.ok(a.annotations.summary && a.annotations.description);
  }
});

test('remediationTiers: a ticket that starts the remediation comes twice, for people without it and for the receiver with it', () => {
  const alertsFor = (tiers: unknown) =>
    (
      groupFor((c) => {
        c.remediations = [{ name: 'restart-checkout', action: { http: { url: 'http://127.0.0.1:9/x' } } }];
        c.services[0].slos[0].alerting = { remediation: 'restart-checkout', remediationTiers: tiers };
      }).rules.filter(isAlert) as AlertingRule[]
    ).map((a) => [a.alert, a.labels.remediation]);
  assert.deepEqual(alertsFor(['ticket']), [
    [ALERT_NAMES.critical, ''],
    [ALERT_NAMES.warning, ''],
    [ALERT_NAMES.warning, 'restart-checkout'],
  ]);
  assert.deepEqual(alertsFor(['page', 'ticket']), [
    [ALERT_NAMES.critical, 'restart-checkout'],
    [ALERT_NAMES.warning, ''],
    [ALERT_NAMES.warning, 'restart-checkout'],
  ]);
  assert.deepEqual(alertsFor(['page']), [
    [ALERT_NAMES.critical, 'restart-checkout'],
    [ALERT_NAMES.warning, ''],
  ]);
});

test('the page tier is 14.4x over 1h and 5m, or 6x over 6h and 30m, against the budget', () => {
  const fast = groupFor().rules.find((r) => isAlert(r) && r.alert === ALERT_NAMES.critical)!;
  const compact = fast.expr.replace(/\s+/g, ' ');
  for (const [w, f] of [
    ['1h', '14.4'],
    ['5m', '14.4'],
    ['6h', '6'],
    ['30m', '6'],
  ]) {
    assert.ok(
      compact.includes(`slo:sli_error:ratio_rate${w}{service="checkout",slo="availability"} / 0.001 > ${f}`),
      `${w} ${f}: ${compact}`,
    );
  }
});

test('budget numbers carry no float noise', () => {
  const text = groupFor((c) => (c.services[0].slos[0].objective = 99.95))
    .rules.map((r) => r.expr)
    .join('\n');
  assert.ok(text.includes('/ 0.0005 >'));
  assert.ok(text.includes('vector(0.9995)'));
  assert.ok(!/0\.000500000000/.test(text));
});

test('a latency SLI matches its bucket bound on Prometheus 2 and 3 spellings', () => {
  assert.equal(leMatcher(0.3), '0\\.3');
  assert.equal(leMatcher(1), '1(\\.0)?');
  assert.equal(leMatcher(2.5), '2\\.5');
  const text = groupFor(() => {}, 1)
    .rules.map((r) => r.expr)
    .join('\n');
  assert.ok(text.includes('http_request_duration_seconds_bucket{job="checkout",le=~"0\\\\.3"}'), text);
  assert.ok(text.includes('http_request_duration_seconds_count{job="checkout"}'));
});

test('alerting can be switched off per SLO while its recordings stay', () => {
  const rules = groupFor((c) => (c.services[0].slos[0].alerting = { enabled: false })).rules;
  assert.equal(rules.filter(isAlert).length, 0);
  // The same recordings as with alerting on (test/golden/tiers-off pins the whole output).
  assert.deepEqual(
    rules,
    groupFor().rules.filter((r) => !isAlert(r)),
  );
});
