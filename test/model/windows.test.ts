// Windows and factors follow the Workbook for 30d and scale with the period for 7d and 28d.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertTiers, rawWindows, baseWindow, MAX_ALERT_RATIO } from '../../src/model/windows.js';
import { formatDuration, parseDuration } from '../../src/config/duration.js';

const show = (period: string) =>
  alertTiers(parseDuration(period)!).map((t) => ({
    severity: t.severity,
    pairs: t.pairs.map((p) => `${formatDuration(p.long)}/${formatDuration(p.short)}@${p.factor}`),
  }));

test('30d uses the Workbook table exactly', () => {
  assert.deepEqual(show('30d'), [
    { severity: 'critical', pairs: ['1h/5m@14.4', '6h/30m@6'] },
    { severity: 'warning', pairs: ['1d/2h@3', '3d/6h@1'] },
  ]);
});

test('28d scales every window by 28/30 and keeps the factors', () => {
  assert.deepEqual(show('28d'), [
    { severity: 'critical', pairs: ['56m/5m@14.4', '5h36m/28m@6'] },
    { severity: 'warning', pairs: ['22h24m/1h52m@3', '2d19h12m/5h36m@1'] },
  ]);
});

test('7d scales windows by 7/30, never below 5m', () => {
  assert.deepEqual(show('7d'), [
    { severity: 'critical', pairs: ['14m/5m@14.4', '1h24m/7m@6'] },
    { severity: 'warning', pairs: ['5h36m/28m@3', '16h48m/1h24m@1'] },
  ]);
});

test('each alert still stands for the same share of the budget (factor x long / period)', () => {
  for (const period of ['7d', '28d', '30d', '90d']) {
    const ms = parseDuration(period)!;
    for (const tier of alertTiers(ms)) {
      for (const p of tier.pairs) {
        const share = (p.factor * p.long) / ms;
        assert.ok(Math.abs(share - p.budgetShare) / p.budgetShare < 0.01, `${period}: ${share} vs ${p.budgetShare}`);
      }
    }
  }
});

test('only the page tier short windows and its fastest long window read raw counters', () => {
  const tiers = alertTiers(parseDuration('30d')!);
  assert.deepEqual(rawWindows(tiers).map(formatDuration), ['5m', '30m', '1h']);
  assert.equal(formatDuration(baseWindow(tiers)), '5m');
});

test('durations parse and format in Prometheus units', () => {
  assert.equal(parseDuration('1h30m'), 90 * 60_000);
  assert.equal(parseDuration('30d'), 30 * 86_400_000);
  assert.equal(parseDuration('1w'), 7 * 86_400_000);
  assert.equal(parseDuration('30 days'), undefined);
  assert.equal(parseDuration('5m1h'), undefined, 'units must come largest first');
  assert.equal(formatDuration(parseDuration('1d2h')!), '1d2h');
});

const factorsAt = (objective: number) => {
  const budget = (100 - objective) / 100;
  return alertTiers(parseDuration('30d')!, budget).flatMap((t) => t.pairs.map((p) => p.factor));
};

test('no pair asks for an error ratio above 50%: below about 96.5% the factors are capped to 0.5 / budget, windows kept', () => {
  assert.deepEqual(factorsAt(99.9), [14.4, 6, 3, 1]);
  assert.deepEqual(factorsAt(97), [14.4, 6, 3, 1]);
  assert.deepEqual(factorsAt(95), [10, 6, 3, 1]);
  assert.deepEqual(factorsAt(90), [5, 5, 3, 1]);
  assert.deepEqual(factorsAt(85), [3.33, 3.33, 3, 1]);
  assert.deepEqual(factorsAt(50), [1, 1, 1, 1]);
  for (let objective = 50; objective < 100; objective += 0.25) {
    const budget = (100 - objective) / 100;
    for (const f of factorsAt(objective)) assert.ok(f * budget <= MAX_ALERT_RATIO && f >= 1, `${objective}: ${f}`);
  }
  const tiers = alertTiers(parseDuration('30d')!, 0.1);
  assert.deepEqual(
    tiers.flatMap((t) => t.pairs.map((p) => formatDuration(p.long))),
    ['1h', '6h', '1d', '3d'],
  );
  // A capped pair fires at a lower burn, having spent less of the budget.
  assert.equal(tiers[0].pairs[0].budgetShare, Number(((0.02 * 5) / 14.4).toPrecision(3)));
});
