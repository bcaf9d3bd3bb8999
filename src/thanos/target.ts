// The Thanos Ruler target: the plain Prometheus rule files with `partial_response_strategy` on
// each group (promtool 2.42 and Prometheus refuse the field, so it never enters
// generated/prometheus/rules/). The strategy is per group, so when alerting and recording
// strategies differ, recordings and alerts go into groups of their own.
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model, PartialResponseStrategy, RuleGroupPlan } from '../model/types.js';
import { isAlert, withGroupFields, type RuleGroup } from '../prometheus/rules.js';
import { ruleSet, servicesWithGroups, type RuleSet } from '../prometheus/target.js';
import { splitByKind } from '../prometheus/split.js';

export const THANOS_RULES_DIR = 'thanos/rules';

/**
 * A service's groups with their strategy: `alerting` for groups with alerts, `recording` for
 * the rest. Mixed groups are split only when the two differ: the alerts then read the
 * recordings of the previous evaluation, one interval later than in one group.
 */
export function thanosGroups(
  groups: readonly RuleGroup[],
  plan: RuleGroupPlan,
): Array<RuleGroup & { partial_response_strategy: PartialResponseStrategy }> {
  const prs = plan.partialResponse;
  const split = prs.alerting === prs.recording ? [...groups] : groups.flatMap(splitByKind);
  return split.map((g) => withGroupFields(g, { partial_response_strategy: g.rules.some(isAlert) ? prs.alerting : prs.recording }));
}

export function thanosArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  if (!model.engines.thanos) return [];
  return servicesWithGroups(rules).map(({ svc, groups }) => ({
    path: `${THANOS_RULES_DIR}/${svc.name}.yml`,
    content: renderYaml({ groups: thanosGroups(groups, svc.ruleGroups) }),
  }));
}
