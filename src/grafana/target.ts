// The Grafana target: dashboards as classic JSON (what file provisioning accepts) and the
// provisioning files that load them.
import type { Artifact } from '../output/artifact.js';
import { renderJson, renderYaml } from '../output/render.js';
import type { Model } from '../model/types.js';
import { serviceDashboard } from './service-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';
import { dashboardProvisioning, datasourceProvisioning, OVERVIEW_DIR, teamDir } from './provisioning.js';

export const DASHBOARDS_DIR = 'grafana/dashboards';
export const PROVISIONING_DIR = 'grafana/provisioning';

/** build() hands back the builder's own object; a JSON round trip gives plain data. */
const json = (doc: unknown) => renderJson(JSON.parse(JSON.stringify(doc)));

export function grafanaArtifacts(model: Model): Artifact[] {
  const ds = model.grafana.datasource;
  const out: Artifact[] = model.services.map((svc) => ({
    path: `${DASHBOARDS_DIR}/${teamDir(svc.team)}/${svc.name}.json`,
    content: json(serviceDashboard(svc, ds)),
  }));
  out.push(
    { path: `${DASHBOARDS_DIR}/${OVERVIEW_DIR}/overview.json`, content: json(overviewDashboard(model, ds)) },
    { path: `${PROVISIONING_DIR}/dashboards/sloforge.yml`, content: renderYaml(dashboardProvisioning(model)) },
  );
  // An existing datasource (provision: false) is only named by the dashboards.
  if (ds.provision) out.push({ path: `${PROVISIONING_DIR}/datasources/sloforge.yml`, content: renderYaml(datasourceProvisioning(ds)) });
  return out;
}
