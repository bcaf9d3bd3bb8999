// The Prometheus target: one rule file per service.
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model, ServiceModel } from '../model/types.js';
import { sloRuleGroup, type WindowSource } from './slo-rules.js';
import type { RuleGroup } from './rules.js';
import { thresholdRuleGroup } from './threshold-rules.js';
import { noDataRuleGroup } from './nodata.js';

export const RULES_DIR = 'prometheus/rules';

export const rulesFile = (service: string) => `${RULES_DIR}/${service}.yml`;

/** A service's rule groups: one per SLO (in order), one per threshold, then its no-data group. */
export function serviceRuleGroups(svc: ServiceModel, windows: WindowSource = 'derived'): RuleGroup[] {
  const groups = svc.slos.map((slo) => sloRuleGroup(svc, slo, windows));
  // Thresholds and no-data alerts come after the SLO groups, which stay as they are.
  for (const th of svc.thresholds) groups.push(thresholdRuleGroup(svc, th));
  const noData = noDataRuleGroup(svc);
  if (noData) groups.push(noData);
  return groups.map((g) => withSettings(g, svc));
}

/** The service's `interval` and `limit`, in the key order of Prometheus' documentation. */
function withSettings(g: RuleGroup, svc: ServiceModel): RuleGroup {
  const { interval, limit } = svc.ruleGroups;
  return {
    name: g.name,
    ...(interval !== undefined ? { interval } : {}),
    ...(limit !== undefined ? { limit } : {}),
    rules: g.rules,
  };
}

/** A service's rule groups as this target writes them; the other targets re-pack or read them. */
export interface ServiceRules {
  svc: ServiceModel;
  groups: RuleGroup[];
}

/**
 * Every service with its groups, in model order: built once per run by src/compile.ts and passed
 * to every target that reads rules (a target called alone builds them itself).
 */
export type RuleSet = readonly ServiceRules[];

export function ruleSet(model: Model): RuleSet {
  return model.services.map((svc) => ({ svc, groups: serviceRuleGroups(svc) }));
}

/** Services with rules, each with its groups: a service without any gets no rule file in any output. */
export function servicesWithGroups(rules: RuleSet): ServiceRules[] {
  return rules.filter(({ groups }) => groups.length > 0);
}

export function prometheusArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  return servicesWithGroups(rules).map(({ svc, groups }) => ({ path: rulesFile(svc.name), content: renderYaml({ groups }) }));
}
