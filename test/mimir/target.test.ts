// The Mimir/Cortex ruler files: one ruler namespace per service, the plain groups plus
// source_tenants, split to the ruler's rules-per-group limit where no rule loses a recording it
// reads in the same evaluation, and a warning past the tenant's group limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, targetWarnings } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { isAlert, type Rule } from '../../src/prometheus/rules.js';
import { modelOf } from '../helpers/config.js';
import { engineConfig, plainRules, yamlFiles } from '../helpers/engines.js';

test('one ruler namespace per service, the plain groups plus source_tenants, and the list of namespaces', () => {
  const artifacts = compile(validateConfig(engineConfig()));
  const plain = plainRules(artifacts);
  const mimir = yamlFiles(artifacts, 'mimir/rules/');
  assert.deepEqual(Object.keys(mimir).sort(), ['checkout.yml', 'search.yml']);
  for (const [file, doc] of Object.entries(mimir)) {
    assert.deepEqual(Object.keys(doc), ['namespace', 'groups']);
    assert.equal(doc.namespace, `sloforge-${file.replace('.yml', '')}`);
    const tenants = file === 'search.yml' ? ['search'] : ['team-a', 'team-b'];
    assert.deepEqual(
      doc.groups,
      plain[file].groups.map((g: any) => {
        const { rules, ...head } = g;
        return { ...head, source_tenants: tenants, rules };
      }),
    );
  }
  assert.equal(artifacts.find((a) => a.path === 'mimir/namespaces.txt')!.content, 'sloforge-checkout,sloforge-search\n');
});

/** A service whose no-data group has 2 rules per threshold: 22 thresholds make 44. */
function manySubjects(limits: unknown): any {
  const cfg = engineConfig();
  cfg.prometheus.mimir = limits;
  cfg.services[1].thresholds = Array.from({ length: 22 }, (_, i) => ({
    name: `t${i}`,
    expr: `max(cpu{job="search",pod="p${i}"})`,
    warning: 80,
  }));
  return cfg;
}

/** Every recording read by a later rule of its plain group is in the same Mimir group as that rule. */
function assertReadsKept(plainGroups: any[], mimirGroups: any[]): void {
  const groupOf = new Map<Rule, string>();
  for (const g of mimirGroups) for (const r of g.rules) groupOf.set(r, g.name);
  const find = (r: Rule) => [...groupOf.keys()].find((x) => JSON.stringify(x) === JSON.stringify(r))!;
  for (const g of plainGroups) {
    g.rules.forEach((rule: Rule, i: number) => {
      if (isAlert(rule)) return;
      const own = `${rule.record}{service="${rule.labels!['service']}",${rule.labels!['slo'] ? `slo="${rule.labels!['slo']}"` : `threshold="${rule.labels!['threshold']}"`}}`;
      for (const later of g.rules.slice(i + 1) as Rule[]) {
        if (later.expr.includes(own)) assert.equal(groupOf.get(find(later)), groupOf.get(find(rule)), `${later.expr} left ${own} behind`);
      }
    });
  }
}

test('groups over the rules-per-group limit are split, in order, keeping each recording with the rules that read it', () => {
  for (const max of [20, 7, 2]) {
    const artifacts = compile(validateConfig(manySubjects({ maxRulesPerGroup: max, maxGroupsPerTenant: 0 })));
    const plain = plainRules(artifacts);
    const mimir = yamlFiles(artifacts, 'mimir/rules/');
    for (const [file, doc] of Object.entries(mimir)) {
      for (const g of doc.groups) assert.ok(g.rules.length <= max, `${file} ${g.name}: ${g.rules.length} rules`);
      // The same rules in the same order, with every part's settings.
      assert.deepEqual(
        doc.groups.flatMap((g: any) => g.rules),
        plain[file].groups.flatMap((g: any) => g.rules),
      );
      for (const g of doc.groups)
        assert.deepEqual(Object.keys(g), ['name', 'interval', ...(file === 'search.yml' ? ['limit'] : []), 'source_tenants', 'rules']);
      const names = doc.groups.map((g: any) => g.name);
      assert.equal(new Set(names).size, names.length, names.join());
      // Parts of a group: its own name, then .2, .3 ...
      for (const p of plain[file].groups) {
        const parts = names.filter((n: string) => n === p.name || n.startsWith(`${p.name}.`));
        assert.deepEqual(
          parts,
          parts.map((_: string, i: number) => (i === 0 ? p.name : `${p.name}.${i + 1}`)),
        );
      }
      // A no-data alert reads the recording just before it; with room for two rules they stay together.
      if (max >= 2)
        assertReadsKept(
          plain[file].groups.filter((g: any) => g.name.endsWith('-nodata')),
          doc.groups,
        );
    }
    if (max === 20)
      assert.deepEqual(
        mimir['search.yml'].groups.map((g: any) => [g.name, g.rules.length]),
        [
          ...Array.from({ length: 22 }, (_, i) => [`sloforge-search-threshold-t${i}`, 2]),
          ['sloforge-search-nodata', 20],
          ['sloforge-search-nodata.2', 20],
          ['sloforge-search-nodata.3', 4],
        ],
      );
  }
});

test('more groups than the tenant may hold is a warning naming the limit; 0 turns the check off', () => {
  const warnings = (limits: unknown) => targetWarnings(modelOf(manySubjects(limits))).map((p) => `${p.path.join('.')}: ${p.message}`);
  // checkout's 2 SLO groups and no-data group, 22 threshold groups and 3 parts of search's no-data group.
  assert.deepEqual(warnings(true).length, 0);
  const over = warnings({ maxGroupsPerTenant: 20 });
  assert.equal(over.length, 1);
  assert.match(
    over[0]!,
    /^prometheus\.mimir: makes 28 rule groups, more than the 20 a Mimir tenant may hold \(ruler_max_rule_groups_per_tenant\)/,
  );
  assert.deepEqual(warnings({ maxGroupsPerTenant: 0 }), []);
  assert.deepEqual(warnings({ maxGroupsPerTenant: 28 }), []);
});
