// The promtool target: for each service, unit tests of the rules the Prometheus target writes,
// one file per rule file they are about (its SLOs', thresholds' or no-data alerts') and evaluation
// interval (notation.ts: minutes for timing, hours for days-long scenarios, 5m for anomaly baselines).
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model, SloModel } from '../model/types.js';
import { ALERT_NAMES, LABEL } from '../conventions.js';
import { InternalError } from '../errors.js';
import { isAlert, type AlertingRule, type RuleGroup } from '../prometheus/rules.js';
import { partStem, ruleFileParts, rulesFile, ruleSet, type RuleFilePart, type RuleSet } from '../prometheus/target.js';
import type { TestFile } from './file.js';
import { addGroups, at, TEST_FILES, TEST_INTERVAL_MS, type GroupsByInterval } from './notation.js';
import { noDataGroups } from './nodata-tests.js';
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

/**
 * For each part of a service's rules, the other parts it reads: those recording a series one of
 * its rules reads (a threshold on an SLO's recorded ratio), found by the record's name in the
 * rules' text, which may only find more than is read. A rule that reads by `__name__` or reads
 * ALERTS could read any part: then it reads all of them.
 */
function partReads(parts: ReturnType<typeof ruleFileParts>): Map<RuleFilePart, RuleFilePart[]> {
  const records = parts.map((p) => new Set(p.groups.flatMap((g) => g.rules.flatMap((r) => (isAlert(r) ? [] : [r.record])))));
  return new Map(
    parts.map((p) => {
      const text = p.groups.flatMap((g) => g.rules.map((r) => r.expr)).join('\n');
      const any = /\bALERTS\b|__name__/.test(text);
      const read = parts.filter((q, i) => q !== p && (any || [...records[i]!].some((name) => text.includes(name))));
      return [p.part, read.map((q) => q.part)];
    }),
  );
}

/** The parts a test file about `own` loads: `own` and every part a loaded part reads, in file order. */
function partsLoaded(own: RuleFilePart, parts: ReturnType<typeof ruleFileParts>, reads: Map<RuleFilePart, RuleFilePart[]>): RuleFilePart[] {
  const loaded = new Set<RuleFilePart>([own]);
  for (const p of loaded) for (const q of reads.get(p) ?? []) loaded.add(q);
  return parts.filter((p) => loaded.has(p.part)).map((p) => p.part);
}

export function promtoolArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  const out: Artifact[] = [];
  for (const sr of rules) {
    const { svc, groups } = sr;
    if (groups.length === 0) continue;
    const parts = ruleFileParts(sr);
    const reads = partReads(parts);
    // Each part's tests go to files of their own, which load only the rules they need.
    const thresholds: GroupsByInterval = new Map();
    const expressions = expressionGroup(svc);
    if (expressions) addGroups(thresholds, TEST_INTERVAL_MS, [expressions]);
    for (const [evalMs, g] of thresholdTests(svc)) addGroups(thresholds, evalMs, g);
    const byPart: Array<[RuleFilePart, GroupsByInterval]> = [
      ['', sloTests(svc, (slo) => burnRateAlerts(groups, slo))],
      ['thresholds', thresholds],
      ['nodata', addGroups(new Map(), TEST_INTERVAL_MS, noDataGroups(svc))],
    ];
    for (const [part, tests] of byPart) {
      if (tests.size === 0) continue;
      if (!parts.some((p) => p.part === part))
        throw new InternalError(`${svc.name}: tests of ${rulesFile(svc.name, part)}, which has no rules`);
      for (const evalMs of tests.keys()) {
        if (!TEST_FILES.some((f) => f.evalMs.includes(evalMs)))
          throw new InternalError(`no test file for evaluation interval ${at(evalMs)}`);
      }
      const ruleFiles = partsLoaded(part, parts, reads).map((p) => `../rules/${partStem(svc.name, p)}.yml`);
      for (const f of TEST_FILES) {
        const used = f.evalMs.filter((ms) => (tests.get(ms) ?? []).length > 0);
        if (used.length === 0) continue;
        if (used.length > 1)
          throw new InternalError(`${svc.name}${f.suffix}: groups for several evaluation intervals (${used.map(at).join(', ')})`);
        const file: TestFile = { rule_files: ruleFiles, evaluation_interval: at(used[0]!), tests: tests.get(used[0]!)! };
        out.push({ path: `${TESTS_DIR}/${partStem(svc.name, part)}${f.suffix}`, content: renderYaml(file) });
      }
    }
  }
  return out;
}
