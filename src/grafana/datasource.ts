// The one Prometheus datasource every dashboard reads, provisioned with a fixed uid and chosen
// through a `datasource` variable so a user can point the same dashboards at another Prometheus.
import { DatasourceVariableBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Config } from '../config/schema/config.js';

export const DATASOURCE_VARIABLE = 'datasource';
export const DEFAULT_DATASOURCE = { uid: 'sloforge-prometheus', name: 'Prometheus', url: 'http://prometheus:9090', scrapeInterval: '1m' } as const;

export interface DatasourceSettings {
  uid: string;
  name: string;
  url: string;
  scrapeInterval: string;
}

export function datasourceSettings(cfg: Pick<Config, 'grafana'>): DatasourceSettings {
  const ds = cfg.grafana?.datasource;
  return {
    uid: ds?.uid ?? DEFAULT_DATASOURCE.uid,
    name: ds?.name ?? DEFAULT_DATASOURCE.name,
    url: ds?.url ?? DEFAULT_DATASOURCE.url,
    scrapeInterval: ds?.scrapeInterval ?? DEFAULT_DATASOURCE.scrapeInterval,
  };
}

/** What panels and targets point at: whatever the variable currently selects. */
export const PROMETHEUS_REF: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

export function datasourceVariable(ds: DatasourceSettings): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ text: ds.name, value: ds.uid, selected: true });
}
