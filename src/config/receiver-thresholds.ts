// Thresholds on the remediation receiver's own /metrics: without them a receiver that is down,
// whose actions fail, that stopped a remediation at its hourly cap or cannot write its event log
// leaves auto-remediation off with nobody told. They are ordinary thresholds, so they route,
// render, deploy and get tested like the user's own.
import { matcherText } from '../promql/labels.js';
import type { ReceiverMonitoringOptions, ThresholdInput } from './public-types.js';

/**
 * The receiver's series carry a `remediation` label, which on an alert means "run this": it is
 * renamed `action`, so the alerts say which remediation is in trouble without triggering one.
 */
const asAction = (expr: string) => `label_replace(${expr}, "action", "$1", "remediation", "(.+)")`;

/**
 * A receiver that stops reporting is receiver-up's to say (below 1, or its own no-data alert):
 * the metric thresholds stay quiet then rather than adding four no-data alerts to that one.
 */
const QUIET = { enabled: false } as const;

export function buildReceiverThresholds(opts: ReceiverMonitoringOptions): ThresholdInput[] {
  const window = opts.window ?? '30m';
  const sel = (metric: string, labels: Record<string, string> = {}) => `${metric}${matcherText({ job: opts.job, ...labels })}`;
  const runbook = opts.runbook !== undefined ? { runbook: opts.runbook } : {};
  return [
    {
      name: 'receiver-up',
      expr: `min(${sel('up')})`,
      warning: 1,
      direction: 'below',
      for: '5m',
      description: "The remediation receiver does not answer its scrape: Alertmanager's remediation webhooks fail and no remediation runs",
      ...runbook,
    },
    {
      name: 'remediation-failures',
      expr: `sum by (action) (${asAction(`increase(${sel('sloforge_receiver_actions_total', { result: 'failure' })}[${window}])`)})`,
      warning: 0,
      unit: 'failed runs',
      description: `The remediation named in this alert's action label failed within ${window} (the receiver's /api/actions says why); the problem it was meant to fix is still there`,
      noData: QUIET,
      ...runbook,
    },
    {
      name: 'remediation-halted',
      expr: `max by (action) (${asAction(sel('sloforge_receiver_remediation_halted'))})`,
      warning: 0,
      description:
        "The remediation named in this alert's action label reached its maxPerHour and the receiver stopped running it: its alert keeps firing after each run, a likely remediation loop",
      noData: QUIET,
      ...runbook,
    },
    {
      name: 'receiver-persist-failures',
      expr: `sum(increase(${sel('sloforge_receiver_requests_total', { route: '/alerts', outcome: 'persist_failed' })}[${window}]))`,
      warning: 0,
      unit: 'refused requests',
      description: `The receiver could not write alerts to its event log within ${window} (a full or failing disk) and answered 503: Alertmanager retries, and no remediation runs meanwhile`,
      noData: QUIET,
      ...runbook,
    },
    {
      name: 'receiver-log-skipped-lines',
      expr: `max(${sel('sloforge_receiver_log_skipped_lines')})`,
      warning: 0,
      unit: 'lines',
      description:
        "The receiver's last start skipped unreadable lines of its event log (its start log names them): an alert they held may be lost, or an action they recorded may run again",
      noData: QUIET,
      ...runbook,
    },
  ];
}
