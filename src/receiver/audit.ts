// What the receiver remembers about each alert it accepted, and how /api/actions shows it.
import type { ActionResult, SkipReason } from './store/records.js';
import type { AlertFields } from './template.js';

export type EventState = 'queued' | 'running' | ActionResult | 'skipped';

export interface Event {
  id: string;
  key: string;
  alert: AlertFields;
  acceptedAt: number;
  state: EventState;
  attempts: number;
  /** Started before a crash: resume without asking the guard rails again. */
  interrupted: boolean;
  reason?: SkipReason;
  detail?: string;
  startedAt?: number;
  finishedAt?: number;
  /** A failed write of its start: when to try again, and how many failed so far. */
  retryAt?: number;
  persistFailures?: number;
}

export interface AuditEntry {
  id: string;
  remediation: string;
  status: string;
  fingerprint: string;
  startsAt: string;
  labels: Record<string, string>;
  state: EventState;
  reason?: SkipReason;
  detail?: string;
  attempts: number;
  acceptedAt: string;
  startedAt?: string;
  finishedAt?: string;
}

const iso = (t: number): string => new Date(t).toISOString();

/** What /api/actions shows of an event, from the engine's Event or a database row alike. */
export type AuditedEvent = Pick<
  Event,
  'id' | 'alert' | 'state' | 'reason' | 'detail' | 'attempts' | 'acceptedAt' | 'startedAt' | 'finishedAt'
>;

export function toAuditEntry(ev: AuditedEvent): AuditEntry {
  return {
    id: ev.id,
    remediation: ev.alert.remediation,
    status: ev.alert.status,
    fingerprint: ev.alert.fingerprint,
    startsAt: ev.alert.startsAt,
    labels: ev.alert.labels,
    state: ev.state,
    ...(ev.reason !== undefined ? { reason: ev.reason } : {}),
    ...(ev.detail !== undefined ? { detail: ev.detail } : {}),
    attempts: ev.attempts,
    acceptedAt: iso(ev.acceptedAt),
    ...(ev.startedAt !== undefined ? { startedAt: iso(ev.startedAt) } : {}),
    ...(ev.finishedAt !== undefined ? { finishedAt: iso(ev.finishedAt) } : {}),
  };
}
