import { z } from 'zod';
import { positiveDuration } from './common.js';

// The `kubernetes` section: with it, `generate` also writes manifests for the Prometheus Operator
// (kube-prometheus-stack) under generated/kubernetes/. Names and labels follow the API server's
// own rules, so a manifest that passes here is not refused by `kubectl apply`.

const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const QUALIFIED_NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
export const SECRET_KEY_RE = /^[-._a-zA-Z0-9]+$/;

const namespace = z.string({ error: 'must be a namespace name' }).max(63, { error: 'must be at most 63 characters' }).regex(DNS_LABEL_RE, {
  error: 'must be a Kubernetes namespace name: lower case letters, digits and "-", starting and ending with a letter or digit',
});

export const objectName = z
  .string({ error: 'must be a Kubernetes object name' })
  .max(253, { error: 'must be at most 253 characters' })
  .regex(DNS_SUBDOMAIN_RE, {
    error: 'must be a Kubernetes object name: lower case letters, digits, "-" and ".", starting and ending with a letter or digit',
  });

/** A label or annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix))) return false;
  return name.length <= 63 && QUALIFIED_NAME_RE.test(name);
}

const qualifiedName = z.string().refine(isQualifiedName, {
  error:
    'must be a Kubernetes label key: an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
});
const labelValue = z
  .string({ error: 'label values must be strings' })
  .max(63, { error: 'must be at most 63 characters' })
  .refine((v) => v === '' || QUALIFIED_NAME_RE.test(v), {
    error: 'must be empty or letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  });

const secretKey = z
  .string({ error: 'must be a Secret key' })
  .max(253)
  .regex(SECRET_KEY_RE, { error: 'must be a Secret key: letters, digits, "-", "_" or "."' });
const quantity = z
  .string({ error: 'must be a storage size such as "1Gi"' })
  .regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, { error: 'must be a storage size such as "512Mi" or "1Gi"' });
/** The receiver's --database-sslmode values (src/receiver/postgres/connection.ts; a test keeps them equal). */
export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
const off = z.literal(false, { error: 'must be false (leave these objects out) or an object' });

export const kubernetesSettings = z.strictObject({
  /** Namespace of every object; AlertmanagerConfigs only see alerts labelled with it (docs/kubernetes.md). */
  namespace,
  /** Labels of every object, e.g. `{ release: 'kube-prometheus-stack' }`, which that chart's Prometheus selects rules by. */
  labels: z.record(qualifiedName, labelValue).optional(),
  /** One AlertmanagerConfig per team; `false` leaves them out (routing stays in generated/alertmanager/). */
  alertmanagerConfig: z
    .union([
      off,
      z.strictObject({
        /** The Secret holding the receivers' credentials; each `...File` becomes the key named like the file (default `sloforge-alertmanager`). */
        secret: objectName.optional(),
        /**
         * Adds `namespace: <namespace>` to every rule's labels (default true), because the Operator
         * routes an AlertmanagerConfig only alerts with that label. Turn off when the Alertmanager
         * uses `alertmanagerConfigMatcherStrategy: None` or Prometheus sets `enforcedNamespaceLabel`.
         */
        namespaceLabel: z.boolean().optional(),
      }),
    ])
    .optional(),
  /** One ConfigMap per dashboard for the Grafana sidecar; `false` leaves them out. */
  dashboards: z
    .union([
      off,
      z.strictObject({
        /** The label the sidecar selects (default `grafana_dashboard: "1"`). */
        label: z.strictObject({ name: qualifiedName, value: labelValue }).optional(),
        /** Annotation naming the Grafana folder (the sidecar's `folderAnnotation`, default `grafana_folder`). */
        folderAnnotation: qualifiedName.optional(),
      }),
    ])
    .optional(),
  /** The remediation receiver (Deployment, Service, PersistentVolumeClaim) when remediations are declared; `false` leaves it out. */
  receiver: z
    .union([
      off,
      z.strictObject({
        /** An image with sloforge installed (`sloforge` on the PATH; default `sloforge:latest`); docs/kubernetes.md has a Dockerfile. */
        image: z
          .string({ error: 'must be an image reference' })
          .regex(/^\S+$/, { error: 'must be an image reference without spaces' })
          .optional(),
        imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
        /** Size of the data folder's PersistentVolumeClaim (default 1Gi). */
        storage: quantity.optional(),
        /** Storage class of the claim; the cluster's default when unset. */
        storageClassName: objectName.optional(),
        /** The Bearer token Alertmanager sends and the receiver accepts (default Secret `sloforge-receiver`, key `token`). */
        tokenSecret: z.strictObject({ name: objectName.optional(), key: secretKey.optional() }).optional(),
        /** The Secret holding the files the remediations read (`headerFiles`, `tokenFile`, `caFile`), each under its file name (default `sloforge-receiver`). */
        secret: objectName.optional(),
        /**
         * A ServiceMonitor scraping the receiver's /metrics (on unless `false`), so its series carry
         * job="sloforge-receiver", what receiverThresholds({ job }) reads; `interval` overrides
         * Prometheus' scrape interval.
         */
        serviceMonitor: z.union([off, z.strictObject({ interval: positiveDuration.optional() })]).optional(),
        /**
         * Events in PostgreSQL (docs/receiver-postgres.md) instead of a data folder: two replicas
         * rolled one at a time, no PersistentVolumeClaim, a PodDisruptionBudget. Everything comes
         * from a Secret the user creates.
         */
        database: z
          .strictObject({
            /** The Secret holding the database's URL and password. */
            secret: objectName,
            /** Key of the `postgres://USER@HOST:PORT/DATABASE` URL (default `url`). */
            urlKey: secretKey.optional(),
            /** Key of the password, mounted as a file (default `password`). */
            passwordKey: secretKey.optional(),
            /** Key of the PEM CA that signed the server's certificate, mounted as a file. */
            caKey: secretKey.optional(),
            /** TLS to the database (the receiver's --database-sslmode); the URL's sslmode when unset. */
            sslmode: z.enum(DATABASE_SSL_MODES).optional(),
          })
          .optional(),
      }),
    ])
    .optional(),
});
