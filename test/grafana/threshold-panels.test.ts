import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grafanaUnit, thresholdPanel, thresholdSteps } from '../../src/grafana/threshold-panels.js';

test('levels above: green, then amber at warning, red at critical', () => {
  assert.deepEqual(thresholdSteps({ warning: 70, critical: 85 }), [
    { value: null, color: 'green' }, { value: 70, color: 'orange' }, { value: 85, color: 'red' },
  ]);
  assert.deepEqual(thresholdSteps({ critical: 85, direction: 'above' }), [{ value: null, color: 'green' }, { value: 85, color: 'red' }]);
});

test('levels below: red under critical, amber up to warning, green above', () => {
  assert.deepEqual(thresholdSteps({ warning: 20, critical: 5, direction: 'below' }), [
    { value: null, color: 'red' }, { value: 5, color: 'orange' }, { value: 20, color: 'green' },
  ]);
  assert.deepEqual(thresholdSteps({ warning: 20, direction: 'below' }), [{ value: null, color: 'orange' }, { value: 20, color: 'green' }]);
  assert.deepEqual(thresholdSteps({ direction: 'below' }), [{ value: null, color: 'green' }]);
});

test('units: plain words map to Grafana ids, Grafana ids pass through, none reads as short', () => {
  assert.equal(grafanaUnit('seconds'), 's');
  assert.equal(grafanaUnit('ratio'), 'percentunit');
  assert.equal(grafanaUnit('percent'), 'percent');
  assert.equal(grafanaUnit('decgbytes'), 'decgbytes');
  assert.equal(grafanaUnit(undefined), 'short');
});

test('the panel queries the threshold\'s own expression with its unit and levels', () => {
  const { panel, queries } = thresholdPanel({ name: 'cpu', expr: 'avg(x) * 100', warning: 70, critical: 85, unit: 'percent' });
  const built = panel.build();
  assert.deepEqual(queries, [{ expr: 'avg(x) * 100' }]);
  assert.equal(built.fieldConfig?.defaults.unit, 'percent');
  assert.deepEqual(built.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value), [null, 70, 85]);
});
