import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grafanaUnit, thresholdPanel, thresholdSteps } from '../../src/grafana/threshold-panels.js';
import { modelOf } from '../helpers/config.js';
import { team } from '../helpers/teams.js';

test('levels above: green, then amber at warning, red at critical', () => {
  assert.deepEqual(thresholdSteps({ warning: 70, critical: 85, direction: 'above' }), [
    { value: null, color: 'green' },
    { value: 70, color: 'orange' },
    { value: 85, color: 'red' },
  ]);
  assert.deepEqual(thresholdSteps({ warning: undefined, critical: 85, direction: 'above' }), [
    { value: null, color: 'green' },
    { value: 85, color: 'red' },
  ]);
});

test('levels below: red under critical, amber up to warning, green above', () => {
  assert.deepEqual(thresholdSteps({ warning: 20, critical: 5, direction: 'below' }), [
    { value: null, color: 'red' },
    { value: 5, color: 'orange' },
    { value: 20, color: 'green' },
  ]);
  assert.deepEqual(thresholdSteps({ warning: 20, critical: undefined, direction: 'below' }), [
    { value: null, color: 'orange' },
    { value: 20, color: 'green' },
  ]);
  assert.deepEqual(thresholdSteps({ warning: undefined, critical: undefined, direction: 'below' }), [{ value: null, color: 'green' }]);
});

test('units: plain words map to Grafana ids, Grafana ids pass through, none reads as short', () => {
  assert.equal(grafanaUnit('seconds'), 's');
  assert.equal(grafanaUnit('ratio'), 'percentunit');
  assert.equal(grafanaUnit('failed runs'), 'suffix: failed runs', 'Grafana unit ids have no spaces: words are a custom suffix');
  assert.equal(grafanaUnit('percent'), 'percent');
  assert.equal(grafanaUnit('decgbytes'), 'decgbytes');
  assert.equal(grafanaUnit(undefined), 'short');
});

/** The service and its one threshold, resolved as the Grafana target sees them. */
function resolved(threshold: Record<string, unknown>) {
  const svc = modelOf({ teams: [team('payments')], services: [{ name: 'checkout', team: 'payments', thresholds: [threshold] }] })
    .services[0]!;
  return [svc, svc.thresholds[0]!] as const;
}

test('the panel reads the recorded series the alert compares, with its unit and levels', () => {
  const { panel, queries } = thresholdPanel(...resolved({ name: 'cpu', expr: 'avg(x) * 100', warning: 70, critical: 85, unit: 'percent' }));
  const built = panel.build();
  assert.deepEqual(queries, [{ expr: 'threshold:value:measured{service="checkout",threshold="cpu"}', legend: 'cpu' }]);
  assert.equal(built.fieldConfig?.defaults.unit, 'percent');
  assert.deepEqual(
    built.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value),
    [null, 70, 85],
  );
});

test('a forecast shows the predicted and the current value; an anomaly its z-score, levels on the watched side', () => {
  const predict = thresholdPanel(
    ...resolved({
      name: 'disk',
      predict: { series: 'node_filesystem_avail_bytes{job="node"}', horizon: '4h' },
      critical: 0,
      direction: 'below',
      unit: 'bytes',
    }),
  );
  assert.deepEqual(
    predict.queries.map((q) => q.expr),
    [
      'threshold:value:predict_linear{service="checkout",threshold="disk"}',
      'threshold:value:measured{service="checkout",threshold="disk"}',
    ],
  );
  const anomaly = thresholdPanel(
    ...resolved({ name: 'orders', anomaly: { series: 'sum(rate(orders_total[5m]))' }, warning: 3, critical: 4, direction: 'below' }),
  );
  assert.deepEqual(
    anomaly.queries.map((q) => q.expr),
    ['threshold:value:zscore{service="checkout",threshold="orders"}'],
  );
  const built = anomaly.panel.build();
  assert.equal(built.fieldConfig?.defaults.unit, 'none');
  assert.deepEqual(
    built.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value),
    [null, -4, -3],
  );
});
