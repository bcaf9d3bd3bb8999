// Grafana's file provisioning: the Prometheus datasource with a fixed uid (the dashboards'
// variable defaults to it), unless it exists already, and one dashboard provider, hence one
// folder, per team.
import { teamFolderUid } from '../conventions.js';
import type { DatasourceSettings, Model } from '../model/types.js';

/** Where the local stack mounts generated/grafana/dashboards inside the Grafana container. */
export const CONTAINER_DASHBOARDS_DIR = '/var/lib/grafana/dashboards';
export const OVERVIEW_DIR = 'overview';
/** Grafana folder of the overview dashboard. */
export const OVERVIEW_FOLDER = 'SLOs';
export const teamDir = (team: string) => `teams/${team}`;

export function datasourceProvisioning(ds: DatasourceSettings): unknown {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: ds.name,
        type: 'prometheus',
        uid: ds.uid,
        access: 'proxy',
        url: ds.url,
        isDefault: ds.isDefault,
        editable: false,
        // Grafana derives $__rate_interval from it (four scrape intervals at least).
        jsonData: { timeInterval: ds.scrapeInterval, httpMethod: 'POST' },
      },
    ],
  };
}

function provider(name: string, folder: string, folderUid: string, dir: string): unknown {
  return {
    name,
    orgId: 1,
    folder,
    folderUid,
    type: 'file',
    disableDeletion: false,
    // Generated dashboards: edits in the UI would be overwritten at the next generate.
    allowUiUpdates: false,
    updateIntervalSeconds: 30,
    options: { path: `${CONTAINER_DASHBOARDS_DIR}/${dir}`, foldersFromFilesStructure: false },
  };
}

export function dashboardProvisioning(model: Model): unknown {
  const teams = [...new Set(model.services.map((s) => s.team))].sort();
  return {
    apiVersion: 1,
    providers: [
      provider('sloforge-overview', OVERVIEW_FOLDER, 'sloforge-slos', OVERVIEW_DIR),
      ...teams.map((team) => provider(`sloforge-${team}`, model.grafana.folders[team] ?? team, teamFolderUid(team), teamDir(team))),
    ],
  };
}
