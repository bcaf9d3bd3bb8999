// The Grafana target: dashboards as classic JSON (what file provisioning accepts) and the
// provisioning files that load them.
import type { Artifact } from '../output/artifact.js';
import { renderJson, renderYaml } from '../output/render.js';
import type { Model } from '../model/types.js';
import { serviceDashboard } from './service-dashboard.js';
import { overviewDashboard } from './overview-dashboard.js';
import { dashboardPages } from './pages.js';
import { partName } from '../prometheus/split.js';
import { dashboardProvisioning, datasourceProvisioning, OVERVIEW_DIR, OVERVIEW_FOLDER, teamDir } from './provisioning.js';

export const DASHBOARDS_DIR = 'grafana/dashboards';
export const PROVISIONING_DIR = 'grafana/provisioning';

/** build() hands back the builder's own object; a JSON round trip gives plain data. */
const plain = (doc: unknown) => JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
const json = (doc: unknown) => renderJson(plain(doc));

export interface DashboardFile {
  /** File name without `.json`: the service's name (with `.2`, `.3` ... for its further pages), or `overview`. */
  name: string;
  /** 1, or the page of a service dashboard too big for one ConfigMap (pages.ts). */
  page: number;
  /** Folder below DASHBOARDS_DIR. */
  dir: string;
  /** Grafana folder title. */
  folder: string;
  /** Undefined for the overview. */
  service: string | undefined;
  content: string;
}

/** Each service's dashboard pages, for `model`'s services. */
function serviceDashboards(model: Model): DashboardFile[] {
  const ds = model.grafana.datasource;
  return model.services.flatMap((svc) =>
    dashboardPages(svc.name, serviceDashboard(svc, ds)).map((content, i) => ({
      name: partName(svc.name, i + 1),
      page: i + 1,
      dir: teamDir(svc.team),
      folder: model.grafana.folders[svc.team] ?? svc.team,
      service: svc.name,
      content,
    })),
  );
}

function overviewFile(model: Model): DashboardFile {
  return {
    name: 'overview',
    page: 1,
    dir: OVERVIEW_DIR,
    folder: OVERVIEW_FOLDER,
    service: undefined,
    content: json(overviewDashboard(model, model.grafana.datasource)),
  };
}

/** Every dashboard as its JSON text: the same text the file provisioning and the Kubernetes ConfigMaps serve. */
export function dashboardFiles(model: Model): DashboardFile[] {
  return [...serviceDashboards(model), overviewFile(model)];
}

const dashboardArtifact = (d: DashboardFile): Artifact => ({ path: `${DASHBOARDS_DIR}/${d.dir}/${d.name}.json`, content: d.content });

/** The service dashboards of `model`'s services: each depends on its service alone (compile.ts `perService`). */
export function serviceDashboardArtifacts(model: Model): Artifact[] {
  return serviceDashboards(model).map(dashboardArtifact);
}

/** The overview dashboard and the provisioning files, which span every service. */
export function grafanaSharedArtifacts(model: Model): Artifact[] {
  const ds = model.grafana.datasource;
  const out: Artifact[] = [dashboardArtifact(overviewFile(model))];
  out.push({ path: `${PROVISIONING_DIR}/dashboards/sloforge.yml`, content: renderYaml(dashboardProvisioning(model)) });
  // An existing datasource (provision: false) is only named by the dashboards.
  if (ds.provision) out.push({ path: `${PROVISIONING_DIR}/datasources/sloforge.yml`, content: renderYaml(datasourceProvisioning(ds)) });
  return out;
}

/** Everything the Grafana target writes: the dashboards, then the provisioning files. */
export function grafanaArtifacts(model: Model): Artifact[] {
  return [...serviceDashboardArtifacts(model), ...grafanaSharedArtifacts(model)];
}
