// Rule-group settings and the files for scale-out rule engines: interval and limit go into every
// rule file; source_tenants only into Mimir's, partial_response_strategy only into Thanos'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import type { Artifact } from '../../src/output/artifact.js';
import { baseConfig, problemsOf } from '../helpers/config.js';

function engineConfig(): any {
  const cfg = baseConfig();
  cfg.services[0].slos[1].alerting = { enabled: false };
  cfg.services.push({ name: 'search', team: 'payments', thresholds: [{ name: 'cpu', expr: 'max(cpu{job="search"})', warning: 80 }], ruleGroups: { interval: '30s', limit: 100, sourceTenants: ['search'], partialResponseStrategy: { alerting: 'warn' } } });
  cfg.prometheus = { mimir: true, thanos: true, ruleGroups: { interval: '1m', sourceTenants: ['team-a', 'team-b'], partialResponseStrategy: { recording: 'warn' } } };
  return cfg;
}

const files = (artifacts: Artifact[], dir: string) => Object.fromEntries(artifacts.filter((a) => a.path.startsWith(dir)).map((a) => [a.path.slice(dir.length), parse(a.content)]));

test('interval and limit are set per service in the plain rule files, which never hold engine-only fields', () => {
  const artifacts = compile(validateConfig(engineConfig()));
  const plain = files(artifacts, 'prometheus/rules/');
  for (const g of plain['checkout.yml'].groups) assert.deepEqual(Object.keys(g), ['name', 'interval', 'rules']);
  for (const g of plain['checkout.yml'].groups) assert.equal(g.interval, '1m');
  for (const g of plain['search.yml'].groups) assert.deepEqual([g.interval, g.limit], ['30s', 100]);
  for (const a of artifacts.filter((x) => x.path.startsWith('prometheus/'))) assert.doesNotMatch(a.content, /source_tenants|partial_response_strategy/, a.path);
  // Without settings the groups are as before: name and rules.
  for (const g of parse(compile(validateConfig(baseConfig())).find((a) => a.path === 'prometheus/rules/checkout.yml')!.content).groups) {
    assert.deepEqual(Object.keys(g), ['name', 'rules']);
  }
});

test('Mimir/Cortex: one ruler namespace per service, the plain groups plus source_tenants, and the list of namespaces', () => {
  const artifacts = compile(validateConfig(engineConfig()));
  const plain = files(artifacts, 'prometheus/rules/');
  const mimir = files(artifacts, 'mimir/rules/');
  assert.deepEqual(Object.keys(mimir).sort(), ['checkout.yml', 'search.yml']);
  for (const [file, doc] of Object.entries(mimir)) {
    assert.deepEqual(Object.keys(doc), ['namespace', 'groups']);
    assert.equal(doc.namespace, `sloforge-${file.replace('.yml', '')}`);
    const tenants = file === 'search.yml' ? ['search'] : ['team-a', 'team-b'];
    assert.deepEqual(doc.groups, plain[file].groups.map((g: any) => { const { rules, ...head } = g; return { ...head, source_tenants: tenants, rules }; }));
  }
  assert.equal(artifacts.find((a) => a.path === 'mimir/namespaces.txt')!.content, 'sloforge-checkout,sloforge-search\n');
});

test('Thanos Ruler: partial_response_strategy on every group, abort for alerting groups unless configured', () => {
  const artifacts = compile(validateConfig(engineConfig()));
  const plain = files(artifacts, 'prometheus/rules/');
  const thanos = files(artifacts, 'thanos/rules/');
  const strategies = (file: string) => Object.fromEntries(thanos[file].groups.map((g: any) => [g.name, g.partial_response_strategy]));
  // checkout: availability alerts (abort, the default), latency only records (warn, configured).
  assert.deepEqual(strategies('checkout.yml'), { 'sloforge-checkout-availability': 'abort', 'sloforge-checkout-latency': 'warn', 'sloforge-checkout-nodata': 'abort' });
  // search overrides alerting groups only; recording groups keep the config-wide default.
  assert.deepEqual(strategies('search.yml'), { 'sloforge-search-threshold-cpu': 'warn', 'sloforge-search-nodata': 'warn' });
  for (const [file, doc] of Object.entries(thanos)) {
    assert.deepEqual(doc.groups.map((g: any) => { const { partial_response_strategy: _, ...rest } = g; return rest; }), plain[file].groups);
  }
  // Off unless asked for.
  assert.deepEqual(compile(validateConfig(baseConfig())).filter((a) => /^(mimir|thanos)\//.test(a.path)), []);
});

test('engine-only fields need their engine, and an interval above 5m is refused', () => {
  const problems = (edit: (c: any) => void) => {
    const cfg = engineConfig();
    edit(cfg);
    return problemsOf(cfg).join('\n');
  };
  assert.equal(problems(() => {}), '');
  assert.match(problems((c) => { c.prometheus.mimir = false; }), /^prometheus\.ruleGroups\.sourceTenants: goes only into Mimir\/Cortex rule files/m);
  assert.match(problems((c) => { c.prometheus.mimir = false; }), /^services\.1\.ruleGroups\.sourceTenants: goes only into Mimir/m);
  assert.match(problems((c) => { delete c.prometheus.thanos; }), /^prometheus\.ruleGroups\.partialResponseStrategy: goes only into Thanos Ruler/m);
  assert.match(problems((c) => { c.services[1].ruleGroups.interval = '10m'; }), /^services\.1\.ruleGroups\.interval: must be at most 5m/m);
  assert.match(problems((c) => { c.services[1].ruleGroups.limit = -1; }), /^services\.1\.ruleGroups\.limit: must be 0/m);
  assert.match(problems((c) => { c.services[1].ruleGroups.partialResponseStrategy.alerting = 'ignore'; }), /must be "abort" or "warn"/);
});
