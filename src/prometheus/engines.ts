// Rule files for scale-out rule engines: the same groups as the plain Prometheus files, plus the
// group fields only that engine reads. promtool 2.42 (and Prometheus) refuse those fields, so
// they never enter generated/prometheus/rules/, which promtool checks and tests.
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import { mimirNamespace } from '../conventions.js';
import type { Model, ServiceModel } from '../model/types.js';
import { isAlert, type RuleGroup } from './rules.js';
import { serviceRuleGroups } from './target.js';

export const MIMIR_RULES_DIR = 'mimir/rules';
export const MIMIR_NAMESPACES_FILE = 'mimir/namespaces.txt';
export const THANOS_RULES_DIR = 'thanos/rules';

/** Group fields in the order the engines document them: name, interval, limit, then their own, then rules. */
function extend(g: RuleGroup, own: Record<string, unknown>): Record<string, unknown> {
  const { rules, ...head } = g;
  return { ...head, ...own, rules };
}

/** Services with rules: a service without any writes no file for any engine. */
function withGroups(model: Model): Array<{ svc: ServiceModel; groups: RuleGroup[] }> {
  return model.services.map((svc) => ({ svc, groups: serviceRuleGroups(svc) })).filter(({ groups }) => groups.length > 0);
}

/**
 * `mimirtool rules sync --rule-dirs generated/mimir/rules` reads every .yml below the folder,
 * each file one ruler namespace. One namespace per service keeps a service's groups together and
 * lets `--namespaces "$(cat generated/mimir/namespaces.txt)"` limit a sync to sloforge's own.
 */
export function mimirArtifacts(model: Model): Artifact[] {
  if (!model.engines.mimir) return [];
  const services = withGroups(model);
  const files = services.map(({ svc, groups }) => {
    const tenants = svc.ruleGroups.sourceTenants;
    return {
      path: `${MIMIR_RULES_DIR}/${svc.name}.yml`,
      content: renderYaml({
        namespace: mimirNamespace(svc.name),
        groups: groups.map((g) => extend(g, tenants ? { source_tenants: tenants } : {})),
      }),
    };
  });
  // Outside rules/: mimirtool would try to parse any .yml there, and this is no rule file.
  files.push({ path: MIMIR_NAMESPACES_FILE, content: `${services.map(({ svc }) => mimirNamespace(svc.name)).join(',')}\n` });
  return files;
}

/** Thanos Ruler reads Prometheus rule files with `partial_response_strategy` on each group. */
export function thanosArtifacts(model: Model): Artifact[] {
  if (!model.engines.thanos) return [];
  return withGroups(model).map(({ svc, groups }) => {
    const prs = svc.ruleGroups.partialResponse;
    return {
      path: `${THANOS_RULES_DIR}/${svc.name}.yml`,
      content: renderYaml({
        groups: groups.map((g) => extend(g, { partial_response_strategy: g.rules.some(isAlert) ? prs.alerting : prs.recording })),
      }),
    };
  });
}
