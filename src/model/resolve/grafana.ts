// Grafana: the base URL dashboards link with, the datasource settings, each team's folder title.
import type { Config } from '../../config/schema/config.js';
import { DEFAULT_DATASOURCE, grafanaBaseUrl } from '../../conventions.js';
import type { GrafanaModel } from '../types.js';

export function resolveGrafana(cfg: Config): GrafanaModel {
  const g = cfg.grafana;
  const ds = g?.datasource;
  return {
    baseUrl: g?.url === undefined ? undefined : grafanaBaseUrl(g.url),
    datasource: {
      uid: ds?.uid ?? DEFAULT_DATASOURCE.uid,
      name: ds?.name ?? DEFAULT_DATASOURCE.name,
      provision: ds?.provision ?? true,
      url: ds?.url ?? DEFAULT_DATASOURCE.url,
      urlSet: ds?.url !== undefined,
      scrapeInterval: ds?.scrapeInterval ?? DEFAULT_DATASOURCE.scrapeInterval,
      isDefault: ds?.isDefault ?? false,
    },
    folders: Object.fromEntries(cfg.teams.map((t) => [t.name, g?.folders?.[t.name] ?? t.name])),
  };
}
