// The promtool target: for each service, unit tests of the rules the Prometheus target writes,
// at two evaluation intervals (minutes for timing, five minutes for multi-day scenarios).
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model } from '../model/types.js';
import { isAlert } from '../prometheus/rules.js';
import { rulesFile, serviceRuleGroups } from '../prometheus/target.js';
import type { TestFile } from './file.js';
import { at, DAYS_EVALUATION_MS, TEST_INTERVAL_MS } from './notation.js';
import { sloTests } from './slo-tests.js';
import { thresholdTests } from './threshold-tests.js';

export const TESTS_DIR = 'prometheus/tests';

export function promtoolArtifacts(model: Model): Artifact[] {
  const out: Artifact[] = [];
  for (const svc of model.services) {
    const groups = serviceRuleGroups(svc);
    if (groups.length === 0) continue;
    const minutes: TestFile['tests'] = [];
    const days: TestFile['tests'] = [];
    // The first groups are the SLOs', in order (serviceRuleGroups).
    svc.slos.forEach((slo, i) => {
      const t = sloTests(svc, slo, groups[i]!.rules.filter(isAlert));
      minutes.push(...t.minutes);
      days.push(...t.days);
    });
    const t = thresholdTests(svc);
    minutes.push(...t.minutes);
    days.push(...t.days);
    const rules = `../rules/${rulesFile(svc.name).split('/').pop()}`;
    const testFile = (name: string, evalMs: number, tests: TestFile['tests']) => {
      if (tests.length === 0) return;
      const file: TestFile = { rule_files: [rules], evaluation_interval: at(evalMs), tests };
      out.push({ path: `${TESTS_DIR}/${name}`, content: renderYaml(file) });
    };
    testFile(`${svc.name}.test.yml`, TEST_INTERVAL_MS, minutes);
    testFile(`${svc.name}.days.test.yml`, DAYS_EVALUATION_MS, days);
  }
  return out;
}
