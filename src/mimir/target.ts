// The Mimir/Cortex ruler target: the plain Prometheus groups as ruler namespaces, plus the group
// field only Mimir reads (`source_tenants`; promtool 2.42 and Prometheus refuse it, so it never
// enters generated/prometheus/rules/), within the ruler's limits: a group over
// `ruler_max_rules_per_rule_group` is split, and more groups than the tenant may hold is a warning.
import type { ConfigProblem } from '../config/errors.js';
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import { mimirNamespace } from '../conventions.js';
import type { MimirLimits, Model, ServiceModel } from '../model/types.js';
import { withGroupFields, type RuleGroup } from '../prometheus/rules.js';
import { ruleSet, servicesWithGroups, type RuleSet } from '../prometheus/target.js';
import { splitByCount } from '../prometheus/split.js';

export const MIMIR_RULES_DIR = 'mimir/rules';
export const MIMIR_NAMESPACES_FILE = 'mimir/namespaces.txt';

/** A service's groups as the ruler gets them: split to the rules-per-group limit. */
function mimirGroups(svc: ServiceModel, groups: readonly RuleGroup[], limits: MimirLimits): RuleGroup[] {
  const tenants = svc.ruleGroups.sourceTenants;
  return splitByCount(groups, limits.maxRulesPerGroup).map((g) => withGroupFields(g, tenants ? { source_tenants: tenants } : {}));
}

function namespaces(rules: RuleSet, limits: MimirLimits): Array<{ svc: ServiceModel; groups: RuleGroup[] }> {
  return servicesWithGroups(rules).map(({ svc, groups }) => ({ svc, groups: mimirGroups(svc, groups, limits) }));
}

/**
 * `mimirtool rules sync --rule-dirs generated/mimir/rules` reads every .yml below the folder,
 * each file one ruler namespace. One namespace per service keeps a service's groups together and
 * lets `--namespaces "$(cat generated/mimir/namespaces.txt)"` limit a sync to sloforge's own.
 */
export function mimirArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  const limits = model.engines.mimir;
  if (!limits) return [];
  const services = namespaces(rules, limits);
  const files: Artifact[] = services.map(({ svc, groups }) => ({
    path: `${MIMIR_RULES_DIR}/${svc.name}.yml`,
    content: renderYaml({ namespace: mimirNamespace(svc.name), groups }),
  }));
  // Outside rules/: mimirtool would try to parse any .yml there, and this is no rule file.
  files.push({ path: MIMIR_NAMESPACES_FILE, content: `${services.map(({ svc }) => mimirNamespace(svc.name)).join(',')}\n` });
  return files;
}

/** The tenant limit is Mimir's to raise, not sloforge's to work around: `generate` says when the groups exceed it. */
export function mimirWarnings(model: Model, rules: RuleSet = ruleSet(model)): ConfigProblem[] {
  const limits = model.engines.mimir;
  if (!limits || limits.maxGroupsPerTenant === 0) return [];
  const count = namespaces(rules, limits).reduce((n, ns) => n + ns.groups.length, 0);
  if (count <= limits.maxGroupsPerTenant) return [];
  return [
    {
      path: ['prometheus', 'mimir'],
      message:
        `makes ${count} rule groups, more than the ${limits.maxGroupsPerTenant} a Mimir tenant may hold (ruler_max_rule_groups_per_tenant), ` +
        "so `mimirtool rules sync` fails part-way: raise the limit for the tenant in Mimir's runtime configuration and set " +
        'prometheus.mimir.maxGroupsPerTenant to it, or sync the services into several tenants (docs/kubernetes.md, "Mimir and Cortex")',
    },
  ];
}
