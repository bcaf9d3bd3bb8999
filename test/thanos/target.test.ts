// The Thanos Ruler files: the plain groups with partial_response_strategy on each, recordings
// and alerts in groups of their own where the two strategies differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { isAlert } from '../../src/prometheus/rules.js';
import { engineConfig, plainRules, yamlFiles } from '../helpers/engines.js';

test('partial_response_strategy on every group; recordings and alerts apart when their strategies differ', () => {
  const artifacts = compile(validateConfig(engineConfig()));
  const plain = plainRules(artifacts);
  const thanos = yamlFiles(artifacts, 'thanos/rules/');
  const strategies = (file: string) => Object.fromEntries(thanos[file].groups.map((g: any) => [g.name, g.partial_response_strategy]));
  // checkout: recordings warn (configured), alerts abort (the default), so the availability
  // group and the no-data group split; latency only records.
  assert.deepEqual(strategies('checkout.yml'), {
    'sloforge-checkout-availability': 'warn',
    'sloforge-checkout-availability.alerts': 'abort',
    'sloforge-checkout-latency': 'warn',
    'sloforge-checkout-nodata': 'warn',
    'sloforge-checkout-nodata.alerts': 'abort',
  });
  // search: alerts warn (its own), recordings warn (the config-wide default): one group each, as in the plain file.
  assert.deepEqual(strategies('search.yml'), { 'sloforge-search-threshold-cpu': 'warn', 'sloforge-search-nodata': 'warn' });
  for (const [file, doc] of Object.entries(thanos)) {
    // Each group holds one kind where split, and the rules are those of the plain file, kind by kind per group.
    for (const g of doc.groups) {
      if (g.name.endsWith('.alerts')) assert.ok(g.rules.every(isAlert), g.name);
      assert.deepEqual(Object.keys(g), [
        'name',
        'interval',
        ...(file === 'search.yml' ? ['limit'] : []),
        'partial_response_strategy',
        'rules',
      ]);
    }
    const byKind = (groups: any[]) => groups.flatMap((g) => [...g.rules.filter((r: any) => !isAlert(r)), ...g.rules.filter(isAlert)]);
    assert.deepEqual(byKind(doc.groups), byKind(plain[file].groups));
  }
});

test('with one strategy for both kinds the groups are exactly the plain ones', () => {
  const cfg = engineConfig();
  cfg.prometheus.ruleGroups.partialResponseStrategy = { alerting: 'warn', recording: 'warn' };
  const artifacts = compile(validateConfig(cfg));
  const plain = plainRules(artifacts);
  for (const [file, doc] of Object.entries(yamlFiles(artifacts, 'thanos/rules/'))) {
    assert.deepEqual(
      doc.groups.map((g: any) => {
        const { partial_response_strategy: _, ...rest } = g;
        return rest;
      }),
      plain[file].groups,
    );
  }
});
