// Validated config in, Model out. Runs after validation, so every selector parses and every
// duration is valid; a failure here is a bug in sloforge, not in the user's config. One file per
// concern under resolve/: SLOs, thresholds, no-data alerts, rule groups and engines, Grafana,
// Kubernetes, remediations; this one puts services and the model together.
import type { Config, Service } from '../config/schema/config.js';
import { tierReceivers } from '../config/receivers.js';
import { dashboardUrl, serviceDashboardUid } from '../conventions.js';
import type { GrafanaModel, Model, ServiceModel } from './types.js';
import { resolveSlo } from './resolve/slo.js';
import { resolveThreshold } from './resolve/threshold.js';
import { resolveEngines, ruleGroupPlan } from './resolve/rule-groups.js';
import { resolveGrafana } from './resolve/grafana.js';
import { addedServiceLabels, resolveKubernetes } from './resolve/kubernetes.js';
import { resolveRemediation, triggersOf } from './resolve/remediations.js';

function resolveService(cfg: Config, configured: Service, si: number, grafana: GrafanaModel): ServiceModel {
  const path = ['services', si] as const;
  // Validation refused a service label that disagrees with the added ones.
  const svc: Service = { ...configured, labels: { ...addedServiceLabels(cfg), ...configured.labels } };
  const uid = serviceDashboardUid(svc.name);
  return {
    name: svc.name,
    team: svc.team,
    labels: svc.labels ?? {},
    path,
    dashboardUid: uid,
    dashboardUrl: grafana.baseUrl === undefined ? undefined : dashboardUrl(grafana.baseUrl, uid),
    slos: (svc.slos ?? []).map((slo, i) => resolveSlo(svc, slo, [...path, 'slos', i])),
    thresholds: (svc.thresholds ?? []).map((th, i) => resolveThreshold(svc, th, [...path, 'thresholds', i])),
    ruleGroups: ruleGroupPlan(svc.ruleGroups, cfg.prometheus?.ruleGroups),
  };
}

export function resolveModel(cfg: Config): Model {
  const grafana = resolveGrafana(cfg);
  const services = cfg.services.map((svc, i) => resolveService(cfg, svc, i, grafana));
  const triggers = triggersOf(services);
  const hasDefault = cfg.alertmanager?.defaultReceiver !== undefined;
  return {
    teams: cfg.teams.map((t) => ({ name: t.name, config: t, ...tierReceivers(t, hasDefault) })),
    services,
    remediations: (cfg.remediations ?? []).map((r) => resolveRemediation(r, triggers.get(r.name) ?? [])),
    grafana,
    alertmanager: cfg.alertmanager,
    engines: resolveEngines(cfg),
    kubernetes: resolveKubernetes(cfg),
  };
}
