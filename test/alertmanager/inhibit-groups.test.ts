// A grouped SLO pages per group: one group's page must not mute another group's ticket, so the SLO
// inhibition rules also require the grouping labels equal; thresholds are left as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertmanagerConfig } from '../../src/alertmanager/target.js';
import { baseConfig, modelOf } from '../helpers/config.js';

type Rule = { source_matchers: string[]; target_matchers: string[]; equal: string[] };

test('SLO inhibition rules compare every grouping label used, which ungrouped alerts lack on both sides', () => {
  const cfg = baseConfig();
  cfg.services[0].slos[0].groupBy = ['route'];
  cfg.services[0].slos[1].groupBy = ['tenant', 'route'];
  const rules = alertmanagerConfig(modelOf(cfg)).inhibit_rules as Rule[];
  const slo = rules.filter((r) => r.equal.includes('slo'));
  const threshold = rules.filter((r) => r.equal.includes('threshold'));
  assert.equal(slo.length, 2);
  for (const r of slo) {
    assert.deepEqual(r.equal.slice(-2), ['route', 'tenant']);
    // Present on both sides is only required of service and slo: an ungrouped SLO has no route.
    assert.ok(!r.source_matchers.some((m) => m.startsWith('route') || m.startsWith('tenant')), r.source_matchers.join(' '));
  }
  for (const r of threshold) assert.ok(!r.equal.includes('route'));
  // Without groupBy anywhere, the rules are exactly what they were.
  const plain = alertmanagerConfig(modelOf(baseConfig())).inhibit_rules as Rule[];
  assert.deepEqual(
    plain.map((r) => r.equal),
    [
      ['service', 'slo'],
      ['service', 'slo', 'severity'],
      ['service', 'threshold'],
      ['service', 'threshold', 'severity'],
    ],
  );
});
