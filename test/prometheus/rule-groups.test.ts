// Rule-group settings: interval and limit go into every rule file; the engine-only fields
// (source_tenants, partial_response_strategy) need their engine and never enter the plain files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { baseConfig, problemsOf } from '../helpers/config.js';
import { engineConfig, plainRules } from '../helpers/engines.js';

test('interval and limit are set per service in the plain rule files, which never hold engine-only fields', () => {
  const artifacts = compile(validateConfig(engineConfig()));
  const plain = plainRules(artifacts);
  for (const g of plain['checkout.yml'].groups) assert.deepEqual(Object.keys(g), ['name', 'interval', 'rules']);
  for (const g of plain['checkout.yml'].groups) assert.equal(g.interval, '1m');
  for (const g of plain['search.yml'].groups) assert.deepEqual([g.interval, g.limit], ['30s', 100]);
  for (const a of artifacts.filter((x) => x.path.startsWith('prometheus/')))
    assert.doesNotMatch(a.content, /source_tenants|partial_response_strategy/, a.path);
  // Without settings the groups are as before: name and rules.
  for (const g of parse(compile(validateConfig(baseConfig())).find((a) => a.path === 'prometheus/rules/checkout.yml')!.content).groups) {
    assert.deepEqual(Object.keys(g), ['name', 'rules']);
  }
  // Off unless asked for.
  assert.deepEqual(
    compile(validateConfig(baseConfig())).filter((a) => /^(mimir|thanos|vmalert)\//.test(a.path)),
    [],
  );
});

test('engine-only fields need their engine, and an interval above 5m is refused', () => {
  const problems = (edit: (c: any) => void) => {
    const cfg = engineConfig();
    edit(cfg);
    return problemsOf(cfg).join('\n');
  };
  assert.equal(
    problems(() => {}),
    '',
  );
  assert.equal(
    problems((c) => {
      c.prometheus.mimir = { maxRulesPerGroup: 5 };
    }),
    '',
  );
  assert.match(
    problems((c) => {
      c.prometheus.mimir = false;
    }),
    /^prometheus\.ruleGroups\.sourceTenants: goes only into Mimir\/Cortex rule files/m,
  );
  assert.match(
    problems((c) => {
      c.prometheus.mimir = false;
    }),
    /^services\.1\.ruleGroups\.sourceTenants: goes only into Mimir/m,
  );
  assert.match(
    problems((c) => {
      delete c.prometheus.thanos;
    }),
    /^prometheus\.ruleGroups\.partialResponseStrategy: goes only into Thanos Ruler/m,
  );
  assert.match(
    problems((c) => {
      c.services[1].ruleGroups.interval = '10m';
    }),
    /^services\.1\.ruleGroups\.interval: must be at most 5m/m,
  );
  assert.match(
    problems((c) => {
      c.services[1].ruleGroups.limit = -1;
    }),
    /^services\.1\.ruleGroups\.limit: must be 0/m,
  );
  assert.match(
    problems((c) => {
      c.services[1].ruleGroups.partialResponseStrategy.alerting = 'ignore';
    }),
    /must be "abort" or "warn"/,
  );
  assert.match(
    problems((c) => {
      c.prometheus.mimir = { maxRulesPerGroup: 2.5 };
    }),
    /^prometheus\.mimir\.maxRulesPerGroup: must be a whole number/m,
  );
  assert.match(
    problems((c) => {
      c.prometheus.mimir = { maxGroups: 5 };
    }),
    /^prometheus\.mimir\.maxGroups: is not a known field/m,
  );
});
