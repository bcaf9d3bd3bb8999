// The promtool target: for each service, unit tests of the rules the Prometheus target writes,
// one file per evaluation interval (notation.ts: minutes for timing, 30m for days-long steady
// scenarios, 5m for anomaly baselines).
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model, SloModel } from '../model/types.js';
import { ALERT_NAMES, LABEL } from '../conventions.js';
import { InternalError } from '../errors.js';
import { isAlert, type AlertingRule, type RuleGroup } from '../prometheus/rules.js';
import { rulesFile, ruleSet, type RuleSet } from '../prometheus/target.js';
import type { TestFile } from './file.js';
import { addGroups, at, TEST_FILES, TEST_INTERVAL_MS } from './notation.js';
import { expressionGroup } from './expression-tests.js';
import { sloTests } from './slo-tests.js';
import { thresholdTests } from './threshold-tests.js';

export const TESTS_DIR = 'prometheus/tests';

const BURN_RATE_ALERTS: ReadonlySet<string> = new Set(Object.values(ALERT_NAMES));

/** An SLO's burn-rate alerts, in rule order, found by what they are (name and `slo` label), not by where its group sits. */
function burnRateAlerts(groups: readonly RuleGroup[], slo: SloModel): AlertingRule[] {
  return groups
    .flatMap((g) => g.rules)
    .filter(isAlert)
    .filter((r) => BURN_RATE_ALERTS.has(r.alert) && r.labels?.[LABEL.slo] === slo.name);
}

export function promtoolArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  const out: Artifact[] = [];
  for (const { svc, groups } of rules) {
    if (groups.length === 0) continue;
    const expressions = expressionGroup(svc);
    const { tests, carried } = sloTests(svc, (slo) => burnRateAlerts(groups, slo), expressions);
    if (expressions && !carried) addGroups(tests, TEST_INTERVAL_MS, [expressions.group]);
    for (const [evalMs, g] of thresholdTests(svc)) addGroups(tests, evalMs, g);
    for (const evalMs of tests.keys()) {
      if (!TEST_FILES.some((f) => f.evalMs.includes(evalMs))) throw new InternalError(`no test file for evaluation interval ${at(evalMs)}`);
    }
    const rules = `../rules/${rulesFile(svc.name).split('/').pop()}`;
    for (const f of TEST_FILES) {
      const used = f.evalMs.filter((ms) => (tests.get(ms) ?? []).length > 0);
      if (used.length === 0) continue;
      if (used.length > 1)
        throw new InternalError(`${svc.name}${f.suffix}: groups for several evaluation intervals (${used.map(at).join(', ')})`);
      const file: TestFile = { rule_files: [rules], evaluation_interval: at(used[0]!), tests: tests.get(used[0]!)! };
      out.push({ path: `${TESTS_DIR}/${svc.name}${f.suffix}`, content: renderYaml(file) });
    }
  }
  return out;
}
