// PrometheusRules holding the groups of a service's files in generated/prometheus/rules/ (its
// SLOs', thresholds' and no-data rules, in that order; the test suite extracts them and
// compares), so the Operator's Prometheus evaluates what promtool tested.
// kube-prometheus-stack selects rules by the `release` label of `labels`.
//
// The Operator refuses a PrometheusRule whose rule file is over 512 KiB (limits.ts), so a
// service's groups fill as many objects as they need: `sloforge-<service>`, then
// `sloforge-<service>.2` and so on; a group too big for one object alone is split where no
// rule loses a recording it reads (src/prometheus/split.ts). With Thanos on, each group also
// carries the `partial_response_strategy` of the Thanos files, for an Operator-managed ThanosRuler.
import { K8S } from '../conventions.js';
import type { KubernetesModel, Model, ServiceModel } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import type { Rule, RuleGroup } from '../prometheus/rules.js';
import { servicesWithGroups, type RuleSet } from '../prometheus/target.js';
import { partName, splitGroup } from '../prometheus/split.js';
import { thanosGroups } from '../thanos/target.js';
import { operatorRuleFileBytes, RULE_FILE_BUDGET } from './limits.js';
import { prometheusRule, manifest, metadata } from './meta.js';

export const PROMETHEUS_RULES_DIR = 'prometheus-rules';

/** Bytes a group adds to a rule file: its entry under `groups:`. */
const groupBytes = (g: RuleGroup) => operatorRuleFileBytes({ groups: [g] }) - operatorRuleFileBytes({ groups: [] }) + 3;

/** Bytes a rule adds to its group, and a few more: as the one rule of a group of no name. */
const ruleBytes = (r: Rule) => operatorRuleFileBytes({ groups: [{ name: '', rules: [r] }] });

/** Groups packed in order into objects of at most `budget` bytes each; a group over it alone is split first. */
export function packGroups(groups: readonly RuleGroup[], budget: number): RuleGroup[][] {
  if (operatorRuleFileBytes({ groups }) <= budget) return [[...groups]];
  const fitting = groups.flatMap((g) => {
    const size = groupBytes(g);
    if (size <= budget) return [{ g, size }];
    const head = groupBytes({ ...g, rules: [] });
    return splitGroup(g, ruleBytes, budget - head).map((part) => ({ g: part, size: groupBytes(part) }));
  });
  const out: RuleGroup[][] = [];
  let used = Infinity;
  for (const { g, size } of fitting) {
    if (used + size > budget) {
      out.push([]);
      used = operatorRuleFileBytes({ groups: [] });
    }
    out[out.length - 1]!.push(g);
    used += size;
  }
  return out;
}

function serviceGroups(model: Model, svc: ServiceModel, groups: RuleGroup[]): RuleGroup[] {
  return model.engines.thanos ? thanosGroups(groups, svc.ruleGroups) : groups;
}

export function prometheusRuleArtifacts(model: Model, k: KubernetesModel, rules: RuleSet): Artifact[] {
  return servicesWithGroups(rules).flatMap(({ svc, groups }) =>
    packGroups(serviceGroups(model, svc, groups), RULE_FILE_BUDGET).map((part, i) =>
      manifest(
        `${PROMETHEUS_RULES_DIR}/${partName(svc.name, i + 1)}.yaml`,
        prometheusRule({ metadata: metadata(k, partName(K8S.prometheusRule(svc.name), i + 1)), spec: { groups: part } }),
      ),
    ),
  );
}
