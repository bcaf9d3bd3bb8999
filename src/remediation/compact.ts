// Keeps the event log short: events that finished long ago shrink to one `seen` line holding
// their dedupe key, so an alert Alertmanager keeps re-sending still never runs twice, while the
// log (and its replay at start) stops growing by whole alerts.
import type { LogRecord } from './store.js';

const DAY_MS = 86_400_000;

/** How long finished events stay whole: a week, or longer when a cooldown needs it (plus the hourly window). */
export function keepWholeMs(longestCooldownMs: number): number {
  return Math.max(7 * DAY_MS, longestCooldownMs + DAY_MS);
}

/**
 * The records to keep, in order; the input itself when nothing would shrink. Unfinished events
 * and events that finished within `keepMs` stay whole, because replay needs them for the queue,
 * the cooldowns and the hourly caps.
 */
export function compactRecords(records: readonly LogRecord[], now: number, keepMs: number): readonly LogRecord[] {
  const endedAt = new Map<string, number>();
  for (const r of records) if (r.t === 'finished' || r.t === 'skipped') endedAt.set(r.id, r.at);
  const old = (id: string) => {
    const end = endedAt.get(id);
    return end !== undefined && now - end > keepMs;
  };
  if (!records.some((r) => r.t === 'accepted' && old(r.id))) return records;
  const out: LogRecord[] = [];
  for (const r of records) {
    if (r.t === 'seen' || !old(r.id)) out.push(r);
    else if (r.t === 'accepted') out.push({ t: 'seen', id: r.id, at: r.at, key: r.key });
  }
  return out;
}
