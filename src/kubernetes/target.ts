// The Kubernetes target (opt-in with the config's `kubernetes` section): manifests for the
// Prometheus Operator and kube-prometheus-stack under generated/kubernetes/, one object per
// file, built with the typed models of kubernetes-models and @kubernetes-models/prometheus-operator.
// Every object is deployable as it is: `kubectl apply --server-side -R -f generated/kubernetes/`.
import type { Model } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { alertmanagerConfigArtifacts } from './alertmanager-config.js';
import { dashboardArtifacts } from './dashboards.js';
import { prometheusRuleArtifacts } from './prometheus-rule.js';
import { ruleSet, type RuleSet } from '../prometheus/target.js';
import { receiverArtifacts } from './receiver.js';

export function kubernetesArtifacts(model: Model, rules: RuleSet = ruleSet(model)): Artifact[] {
  const k = model.kubernetes;
  if (!k) return [];
  return [
    ...prometheusRuleArtifacts(model, k, rules),
    ...alertmanagerConfigArtifacts(model, k),
    ...dashboardArtifacts(model, k),
    ...receiverArtifacts(model, k),
  ];
}
