// The rule groups are built once per run (ruleSet) and every target that writes or counts rules
// reads that one set: a target that rebuilt them would not see a change made to the set passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModel, ruleCounts, targetWarnings } from '../../src/compile.js';
import { ruleSet } from '../../src/prometheus/target.js';
import { promtoolArtifacts } from '../../src/promtool/target.js';
import { modelOf } from '../helpers/config.js';
import { engineConfig } from '../helpers/engines.js';

test('every rule-writing target, the summary and the warnings read the rule set they are given', () => {
  const cfg = engineConfig();
  cfg.prometheus = { ...cfg.prometheus, mimir: { maxGroupsPerTenant: 1 }, thanos: true, vmalert: true };
  cfg.kubernetes = { namespace: 'monitoring' };
  const model = modelOf(cfg);
  const built = ruleSet(model);
  // The same groups under other names, and the last service's dropped.
  const passed = built.map(({ svc, groups }, i) => ({
    svc,
    groups: i === built.length - 1 ? [] : groups.map((g) => ({ ...g, name: `passed-${g.name}` })),
  }));
  const files = compileModel(model, passed).filter((a) =>
    /^(prometheus\/rules|mimir\/rules|thanos\/rules|vmalert\/rules|kubernetes\/prometheus-rules)\//.test(a.path),
  );
  const dropped = built[built.length - 1]!.svc.name;
  for (const dir of ['prometheus/rules', 'mimir/rules', 'thanos/rules', 'vmalert/rules']) {
    const own = files.filter((a) => a.path.startsWith(`${dir}/`));
    assert.ok(own.length > 0, dir);
    for (const a of own) assert.match(a.content, /name: passed-/, a.path);
    assert.ok(!own.some((a) => a.path.includes(dropped)), `${dir} still writes ${dropped}`);
  }
  assert.ok(files.some((a) => a.path.startsWith('kubernetes/prometheus-rules/') && a.content.includes('name: passed-')));
  const count = (rules: typeof built) => {
    const c = ruleCounts(rules);
    return c.alerts + c.recordings;
  };
  assert.ok(count(passed) < count(built));
  const groups = (w: string) => Number(/makes (\d+) rule groups/.exec(w)?.[1]);
  assert.ok(groups(targetWarnings(model, passed)[0]!.message) < groups(targetWarnings(model, built)[0]!.message));
});

test("promtool finds an SLO's alerts by name and slo label, not by the position of its group", () => {
  const cfg = engineConfig();
  cfg.services[0].slos[1].alerting = {};
  const model = modelOf(cfg);
  const built = ruleSet(model);
  // The SLOs' groups reversed among themselves (they come first: the thresholds' and no-data groups go to files of their own).
  const reordered = built.map(({ svc, groups }) => ({
    svc,
    groups: [...groups.slice(0, svc.slos.length).reverse(), ...groups.slice(svc.slos.length)],
  }));
  assert.ok(built[0]!.svc.slos.length >= 2);
  const tests = (rules: typeof built) => promtoolArtifacts(model, rules).map((a) => a.path + '\n' + a.content);
  assert.deepEqual(tests(reordered), tests(built));
});
