// Every name sloforge gives to something another tool sees: labels, alerts, recorded series,
// rule groups, dashboards, receivers, and the defaults behind them. Renaming one is a breaking
// change for users' dashboards, silences and runbooks, so they live here and nowhere else.
import { createHash } from 'node:crypto';

/** Labels sloforge sets on what it generates. */
export const LABEL = {
  alertname: 'alertname',
  service: 'service',
  slo: 'slo',
  threshold: 'threshold',
  team: 'team',
  severity: 'severity',
  remediation: 'remediation',
  nodata: 'nodata',
  le: 'le',
} as const;

/** A service, SLO or alert label of one of these names would overwrite sloforge's own. */
export const RESERVED_LABELS: readonly string[] = Object.values(LABEL);

/**
 * The name a grouping label takes in recordings and alerts when sloforge sets a label of its
 * name itself: a user's `service` is carried as `exported_service`, as Prometheus keeps a scraped
 * label that clashes with a target label (`honor_labels: false`), so neither value is lost.
 */
export function exportedLabel(label: string): string {
  return RESERVED_LABELS.includes(label) ? `exported_${label}` : label;
}

export type Severity = 'critical' | 'warning';

/** Burn-rate alerts by tier: the page tier is critical, the ticket tier warning. */
export const ALERT_NAMES = { critical: 'ErrorBudgetBurnFast', warning: 'ErrorBudgetBurnSlow' } as const;
export const THRESHOLD_ALERTS = { critical: 'ThresholdCritical', warning: 'ThresholdWarning' } as const;
export const NODATA_ALERTS = { slo: 'SLONoData', threshold: 'ThresholdNoData' } as const;

/** Every alert name sloforge's rules use, sorted: what tells its alerts from others in a shared Alertmanager. */
export const SLOFORGE_ALERT_NAMES: readonly string[] = [
  ...Object.values(ALERT_NAMES),
  ...Object.values(THRESHOLD_ALERTS),
  ...Object.values(NODATA_ALERTS),
].sort();

/** Recorded series of an SLO; `w` is a window in Prometheus notation ("5m", "30d"). */
export const RECORD = {
  errors: (w: string) => `slo:sli_errors:rate${w}`,
  total: (w: string) => `slo:sli_total:rate${w}`,
  ratio: (w: string) => `slo:sli_error:ratio_rate${w}`,
  objective: 'slo:objective:ratio',
  errorBudget: 'slo:error_budget:ratio',
  periodDays: 'slo:time_period:days',
  currentBurnRate: 'slo:current_burn_rate:ratio',
  periodBurnRate: 'slo:period_burn_rate:ratio',
  budgetRemaining: 'slo:period_error_budget_remaining:ratio',
} as const;

export const THRESHOLD_RECORD = {
  // mimirtool's convention, level:metric:operations: the value as measured, before any derivation.
  value: 'threshold:value:measured',
  predicted: 'threshold:value:predict_linear',
  mean: (b: string) => `threshold:value:avg_over_time${b}`,
  stddev: (b: string) => `threshold:value:stddev_over_time${b}`,
  zscore: 'threshold:value:zscore',
} as const;

export const NODATA_RECORD = 'nodata:inputs_absent:count';

export const sloGroupName = (service: string, slo: string) => `sloforge-${service}-${slo}`;
export const thresholdGroupName = (service: string, threshold: string) => `sloforge-${service}-threshold-${threshold}`;
export const noDataGroupName = (service: string) => `sloforge-${service}-nodata`;

export const DEFAULT_PERIOD = '30d';
export const DEFAULT_NODATA_FOR = '10m';
export const DEFAULT_NODATA_SEVERITY: Severity = 'warning';
export const DEFAULT_RATE_WINDOW = '5m';
export const DEFAULT_PREDICT_WINDOW = '1h';
export const DEFAULT_BASELINE = '1d';

const HASH_CHARS = 8;

/**
 * `name` when it has at most `max` characters; else as much of its start as fits, "-" and 8 hex
 * digits of its SHA-256, so two long names that share their start still differ.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_CHARS);
  return `${name.slice(0, max - HASH_CHARS - 1).replace(/-+$/, '')}-${hash}`;
}

// Grafana: uids are at most 40 characters; service and team names are [a-z0-9-].
export const GRAFANA_UID_MAX = 40;
export const OVERVIEW_DASHBOARD_UID = 'sloforge-overview';
export const SERVICE_DASHBOARD_PREFIX = 'sloforge-';
export const serviceDashboardUid = (service: string) => fitName(`${SERVICE_DASHBOARD_PREFIX}${service}`, GRAFANA_UID_MAX);
export const teamFolderUid = (team: string) => fitName(`sloforge-team-${team}`, GRAFANA_UID_MAX);
// Grafana's provisioning updates a datasource of the same name, so the default name is one no
// Grafana in use has already; the URL is the local stack's (docker-compose.yml).
export const DEFAULT_DATASOURCE = {
  uid: 'sloforge-prometheus',
  name: 'Prometheus (sloforge)',
  url: 'http://prometheus:9090',
  scrapeInterval: '1m',
} as const;

export function grafanaBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

export function dashboardUrl(baseUrl: string, uid: string): string {
  return `${baseUrl}/d/${uid}`;
}

/**
 * A grouped SLO's alert opens its dashboard on its own group: the dashboard has a variable per
 * grouping label of the same name, and Prometheus fills in each alert's label values (escaped,
 * since any value a series carries can reach here).
 */
export function groupDashboardUrl(url: string, groupBy: readonly string[]): string {
  if (groupBy.length === 0) return url;
  return `${url}?${groupBy.map((l) => `var-${l}={{ $labels.${l} | urlquery }}`).join('&')}`;
}

/** The remediation receiver's own metric names start with this; its thresholds look for it. */
export const RECEIVER_METRIC_PREFIX = 'sloforge_receiver_';

// Alertmanager receivers.
export const DEFAULT_RECEIVER = 'sloforge-default';
export const REMEDIATION_RECEIVER = 'sloforge-remediation';
/** Gets the tiers a team set to `{ none: true }`: the alerts stay visible in Alertmanager only. */
export const NONE_RECEIVER = 'sloforge-none';
export const pageReceiverName = (team: string) => `${team}-page`;
export const ticketReceiverName = (team: string) => `${team}-ticket`;

/**
 * Largest alert the receiver keeps and acts on: its labels, annotations and identity fields as
 * JSON. Bigger alerts are truncated, so REMEDIATION_MAX_ALERTS per message (the generated
 * webhook's max_alerts) and their envelope always fit the receiver's 1 MiB body limit.
 */
export const MAX_ALERT_BYTES = 16 * 1024;
export const REMEDIATION_MAX_ALERTS = 32;

/**
 * How long SIGTERM lets the receiver's running actions finish before aborting them. Below
 * Kubernetes' default 30 s grace period, so the receiver still has time to abort the rest and
 * close its log before the SIGKILL; the generated Deployment sets both (SHUTDOWN_MARGIN_MS apart).
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;
export const SHUTDOWN_MARGIN_MS = 5_000;

/** Matches the docker-compose service and the receiver's default port and path. */
export const DEFAULT_REMEDIATION_URL = 'http://sloforge-receiver:9095/alerts';
export const DEFAULT_REMEDIATION_TOKEN_FILE = '/etc/alertmanager/secrets/sloforge-receiver-token';

/** What a remediation gets for the settings it leaves out (resolved into generated/remediation/actions.json). */
export const REMEDIATION_DEFAULTS = {
  cooldown: '5m',
  maxConcurrent: 1,
  maxPerHour: 6,
  httpTimeout: '10s',
  httpRetries: 2,
  retryBackoff: '1s',
  kubernetesTimeout: '10s',
  commandTimeout: '60s',
} as const;

/**
 * Longest service or team name (docs/kubernetes.md): names become file names under generated/
 * (at most 255 bytes on common file systems) and Kubernetes object names (at most 253).
 */
export const MAX_NAME_LENGTH = 200;

// Kubernetes objects (docs/kubernetes.md). Service and team names are [a-z0-9-], so every name
// below is a valid object name once validation has refused names ending in "-" and longer than
// MAX_NAME_LENGTH.
export const K8S = {
  managedByLabel: 'app.kubernetes.io/managed-by',
  managedBy: 'sloforge',
  prometheusRule: (service: string) => `sloforge-${service}`,
  alertmanagerConfig: (team: string) => `sloforge-${team}`,
  dashboardConfigMap: (service: string) => `sloforge-dashboard-${service}`,
  /** Not `sloforge-dashboard-overview`: a service may be called "overview". */
  overviewConfigMap: 'sloforge-overview-dashboard',
  /** ConfigMap with the notification templates the AlertmanagerConfigs' receivers use. */
  templatesConfigMap: 'sloforge-alertmanager-templates',
  alertmanagerSecret: 'sloforge-alertmanager',
  /** Deployment, Service, PersistentVolumeClaim, ServiceAccount and actions ConfigMap of the receiver. */
  receiver: 'sloforge-receiver',
  receiverSecret: 'sloforge-receiver',
  receiverTokenKey: 'token',
  /** The receiver's default --port (src/receiver/cli.ts). */
  receiverPort: 9095,
  receiverStorage: '1Gi',
  /** Keys of kubernetes.receiver.database's Secret (docs/kubernetes.md). */
  receiverDatabaseUrlKey: 'url',
  receiverDatabasePasswordKey: 'password',
  /** What the Dockerfile in docs/kubernetes.md builds; `generate` warns while it is the image. */
  receiverImage: 'sloforge:latest',
  /** kube-prometheus-stack's Grafana sidecar loads ConfigMaps with this label. */
  dashboardLabel: { name: 'grafana_dashboard', value: '1' },
  folderAnnotation: 'grafana_folder',
  /** On the receiver's pod template: a hash of its actions and settings, so a change rolls the pod. */
  checksumAnnotation: 'sloforge/config-checksum',
} as const;

/** Mimir/Cortex ruler namespace of a service's rule groups (docs/kubernetes.md, "Mimir and Cortex"). */
export const mimirNamespace = (service: string) => `sloforge-${service}`;

/** The Mimir ruler's defaults for `ruler_max_rules_per_rule_group` and `ruler_max_rule_groups_per_tenant`. */
export const MIMIR_LIMITS = { maxRulesPerGroup: 20, maxGroupsPerTenant: 70 } as const;
