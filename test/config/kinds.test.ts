// The config's kind keys read as discriminated unions: what every check and the resolver switch on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioForm, sliCase, sliPart, thresholdCase } from '../../src/config/kinds.js';
import { SLI_KINDS } from '../../src/config/schema/slo.js';
import { THRESHOLD_KINDS } from '../../src/config/schema/threshold.js';
import { validateConfig } from '../../src/config/validate.js';
import { baseConfig } from '../helpers/config.js';

test('every SLI kind of the schema comes out as its case, with its own fields', () => {
  assert.deepEqual(SLI_KINDS, ['ratio', 'latency', 'query', 'boolGauge']);
  const slos = validateConfig(baseConfig()).services[0]!.slos!;
  assert.deepEqual(sliCase(slos[0]!.sli), { kind: 'ratio', spec: slos[0]!.sli.ratio });
  assert.deepEqual(sliCase(slos[1]!.sli), { kind: 'latency', spec: slos[1]!.sli.latency });
  assert.deepEqual(sliCase({ boolGauge: { series: 'up' } }), { kind: 'boolGauge', spec: { series: 'up' } });
});

test('an SLI with no kind or two is a sloforge bug, never a silent pick', () => {
  assert.throws(() => sliCase({}), /sloforge bug: a validated SLI has 0 kinds/);
  assert.throws(() => sliCase({ boolGauge: { series: 'up' }, ratio: { total: 'a', errors: 'b' } }), /has 2 kinds/);
});

test('a threshold names its one kind; a ratio its form; an SLI its part', () => {
  assert.deepEqual(THRESHOLD_KINDS, ['expr', 'percentile', 'ratio', 'predict', 'anomaly']);
  assert.deepEqual(thresholdCase({ name: 't', expr: 'up', warning: 1 }), { kind: 'expr', spec: 'up' });
  assert.throws(() => thresholdCase({ name: 't', warning: 1 }), /threshold "t" has 0 kinds/);
  assert.deepEqual(ratioForm({ histogram: 'h', slowerThan: 0.5 }), {
    form: 'histogram',
    histogram: 'h',
    slowerThan: 0.5,
    window: undefined,
  });
  assert.deepEqual(ratioForm({ numerator: 'a', denominator: 'b', window: '5m' }), {
    form: 'counters',
    numerator: 'a',
    denominator: 'b',
    window: '5m',
  });
  assert.throws(() => ratioForm({ histogram: 'h' }), /neither form complete/);
  assert.deepEqual(sliPart({ good: 'g', errors: undefined }), { field: 'good', meaning: 'good', text: 'g' });
  assert.deepEqual(sliPart({ errors: 'e' }), { field: 'errors', meaning: 'bad', text: 'e' });
  assert.throws(() => sliPart({}), /neither errors nor good/);
});
