// What every generated Kubernetes object shares: its namespace, the configured labels, and the
// rendering of one object per file, so `kubectl apply -R -f generated/kubernetes/` applies them,
// in YAML that kubectl's YAML 1.1 parser reads as written (renderYaml11).
//
// Objects are typed with the interfaces of kubernetes-models and
// @kubernetes-models/prometheus-operator (type-only imports): their classes are ESM-only
// (their package exports have no `require` condition), and a user's slos/ loaded as CommonJS
// would fail to import sloforge with them at run time. The tests validate with the classes.
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { IAlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/AlertmanagerConfig';
import type { Artifact } from '../output/artifact.js';
import { renderYaml11 } from '../output/render.js';
import type { KubernetesModel } from '../model/types.js';

export const KUBERNETES_DIR = 'kubernetes';

export function metadata(
  k: KubernetesModel,
  name: string,
  extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): IObjectMeta {
  return {
    name,
    namespace: k.namespace,
    labels: { ...k.labels, ...extra.labels },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

type Body<T> = Omit<T, 'apiVersion' | 'kind'>;

export const configMap = (o: Body<IConfigMap>): IConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', ...o });
export const persistentVolumeClaim = (o: Body<IPersistentVolumeClaim>): IPersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  ...o,
});
export const service = (o: Body<IService>): IService => ({ apiVersion: 'v1', kind: 'Service', ...o });
export const serviceAccount = (o: Body<IServiceAccount>): IServiceAccount => ({ apiVersion: 'v1', kind: 'ServiceAccount', ...o });
export const deployment = (o: Body<IDeployment>): IDeployment => ({ apiVersion: 'apps/v1', kind: 'Deployment', ...o });
export const podDisruptionBudget = (o: Body<IPodDisruptionBudget>): IPodDisruptionBudget => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  ...o,
});
export const role = (o: Body<IRole>): IRole => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', ...o });
export const roleBinding = (o: Body<IRoleBinding>): IRoleBinding => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  ...o,
});
export const prometheusRule = (o: Body<IPrometheusRule>): IPrometheusRule => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  ...o,
});
export const serviceMonitor = (o: Body<IServiceMonitor>): IServiceMonitor => ({
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'ServiceMonitor',
  ...o,
});
export const alertmanagerConfig = (o: Body<IAlertmanagerConfig>): IAlertmanagerConfig => ({
  apiVersion: 'monitoring.coreos.com/v1alpha1',
  kind: 'AlertmanagerConfig',
  ...o,
});

/** One object per file; fields left undefined are not written. */
export function manifest(file: string, object: { apiVersion: string; kind: string }): Artifact {
  return { path: `${KUBERNETES_DIR}/${file}`, content: renderYaml11(object) };
}
