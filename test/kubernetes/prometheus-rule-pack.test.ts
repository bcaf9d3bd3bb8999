// Packing a service's groups into PrometheusRules under a byte budget: whole groups in order,
// a group too big alone cut into parts named .2, .3 ... with each recording kept beside the
// alert that reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { packGroups } from '../../src/kubernetes/prometheus-rule.js';
import { operatorRuleFileBytes } from '../../src/kubernetes/limits.js';
import { serviceRuleGroups } from '../../src/prometheus/target.js';
import { isAlert } from '../../src/prometheus/rules.js';
import { baseConfig, modelOf } from '../helpers/config.js';

test('groups fill objects in order; a no-data group over the budget is cut between its pairs', () => {
  const cfg = baseConfig();
  cfg.services[0].thresholds = Array.from({ length: 40 }, (_, i) => ({ name: `t${i}`, expr: `max(cpu{pod="p${i}"})`, warning: 80 }));
  const groups = serviceRuleGroups(modelOf(cfg).services[0]!);
  const budget = 12_000;
  const nodata = groups.find((g) => g.name.endsWith('-nodata'))!;
  assert.ok(operatorRuleFileBytes({ groups: [nodata] }) > budget, 'the no-data group must be over the budget alone');
  const objects = packGroups(groups, budget);
  assert.ok(objects.length > 3);
  for (const o of objects) assert.ok(operatorRuleFileBytes({ groups: o }) <= budget, `${operatorRuleFileBytes({ groups: o })} bytes`);
  const flat = objects.flat();
  assert.deepEqual(
    flat.flatMap((g) => g.rules),
    groups.flatMap((g) => g.rules),
  );
  const parts = flat.filter((g) => g.name.startsWith(nodata.name)).map((g) => g.name);
  assert.deepEqual(
    parts,
    parts.map((_, i) => (i === 0 ? nodata.name : `${nodata.name}.${i + 1}`)),
  );
  // Each part starts with a recording and ends with the alert that reads it.
  for (const g of flat.filter((x) => x.name.startsWith(nodata.name))) {
    assert.ok(!isAlert(g.rules[0]!) && isAlert(g.rules[g.rules.length - 1]!), g.name);
  }
  // Under the budget nothing moves.
  assert.deepEqual(packGroups(groups, 10_000_000), [groups]);
});
