// Dashboard identities shared by the Grafana target and by alert annotations that link to them.
import type { Config } from '../config/schema/config.js';

export const DEFAULT_GRAFANA_URL = 'http://localhost:3000';

/** Grafana uids are at most 40 characters; service names are [a-z0-9-], so prefix and cut. */
export function serviceDashboardUid(service: string): string {
  return `sloforge-${service}`.slice(0, 40);
}

export const OVERVIEW_DASHBOARD_UID = 'sloforge-overview';

export function grafanaBaseUrl(cfg: Pick<Config, 'grafana'>): string {
  return (cfg.grafana?.url ?? DEFAULT_GRAFANA_URL).replace(/\/+$/, '');
}

export function serviceDashboardUrl(cfg: Pick<Config, 'grafana'>, service: string): string {
  return `${grafanaBaseUrl(cfg)}/d/${serviceDashboardUid(service)}`;
}
