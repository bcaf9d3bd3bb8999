// The config types the package's declarations give users, written out rather than inferred from
// the zod schemas (src/config/schema/): an inferred type makes the user's tsc load zod's
// declarations and instantiate its deep mapped types in every project that imports sloforge,
// which more than doubled a strict type-check (skipLibCheck false) of a project from
// `sloforge init`. The schemas still decide what is valid: test/config/public-types.test.ts
// asserts that each type here is identical to its schema's z.input or z.output, so a schema
// change fails the type-check until the type here follows. No zod and no runtime code here.

// Optional fields are `?: T | undefined`, as zod infers them: under the exactOptionalPropertyTypes
// that `sloforge init` turns on, `?: T` alone would refuse an explicit `undefined` zod accepts.

// ---- Teams and receivers ----------------------------------------------------------------------

export interface PagerdutyReceiver {
  routingKeyFile: string;
  /** Events API v2 endpoint; defaults to PagerDuty's. */
  url?: string | undefined;
}

export interface SlackReceiver {
  apiUrlFile: string;
  channel: string;
  username?: string | undefined;
}

/** An email receiver's settings other than `to`: what `alertmanager.smtp` shares with every email receiver. */
export interface SmtpSettings {
  from?: string | undefined;
  /** host:port; may come from `alertmanager.smtp` instead. */
  smarthost?: string | undefined;
  authUsername?: string | undefined;
  authPasswordFile?: string | undefined;
  requireTls?: boolean | undefined;
}

export interface EmailReceiver extends SmtpSettings {
  to: string;
}

export interface WebhookReceiver {
  url: string;
  /** Bearer token file (Alertmanager sends `Authorization: Bearer <content>`). */
  credentialsFile?: string | undefined;
  /** Most alerts per message; 0 (the default) sends all. */
  maxAlerts?: number | undefined;
}

export interface OpsgenieReceiver {
  apiKeyFile: string;
  apiUrl?: string | undefined;
}

/**
 * Discord and Telegram have no `..._file` field before Alertmanager 0.26, so their secret is
 * written in plain text into generated/alertmanager/alertmanager.yml: `inlineSecret: true` says
 * the user knows.
 */
export interface DiscordReceiver {
  webhookUrl: string;
  inlineSecret: true;
}

export interface TelegramReceiver {
  botToken: string;
  chatId: number;
  inlineSecret: true;
  apiUrl?: string | undefined;
}

export interface WebexReceiver {
  roomId: string;
  /** The bot's access token; Alertmanager sends it as a Bearer token. */
  credentialsFile: string;
  apiUrl?: string | undefined;
}

/** One or more receiver kinds at once (page by PagerDuty and post to Slack). */
export interface Receiver {
  pagerduty?: PagerdutyReceiver | undefined;
  slack?: SlackReceiver | undefined;
  email?: EmailReceiver | undefined;
  webhook?: WebhookReceiver | undefined;
  opsgenie?: OpsgenieReceiver | undefined;
  discord?: DiscordReceiver | undefined;
  telegram?: TelegramReceiver | undefined;
  webex?: WebexReceiver | undefined;
}

/**
 * A team's page or ticket receiver. `{ none: true }` says on purpose that this tier notifies
 * nobody (its alerts stay visible in Alertmanager, and remediations still run); without it, a
 * tier with no receiver at all is a configuration error, because its alerts would vanish.
 */
export interface TeamReceiver extends Receiver {
  none?: true | undefined;
}

/** Notification timing of one tier; unset fields keep sloforge's defaults (docs/alertmanager.md). */
export interface TierRouting {
  /** Labels that split alerts into notifications; ["..."] sends every alert on its own. */
  groupBy?: string[] | undefined;
  groupWait?: string | undefined;
  groupInterval?: string | undefined;
  repeatInterval?: string | undefined;
}

export interface TeamRouting {
  page?: TierRouting | undefined;
  ticket?: TierRouting | undefined;
  remediation?: TierRouting | undefined;
}

export interface TimeRange {
  start: string;
  end: string;
}

/** One Alertmanager time interval: a moment matches when it matches every field given. */
export interface TimeInterval {
  weekdays?: string[] | undefined;
  times?: TimeRange[] | undefined;
  daysOfMonth?: string[] | undefined;
  months?: string[] | undefined;
  years?: string[] | undefined;
  /** IANA time zone of the times above, e.g. "Europe/Berlin"; UTC when unset. */
  location?: string | undefined;
}

export interface Team {
  name: string;
  /** Critical alerts (fast burn, critical thresholds); without it they go to `ticket`. */
  page?: TeamReceiver | undefined;
  /** Warning alerts (slow burn, warning thresholds); without it they go to the default receiver. */
  ticket?: TeamReceiver | undefined;
  routing?: TeamRouting | undefined;
  /** Planned work: this team's notifications, remediation included, are muted. */
  maintenance?: TimeInterval[] | undefined;
  /** Warning-tier notifications are held outside these and sent once they begin. */
  businessHours?: TimeInterval[] | undefined;
}

export type TeamInput = Team;

// ---- SLOs -------------------------------------------------------------------------------------

export interface RatioSli {
  /** Counter selector of failed events. Give `errors` or `good`, not both. */
  errors?: string | undefined;
  /** Counter selector of good events. */
  good?: string | undefined;
  /** Counter selector of all events. */
  total: string;
  /**
   * Set true when `errors` (or `good`) and `total` are different metrics on purpose
   * (http_errors_total over http_requests_total); otherwise generate warns, as two names are
   * often a typo in one of them.
   */
  distinctMetrics?: boolean | undefined;
}

export interface LatencySli {
  /**
   * A classic histogram's base name and matchers, e.g. http_request_duration_seconds{job="api"};
   * with `native: true`, the native histogram's name and matchers.
   */
  histogram: string;
  /** Seconds; for a classic histogram, one of its `le` bucket bounds. */
  threshold: number;
  /** A native histogram (Prometheus --enable-feature=native-histograms): read with histogram_fraction(). */
  native?: boolean | undefined;
}

export interface QuerySli {
  /** Failed events over `$window` (a count or a rate). Give `errors` or `good`, not both. */
  errors?: string | undefined;
  /** Good events over `$window`, in the same unit as `total`. */
  good?: string | undefined;
  /** All events over `$window`. */
  total: string;
}

export interface BoolGaugeSli {
  /** A gauge that is 1 when good and 0 when not, e.g. probe_success{job="blackbox"}. */
  series: string;
}

/** Exactly one kind. */
export interface Sli {
  ratio?: RatioSli | undefined;
  latency?: LatencySli | undefined;
  query?: QuerySli | undefined;
  boolGauge?: BoolGaugeSli | undefined;
}

/** The companion alert raised when a threshold's (or SLO's) input series are gone. */
export interface NoData {
  /** Set false for inputs that are absent by design (a counter that only exists after a failure). */
  enabled?: boolean | undefined;
  /**
   * How long every input series must have been absent before the alert fires (default 10m). Half
   * of it (at most 5m) is the lookback that rides out scrape gaps; the rest is the alert's `for:`,
   * which also keeps a cold start (Prometheus up before its targets) quiet.
   */
  for?: string | undefined;
  /** Default "warning": a ticket, since the signal is lost rather than known to be bad. */
  severity?: 'critical' | 'warning' | undefined;
  /**
   * A remediation for the no-data alert itself. The SLO's or threshold's own remediation never
   * rides on it: missing data is no evidence that the action would help.
   */
  remediation?: string | undefined;
}

export interface SloAlerting {
  runbook?: string | undefined;
  /** Name of a remediation declared in the config's `remediations`. */
  remediation?: string | undefined;
  /**
   * The tiers whose alerts start the remediation: ['page'] (the default), ['ticket'] or both.
   * People get one notification per incident either way (docs/remediation.md).
   */
  remediationTiers?: Array<'page' | 'ticket'> | undefined;
  /** Extra labels on this SLO's alerts. */
  labels?: Record<string, string> | undefined;
  /** Set false to record the SLO without alerting on it. */
  enabled?: boolean | undefined;
  /** Set false to drop the page (critical, fast burn) alert; its recordings stay. */
  page?: boolean | undefined;
  /** Set false to drop the ticket (warning, slow burn) alert; its recordings stay. */
  ticket?: boolean | undefined;
  /** The companion alert raised when the SLI's total series are absent. */
  noData?: NoData | undefined;
}

export interface Slo {
  name: string;
  /** A percentage of good events (99.9, not the ratio 0.999): at least 50, below 100. */
  objective: number;
  period?: string | undefined;
  description?: string | undefined;
  sli: Sli;
  /**
   * Labels to compute the SLI per value of (`sum by (...)`): one burn-rate alert per route or
   * tenant, each carrying its labels.
   */
  groupBy?: string[] | undefined;
  alerting?: SloAlerting | undefined;
}

export type SloInput = Slo;

// ---- Thresholds -------------------------------------------------------------------------------

export interface PercentileThreshold {
  /** A classic histogram's base name and matchers, e.g. http_request_duration_seconds{job="api"}. */
  histogram: string;
  quantile: number;
  /** rate() window (default 5m). */
  window?: string | undefined;
}

/** Counters (`numerator`, `denominator`) or a histogram's share of slow observations (`histogram`, `slowerThan`). */
export interface RatioThreshold {
  numerator?: string | undefined;
  denominator?: string | undefined;
  histogram?: string | undefined;
  /** Seconds; must be one of the histogram's `le` bucket bounds. */
  slowerThan?: number | undefined;
  window?: string | undefined;
}

export interface PredictThreshold {
  /** A gauge selector or an expression; recorded, then extrapolated with predict_linear. */
  series: string;
  /** How much history the linear fit reads (default 1h). */
  window?: string | undefined;
  /** How far ahead the fit looks: fire when the level will be crossed within this time. */
  horizon: string;
}

export interface AnomalyThreshold {
  /** A selector or expression whose z-score against its own history is alerted on. */
  series: string;
  /** History the mean and standard deviation are taken over (default 1d). */
  baseline?: string | undefined;
  /** No alert until the baseline holds this much history (default half the baseline). */
  minBaseline?: string | undefined;
}

/** What a threshold measures: a validated threshold has exactly one. */
export interface ThresholdKinds {
  expr?: string | undefined;
  percentile?: PercentileThreshold | undefined;
  ratio?: RatioThreshold | undefined;
  predict?: PredictThreshold | undefined;
  anomaly?: AnomalyThreshold | undefined;
}

/** A threshold's fields other than its kind. */
export interface ThresholdCommon {
  name: string;
  warning?: number | undefined;
  critical?: number | undefined;
  direction?: 'above' | 'below' | undefined;
  for?: string | undefined;
  keepFiringFor?: string | undefined;
  unit?: string | undefined;
  description?: string | undefined;
  runbook?: string | undefined;
  remediation?: string | undefined;
  noData?: NoData | undefined;
}

export interface Threshold extends ThresholdCommon, ThresholdKinds {}

/** Kind `K` given, every other kind absent. */
export type OneThresholdKind<K extends keyof ThresholdKinds> = { [P in K]-?: NonNullable<ThresholdKinds[P]> } & {
  [P in Exclude<keyof ThresholdKinds, K>]?: never;
};

/**
 * What users write: the common fields and exactly one kind, so the editor flags a threshold that
 * has none or two. The runtime schema enforces the same and names the field.
 */
export type ThresholdInput = ThresholdCommon &
  (
    | OneThresholdKind<'expr'>
    | OneThresholdKind<'percentile'>
    | OneThresholdKind<'ratio'>
    | OneThresholdKind<'predict'>
    | OneThresholdKind<'anomaly'>
  );

// ---- Remediations -----------------------------------------------------------------------------

/** A JSON body template: strings may hold {{labels.x}}-style placeholders, filled per alert. */
export type BodyTemplate = string | number | boolean | null | BodyTemplate[] | { [key: string]: BodyTemplate };

export interface HttpAction {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | undefined;
  /** Header name to a file whose content is the header value (tokens stay out of the config). */
  headerFiles?: Record<string, string> | undefined;
  headers?: Record<string, string> | undefined;
  /** JSON body; string values may use {{labels.NAME}}, {{annotations.NAME}}, {{status}}, ... */
  body?: BodyTemplate | undefined;
  timeout?: string | undefined;
  retries?: number | undefined;
  /** First wait before a retry; it doubles on each further attempt. */
  retryBackoff?: string | undefined;
}

// The body's schema is a recursive z.lazy typed by its output alone, so zod infers `unknown` for
// what it accepts: the input type takes any body and validation says what is wrong with it.
export interface HttpActionInput extends Omit<HttpAction, 'body'> {
  /** JSON body; string values may use {{labels.NAME}}, {{annotations.NAME}}, {{status}}, ... */
  body?: unknown;
}

export interface KubernetesScaleAction {
  /** Kubernetes API server, e.g. https://kubernetes.default.svc */
  apiServer: string;
  namespace: string;
  deployment: string;
  /** Service-account token file, e.g. /var/run/secrets/kubernetes.io/serviceaccount/token */
  tokenFile?: string | undefined;
  /** CA bundle to trust for the API server's TLS certificate. */
  caFile?: string | undefined;
  /** Add this many replicas. Give `increment` or `factor`, not both. */
  increment?: number | undefined;
  /** Multiply replicas by this (rounded up). */
  factor?: number | undefined;
  maxReplicas: number;
  timeout?: string | undefined;
}

export interface CommandAction {
  /** Program and arguments, run without a shell. Arguments are fixed text: alert data never enters them. */
  argv: string[];
  /** Extra environment variables, each a template over alert fields ({{labels.service}}). */
  env?: Record<string, string> | undefined;
  timeout?: string | undefined;
}

/** Exactly one kind: { http }, { kubernetesScale } or { command }. */
export interface RemediationAction {
  http?: HttpAction | undefined;
  kubernetesScale?: KubernetesScaleAction | undefined;
  command?: CommandAction | undefined;
}

export interface RemediationActionInput extends Omit<RemediationAction, 'http'> {
  http?: HttpActionInput | undefined;
}

export interface Remediation {
  name: string;
  description?: string | undefined;
  /** Least time between two runs (default 5m). */
  cooldown?: string | undefined;
  /** Runs at once (default 1); further alerts wait in the queue. */
  maxConcurrent?: number | undefined;
  /** Runs in any hour (default 6); beyond it the receiver stops running it and reports, to break loops. */
  maxPerHour?: number | undefined;
  /** Record what would run without running it. */
  dryRun?: boolean | undefined;
  /** Run the action when the alert resolves too (default: only when it fires). */
  onResolved?: boolean | undefined;
  /**
   * Run an action again when the receiver died while it ran (default false: its outcome is
   * unknown, so it is audited as interrupted and not repeated). Set it only for idempotent actions.
   */
  retryInterrupted?: boolean | undefined;
  action: RemediationAction;
}

export interface RemediationInput extends Omit<Remediation, 'action'> {
  action: RemediationActionInput;
}

// ---- Services ---------------------------------------------------------------------------------

export type PartialResponseStrategy = 'abort' | 'warn';

/** Rule-group settings of one service, or the defaults of every service (`prometheus.ruleGroups`). */
export interface RuleGroupSettings {
  /** How often the service's groups are evaluated; the engine's global interval when unset. */
  interval?: string | undefined;
  /** Most alerts (and series per recording rule) one rule may produce; beyond it the rule fails. 0 means no limit. */
  limit?: number | undefined;
  /** Mimir/Cortex: the tenants a federated rule group reads (`source_tenants`); needs `prometheus.mimir`. */
  sourceTenants?: string[] | undefined;
  /** Thanos Ruler: what a group does when a store answers only in part; needs `prometheus.thanos`. */
  partialResponseStrategy?:
    | {
        /** Groups with alerts (default abort: an alert evaluated on half the data may resolve falsely). */
        alerting?: PartialResponseStrategy | undefined;
        /** Groups that only record (default abort: a recorded gap is kept for the whole SLO period). */
        recording?: PartialResponseStrategy | undefined;
      }
    | undefined;
}

export interface Service {
  name: string;
  team: string;
  labels?: Record<string, string> | undefined;
  slos?: Slo[] | undefined;
  thresholds?: Threshold[] | undefined;
  /** Evaluation settings of this service's rule groups (interval, limit, scale-out engine fields). */
  ruleGroups?: RuleGroupSettings | undefined;
}

export interface ServiceInput extends Omit<Service, 'thresholds'> {
  thresholds?: ThresholdInput[] | undefined;
}

// ---- The config's other sections --------------------------------------------------------------

export interface GrafanaDatasource {
  /** Uid of the Prometheus datasource the dashboards select by default. */
  uid?: string | undefined;
  /** Name shown in Grafana's datasource picker. Grafana's provisioning updates a datasource of the same name. */
  name?: string | undefined;
  /**
   * False: the datasource `uid` names already exists in Grafana, so no provisioning file is
   * written for it and `url`, `scrapeInterval` and `isDefault` do not apply. Default true.
   */
  provision?: boolean | undefined;
  /** Where Grafana reaches Prometheus (from inside the Grafana container in the local stack). */
  url?: string | undefined;
  /** Prometheus' scrape interval; Grafana's $__rate_interval is at least four of them. */
  scrapeInterval?: string | undefined;
  /** Make it the organisation's default datasource. Default false: a Grafana in use keeps its own. */
  isDefault?: boolean | undefined;
}

export interface GrafanaSettings {
  /** Where responders open dashboards; alerts link to `${url}/d/<uid>`, and carry no link without it. */
  url?: string | undefined;
  datasource?: GrafanaDatasource | undefined;
  /** Folder title per team name (default: the team name). Each team's dashboards go in its own folder. */
  folders?: Record<string, string> | undefined;
}

/** Settings of the generated alertmanager.yml that belong to no single team. */
export interface AlertmanagerSettings {
  /** Where alerts carrying a `remediation` label are sent (sloforge's receiver). */
  remediation?: { url?: string | undefined; credentialsFile?: string | undefined } | undefined;
  /** Gets alerts no team route matches; without it they are dropped (and visible in the UI). */
  defaultReceiver?: Receiver | undefined;
  /** Timing defaults for every team, each team's `routing` overrides them. */
  routing?: TeamRouting | undefined;
  /** Shared SMTP settings, so email receivers need only `to`. */
  smtp?: SmtpSettings | undefined;
  resolveTimeout?: string | undefined;
}

/**
 * The Mimir ruler's limits for the tenant the rules go to (0: no limit, as in Mimir). Groups with
 * more rules are split; more groups than the tenant allows is a warning, since only the Mimir
 * operator can raise the limit.
 */
export interface MimirSettings {
  /** `ruler_max_rules_per_rule_group` (Mimir's default 20). */
  maxRulesPerGroup?: number | undefined;
  /** `ruler_max_rule_groups_per_tenant` (Mimir's default 70). */
  maxGroupsPerTenant?: number | undefined;
}

/** Outputs for scale-out rule engines, next to the plain Prometheus rule files. */
export interface PrometheusSettings {
  /** Defaults for every service's rule groups; a service's own `ruleGroups` overrides them field by field. */
  ruleGroups?: RuleGroupSettings | undefined;
  /** Writes generated/mimir/: one ruler namespace per service, for `mimirtool rules sync --rule-dirs`; an object sets the ruler's limits. */
  mimir?: boolean | MimirSettings | undefined;
  /** Writes generated/thanos/: the rule files with `partial_response_strategy` on every group, for Thanos Ruler. */
  thanos?: boolean | undefined;
  /**
   * Writes generated/vmalert/: the rule files for VictoriaMetrics' vmalert (1.79 or later), and
   * refuses what MetricsQL or vmalert cannot run: native histograms, PromQL functions MetricsQL
   * lacks, `keepFiringFor`.
   */
  vmalert?: boolean | undefined;
}

export interface KubernetesReceiverDatabase {
  /** The Secret holding the database's URL and password. */
  secret: string;
  /** Key of the `postgres://USER@HOST:PORT/DATABASE` URL (default `url`). */
  urlKey?: string | undefined;
  /** Key of the password, mounted as a file (default `password`). */
  passwordKey?: string | undefined;
  /** Key of the PEM CA that signed the server's certificate, mounted as a file. */
  caKey?: string | undefined;
  /** TLS to the database (the receiver's --database-sslmode); the URL's sslmode when unset. */
  sslmode?: 'disable' | 'require' | 'verify-ca' | 'verify-full' | undefined;
}

export interface KubernetesReceiver {
  /** An image with sloforge installed (`sloforge` on the PATH; default `sloforge:latest`); docs/kubernetes.md has a Dockerfile. */
  image?: string | undefined;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never' | undefined;
  /** Size of the data folder's PersistentVolumeClaim (default 1Gi). */
  storage?: string | undefined;
  /** Storage class of the claim; the cluster's default when unset. */
  storageClassName?: string | undefined;
  /** The Bearer token Alertmanager sends and the receiver accepts (default Secret `sloforge-receiver`, key `token`). */
  tokenSecret?: { name?: string | undefined; key?: string | undefined } | undefined;
  /** The Secret holding the files the remediations read (`headerFiles`, `tokenFile`, `caFile`), each under its file name (default `sloforge-receiver`). */
  secret?: string | undefined;
  /**
   * A ServiceMonitor scraping the receiver's /metrics (on unless `false`), so its series carry
   * job="sloforge-receiver", what receiverThresholds({ job }) reads; `interval` overrides
   * Prometheus' scrape interval.
   */
  serviceMonitor?: false | { interval?: string | undefined } | undefined;
  /**
   * Events in PostgreSQL (docs/receiver-postgres.md) instead of a data folder: two replicas
   * rolled one at a time, no PersistentVolumeClaim, a PodDisruptionBudget. Everything comes
   * from a Secret the user creates.
   */
  database?: KubernetesReceiverDatabase | undefined;
}

export interface KubernetesSettings {
  /** Namespace of every object; AlertmanagerConfigs only see alerts labelled with it (docs/kubernetes.md). */
  namespace: string;
  /** Labels of every object, e.g. `{ release: 'kube-prometheus-stack' }`, which that chart's Prometheus selects rules by. */
  labels?: Record<string, string> | undefined;
  /** One AlertmanagerConfig per team; `false` leaves them out (routing stays in generated/alertmanager/). */
  alertmanagerConfig?:
    | false
    | {
        /** The Secret holding the receivers' credentials; each `...File` becomes the key named like the file (default `sloforge-alertmanager`). */
        secret?: string | undefined;
        /**
         * Adds `namespace: <namespace>` to every rule's labels (default true), because the Operator
         * routes an AlertmanagerConfig only alerts with that label. Turn off when the Alertmanager
         * uses `alertmanagerConfigMatcherStrategy: None` or Prometheus sets `enforcedNamespaceLabel`.
         */
        namespaceLabel?: boolean | undefined;
      }
    | undefined;
  /** One ConfigMap per dashboard for the Grafana sidecar; `false` leaves them out. */
  dashboards?:
    | false
    | {
        /** The label the sidecar selects (default `grafana_dashboard: "1"`). */
        label?: { name: string; value: string } | undefined;
        /** Annotation naming the Grafana folder (the sidecar's `folderAnnotation`, default `grafana_folder`). */
        folderAnnotation?: string | undefined;
      }
    | undefined;
  /** The remediation receiver (Deployment, Service, PersistentVolumeClaim) when remediations are declared; `false` leaves it out. */
  receiver?: false | KubernetesReceiver | undefined;
}

// ---- The config -------------------------------------------------------------------------------

export interface Config {
  teams: Team[];
  services: Service[];
  remediations?: Remediation[] | undefined;
  grafana?: GrafanaSettings | undefined;
  alertmanager?: AlertmanagerSettings | undefined;
  prometheus?: PrometheusSettings | undefined;
  /** Turns on the Kubernetes (Prometheus Operator) manifests under generated/kubernetes/. */
  kubernetes?: KubernetesSettings | undefined;
}

export interface ConfigInput extends Omit<Config, 'services' | 'remediations'> {
  services: ServiceInput[];
  remediations?: RemediationInput[] | undefined;
}

// ---- receiverThresholds() ---------------------------------------------------------------------

export interface ReceiverMonitoringOptions {
  /** The `job` label Prometheus gives the receiver's scrape target (its scrape job name). */
  job: string;
  /** How far back a failed action or refused write keeps its alert firing (default 30m). */
  window?: string;
  /** A runbook every one of these alerts links to. */
  runbook?: string;
}
