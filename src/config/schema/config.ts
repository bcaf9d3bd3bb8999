import { z } from 'zod';
import { labelMap, name } from './common.js';
import { slo } from './slo.js';
import { threshold } from './threshold.js';
import { remediation } from './remediation.js';
import { team } from './team.js';
import { grafana } from './grafana.js';
import { alertmanagerSettings } from './alertmanager.js';

export const service = z.strictObject({
  name,
  team: name,
  labels: labelMap.optional(),
  slos: z.array(slo).optional(),
  thresholds: z.array(threshold).optional(),
});

export const config = z.strictObject({
  teams: z.array(team, { error: 'must be a list of teams' }),
  services: z.array(service, { error: 'must be a list of services' }),
  remediations: z.array(remediation).optional(),
  grafana: grafana.optional(),
  alertmanager: alertmanagerSettings.optional(),
});

export type ConfigInput = z.input<typeof config>;
export type Config = z.output<typeof config>;
export type Service = z.output<typeof service>;
export type Slo = z.output<typeof slo>;
export type Threshold = z.output<typeof threshold>;
export type Remediation = z.output<typeof remediation>;
export type Team = z.output<typeof team>;
