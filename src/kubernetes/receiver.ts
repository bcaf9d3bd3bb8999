// The remediation receiver in the cluster: a Deployment of one replica, its Service (what the
// AlertmanagerConfigs post to), a PersistentVolumeClaim for its data folder (or, on PostgreSQL,
// two replicas and a PodDisruptionBudget), the actions file as a ConfigMap, and a
// ServiceAccount, with Roles where a kubernetesScale action uses its token.
// Secrets are only referenced: the Bearer token, the database's URL and password, and the files
// the actions read come from Secrets the user creates (docs/kubernetes.md), never from anything
// under generated/.
//
// One replica, replaced with Recreate: the receiver keeps its dedupe state, cooldowns and hourly
// limits in one append-only log in its data folder. Two replicas would each run the action of
// an alert, and a rolling update would briefly run two against one ReadWriteOnce volume.
// With kubernetes.receiver.database those live in PostgreSQL, which the replicas share
// (docs/receiver-postgres.md): two replicas on different nodes where the scheduler can, rolled
// one at a time, and a PodDisruptionBudget, so a drain never takes the last one.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IDeploymentSpec } from 'kubernetes-models/apps/v1/DeploymentSpec';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { isServiceAccountFile, secretKeyOf } from '../config/kubernetes-secrets.js';
import { DEFAULT_SHUTDOWN_GRACE_MS, K8S, SHUTDOWN_MARGIN_MS } from '../conventions.js';
import type { KubernetesModel, Model, ReceiverDatabaseModel, ReceiverDeploymentModel } from '../model/types.js';
import type { Artifact } from '../output/artifact.js';
import { remediationArtifacts } from '../remediation/target.js';
import { ACTIONS_PATH } from '../remediation/actions-file.js';
import { formatDuration } from '../config/duration.js';
import {
  configMap,
  deployment,
  persistentVolumeClaim,
  podDisruptionBudget,
  role,
  roleBinding,
  service,
  serviceAccount,
  serviceMonitor,
  manifest,
  metadata,
} from './meta.js';
import { InternalError } from '../errors.js';

export const RECEIVER_DIR = 'receiver';

const NAME = K8S.receiver;
const ACTIONS_CONFIGMAP = `${NAME}-actions`;
const DATA_CLAIM = `${NAME}-data`;
const SCALE_ROLE = `${NAME}-scale`;
const SELECTOR = { 'app.kubernetes.io/name': NAME };

// Inside the container. The data folder is the claim; /tmp is writable for tsx's compile cache,
// because the root file system is read-only.
const ACTIONS_DIR = '/etc/sloforge/actions';
const TOKEN_DIR = '/etc/sloforge/receiver';
const TOKEN_FILE = 'token';
const DATA_DIR = '/var/lib/sloforge-receiver';
const DATABASE_DIR = '/etc/sloforge/database';
const DATABASE_PASSWORD_FILE = 'password';
const DATABASE_CA_FILE = 'ca.crt';
const ACTIONS_FILE_KEY = path.posix.basename(ACTIONS_PATH);

/** The uid and gid of the `node` user of the official Node.js images (docs/kubernetes.md's Dockerfile). */
const NODE_USER = 1000;

/** Secret files the actions read, each mounted at its path as a single file (subPath), so no folder of the image is hidden. */
function secretFiles(model: Model): Array<{ file: string; key: string }> {
  const files = new Map<string, string>();
  for (const r of model.remediations) for (const file of r.secretFiles) files.set(file, secretKeyOf(file));
  return [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, key]) => ({ file, key }));
}

/** Deployments that kubernetesScale actions scale with the pod's own service account token, per namespace. */
function scaledWithServiceAccount(model: Model): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of model.remediations) {
    if (r.action.kind !== 'kubernetesScale') continue;
    const k = r.action.kubernetesScale;
    if (!k.tokenFile || !isServiceAccountFile(k.tokenFile)) continue;
    const list = out.get(k.namespace) ?? [];
    if (!list.includes(k.deployment)) list.push(k.deployment);
    out.set(k.namespace, list.sort());
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function receiverDeployment(
  model: Model,
  k: KubernetesModel,
  rx: ReceiverDeploymentModel,
  usesServiceAccount: boolean,
  actions: string,
): IDeployment {
  const files = secretFiles(model);
  const db = rx.database;
  const volumes: IVolume[] = [
    { name: 'actions', configMap: { name: ACTIONS_CONFIGMAP } },
    { name: 'token', secret: { secretName: rx.token.name, items: [{ key: rx.token.key, path: TOKEN_FILE }] } },
    db ? databaseVolume(db) : { name: 'data', persistentVolumeClaim: { claimName: DATA_CLAIM } },
    { name: 'tmp', emptyDir: {} },
  ];
  const mounts: IVolumeMount[] = [
    { name: 'actions', mountPath: ACTIONS_DIR, readOnly: true },
    { name: 'token', mountPath: TOKEN_DIR, readOnly: true },
    db ? { name: 'database', mountPath: DATABASE_DIR, readOnly: true } : { name: 'data', mountPath: DATA_DIR },
    { name: 'tmp', mountPath: '/tmp' },
  ];
  if (files.length > 0) {
    const keys = [...new Set(files.map((f) => f.key))].sort();
    volumes.push({ name: 'action-secrets', secret: { secretName: rx.secret, items: keys.map((key) => ({ key, path: key })) } });
    for (const f of files) mounts.push({ name: 'action-secrets', mountPath: f.file, subPath: f.key, readOnly: true });
  }
  return deployment({
    metadata: metadata(k, NAME, { labels: SELECTOR }),
    spec: {
      ...replication(db),
      selector: { matchLabels: SELECTOR },
      template: {
        // A changed actions file or receiver setting changes the pod template, so `kubectl apply`
        // replaces the pod: the ConfigMap alone would reach the running receiver only at a restart.
        metadata: { labels: { ...k.labels, ...SELECTOR }, annotations: { [K8S.checksumAnnotation]: checksum(actions, rx) } },
        spec: {
          serviceAccountName: NAME,
          // SIGTERM lets running actions finish for the receiver's shutdown grace; the pod's
          // grace is longer, so it can abort what is left and close its log before the SIGKILL.
          terminationGracePeriodSeconds: (DEFAULT_SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS) / 1000,
          // The token is mounted only for kubernetesScale actions that read it.
          automountServiceAccountToken: usesServiceAccount,
          ...(db ? { affinity: SPREAD_OVER_NODES } : {}),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NODE_USER,
            runAsGroup: NODE_USER,
            // The claim's files belong to this group, so the non-root user can write its log.
            fsGroup: NODE_USER,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'receiver',
              image: rx.image,
              imagePullPolicy: rx.imagePullPolicy,
              command: ['sloforge', 'receiver'],
              env: [
                { name: 'SLOFORGE_RECEIVER_ACTIONS', value: `${ACTIONS_DIR}/${ACTIONS_FILE_KEY}` },
                { name: 'SLOFORGE_RECEIVER_TOKEN_FILE', value: `${TOKEN_DIR}/${TOKEN_FILE}` },
                ...(db ? databaseEnv(db) : [{ name: 'SLOFORGE_RECEIVER_DATA_DIR', value: DATA_DIR }]),
                // Reached through the Service, so it listens on the pod's address.
                { name: 'SLOFORGE_RECEIVER_HOST', value: '0.0.0.0' },
                { name: 'SLOFORGE_RECEIVER_PORT', value: String(rx.port) },
                { name: 'SLOFORGE_RECEIVER_SHUTDOWN_GRACE', value: formatDuration(DEFAULT_SHUTDOWN_GRACE_MS) },
              ],
              ports: [{ name: 'http', containerPort: rx.port, protocol: 'TCP' }],
              // Ready once the actions are loaded and the log is open; Alertmanager retries until then.
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
              livenessProbe: {
                httpGet: { path: '/healthz', port: 'http' },
                initialDelaySeconds: 30,
                periodSeconds: 20,
                failureThreshold: 3,
              },
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: mounts,
            },
          ],
          volumes,
        },
      },
    },
  });
}

/** One replica replaced with Recreate on the data folder's claim; two rolled one at a time on a database. */
function replication(db: ReceiverDatabaseModel | undefined): Pick<IDeploymentSpec, 'replicas' | 'strategy'> {
  if (!db) return { replicas: 1, strategy: { type: 'Recreate' } };
  // A new pod starts (and turns ready) before an old one stops: never fewer than two serving.
  return { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } };
}

/** The replicas on different nodes where the scheduler can, so one node's loss leaves one running. */
const SPREAD_OVER_NODES = {
  podAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: SELECTOR }, topologyKey: 'kubernetes.io/hostname' } },
    ],
  },
};

/** The password (and CA) as files from the user's Secret: a file keeps the password out of the environment. */
function databaseVolume(db: ReceiverDatabaseModel): IVolume {
  const items = [{ key: db.passwordKey, path: DATABASE_PASSWORD_FILE }];
  if (db.caKey !== undefined) items.push({ key: db.caKey, path: DATABASE_CA_FILE });
  return { name: 'database', secret: { secretName: db.secret, items } };
}

/** The receiver's --database settings (docs/receiver-postgres.md) as its environment variables. */
function databaseEnv(db: ReceiverDatabaseModel): IEnvVar[] {
  return [
    { name: 'SLOFORGE_DATABASE_URL', valueFrom: { secretKeyRef: { name: db.secret, key: db.urlKey } } },
    { name: 'SLOFORGE_DATABASE_PASSWORD_FILE', value: `${DATABASE_DIR}/${DATABASE_PASSWORD_FILE}` },
    ...(db.sslmode !== undefined ? [{ name: 'SLOFORGE_DATABASE_SSLMODE', value: db.sslmode }] : []),
    ...(db.caKey !== undefined ? [{ name: 'SLOFORGE_DATABASE_CA_FILE', value: `${DATABASE_DIR}/${DATABASE_CA_FILE}` }] : []),
  ];
}

/** SHA-256 of the actions file and the receiver's settings. */
function checksum(actions: string, rx: ReceiverDeploymentModel): string {
  return createHash('sha256').update(actions).update('\0').update(JSON.stringify(rx)).digest('hex');
}

export function receiverArtifacts(model: Model, k: KubernetesModel): Artifact[] {
  const rx = k.receiver;
  if (!rx) return [];
  const scaled = scaledWithServiceAccount(model);
  const actions = remediationArtifacts(model);
  if (actions.length !== 1) throw new InternalError('the remediation target no longer writes one actions file');
  const out: Artifact[] = [
    manifest(
      `${RECEIVER_DIR}/actions.yaml`,
      configMap({
        metadata: metadata(k, ACTIONS_CONFIGMAP, { labels: SELECTOR }),
        data: { [ACTIONS_FILE_KEY]: actions[0]!.content },
      }),
    ),
    manifest(`${RECEIVER_DIR}/deployment.yaml`, receiverDeployment(model, k, rx, scaled.size > 0, actions[0]!.content)),
    manifest(
      `${RECEIVER_DIR}/service.yaml`,
      service({
        metadata: metadata(k, NAME, { labels: SELECTOR }),
        spec: { type: 'ClusterIP', selector: SELECTOR, ports: [{ name: 'http', port: rx.port, targetPort: 'http', protocol: 'TCP' }] },
      }),
    ),
    // Prometheus names the job after the Service: job="sloforge-receiver", which the receiver's
    // own alerts (receiverThresholds) select.
    ...(rx.serviceMonitor
      ? [
          manifest(
            `${RECEIVER_DIR}/service-monitor.yaml`,
            serviceMonitor({
              metadata: metadata(k, NAME, { labels: SELECTOR }),
              spec: {
                selector: { matchLabels: SELECTOR },
                endpoints: [
                  {
                    port: 'http',
                    path: '/metrics',
                    ...(rx.serviceMonitor.interval !== undefined ? { interval: rx.serviceMonitor.interval } : {}),
                  },
                ],
              },
            }),
          ),
        ]
      : []),
    rx.database
      ? // A voluntary disruption (a node drain, a cluster upgrade) waits while only one replica runs.
        manifest(
          `${RECEIVER_DIR}/pod-disruption-budget.yaml`,
          podDisruptionBudget({
            metadata: metadata(k, NAME, { labels: SELECTOR }),
            spec: { minAvailable: 1, selector: { matchLabels: SELECTOR } },
          }),
        )
      : manifest(
          `${RECEIVER_DIR}/data.yaml`,
          persistentVolumeClaim({
            metadata: metadata(k, DATA_CLAIM, { labels: SELECTOR }),
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: rx.storage } },
              ...(rx.storageClassName !== undefined ? { storageClassName: rx.storageClassName } : {}),
            },
          }),
        ),
    manifest(
      `${RECEIVER_DIR}/service-account.yaml`,
      serviceAccount({
        metadata: metadata(k, NAME, { labels: SELECTOR }),
        automountServiceAccountToken: false,
      }),
    ),
  ];
  // What the receiver's kubernetesScale actions do (docs/remediation.md): get and patch the
  // scale of the named deployments, in their namespaces, and nothing else.
  for (const [namespace, deployments] of scaled) {
    const meta = { ...metadata(k, SCALE_ROLE, { labels: SELECTOR }), namespace };
    out.push(
      manifest(
        `${RECEIVER_DIR}/scale-role-${namespace}.yaml`,
        role({
          metadata: meta,
          rules: [{ apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: deployments, verbs: ['get', 'patch'] }],
        }),
      ),
      manifest(
        `${RECEIVER_DIR}/scale-role-binding-${namespace}.yaml`,
        roleBinding({
          metadata: meta,
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SCALE_ROLE },
          subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: k.namespace }],
        }),
      ),
    );
  }
  return out;
}
