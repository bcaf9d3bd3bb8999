// Log replay at start: the records of the event log, oldest first, rebuild the dedupe set, the
// events, the guard rails and what the queue must resume. Kept apart from the live queue
// (engine.ts) because it reasons about a past process: what it had started (interrupted, never
// repeated unless `retryInterrupted`), what an unreadable line may have hidden (a start, so the
// event is not run a second time), duplicate `accepted` records, and starts stamped by a clock
// that was ahead. Its working state is dropped once the log is read.
import type { ResolvedRemediation } from '../remediation/actions-file.js';
import type { Event } from './audit.js';
import { episode, eventFromAccepted } from './event.js';
import type { GuardRails } from './guard.js';
import { capAlert } from './payload.js';
import type { LogRecord } from './store/records.js';
import type { BadLine } from './store/types.js';

/** The engine's state that replay fills in. */
export interface ReplaySink {
  readonly remediations: ReadonlyMap<string, ResolvedRemediation>;
  readonly events: Map<string, Event>;
  readonly seen: Set<string>;
  readonly guard: GuardRails;
  /** Applies a record to a known event (noting when that ends it). */
  apply(ev: Event, r: Exclude<LogRecord, { t: 'accepted' | 'seen' }>): void;
  rememberResolved(episode: string): void;
}

/** What replay found, for the engine to queue, record and report. */
export interface ReplayOutcome {
  /** Events to run, in log order. */
  queued: Event[];
  /** Events the previous process died running; recorded as interrupted at start. */
  interrupted: Event[];
  /** Events whose log lines are unreadable where their start would be; recorded at start. */
  doubtful: Array<{ ev: Event; line: number }>;
  /** Lines replay set aside itself (duplicate `accepted` records), for the report. */
  setAside: BadLine[];
  /** Starts logged later than replay began (a clock that was ahead), and the furthest ahead. */
  future: number;
  furthestAheadMs: number;
}

export class LogReplay {
  /** Line of each event's `accepted` record. */
  private readonly acceptedLine = new Map<string, number>();
  /** The event that owns each dedupe key. */
  private readonly keyOwner = new Map<string, string>();
  /** Later `accepted` records of a key already accepted, to the event they duplicate. */
  private readonly alias = new Map<string, string>();
  private readonly bad: BadLine[] = [];
  private readonly setAside: BadLine[] = [];
  private future = 0;
  private furthestAheadMs = 0;

  constructor(
    private readonly into: ReplaySink,
    /** The guard-rail clock when replay began: no logged start counts as later than this. */
    private readonly at: number,
  ) {}

  /** Feeds one record of the log, oldest first. */
  record(r: LogRecord, line: number): void {
    const { seen, events } = this.into;
    if (r.t === 'seen') {
      seen.add(r.key);
      return;
    }
    if (r.t === 'accepted') {
      if (seen.has(r.key)) {
        // Two deliveries of one alert in the log (a bug or a hand edit): one event, run once.
        const owner = this.keyOwner.get(r.key);
        this.alias.set(r.id, owner ?? '');
        this.setAside.push({
          line,
          problem: `a second \`accepted\` record for ${r.key}${owner ? ` (event ${owner})` : ''}: merged into the first`,
          ids: [],
          torn: false,
        });
        return;
      }
      seen.add(r.key);
      this.keyOwner.set(r.key, r.id);
      this.acceptedLine.set(r.id, line);
      // Alerts stored before alerts were capped: capped now, so replay memory stays bounded.
      const ev = eventFromAccepted(r, capAlert(r.alert).alert);
      events.set(r.id, ev);
      if (ev.alert.status === 'resolved') this.into.rememberResolved(episode(ev.alert));
      return;
    }
    const ev = events.get(this.alias.get(r.id) ?? r.id);
    if (!ev) {
      // Its `accepted` line is lost (or pruned): the key still proves the alert was handled.
      if (r.key !== undefined) seen.add(r.key);
      return;
    }
    this.into.apply(ev, r);
    if (r.t === 'started' && r.attempt === 1) {
      // A start logged in the future (the clock was ahead when it was written) counts as having
      // happened now: one cooldown from now, not one from a time that may be a day away.
      if (r.at > this.at) {
        this.future++;
        this.furthestAheadMs = Math.max(this.furthestAheadMs, r.at - this.at);
      }
      this.into.guard.recordStart(ev.alert.remediation, ev.alert.status, Math.min(r.at, this.at));
    }
  }

  /** Feeds a line of the log that could not be read, in order with the records. */
  badLine(bad: BadLine): void {
    this.bad.push(bad);
  }

  /** Decides, once the whole log is read, what each unfinished event becomes. */
  finish(): ReplayOutcome {
    const { remediations, events } = this.into;
    const out: ReplayOutcome = {
      queued: [],
      interrupted: [],
      doubtful: [],
      setAside: this.setAside,
      future: this.future,
      furthestAheadMs: this.furthestAheadMs,
    };
    const unreadable = this.bad
      .filter((b) => !b.torn)
      .map((b) => ({ line: b.line, ids: new Set(b.ids.map((id) => this.alias.get(id) ?? id)) }));
    for (const ev of events.values()) {
      if (ev.state === 'running') {
        ev.interrupted = true;
        if (remediations.get(ev.alert.remediation)?.retryInterrupted) ev.state = 'queued';
        else out.interrupted.push(ev);
      } else if (ev.state === 'queued') {
        // A line after its acceptance that names it, or names nothing, may have been its start.
        const acceptedAt = this.acceptedLine.get(ev.id) ?? 0;
        const doubt = unreadable.find((b) => b.line > acceptedAt && (b.ids.size === 0 || b.ids.has(ev.id)));
        if (doubt) {
          ev.interrupted = true;
          if (!remediations.get(ev.alert.remediation)?.retryInterrupted) {
            out.doubtful.push({ ev, line: doubt.line });
            continue;
          }
        }
      }
      if (ev.state === 'queued') out.queued.push(ev);
    }
    return out;
  }
}
