// Checks of the `kubernetes` section that span the config: what the Prometheus Operator's
// objects cannot express, names the API server would refuse, and secrets without a Secret key.
import type { Config } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { SECRET_KEY_RE } from '../schema/kubernetes.js';
import { K8S } from '../../conventions.js';
import { receiverSecretFiles, remediationSecretFiles, secretKeyOf, type SecretFile } from '../kubernetes-secrets.js';

const NAMESPACE_LABEL = 'namespace';
const K8S_NAME_END_RE = /[a-z0-9]$/;

/** Files that become keys of one Secret: each must be a valid key, and no two paths may share one. */
function secretKeyProblems(files: readonly SecretFile[], secret: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const byKey = new Map<string, string>();
  for (const f of files) {
    const key = secretKeyOf(f.file);
    if (!SECRET_KEY_RE.test(key)) {
      out.push({
        path: f.path,
        message: `the file name "${key}" is no Kubernetes Secret key (letters, digits, "-", "_" or "."), and in the cluster this file is key "${key}" of Secret "${secret}"`,
      });
      continue;
    }
    const other = byKey.get(key);
    if (other === undefined) byKey.set(key, f.file);
    else if (other !== f.file) {
      out.push({
        path: f.path,
        message: `"${f.file}" and "${other}" would both be key "${key}" of Secret "${secret}": give the files different names`,
      });
    }
  }
  return out;
}

/** The Operator matches an AlertmanagerConfig on the `namespace` label; a service or SLO label of that name must agree. */
function namespaceLabelProblems(cfg: Config, namespace: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const check = (labels: Record<string, string> | undefined, at: ConfigPath) => {
    const v = labels?.[NAMESPACE_LABEL];
    if (v !== undefined && v !== namespace) {
      out.push({
        path: [...at, NAMESPACE_LABEL],
        message: `would replace the label namespace="${namespace}" that the AlertmanagerConfigs route by (kubernetes.namespace); drop it, or set kubernetes.alertmanagerConfig.namespaceLabel: false (docs/kubernetes.md)`,
      });
    }
  };
  cfg.services.forEach((svc, si) => {
    check(svc.labels, ['services', si, 'labels']);
    (svc.slos ?? []).forEach((slo, i) => check(slo.alerting?.labels, ['services', si, 'slos', i, 'alerting', 'labels']));
  });
  return out;
}

/** AlertmanagerConfig v1alpha1 time intervals have no time zone: Alertmanager reads them as UTC. */
function timeZoneProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  cfg.teams.forEach((t, ti) => {
    for (const field of ['maintenance', 'businessHours'] as const) {
      t[field]?.forEach((interval, i) => {
        if (interval.location !== undefined && interval.location !== 'UTC') {
          out.push({
            path: ['teams', ti, field, i, 'location'],
            message: `AlertmanagerConfig (monitoring.coreos.com/v1alpha1) time intervals have no time zone, so "${interval.location}" cannot be kept: give the times in UTC, or set kubernetes.alertmanagerConfig: false`,
          });
        }
      });
    }
  });
  return out;
}

/** Service and team names become object names, which must end in a letter or digit. */
function nameProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const check = (name: string, at: ConfigPath) => {
    if (!K8S_NAME_END_RE.test(name))
      out.push({ path: [...at, 'name'], message: `"${name}" names Kubernetes objects, whose names must end in a letter or digit` });
  };
  cfg.teams.forEach((t, i) => check(t.name, ['teams', i]));
  cfg.services.forEach((s, i) => check(s.name, ['services', i]));
  return out;
}

export function kubernetesProblems(cfg: Config): ConfigProblem[] {
  const k = cfg.kubernetes;
  if (!k) return [];
  const out = nameProblems(cfg);
  const am = k.alertmanagerConfig;
  if (am !== false) {
    if (am?.namespaceLabel !== false) out.push(...namespaceLabelProblems(cfg, k.namespace));
    out.push(...timeZoneProblems(cfg));
    const smtp = cfg.alertmanager?.smtp;
    const files = [
      ...cfg.teams.flatMap((t, i) => [
        ...receiverSecretFiles(t.page, ['teams', i, 'page'], smtp),
        ...receiverSecretFiles(t.ticket, ['teams', i, 'ticket'], smtp),
      ]),
      // A team without a receiver of its own falls back to it inside its AlertmanagerConfig.
      ...receiverSecretFiles(cfg.alertmanager?.defaultReceiver, ['alertmanager', 'defaultReceiver'], smtp),
    ];
    out.push(...secretKeyProblems(files, am?.secret ?? K8S.alertmanagerSecret));
  }
  const remediations = cfg.remediations ?? [];
  if (k.receiver !== false) {
    const secret = k.receiver?.secret ?? K8S.receiverSecret;
    const files = remediations.flatMap((r, i) => remediationSecretFiles(r, ['remediations', i]));
    out.push(...secretKeyProblems(files, secret));
    // The receiver's own token may live in the same Secret: no remediation file may take its key.
    const token = { name: k.receiver?.tokenSecret?.name ?? K8S.receiverSecret, key: k.receiver?.tokenSecret?.key ?? K8S.receiverTokenKey };
    for (const f of files) {
      if (token.name === secret && secretKeyOf(f.file) === token.key) {
        out.push({
          path: f.path,
          message: `would be key "${token.key}" of Secret "${secret}", which holds the receiver's token (kubernetes.receiver.tokenSecret): rename the file`,
        });
      }
    }
    // With the events in PostgreSQL the receiver has no data folder, so no claim to size.
    if (k.receiver?.database) {
      for (const field of ['storage', 'storageClassName'] as const) {
        if (k.receiver[field] !== undefined) {
          out.push({
            path: ['kubernetes', 'receiver', field],
            message: `sizes the data folder's PersistentVolumeClaim, which the receiver has none of with kubernetes.receiver.database: drop one of them`,
          });
        }
      }
    }
  }
  return out;
}
