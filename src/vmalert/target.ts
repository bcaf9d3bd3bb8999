// The vmalert target (`prometheus.vmalert`): the plain Prometheus groups, which vmalert 1.79 loads
// as they are (`interval` and `limit` included) once validation has refused what it cannot run
// (src/config/checks/vmalert.ts). A folder of its own, beside mimir/ and thanos/, says which
// files were checked for vmalert: `vmalert -rule='generated/vmalert/rules/*.yml'`.
import type { Artifact } from '../output/artifact.js';
import { renderYaml } from '../output/render.js';
import type { Model } from '../model/types.js';
import { ruleSet, servicesWithGroups, type RuleSet } from '../prometheus/target.js';

export const VMALERT_RULES_DIR = 'vmalert/rules';

export function vmalertArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  if (!model.engines.vmalert) return [];
  return servicesWithGroups(rules).map(({ svc, groups }) => ({
    path: `${VMALERT_RULES_DIR}/${svc.name}.yml`,
    content: renderYaml({ groups }),
  }));
}
