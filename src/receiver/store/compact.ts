// Keeps the event log short while the receiver runs. An event that finished, and that neither
// the guard rails nor the recent audit trail still need, shrinks to one `seen` line holding its
// dedupe key, so an alert Alertmanager keeps re-sending still never runs twice while the log
// (and its replay at start) stops growing by whole alerts. Alerts stored before alerts were
// capped are capped on the way.
import { HOUR_MS } from '../guard.js';
import { alertBytes, capAlert } from '../payload.js';
import { MAX_ALERT_BYTES } from '../limits.js';
import type { Rewriter } from './log-compaction.js';
import { encodeRecord } from './record-line.js';
import type { LogRecord } from './records.js';

const DAY_MS = 86_400_000;

/** How long finished events stay whole: a week, or longer when a cooldown needs it (plus the hourly window). */
export function keepWholeMs(longestCooldownMs: number): number {
  return Math.max(7 * DAY_MS, longestCooldownMs + DAY_MS);
}

export interface CompactionPolicy {
  now: number;
  /** Finished events stay whole at most this long, for the audit trail after a restart. */
  keepWholeMs: number;
  /** Events that started this recently stay whole: replay rebuilds cooldowns and hourly caps from them. */
  guardWindowMs: number;
  /** At most this many finished events stay whole for the audit trail (the receiver shows that many). */
  keepRecent: number;
}

export function compactionPolicy(now: number, longestCooldownMs: number, keepRecent: number): CompactionPolicy {
  return { now, keepWholeMs: keepWholeMs(longestCooldownMs), guardWindowMs: longestCooldownMs + HOUR_MS, keepRecent };
}

interface Seen {
  endedAt?: number;
  lastStartAt?: number;
  oversize?: boolean;
}

export class Compactor implements Rewriter {
  private readonly events = new Map<string, Seen>();
  private readonly shrink = new Set<string>();
  private readonly keys = new Set<string>();
  private changes = false;

  constructor(private readonly policy: CompactionPolicy) {}

  private event(id: string): Seen {
    let e = this.events.get(id);
    if (!e) this.events.set(id, (e = {}));
    return e;
  }

  observe(r: LogRecord, bytes: number): void {
    const e = this.event(r.id);
    if (r.t === 'started') e.lastStartAt = Math.max(e.lastStartAt ?? 0, r.at);
    else if (r.t === 'finished' || r.t === 'skipped') e.endedAt = r.at;
    else if (r.t === 'accepted' && bytes > MAX_ALERT_BYTES && alertBytes(r.alert) > MAX_ALERT_BYTES) e.oversize = true;
    else if (r.t === 'seen') {
      if (this.keys.has(r.key)) this.changes = true;
      this.keys.add(r.key);
    }
  }

  plan(): boolean {
    const { now, keepWholeMs, guardWindowMs, keepRecent } = this.policy;
    const ended = [...this.events].filter(([, e]) => e.endedAt !== undefined).sort(([, a], [, b]) => b.endedAt! - a.endedAt!);
    ended.forEach(([id, e], i) => {
      const forAudit = i < keepRecent && now - e.endedAt! <= keepWholeMs;
      const forGuard = e.lastStartAt !== undefined && now - e.lastStartAt < guardWindowMs;
      if (!forAudit && !forGuard) this.shrink.add(id);
    });
    this.keys.clear();
    return this.changes || this.shrink.size > 0 || [...this.events.values()].some((e) => e.oversize);
  }

  line(r: LogRecord | undefined, raw: Buffer): Buffer | string | undefined {
    // An unusable line is dropped: the replay at start already settled what it could have meant.
    if (!r) return undefined;
    if (this.shrink.has(r.id) || r.t === 'seen') {
      // One `seen` per key, taken from whichever record of the event still names it.
      if (r.key === undefined || this.keys.has(r.key)) return undefined;
      this.keys.add(r.key);
      return r.t === 'seen' ? raw : encodeRecord({ t: 'seen', id: r.id, at: r.at, key: r.key });
    }
    if (r.t === 'accepted' && this.events.get(r.id)?.oversize) return encodeRecord({ ...r, alert: capAlert(r.alert).alert });
    return raw;
  }
}
