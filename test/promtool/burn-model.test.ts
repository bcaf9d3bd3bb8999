// The burn-rate model the generated days-file tests assert from: its states must be those of the
// rules (the generated tests prove that under promtool); here, that it reads windows as they do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../src/config/duration.js';
import { allWindows, alertTiers, rawWindows } from '../../src/model/windows.js';
import type { SloPlan } from '../../src/model/types.js';
import { burnModel } from '../../src/promtool/burn-model.js';

const period = 30 * DAY_MS;
const budget = 0.001;
const tiers = alertTiers(period, budget);
const plan: SloPlan = {
  periodMs: period,
  period: '30d',
  budget,
  tiers,
  base: '5m',
  windows: allWindows(tiers, period),
  rawWindows: rawWindows(tiers),
};
const at = (minutes: number, burn: number, traffic = 1000) => ({ minutes, total: traffic, errors: traffic * budget * burn });
const H = 60;

test('a steady 2x burn from the start opens a ticket at once and never pages', () => {
  const m = burnModel(plan, [at(4 * 24 * H, 2)], 5, H, false);
  for (const h of [1, 6, 24, 80]) {
    assert.equal(m.tier(0, h * H), false, `page at ${h}h`);
    assert.equal(m.tier(1, h * H), true, `ticket at ${h}h`);
  }
});

test('a burn after heavy clean traffic: the long windows stay diluted until it has filled them', () => {
  // 50x clean traffic for 2h, then 18x (1.25 x 14.4) for 2h: the 1h window is pure burn after 1h.
  const m = burnModel(plan, [at(2 * H, 0, 50_000), at(2 * H, 18)], 5, H, false);
  assert.equal(m.tier(0, 3 * H), true, 'the 1h and 5m windows both burn at 18x');
  // The 3d window (derived: hourly 5m rates) holds 2 heavy clean samples and 2 burning ones.
  assert.equal(m.tier(1, 3 * H), false, 'the ticket windows hold the heavy clean traffic');
});

test('a burn that stopped: the long window still burns, the short one is clean, nothing fires', () => {
  // 36x from minute 370 to 420, clean after: at 7h the 1h window reads 30x, the 5m window 0.
  const m = burnModel(plan, [at(6 * H + 10, 0, 50_000), at(50, 36), at(10, 0)], 5, H, false);
  assert.equal(m.tier(0, 7 * H), false);
});

test('a burn too close to a factor is not called either way', () => {
  // 6x: the slow page pair's factor exactly (the fast pair's 14.4 is well above it).
  const m = burnModel(plan, [at(2 * H, 6)], 5, H, false);
  assert.equal(m.tier(0, 2 * H), undefined);
});

test('a gauge counts each sample as one event, whatever the traffic; no sample is no event', () => {
  const probe = burnModel(plan, [at(2 * H, 0, 50_000), at(2 * H, 18, 1)], 5, H, true);
  // Unweighted: 2h of clean samples beside 1h of failing ones in the ticket windows.
  assert.equal(probe.tier(0, 3 * H), true);
  const silent = burnModel(plan, [{ minutes: 3 * H, total: 0, errors: 0 }], 5, H, true);
  assert.equal(silent.tier(0, 2 * H), false);
  assert.equal(silent.tier(1, 2 * H), false);
});

test('SLOs of one plan fed the same phases share a model; any difference in what it reads gets its own', () => {
  const phases = [at(2 * H, 0, 50_000), at(2 * H, 18)];
  const m = burnModel(plan, phases, 5, H, false);
  assert.equal(
    burnModel(
      { ...plan, period: '30d' },
      phases.map((p) => ({ ...p })),
      5,
      H,
      false,
    ),
    m,
    'equal inputs, other objects',
  );
  const others = [
    burnModel({ ...plan, budget: 0.002 }, phases, 5, H, false),
    burnModel(plan, [at(2 * H, 0, 50_000), at(2 * H, 19)], 5, H, false),
    burnModel(plan, phases, 1, H, false),
    burnModel(plan, phases, 5, 2 * H, false),
    burnModel(plan, phases, 5, H, true),
    burnModel({ ...plan, rawWindows: plan.rawWindows.slice(1) }, phases, 5, H, false),
  ];
  for (const [i, o] of others.entries()) assert.notEqual(o, m, `variant ${i}`);
});
