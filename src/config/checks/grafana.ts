// The grafana section names teams that must exist, and an existing datasource is only named.
import type { Config } from '../schema/config.js';
import type { ConfigProblem } from '../errors.js';

/** Settings of a datasource sloforge provisions, meaningless for one that already exists. */
const PROVISIONED_ONLY = ['url', 'scrapeInterval', 'isDefault'] as const;

function datasourceProblems(cfg: Config): ConfigProblem[] {
  const ds = cfg.grafana?.datasource;
  if (ds?.provision !== false) return [];
  const at = ['grafana', 'datasource'];
  const out: ConfigProblem[] = PROVISIONED_ONLY.filter((k) => ds[k] !== undefined).map((k) => ({
    path: [...at, k],
    message: 'applies only to a datasource sloforge provisions; with provision: false, Grafana already has the datasource, set it there',
  }));
  if (ds.uid === undefined)
    out.push({
      path: [...at, 'uid'],
      message: 'is required with provision: false: the uid of the existing Prometheus datasource the dashboards should read',
    });
  return out;
}

/** `teams`: every team name declared, including teams that failed the schema. */
export function grafanaProblems(cfg: Config, teams: ReadonlySet<string> = new Set(cfg.teams.map((t) => t.name))): ConfigProblem[] {
  const folders = Object.keys(cfg.grafana?.folders ?? {})
    .filter((team) => !teams.has(team))
    .map((team) => ({ path: ['grafana', 'folders', team], message: `unknown team "${team}" (teams: ${[...teams].join(', ') || 'none'})` }));
  return [...folders, ...datasourceProblems(cfg)];
}
