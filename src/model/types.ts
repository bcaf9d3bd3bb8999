// The config resolved once, after validation: every kind discriminated, every selector parsed,
// every duration in ms, every default applied, and each SLO's and threshold's plan (windows,
// the series its alerts compare, its no-data wait). Targets read only this, so they neither
// re-derive it nor can fail on user input.
import type { Selector } from '../promql/parse.js';
import type { Severity } from '../conventions.js';
import type { AlertTier } from './windows.js';
import type { ConfigPath } from '../config/errors.js';
import type { AlertmanagerSettings, Team } from '../config/public-types.js';

export type { Severity, AlertmanagerSettings };

export interface Model {
  teams: TeamModel[];
  services: ServiceModel[];
  remediations: RemediationModel[];
  grafana: GrafanaModel;
  alertmanager: AlertmanagerSettings | undefined;
  /** Which scale-out rule engines get files of their own besides the plain Prometheus rules. */
  engines: { mimir: MimirLimits | undefined; thanos: boolean; vmalert: boolean };
  /** Undefined unless the config has a `kubernetes` section. */
  kubernetes: KubernetesModel | undefined;
}

/** The Mimir ruler's limits (0: none); undefined engines.mimir means no Mimir output. */
export interface MimirLimits {
  maxRulesPerGroup: number;
  maxGroupsPerTenant: number;
}

export type PartialResponseStrategy = 'abort' | 'warn';

/** Settings of every rule group of a service, defaults applied. */
export interface RuleGroupPlan {
  interval: string | undefined;
  limit: number | undefined;
  /** Mimir/Cortex only. */
  sourceTenants: string[] | undefined;
  /** Thanos Ruler only. */
  partialResponse: { alerting: PartialResponseStrategy; recording: PartialResponseStrategy };
}

export interface SecretKeyRef {
  name: string;
  key: string;
}

export interface KubernetesModel {
  namespace: string;
  /** Labels of every object: sloforge's managed-by label, then the configured ones. */
  labels: Record<string, string>;
  /** Undefined when `alertmanagerConfig: false`. */
  alertmanagerConfig: { secret: string; namespaceLabel: boolean } | undefined;
  /** Undefined when `dashboards: false`. */
  dashboards: { label: { name: string; value: string }; folderAnnotation: string } | undefined;
  /** Where the AlertmanagerConfigs send alerts that name a remediation, and the token they send. */
  remediationWebhook: { url: string; token: SecretKeyRef };
  /** Undefined when `receiver: false` or when no remediation is declared (it would have nothing to run). */
  receiver: ReceiverDeploymentModel | undefined;
}

export interface ReceiverDeploymentModel {
  image: string;
  /** False when the image is sloforge's default, not the user's choice. */
  imageSet: boolean;
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never' | undefined;
  storage: string;
  storageClassName: string | undefined;
  token: SecretKeyRef;
  /** Secret whose keys are the files the remediations read (src/config/kubernetes-secrets.ts). */
  secret: string;
  port: number;
  /** Undefined when turned off; `interval` undefined for Prometheus' own scrape interval. */
  serviceMonitor: { interval: string | undefined } | undefined;
  /** Events in PostgreSQL instead of the data folder's claim; undefined for the claim. */
  database: ReceiverDatabaseModel | undefined;
}

/** Where the receiver finds its database: keys of one Secret. */
export interface ReceiverDatabaseModel {
  secret: string;
  urlKey: string;
  passwordKey: string;
  caKey: string | undefined;
  sslmode: string | undefined;
}

export interface TeamModel {
  name: string;
  /** The team as configured: receivers, routing, time intervals. */
  config: Team;
  /** Receiver names per tier; undefined where validation would have refused the config. */
  page: string | undefined;
  ticket: string | undefined;
}

/** One alert that may start a remediation: its labels must equal these exactly (absent = ""). */
export interface RemediationTrigger {
  alertname: string;
  service: string;
  slo?: string;
  threshold?: string;
}

/** A remediation with every default resolved and every duration in ms: what the receiver's actions file holds. */
export interface RemediationModel {
  name: string;
  description?: string;
  cooldownMs: number;
  maxConcurrent: number;
  maxPerHour: number;
  dryRun: boolean;
  onResolved: boolean;
  retryInterrupted: boolean;
  /** The generated alerts that name it, in rule file order; no other alert may start it. */
  triggers: RemediationTrigger[];
  action: RemediationAction;
  /** Files the action reads that come from a Kubernetes Secret in the cluster (src/config/kubernetes-secrets.ts). */
  secretFiles: string[];
}

export type RemediationAction =
  | {
      kind: 'http';
      http: {
        url: string;
        method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        headers: Record<string, string>;
        headerFiles: Record<string, string>;
        body?: unknown;
        timeoutMs: number;
        retries: number;
        retryBackoffMs: number;
      };
    }
  | {
      kind: 'kubernetesScale';
      kubernetesScale: {
        apiServer: string;
        namespace: string;
        deployment: string;
        tokenFile?: string;
        caFile?: string;
        increment?: number;
        factor?: number;
        maxReplicas: number;
        timeoutMs: number;
      };
    }
  | { kind: 'command'; command: { argv: string[]; env: Record<string, string>; timeoutMs: number } };

export interface DatasourceSettings {
  uid: string;
  name: string;
  /** False: the datasource exists in Grafana already; nothing provisions it. */
  provision: boolean;
  url: string;
  /** False when `url` is sloforge's default (the local stack's Prometheus), not the user's choice. */
  urlSet: boolean;
  scrapeInterval: string;
  isDefault: boolean;
}

export interface GrafanaModel {
  /** Base URL without a trailing slash; undefined when unset, and alerts then carry no dashboard link. */
  baseUrl: string | undefined;
  datasource: DatasourceSettings;
  /** Folder title per team name. */
  folders: Record<string, string>;
}

export interface ServiceModel {
  name: string;
  team: string;
  /** Service labels, added to every series and alert. */
  labels: Record<string, string>;
  path: ConfigPath;
  dashboardUid: string;
  /** Where alerts link to; undefined without grafana.url. */
  dashboardUrl: string | undefined;
  slos: SloModel[];
  thresholds: ThresholdModel[];
  ruleGroups: RuleGroupPlan;
}

/** Whether an SLI's non-total part counts failed (`bad`) or succeeded (`good`) events. */
export type PartMeaning = 'bad' | 'good';

/** Counters: `rate()` of a part and of the total. */
export interface RatioSli {
  kind: 'ratio';
  meaning: PartMeaning;
  part: Selector;
  total: Selector;
}

/** A classic histogram: the bucket at the threshold counts good events, `_count` all of them. */
export interface LatencySli {
  kind: 'latency';
  histogram: Selector;
  threshold: number;
  /** `<histogram>_bucket{le=~"<threshold>"}`. */
  bucket: Selector;
  /** `<histogram>_count`. */
  count: Selector;
}

/** A native histogram: `histogram_fraction(0, threshold, ...)` is the good share. */
export interface NativeLatencySli {
  kind: 'nativeLatency';
  histogram: Selector;
  threshold: number;
}

/** Counters a query SLI reads in shapes sloforge recognises, so tests can invent its series. */
export interface QueryFeed {
  /** What `part` counts: `total - good` as errors reads as good over total. */
  meaning: PartMeaning;
  part: Selector;
  total: Selector;
}

/** User PromQL with the `$window` placeholder, for the part and the total. */
export interface QuerySli {
  kind: 'query';
  meaning: PartMeaning;
  part: string;
  total: string;
  /** Undefined when an expression is no plain counter read: then no generated test feeds it. */
  feed: QueryFeed | undefined;
}

/** A 0/1 gauge, 1 good: each sample is one event. */
export interface BoolGaugeSli {
  kind: 'boolGauge';
  series: Selector;
}

export type SliModel = RatioSli | LatencySli | NativeLatencySli | QuerySli | BoolGaugeSli;

export type SliKind = SliModel['kind'];

export interface SloPlan {
  periodMs: number;
  /** The period in Prometheus notation, normalised ("30d"). */
  period: string;
  /** Error budget as a ratio (99.9% -> 0.001). */
  budget: number;
  tiers: [AlertTier, AlertTier];
  /** The shortest window, whose recorded rates every derived window sums. */
  base: string;
  /** Every window a recording covers, shortest first, in ms. */
  windows: number[];
  /** Windows read straight from the raw counters (the rest derive from `base`). */
  rawWindows: number[];
}

/**
 * Grouping labels named like one sloforge sets itself (`service`) are carried in recordings and
 * alerts as `exported_<label>` (conventions.ts `exportedLabel`): the carried name -> the series'
 * own name. Empty when no grouping label is renamed; only code reading raw series needs it.
 */
export type GroupSource = Readonly<Record<string, string>>;

export interface NoDataModel {
  kind: 'slo' | 'threshold';
  /** The SLO's or threshold's name. */
  name: string;
  /** Selectors whose absence means the subject sees nothing. */
  inputs: string[];
  /**
   * For grouped SLOs: a group is missing when `seen` reported it within the memory (an hour, or
   * twice the wait) and `input` has not within the lookback. Undefined when not grouped.
   */
  perGroup: { by: string[]; source: GroupSource; pairs: Array<{ seen: string; input: string }>; memoryMs: number } | undefined;
  severity: Severity;
  /** Its own remediation, never the subject's. */
  remediation: string | undefined;
  waitMs: number;
  lookbackMs: number;
  pendingMs: number;
  runbook: string | undefined;
  /** What else an absence may mean, for the responder. */
  hint: string | undefined;
  /** The subject's config path, for messages. */
  path: ConfigPath;
}

export interface SloModel {
  name: string;
  path: ConfigPath;
  /** Percent, as configured. */
  objective: number;
  description: string | undefined;
  sli: SliModel;
  /**
   * Labels the SLI is computed per (`sum by`), as its recordings and alerts carry them; empty for
   * one SLI over every series.
   */
  groupBy: string[];
  /** The series' own name of each grouping label that is carried under another (`exported_service`). */
  groupSource: GroupSource;
  plan: SloPlan;
  /** Labels of every recorded series of the SLO (the group labels come from the series). */
  labels: Record<string, string>;
  alerting: {
    enabled: boolean;
    /** The tiers that alert, page first; empty when alerting is off. */
    severities: Severity[];
    runbook: string | undefined;
    remediation: string | undefined;
    /** The tiers whose alerts start the remediation (the page's by default); empty without one. */
    remediationSeverities: Severity[];
    /** Extra labels on the burn-rate alerts. */
    labels: Record<string, string>;
  };
  noData: NoDataModel | undefined;
}

export interface AnomalyPlan {
  baseline: string;
  baselineMs: number;
  minBaselineMs: number;
  /** Reference window for the readiness check: the baseline is ready when it holds minBaseline/ref times its sample count. */
  refMs: number;
}

export type ThresholdMeasure =
  | { kind: 'expr'; expr: string }
  | { kind: 'percentile'; histogram: Selector; quantile: number; window: string }
  | { kind: 'ratio'; form: 'counters'; numerator: Selector; denominator: Selector; window: string }
  | { kind: 'ratio'; form: 'histogram'; histogram: Selector; slowerThan: number; window: string }
  | { kind: 'predict'; series: string; window: string; horizon: string; horizonMs: number }
  | { kind: 'anomaly'; series: string; plan: AnomalyPlan };

export type ThresholdKind = ThresholdMeasure['kind'];

export interface ThresholdModel {
  name: string;
  path: ConfigPath;
  measure: ThresholdMeasure;
  direction: 'above' | 'below';
  warning: number | undefined;
  critical: number | undefined;
  /** `for` as written (it is quoted in annotations), and in ms. */
  for: string | undefined;
  forMs: number;
  keepFiringFor: string | undefined;
  keepFiringForMs: number;
  unit: string | undefined;
  description: string | undefined;
  runbook: string | undefined;
  remediation: string | undefined;
  /** Labels of the threshold's recorded series. */
  labels: Record<string, string>;
  /** Name of the recorded series the alerts compare with the levels. */
  compared: string;
  noData: NoDataModel | undefined;
}
