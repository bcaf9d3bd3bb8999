// How an alert from a webhook is sorted before any store sees it, and how what was stored is
// counted: the same for the file log and for PostgreSQL, so both stores answer and count alike.
import type { ResolvedRemediation } from '../remediation/actions-file.js';
import { someOf } from '../list-text.js';
import { describeBinding, isBound } from './binding.js';
import type { ReceiverMetrics } from './metrics.js';
import type { LogLimiter } from './log-limiter.js';
import { capAlert, type WebhookAlert } from './payload.js';
import type { SkipReason } from './store/records.js';
import type { AlertFields } from './template.js';

/** The metrics label of an alert whose remediation the actions file does not name. */
export const UNKNOWN_REMEDIATION = '(unknown)';

/** What a webhook's alerts came to; the body of the 200 answer. */
export interface AcceptResult {
  queued: number;
  duplicates: number;
  ignored: number;
}

/**
 * The remediation an alert names, or undefined when it is ignored (no `remediation` label, or a
 * resolved notice its remediation does not act on), counted as such. `rem` is undefined for a
 * name the actions file does not have: such an alert is still audited.
 */
export function admitted(
  a: WebhookAlert,
  remediations: ReadonlyMap<string, ResolvedRemediation>,
  result: AcceptResult,
  m: ReceiverMetrics,
): { name: string; rem: ResolvedRemediation | undefined } | undefined {
  const name = a.labels.remediation;
  if (name === undefined || name === '') {
    result.ignored++;
    m.alerts.inc({ outcome: 'no_remediation' });
    return undefined;
  }
  const rem = remediations.get(name);
  if (rem && a.status === 'resolved' && !rem.onResolved) {
    result.ignored++;
    m.alerts.inc({ outcome: 'resolved_ignored' });
    return undefined;
  }
  return { name, rem };
}

export function countDuplicate(result: AcceptResult, m: ReceiverMetrics): void {
  result.duplicates++;
  m.duplicates.inc();
  m.alerts.inc({ outcome: 'duplicate' });
}

/** The alert as it is stored: cut to the per-alert limit, which is counted and logged. */
export function storedAlert(a: WebhookAlert, name: string, m: ReceiverMetrics, limited: LogLimiter): AlertFields {
  const capped = capAlert({
    remediation: name,
    status: a.status,
    fingerprint: a.fingerprint,
    startsAt: a.startsAt,
    endsAt: a.endsAt ?? '',
    labels: a.labels,
    annotations: a.annotations ?? {},
  });
  if (capped.cut.length > 0) {
    m.truncated.inc();
    limited.line('truncated', `alert ${a.fingerprint} was larger than the per-alert limit: cut ${someOf(capped.cut, ', ', 5)}`);
  }
  return capped.alert;
}

/** Why an admitted alert is audited but never run, or undefined when it queues. */
export function skipOf(
  name: string,
  rem: ResolvedRemediation | undefined,
  alert: AlertFields,
): { reason: SkipReason; detail: string } | undefined {
  // Kept in the audit trail so a typo in a label is visible, but nothing runs.
  if (!rem) return { reason: 'unknown-remediation', detail: `no remediation named "${name}" in the actions file` };
  // Audited, never run: a series label or a foreign rule tried to pick this action.
  if (!isBound(rem, alert.labels)) return { reason: 'not-bound', detail: describeBinding(rem, alert.labels) };
  return undefined;
}

/** Counts a newly stored event: queued, or skipped for one of skipOf's reasons. */
export function countStored(
  ev: { state: string; reason?: SkipReason; detail?: string; alert: AlertFields },
  result: AcceptResult,
  m: ReceiverMetrics,
  limited: LogLimiter,
): void {
  if (ev.state === 'queued') {
    result.queued++;
    m.alerts.inc({ outcome: 'queued' });
  } else if (ev.reason === 'not-bound') {
    result.ignored++;
    m.alerts.inc({ outcome: 'not_bound' });
    m.actions.inc({ remediation: ev.alert.remediation, result: 'skipped-not-bound' });
    limited.line(`not-bound:${ev.alert.remediation}`, `refused: ${ev.detail}`);
  } else {
    result.ignored++;
    m.alerts.inc({ outcome: 'unknown_remediation' });
    m.actions.inc({ remediation: UNKNOWN_REMEDIATION, result: 'skipped-unknown-remediation' });
  }
}

/** The remediations by name, the map an engine's intake, replay and run queue share. */
export function remediationMap(list: readonly ResolvedRemediation[]): Map<string, ResolvedRemediation> {
  return new Map(list.map((r) => [r.name, r]));
}

/**
 * Puts `next` in place of the remediations in `into`, in place: the intake, the replay and the
 * run queue hold the same map. Actions already running keep the definition they started with;
 * a queued alert whose remediation is gone is skipped as unknown when its turn comes.
 */
export function replaceRemediations(into: Map<string, ResolvedRemediation>, next: readonly ResolvedRemediation[]): void {
  into.clear();
  for (const r of next) into.set(r.name, r);
}
