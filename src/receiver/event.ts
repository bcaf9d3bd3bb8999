// The one place a log record changes an event. Replay and the live path both go through it, so
// an event rebuilt from the log after a restart is in exactly the state it was before.
import type { Event } from './audit.js';
import type { LogRecord } from './store/records.js';

type Record<T extends LogRecord['t']> = Extract<LogRecord, { t: T }>;

/** A fresh event from its `accepted` record (with the alert as the receiver keeps it). */
export function eventFromAccepted(r: Record<'accepted'>, alert = r.alert): Event {
  return { id: r.id, key: r.key, alert, acceptedAt: r.at, state: 'queued', attempts: 0, interrupted: false };
}

/** Applies a `started`, `finished` or `skipped` record to its event. */
export function applyRecord(ev: Event, r: Record<'started'> | Record<'finished'> | Record<'skipped'>): void {
  switch (r.t) {
    case 'started':
      Object.assign(ev, { state: 'running', attempts: r.attempt, startedAt: r.at });
      return;
    case 'finished':
      Object.assign(ev, { state: r.result, detail: r.detail, finishedAt: r.at });
      return;
    case 'skipped':
      Object.assign(ev, { state: 'skipped', reason: r.reason, detail: r.detail, finishedAt: r.at });
  }
}

/** One firing episode of an alert: a resolved notice stops only the firing event of the same episode. */
export const episode = (a: { fingerprint: string; startsAt: string }): string => `${a.fingerprint}|${a.startsAt}`;
