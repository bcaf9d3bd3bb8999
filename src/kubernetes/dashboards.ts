// One ConfigMap per dashboard for the Grafana sidecar of kube-prometheus-stack, which loads the
// ConfigMaps carrying its label (grafana_dashboard: "1" by default) and reads the folder from an
// annotation (its `folderAnnotation` setting). The data is the same JSON as generated/grafana/.
import { K8S } from '../conventions.js';
import type { KubernetesModel, Model } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { dashboardFiles } from '../grafana/target.js';
import { configMap, manifest, metadata } from './meta.js';

export const DASHBOARDS_DIR = 'grafana-dashboards';

export function dashboardArtifacts(model: Model, k: KubernetesModel): Artifact[] {
  const d = k.dashboards;
  if (!d) return [];
  return dashboardFiles(model).map((file) => manifest(
    `${DASHBOARDS_DIR}/${file.name}.yaml`,
    configMap({
      metadata: metadata(k, file.service !== undefined ? K8S.dashboardConfigMap(file.service) : K8S.overviewConfigMap, {
        labels: { [d.label.name]: d.label.value },
        annotations: { [d.folderAnnotation]: file.folder },
      }),
      data: { [`${file.name}.json`]: file.content },
    }),
  ));
}
