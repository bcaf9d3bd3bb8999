import { z } from 'zod';
import { labelMap, name } from './common.js';
import { slo } from './slo.js';
import { threshold } from './threshold.js';
import { remediation } from './remediation.js';
import { team } from './team.js';
import { grafana } from './grafana.js';
import { alertmanagerSettings } from './alertmanager.js';
import { prometheusSettings, ruleGroupSettings } from './prometheus.js';
import { kubernetesSettings } from './kubernetes.js';

export const service = z.strictObject({
  name,
  team: name,
  labels: labelMap.optional(),
  slos: z.array(slo).optional(),
  thresholds: z.array(threshold).optional(),
  /** Evaluation settings of this service's rule groups (interval, limit, scale-out engine fields). */
  ruleGroups: ruleGroupSettings.optional(),
});

export const config = z.strictObject({
  teams: z.array(team, { error: 'must be a list of teams' }),
  services: z.array(service, { error: 'must be a list of services' }),
  remediations: z.array(remediation).optional(),
  grafana: grafana.optional(),
  alertmanager: alertmanagerSettings.optional(),
  prometheus: prometheusSettings.optional(),
  /** Turns on the Kubernetes (Prometheus Operator) manifests under generated/kubernetes/. */
  kubernetes: kubernetesSettings.optional(),
});

export type ConfigInput = z.input<typeof config>;
export type Config = z.output<typeof config>;
export type Service = z.output<typeof service>;
export type Slo = z.output<typeof slo>;
export type Threshold = z.output<typeof threshold>;
export type Remediation = z.output<typeof remediation>;
export type Team = z.output<typeof team>;
export type RuleGroupSettings = z.output<typeof ruleGroupSettings>;
export type KubernetesSettings = z.output<typeof kubernetesSettings>;
