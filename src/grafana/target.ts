// The Grafana target: dashboards as classic JSON (what file provisioning accepts) and the
// provisioning files that load them.
import type { Config } from '../config/schema/config.js';
import type { Artifact } from '../output/artifact.js';
import { renderJson, renderYaml } from '../output/render.js';
import { ConfigError } from '../config/errors.js';
import { datasourceSettings } from './datasource.js';
import { serviceDashboard } from './service-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';
import { dashboardProvisioning, datasourceProvisioning, OVERVIEW_DIR, teamDir } from './provisioning.js';

export const DASHBOARDS_DIR = 'grafana/dashboards';
export const PROVISIONING_DIR = 'grafana/provisioning';

function checkFolders(cfg: Config): void {
  const teams = new Set(cfg.teams.map((t) => t.name));
  const problems = Object.keys(cfg.grafana?.folders ?? {})
    .filter((team) => !teams.has(team))
    .map((team) => ({ path: ['grafana', 'folders', team], message: `unknown team "${team}" (teams: ${[...teams].join(', ') || 'none'})` }));
  if (problems.length > 0) throw new ConfigError(problems);
}

/** build() hands back the builder's own object; a JSON round trip gives plain data. */
const json = (doc: unknown) => renderJson(JSON.parse(JSON.stringify(doc)));

export function grafanaArtifacts(cfg: Config): Artifact[] {
  checkFolders(cfg);
  const ds = datasourceSettings(cfg);
  const out: Artifact[] = cfg.services.map((svc) => ({
    path: `${DASHBOARDS_DIR}/${teamDir(svc.team)}/${svc.name}.json`,
    content: json(serviceDashboard(svc, ds)),
  }));
  out.push(
    { path: `${DASHBOARDS_DIR}/${OVERVIEW_DIR}/overview.json`, content: json(overviewDashboard(cfg, ds)) },
    { path: `${PROVISIONING_DIR}/datasources/sloforge.yml`, content: renderYaml(datasourceProvisioning(ds)) },
    { path: `${PROVISIONING_DIR}/dashboards/sloforge.yml`, content: renderYaml(dashboardProvisioning(cfg)) },
  );
  return out;
}
