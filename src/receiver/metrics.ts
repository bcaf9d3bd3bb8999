// /metrics of the receiver. Each receiver owns its registry, so several can run in one process
// (tests) without clashing over global metric names.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RECEIVER_METRIC_PREFIX } from '../conventions.js';

export type RequestOutcome =
  | 'accepted'
  | 'unauthorized'
  | 'too_large'
  | 'bad_request'
  | 'persist_failed'
  | 'busy'
  | 'not_found'
  | 'method_not_allowed'
  | 'error'
  | 'ok';
export type AlertOutcome = 'queued' | 'duplicate' | 'no_remediation' | 'unknown_remediation' | 'not_bound' | 'resolved_ignored';

export class ReceiverMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'sloforge_receiver_requests_total',
    help: 'HTTP requests by route and outcome',
    labelNames: ['route', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'sloforge_receiver_requests_in_flight',
    help: 'HTTP requests being handled now',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'sloforge_receiver_alerts_total',
    help: 'Alerts received, by what the receiver did with them',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'sloforge_receiver_duplicates_skipped_total',
    help: 'Alerts skipped because the same fingerprint, startsAt and status was already accepted',
    registers: [this.registry],
  });
  readonly actions = new Counter({
    name: 'sloforge_receiver_actions_total',
    help: 'Remediation runs by remediation and result (success, failure, dry-run, skipped-*)',
    labelNames: ['remediation', 'result'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'sloforge_receiver_action_duration_seconds',
    help: 'Time a remediation action took, retries included',
    labelNames: ['remediation', 'result'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly cooldownSkips = new Counter({
    name: 'sloforge_receiver_cooldown_skips_total',
    help: 'Runs skipped because the remediation was in its cooldown',
    labelNames: ['remediation'] as const,
    registers: [this.registry],
  });
  readonly capSkips = new Counter({
    name: 'sloforge_receiver_hourly_cap_skips_total',
    help: 'Runs refused because the remediation reached its maxPerHour',
    labelNames: ['remediation'] as const,
    registers: [this.registry],
  });
  readonly halted = new Gauge({
    name: 'sloforge_receiver_remediation_halted',
    help: '1 while a remediation is stopped by its hourly cap (a likely remediation loop)',
    labelNames: ['remediation'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'sloforge_receiver_queue_depth',
    help: 'Accepted alerts waiting for their action to start',
    registers: [this.registry],
  });
  readonly running = new Gauge({ name: 'sloforge_receiver_actions_running', help: 'Actions running now', registers: [this.registry] });
  readonly truncated = new Counter({
    name: 'sloforge_receiver_alerts_truncated_total',
    help: 'Alerts over the per-alert size limit whose longest values were cut',
    registers: [this.registry],
  });
  readonly startRetries = new Counter({
    name: 'sloforge_receiver_start_retries_total',
    help: 'Action starts put back in the queue because their start could not be written to the log',
    labelNames: ['remediation'] as const,
    registers: [this.registry],
  });
  readonly logSkippedLines = new Gauge({
    name: 'sloforge_receiver_log_skipped_lines',
    help: 'Lines of the event log the last start could not use (the start log names them)',
    registers: [this.registry],
  });
  readonly logBytes = new Gauge({ name: 'sloforge_receiver_log_bytes', help: 'Size of the event log', registers: [this.registry] });
  readonly compactions = new Counter({
    name: 'sloforge_receiver_log_compactions_total',
    help: 'Event log compactions by result (compacted, unchanged, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly pruned = new Counter({
    name: 'sloforge_receiver_database_pruned_total',
    help: 'With --database: finished events pruned to their dedupe keys (what="events") and resolved episodes forgotten (what="episodes") by the retention',
    labelNames: ['what'] as const,
    registers: [this.registry],
  });
  readonly connectionsDropped = new Counter({
    name: 'sloforge_receiver_connections_dropped_total',
    help: 'Connections refused because maxConnections were open, each authenticated',
    registers: [this.registry],
  });
  readonly connectionsEvicted = new Counter({
    name: 'sloforge_receiver_connections_evicted_total',
    help: 'Unauthenticated connections closed to make room for a newcomer at maxConnections',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: RECEIVER_METRIC_PREFIX });
  }

  /**
   * Exports at 0 the series that alerts on the receiver read (docs/remediation.md, "Alerts on the
   * receiver"). A labelled counter otherwise appears only at its first increment, which
   * increase() cannot see, and its absence would look like lost data.
   */
  initialise(remediations: readonly string[]): void {
    for (const remediation of remediations) {
      for (const result of ['success', 'failure'] as const) this.actions.inc({ remediation, result }, 0);
      this.halted.set({ remediation }, 0);
    }
    this.requests.inc({ route: '/alerts', outcome: 'accepted' }, 0);
    this.requests.inc({ route: '/alerts', outcome: 'persist_failed' }, 0);
  }
}
