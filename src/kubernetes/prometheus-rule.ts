// One PrometheusRule per service, holding exactly the groups of generated/prometheus/rules/<service>.yml
// (the test suite extracts them and compares), so the Operator's Prometheus evaluates what
// promtool tested. kube-prometheus-stack selects rules by the `release` label of `labels`.
import { K8S } from '../conventions.js';
import type { KubernetesModel, Model } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { serviceRuleGroups } from '../prometheus/target.js';
import { prometheusRule, manifest, metadata } from './meta.js';

export const PROMETHEUS_RULES_DIR = 'prometheus-rules';

export function prometheusRuleArtifacts(model: Model, k: KubernetesModel): Artifact[] {
  return model.services
    .map((svc) => ({ svc, groups: serviceRuleGroups(svc) }))
    .filter(({ groups }) => groups.length > 0)
    .map(({ svc, groups }) => manifest(
      `${PROMETHEUS_RULES_DIR}/${svc.name}.yaml`,
      prometheusRule({ metadata: metadata(k, K8S.prometheusRule(svc.name)), spec: { groups } }),
    ));
}
