// The one Prometheus datasource every dashboard reads, provisioned with a fixed uid and chosen
// through a `datasource` variable so a user can point the same dashboards at another Prometheus.
import { DatasourceVariableBuilder } from './sdk.js';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DatasourceSettings } from '../model/types.js';

export const DATASOURCE_VARIABLE = 'datasource';

/** What panels and targets point at: whatever the variable currently selects. */
export const PROMETHEUS_REF: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

export function datasourceVariable(ds: DatasourceSettings): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .type('prometheus')
    .current({ text: ds.name, value: ds.uid, selected: true });
}
