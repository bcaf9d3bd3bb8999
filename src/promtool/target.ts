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
import { addGroups, at, TEST_FILES } from './notation.js';
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
    const tests = sloTests(svc, (slo) => burnRateAlerts(groups, slo));
    for (const [evalMs, g] of thresholdTests(svc)) addGroups(tests, evalMs, g);
    for (const evalMs of tests.keys()) {
      if (!TEST_FILES.some((f) => f.evalMs === evalMs)) throw new InternalError(`no test file for evaluation interval ${at(evalMs)}`);
    }
    const rules = `../rules/${rulesFile(svc.name).split('/').pop()}`;
    for (const f of TEST_FILES) {
      const list = tests.get(f.evalMs) ?? [];
      if (list.length === 0) continue;
      const file: TestFile = { rule_files: [rules], evaluation_interval: at(f.evalMs), tests: list };
      out.push({ path: `${TESTS_DIR}/${svc.name}${f.suffix}`, content: renderYaml(file) });
    }
  }
  return out;
}
