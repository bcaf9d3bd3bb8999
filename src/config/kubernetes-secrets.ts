// Where the secrets of the generated Kubernetes objects come from. The config names secret
// files (`routingKeyFile: '/etc/alertmanager/secrets/payments-pagerduty'`); in a cluster those
// files are the keys of one Secret, named like the file, exactly as `kubectl create secret
// generic NAME --from-file=DIR/` names them and as a Secret mounted as a volume lays them out.
// Validation refuses files whose names are no Secret key or that two different paths share;
// the Kubernetes target then maps each file to its key with `secretKeyOf`.
import path from 'node:path';
import type { ConfigPath } from './errors.js';
import type { Config, Remediation, Team } from './schema/config.js';

/** The service account's token and CA, which Kubernetes mounts itself: they need no Secret. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export const secretKeyOf = (file: string): string => path.posix.basename(file);

export interface SecretFile {
  file: string;
  /** The config field that names it, for messages. */
  path: ConfigPath;
}

type ReceiverSpec = NonNullable<Team['page']>;
type Smtp = NonNullable<Config['alertmanager']>['smtp'];

/** The secret files a team receiver reads (the shared SMTP password where its email uses it). */
export function receiverSecretFiles(spec: ReceiverSpec | undefined, at: ConfigPath, smtp: Smtp): SecretFile[] {
  if (!spec) return [];
  const out: SecretFile[] = [];
  const add = (file: string | undefined, field: ConfigPath) => {
    if (file !== undefined) out.push({ file, path: [...at, ...field] });
  };
  add(spec.pagerduty?.routingKeyFile, ['pagerduty', 'routingKeyFile']);
  add(spec.slack?.apiUrlFile, ['slack', 'apiUrlFile']);
  add(spec.webhook?.credentialsFile, ['webhook', 'credentialsFile']);
  add(spec.opsgenie?.apiKeyFile, ['opsgenie', 'apiKeyFile']);
  add(spec.webex?.credentialsFile, ['webex', 'credentialsFile']);
  if (spec.email) {
    // The shared password only goes with the shared server (src/alertmanager/receivers.ts).
    const shared = spec.email.smarthost === undefined ? smtp?.authPasswordFile : undefined;
    if (spec.email.authPasswordFile !== undefined) add(spec.email.authPasswordFile, ['email', 'authPasswordFile']);
    else if (shared !== undefined) out.push({ file: shared, path: ['alertmanager', 'smtp', 'authPasswordFile'] });
  }
  return out;
}

/** The files a remediation's action reads at run time, but for the service account's own. */
export function remediationSecretFiles(r: Remediation, at: ConfigPath): SecretFile[] {
  const out: SecretFile[] = [];
  for (const [header, file] of Object.entries(r.action.http?.headerFiles ?? {}))
    out.push({ file, path: [...at, 'action', 'http', 'headerFiles', header] });
  const k = r.action.kubernetesScale;
  if (k?.tokenFile !== undefined) out.push({ file: k.tokenFile, path: [...at, 'action', 'kubernetesScale', 'tokenFile'] });
  if (k?.caFile !== undefined) out.push({ file: k.caFile, path: [...at, 'action', 'kubernetesScale', 'caFile'] });
  return out.filter((f) => !isServiceAccountFile(f.file));
}

export const isServiceAccountFile = (file: string): boolean => path.posix.dirname(file) === SERVICE_ACCOUNT_DIR;
