// The Prometheus target: one rule file and one promtool test file per service.
import type { Config, Service } from '../config/schema/config.js';
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import { sloRuleGroup } from './slo-rules.js';
import { isAlert, type RuleGroup } from './rules.js';
import { sloTests, DAYS_EVALUATION_MS, TEST_INTERVAL_MS } from '../promtool/slo-tests.js';
import { formatDuration } from '../config/duration.js';
import type { TestFile } from '../promtool/file.js';
import { serviceDashboardUrl } from '../grafana/links.js';
import { thresholdRuleGroup } from './threshold-rules.js';
import { noDataRuleGroup } from './nodata.js';
import { thresholdTests } from '../promtool/threshold-tests.js';

export const RULES_DIR = 'prometheus/rules';
export const TESTS_DIR = 'prometheus/tests';

/** A service's rule groups: one per SLO (in order), one per threshold, then its no-data group. */
export function serviceRuleGroups(cfg: Config, svc: Service): RuleGroup[] {
  const ctx = { dashboardUrl: serviceDashboardUrl(cfg, svc.name) };
  const groups = (svc.slos ?? []).map((slo) => sloRuleGroup(svc, slo, ctx));
  // Thresholds and no-data alerts come after the SLO groups, which stay as they are.
  (svc.thresholds ?? []).forEach((th) => groups.push(thresholdRuleGroup(svc, th, ctx)));
  const noData = noDataRuleGroup(svc, ctx);
  if (noData) groups.push(noData);
  return groups;
}

export function prometheusArtifacts(cfg: Config): Artifact[] {
  const out: Artifact[] = [];
  cfg.services.forEach((svc, si) => {
    const slos = svc.slos ?? [];
    const groups = serviceRuleGroups(cfg, svc);
    const minutes: TestFile['tests'] = [];
    const days: TestFile['tests'] = [];
    slos.forEach((slo, i) => {
      const others = slos.filter((o) => o !== slo);
      const t = sloTests(svc, slo, groups[i]!.rules.filter(isAlert), others, ['services', si, 'slos', i]);
      minutes.push(...t.minutes);
      days.push(...t.days);
    });
    const t = thresholdTests(svc, ['services', si]);
    minutes.push(...t.minutes);
    days.push(...t.days);
    if (groups.length === 0) return;
    out.push({ path: `${RULES_DIR}/${svc.name}.yml`, content: renderYaml({ groups }) });
    const testFile = (name: string, evalMs: number, tests: TestFile['tests']) => {
      if (tests.length === 0) return;
      const file: TestFile = { rule_files: [`../rules/${svc.name}.yml`], evaluation_interval: formatDuration(evalMs), tests };
      out.push({ path: `${TESTS_DIR}/${name}`, content: renderYaml(file) });
    };
    testFile(`${svc.name}.test.yml`, TEST_INTERVAL_MS, minutes);
    testFile(`${svc.name}.days.test.yml`, DAYS_EVALUATION_MS, days);
  });
  return out;
}
