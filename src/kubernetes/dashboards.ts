// One ConfigMap per dashboard for the Grafana sidecar of kube-prometheus-stack, which loads the
// ConfigMaps carrying its label (grafana_dashboard: "1" by default) and reads the folder from an
// annotation (its `folderAnnotation` setting). The data is the same JSON as generated/grafana/.
import { K8S } from '../conventions.js';
import type { KubernetesModel, Model } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { dashboardFiles } from '../grafana/target.js';
import { partName } from '../prometheus/split.js';
import { configMap, manifest, metadata } from './meta.js';

export const DASHBOARDS_DIR = 'grafana-dashboards';

export function dashboardArtifacts(model: Model, k: KubernetesModel): Artifact[] {
  const d = k.dashboards;
  if (!d) return [];
  return dashboardFiles(model).map((file) =>
    manifest(
      // The overview in a folder of its own: a service may be called "overview".
      `${DASHBOARDS_DIR}/${file.service === undefined ? `${file.name}/` : ''}${file.name}.yaml`,
      configMap({
        metadata: metadata(
          k,
          file.service !== undefined ? partName(K8S.dashboardConfigMap(file.service), file.page) : K8S.overviewConfigMap,
          {
            labels: { [d.label.name]: d.label.value },
            annotations: { [d.folderAnnotation]: file.folder },
          },
        ),
        data: { [`${file.name}.json`]: file.content },
      }),
    ),
  );
}
