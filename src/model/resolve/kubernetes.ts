// Kubernetes: the namespace and labels of the manifests, which objects are made, Secret names,
// the receiver's Deployment settings, and the labels every rule gets for the AlertmanagerConfigs.
import type { Config } from '../../config/schema/config.js';
import { DEFAULT_REMEDIATION_URL, K8S } from '../../conventions.js';
import type { KubernetesModel } from '../types.js';

/**
 * Labels sloforge adds to every rule of every service: `namespace` when the AlertmanagerConfigs
 * need it, because the Operator routes each of them only alerts labelled with its namespace.
 */
export function addedServiceLabels(cfg: Config): Record<string, string> {
  const k = cfg.kubernetes;
  if (!k || k.alertmanagerConfig === false || k.alertmanagerConfig?.namespaceLabel === false) return {};
  return { namespace: k.namespace };
}

export function resolveKubernetes(cfg: Config): KubernetesModel | undefined {
  const k = cfg.kubernetes;
  if (!k) return undefined;
  const am = k.alertmanagerConfig === false ? undefined : (k.alertmanagerConfig ?? {});
  const dash = k.dashboards === false ? undefined : (k.dashboards ?? {});
  const rx = k.receiver === false ? undefined : (k.receiver ?? {});
  const token = { name: rx?.tokenSecret?.name ?? K8S.receiverSecret, key: rx?.tokenSecret?.key ?? K8S.receiverTokenKey };
  // With the receiver in the cluster, Alertmanager reaches it through its Service.
  const inCluster = rx !== undefined && (cfg.remediations ?? []).length > 0;
  return {
    namespace: k.namespace,
    labels: { [K8S.managedByLabel]: K8S.managedBy, ...k.labels },
    alertmanagerConfig: am ? { secret: am.secret ?? K8S.alertmanagerSecret, namespaceLabel: am.namespaceLabel !== false } : undefined,
    dashboards: dash
      ? { label: dash.label ?? K8S.dashboardLabel, folderAnnotation: dash.folderAnnotation ?? K8S.folderAnnotation }
      : undefined,
    remediationWebhook: {
      url: inCluster
        ? `http://${K8S.receiver}.${k.namespace}.svc:${K8S.receiverPort}/alerts`
        : (cfg.alertmanager?.remediation?.url ?? DEFAULT_REMEDIATION_URL),
      token,
    },
    receiver: inCluster
      ? {
          image: rx.image ?? K8S.receiverImage,
          imageSet: rx.image !== undefined,
          imagePullPolicy: rx.imagePullPolicy,
          storage: rx.storage ?? K8S.receiverStorage,
          storageClassName: rx.storageClassName,
          token,
          secret: rx.secret ?? K8S.receiverSecret,
          port: K8S.receiverPort,
          serviceMonitor: rx.serviceMonitor === false ? undefined : { interval: rx.serviceMonitor?.interval },
          database: rx.database
            ? {
                secret: rx.database.secret,
                urlKey: rx.database.urlKey ?? K8S.receiverDatabaseUrlKey,
                passwordKey: rx.database.passwordKey ?? K8S.receiverDatabasePasswordKey,
                caKey: rx.database.caKey,
                sslmode: rx.database.sslmode,
              }
            : undefined,
        }
      : undefined,
  };
}
