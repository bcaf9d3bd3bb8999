import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError, formatProblems } from '../../src/config/errors.js';
import { team } from '../helpers/teams.js';

function errorsFor(threshold: Record<string, unknown>): string {
  const raw = { teams: [team('ops')], services: [{ name: 'api', team: 'ops', thresholds: [{ name: 'cpu', ...threshold }] }] };
  try {
    validateConfig(raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return formatProblems(err, raw, 'slos/index.ts');
  }
  assert.fail('config was accepted');
}

const where = 'slos/index.ts: service "api" > threshold "cpu" > ';

test('both levels missing names the critical field', () => {
  assert.match(errorsFor({ expr: 'up' }), new RegExp(`^${where}field "critical": give a \`warning\` level`));
});

test('warning beyond critical in the given direction names the warning field', () => {
  assert.match(
    errorsFor({ expr: 'up', warning: 90, critical: 80 }),
    new RegExp(`^${where}field "warning": must be below critical \\(80\\) for direction "above"`),
  );
  assert.match(
    errorsFor({ expr: 'up', warning: 10, critical: 20, direction: 'below' }),
    /field "warning": must be above critical \(20\) for direction "below"/,
  );
  assert.doesNotThrow(() =>
    validateConfig({
      teams: [team('ops')],
      services: [{ name: 'api', team: 'ops', thresholds: [{ name: 'hits', expr: 'up', warning: 20, critical: 10, direction: 'below' }] }],
    }),
  );
});

test('a bad quantile names percentile.quantile', () => {
  assert.match(
    errorsFor({ percentile: { histogram: 'h{job="a"}', quantile: 99 }, critical: 1 }),
    new RegExp(`^${where}field "percentile.quantile": must be between 0 and 1`),
  );
});

test('a bad duration names the field', () => {
  assert.match(errorsFor({ expr: 'up', critical: 1, for: '5 minutes' }), new RegExp(`^${where}field "for": is not a duration`));
  assert.match(errorsFor({ predict: { series: 'x', horizon: '4 hours' }, critical: 1 }), /field "predict.horizon": is not a duration/);
  assert.match(errorsFor({ expr: 'up', critical: 1, noData: { for: 'soon' } }), /field "noData.for": is not a duration/);
});

test('exactly one kind: none or two are refused', () => {
  assert.match(errorsFor({ critical: 1 }), /field "expr": give exactly one of expr, percentile, ratio, predict, anomaly/);
  assert.match(
    errorsFor({ expr: 'up', anomaly: { series: 'up' }, critical: 1 }),
    /field "anomaly": give exactly one of .* \(found expr and anomaly\)/,
  );
});

test('ratio needs one complete form', () => {
  assert.match(errorsFor({ ratio: { numerator: 'a_total' }, critical: 1 }), /field "ratio.denominator": is required/);
  assert.match(
    errorsFor({ ratio: { numerator: 'a_total', denominator: 'b_total', histogram: 'h' }, critical: 1 }),
    /field "ratio.histogram": give \{ numerator, denominator \}/,
  );
  assert.match(
    errorsFor({ ratio: { numerator: 'rate(a[5m])', denominator: 'b' }, critical: 1 }),
    /field "ratio.numerator": must be a series selector/,
  );
});

test('anomaly levels are positive scores and minBaseline fits the baseline', () => {
  assert.match(errorsFor({ anomaly: { series: 'x' }, warning: -3, critical: 4 }), /field "warning": is a z-score/);
  assert.match(
    errorsFor({ anomaly: { series: 'x', baseline: '1d', minBaseline: '2d' }, critical: 4 }),
    /field "anomaly.minBaseline": must not be longer than the baseline/,
  );
  assert.match(errorsFor({ anomaly: { series: 'x', baseline: '10m' }, critical: 4 }), /field "anomaly.baseline": must be at least 1h/);
  assert.match(
    errorsFor({ anomaly: { series: 'x', minBaseline: '1s' }, critical: 4 }),
    /field "anomaly.minBaseline": must be at least 10m/,
  );
});

test('ratio levels are percentages and percentile levels positive', () => {
  assert.match(
    errorsFor({ ratio: { numerator: 'a_total', denominator: 'b_total' }, critical: 150 }),
    /field "critical": is a percentage for ratio/,
  );
  assert.match(errorsFor({ percentile: { histogram: 'h', quantile: 0.5 }, critical: 0 }), /field "critical": is a latency for percentile/);
});

test('a valid threshold of every kind is accepted', () => {
  const cfg = validateConfig({
    teams: [team('ops')],
    services: [
      {
        name: 'api',
        team: 'ops',
        thresholds: [
          { name: 'a', expr: 'up', critical: 1, keepFiringFor: '5m', noData: { for: '15m', severity: 'critical' } },
          { name: 'b', percentile: { histogram: 'h{job="a"}', quantile: 0.95 }, warning: 0.5, critical: 1 },
          { name: 'c', ratio: { histogram: 'h{job="a"}', slowerThan: 1 }, warning: 5 },
          { name: 'd', predict: { series: 'x', horizon: '4h' }, critical: 100 },
          { name: 'e', anomaly: { series: 'x' }, warning: 3, critical: 4, direction: 'below' },
        ],
      },
    ],
  });
  assert.equal(cfg.services[0]!.thresholds!.length, 5);
});
