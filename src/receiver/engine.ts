// Accepts alerts, remembers them durably, and runs their remediations from a queue (the live
// path; replay.ts rebuilds its state from the log at start).
//
// Every state change is a record in the log: `accepted` (written before Alertmanager gets its
// 2xx), `started` (written before the action runs), then `finished` or `skipped`. Replaying the
// log rebuilds the dedupe set, the guard rails and the queue: accepted-but-not-started events
// are queued again, and finished ones never run again. Started-but-not-finished ones (the
// process died mid-action) have an unknown outcome: they are audited as interrupted and not
// repeated, because repeating "scale up by 2" or a restart is worse than a remediation that a
// human, paged by the same alert, may have to finish. A remediation marked `retryInterrupted`
// (an idempotent action) runs again instead, with the same Idempotency-Key.
//
// A damaged log is read the same way: a line that cannot be read after an event's `accepted`
// line might have been its `started`, so the event is treated as interrupted rather than run a
// second time. Every record carries the dedupe key, so an event whose `accepted` line is lost
// still dedupes once any of its other records survives.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { ResolvedRemediation } from '../remediation/actions-file.js';
import { runAction, type ActionOutcome } from './actions/index.js';
import { GuardRails } from './guard.js';
import type { ReceiverMetrics } from './metrics.js';
import { dedupeKey, type WebhookAlert } from './payload.js';
import {
  admitted,
  countDuplicate,
  countStored,
  remediationMap,
  replaceRemediations,
  skipOf,
  storedAlert,
  UNKNOWN_REMEDIATION,
  type AcceptResult,
} from './intake.js';
export type { AcceptResult } from './intake.js';
import type { ActionResult, LogRecord, SkipReason } from './store/records.js';
import type { BadLine, Store } from './store/types.js';
import { toAuditEntry, type AuditEntry, type Event, type EventState } from './audit.js';
import { applyRecord, episode, eventFromAccepted } from './event.js';
import { LogReplay } from './replay.js';
import { LogLimiter } from './log-limiter.js';
import { TaskSet } from './task-set.js';
import { redactUrl } from './redact.js';
import { RunQueue } from './run-queue.js';
import { Deque } from './deque.js';
import { EnvironmentError } from '../errors.js';
import { sleep } from './actions/request.js';

/** The alerts could not be made durable; the caller must answer 5xx so Alertmanager retries. */
export class PersistError extends EnvironmentError {
  override name = 'PersistError';
}

export interface EngineOptions {
  remediations: readonly ResolvedRemediation[];
  store: Store;
  metrics: ReceiverMetrics;
  /** Every remediation runs dry, whatever its own setting. */
  dryRun: boolean;
  log: (line: string) => void;
  /** Finished events kept in memory for /api/actions. */
  auditSize?: number;
  /** Wall-clock time, for the records (the audit trail). */
  now?: () => number;
  /**
   * The clock of cooldowns, hourly caps and retry waits: milliseconds that only move forward, at
   * the wall clock's pace (by default the wall clock at the start plus a monotonic clock).
   * Defaults to `now` when only that is given.
   */
  clock?: () => number;
}

/** The wall clock at the start, moved on by a monotonic clock: no wall-clock jump moves it. */
export function monotonicClock(): () => number {
  const wall0 = Date.now();
  const mono0 = performance.now();
  return () => wall0 + (performance.now() - mono0);
}

/**
 * Resolved episodes remembered at most (the newest): enough to stop a firing event still queued
 * behind them, without memory growing with every resolved notice ever received.
 */
export const MAX_RESOLVED = 10_000;

const TERMINAL: ReadonlySet<EventState> = new Set(['success', 'failure', 'dry-run', 'skipped']);

/** Wait before the n-th retry of a write that failed (1 s, doubling, at most a minute). */
const backoffMs = (n: number): number => Math.min(1000 * 2 ** (n - 1), 60_000);

/** What an action would do, for a dry run's audit line. */
export function describe(rem: ResolvedRemediation): string {
  const a = rem.action;
  switch (a.kind) {
    case 'http':
      return `${a.http.method} ${redactUrl(a.http.url)}`;
    case 'kubernetesScale':
      return `scale deployment ${a.kubernetesScale.namespace}/${a.kubernetesScale.deployment}`;
    case 'command':
      return `run ${a.command.argv.join(' ')}`;
  }
}

export class Engine {
  private readonly remediations: Map<string, ResolvedRemediation>;
  private readonly events = new Map<string, Event>();
  private readonly seen = new Set<string>();
  private readonly pending = new Map<string, Promise<void>>();
  private readonly queue = new RunQueue<Event>();
  /** Ids of events in the order they finished (or were skipped), for `settled`. */
  private readonly finishedOrder = new Deque<string>();
  /** Events the previous process died running; `start` records them as interrupted. */
  private readonly interrupted: Event[] = [];
  /** Every started or skipping task, so shutdown can wait for their log writes. */
  private readonly tasks = new TaskSet();
  private readonly runningBy = new Map<string, number>();
  private readonly guard = new GuardRails();
  /** Episodes whose resolved notice arrived (kept in memory only: a best-effort check). */
  private readonly resolved = new Set<string>();
  private readonly abort = new AbortController();
  /** Ends the waits between write retries at shutdown. */
  private readonly stopped = new AbortController();
  private readonly now: () => number;
  private readonly clock: () => number;
  private readonly auditSize: number;
  private readonly limited: LogLimiter;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Events whose log lines are unreadable where their start would be; `start` records them. */
  private readonly doubtful: Array<{ ev: Event; line: number }> = [];
  private replaying: LogReplay | undefined;
  private runningTotal = 0;
  private started = false;
  private stopping = false;

  constructor(private readonly opts: EngineOptions) {
    this.remediations = remediationMap(opts.remediations);
    this.now = opts.now ?? Date.now;
    this.clock = opts.clock ?? opts.now ?? monotonicClock();
    this.replaying = new LogReplay(
      {
        remediations: this.remediations,
        events: this.events,
        seen: this.seen,
        guard: this.guard,
        apply: (ev, r) => this.apply(ev, r),
        rememberResolved: (ep) => this.rememberResolved(ep),
      },
      this.clock(),
    );
    this.auditSize = opts.auditSize ?? 1000;
    this.limited = new LogLimiter(opts.log, this.now);
    // Every running action and every waiting retry listens on these; many at once is normal.
    setMaxListeners(0, this.abort.signal, this.stopped.signal);
  }

  /** The actions file reloaded (SIGHUP): see replaceRemediations. Then starts what the new limits allow. */
  setRemediations(next: readonly ResolvedRemediation[]): void {
    replaceRemediations(this.remediations, next);
    if (this.started) this.pump();
  }

  /** The longest cooldown of the remediations in force: how much history compaction must keep. */
  get longestCooldownMs(): number {
    return Math.max(0, ...[...this.remediations.values()].map((r) => r.cooldownMs));
  }

  /** Feeds one record of the log, oldest first; before `finishReplay`. */
  replayRecord(r: LogRecord, line: number): void {
    this.replaying!.record(r, line);
  }

  /** Feeds a line of the log that could not be read, in order with the records. */
  replayBadLine(bad: BadLine): void {
    this.replaying!.badLine(bad);
  }

  /** Rebuilds the queue from what was replayed; returns the lines replay set aside itself. */
  finishReplay(): BadLine[] {
    const rs = this.replaying!.finish();
    this.replaying = undefined;
    for (const ev of rs.queued) this.queue.push(ev);
    // One by one: a spread of a long list would overflow the call's arguments.
    for (const ev of rs.interrupted) this.interrupted.push(ev);
    for (const d of rs.doubtful) this.doubtful.push(d);
    if (rs.future > 0) {
      this.opts.log(
        `${rs.future} start(s) in the event log are stamped up to ${Math.ceil(rs.furthestAheadMs / 1000)} s in the future (the clock was ahead when they were written): counted as starting now for cooldowns and hourly caps`,
      );
    }
    if (this.queue.size > 0) this.opts.log(`resuming ${this.queue.size} unfinished remediation(s) from the log`);
    if (this.interrupted.length > 0) {
      this.opts.log(
        `${this.interrupted.length} remediation(s) were running when the receiver stopped: outcome unknown, not repeated (see /api/actions)`,
      );
    }
    if (this.doubtful.length > 0) {
      this.opts.log(
        `${this.doubtful.length} remediation(s) may have started on an unreadable line of the event log: not run, so none runs twice (see /api/actions)`,
      );
    }
    return rs.setAside;
  }

  /**
   * Starts the queue, after recording what replay found interrupted; resolves true once those
   * records are on disk (only then may compaction drop the unreadable lines they account for).
   */
  start(): Promise<boolean> {
    this.started = true;
    const written: Promise<boolean>[] = [];
    for (const ev of this.interrupted.splice(0)) {
      written.push(
        this.skip(
          ev,
          'interrupted',
          'the receiver stopped while this action ran: its outcome is unknown, so it is not repeated (set retryInterrupted for idempotent actions)',
        ),
      );
    }
    for (const { ev, line } of this.doubtful.splice(0)) {
      written.push(
        this.skip(
          ev,
          'log-corrupt',
          `line ${line} of the event log, written after this alert was accepted, is unreadable and may have been this action's start: not run, so it cannot run twice (set retryInterrupted for idempotent actions)`,
        ),
      );
    }
    this.pump();
    return Promise.all(written).then((all) => all.every(Boolean));
  }

  async accept(alerts: readonly WebhookAlert[]): Promise<AcceptResult> {
    const m = this.opts.metrics;
    const result: AcceptResult = { queued: 0, duplicates: 0, ignored: 0 };
    const fresh: Event[] = [];
    const records: LogRecord[] = [];
    const waits: Promise<void>[] = [];
    const at = this.now();
    for (const a of alerts) {
      const picked = admitted(a, this.remediations, result, m);
      if (a.status === 'resolved' && a.labels.remediation) this.rememberResolved(episode(a));
      if (!picked) continue;
      const { name, rem } = picked;
      const key = dedupeKey(a);
      const inFlight = this.pending.get(key);
      if (this.seen.has(key) || inFlight) {
        // A concurrent copy is still being written: answer only once it is safe on disk.
        if (inFlight) waits.push(inFlight);
        countDuplicate(result, m);
        continue;
      }
      const alert = storedAlert(a, name, m, this.limited);
      const accepted = { t: 'accepted', id: randomUUID(), at, key, alert } as const;
      const ev = eventFromAccepted(accepted);
      records.push(accepted);
      const skip = skipOf(name, rem, alert);
      if (skip) {
        const r = { t: 'skipped', id: ev.id, key, at, ...skip } as const;
        applyRecord(ev, r);
        records.push(r);
      }
      fresh.push(ev);
      this.pending.set(key, Promise.resolve()); // replaced below; marks the key as taken synchronously
    }
    const write = this.opts.store.append(records);
    for (const ev of fresh) this.pending.set(ev.key, write);
    try {
      await write;
    } catch (err) {
      this.limited.line(
        'persist-accepted',
        `could not persist ${fresh.length} alert(s), answering 503 so Alertmanager retries: ${(err as Error).message}`,
      );
      throw new PersistError('could not persist the alerts');
    } finally {
      for (const ev of fresh) this.pending.delete(ev.key);
    }
    for (const ev of fresh) {
      this.seen.add(ev.key);
      this.events.set(ev.id, ev);
      if (TERMINAL.has(ev.state)) this.settled(ev);
      if (ev.state === 'queued') this.queue.push(ev);
      countStored(ev, result, m, this.limited);
    }
    try {
      await Promise.all(waits);
    } catch {
      throw new PersistError('could not persist a concurrent copy of these alerts');
    }
    this.pump();
    return result;
  }

  /**
   * Starts queued events while their remediation has a free slot, oldest first within each
   * remediation. Its cost does not grow with the queue (see RunQueue).
   */
  private pump(): void {
    if (this.stopping) return;
    const now = this.clock();
    this.queue.releaseDue(now);
    const hasSlot = (name: string): boolean => {
      const rem = this.remediations.get(name);
      return !rem || (this.runningBy.get(name) ?? 0) < rem.maxConcurrent;
    };
    for (const ev of this.queue.startable(hasSlot)) {
      this.tasks.add(
        this.begin(ev, this.remediations.get(ev.alert.remediation)).catch((err: Error) =>
          this.opts.log(`remediation ${ev.id} crashed: ${err.message}`),
        ),
      );
    }
    const nextRetry = this.queue.nextRetryAt;
    if (nextRetry !== undefined) this.wakeAt(nextRetry - now);
    this.opts.metrics.queueDepth.set(this.queue.size);
    this.opts.metrics.running.set(this.runningTotal);
  }

  private wakeAt(delayMs: number): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        this.pump();
      },
      Math.max(0, delayMs),
    );
    t.unref();
    this.timers.add(t);
  }

  /** Decides synchronously (so concurrent starts see one another), then runs asynchronously. */
  private begin(ev: Event, rem: ResolvedRemediation | undefined): Promise<void> {
    const m = this.opts.metrics;
    const at = this.now();
    const guardAt = this.clock();
    if (!rem)
      return this.skip(ev, 'unknown-remediation', `no remediation named "${ev.alert.remediation}" in the actions file`).then(() => {});
    if (!ev.interrupted && ev.alert.status === 'firing' && this.resolved.has(episode(ev.alert))) {
      return this.skip(ev, 'resolved', 'the alert resolved before its remediation could start').then(() => {});
    }
    let uncharge = () => {};
    if (!ev.interrupted) {
      const decision = this.guard.decide(rem, ev.alert.status, guardAt);
      if (decision === 'cooldown') {
        m.cooldownSkips.inc({ remediation: rem.name });
        return this.skip(ev, 'cooldown', `${rem.name} ran less than ${rem.cooldownMs / 1000}s ago`).then(() => {});
      }
      if (decision === 'hourly-cap') {
        m.capSkips.inc({ remediation: rem.name });
        m.halted.set({ remediation: rem.name }, 1);
        this.limited.line(
          `hourly-cap:${rem.name}`,
          `remediation ${rem.name} reached ${rem.maxPerHour} runs in the last hour: not running it for alert ${ev.alert.fingerprint} (a remediation loop?)`,
        );
        return this.skip(
          ev,
          'hourly-cap',
          `${rem.name} already ran ${rem.maxPerHour} times in the last hour; stopped to break a possible remediation loop`,
        ).then(() => {});
      }
      uncharge = this.guard.recordStart(rem.name, ev.alert.status, guardAt);
      m.halted.set({ remediation: rem.name }, 0);
    }
    // Applied now, written next: concurrent starts see it as running at once.
    const started = { t: 'started', id: ev.id, key: ev.key, at, attempt: ev.attempts + 1, dryRun: this.opts.dryRun || rem.dryRun } as const;
    applyRecord(ev, started);
    this.runningBy.set(rem.name, (this.runningBy.get(rem.name) ?? 0) + 1);
    this.runningTotal++;
    return this.execute(ev, rem, started, uncharge).finally(() => {
      this.runningBy.set(rem.name, (this.runningBy.get(rem.name) ?? 1) - 1);
      this.runningTotal--;
      this.pump();
    });
  }

  private async execute(
    ev: Event,
    rem: ResolvedRemediation,
    started: Extract<LogRecord, { t: 'started' }>,
    uncharge: () => void,
  ): Promise<void> {
    const { dryRun } = started;
    try {
      await this.opts.store.append([started]);
    } catch (err) {
      // Without a durable `started` record a restart would not know the action ran, so it does
      // not run now: it goes back to the front of the queue and is tried again after a backoff,
      // and the guard rails forget this attempt (it never ran).
      uncharge();
      ev.persistFailures = (ev.persistFailures ?? 0) + 1;
      const wait = backoffMs(ev.persistFailures);
      Object.assign(ev, { state: 'queued', attempts: ev.attempts - 1, startedAt: undefined, retryAt: this.clock() + wait });
      ev.detail = `not started: could not persist its start (${(err as Error).message}); retrying in ${wait / 1000} s`;
      this.opts.metrics.startRetries.inc({ remediation: rem.name });
      this.limited.line(`persist-started:${rem.name}`, `remediation ${rem.name}: ${ev.detail}`);
      this.queue.retry(ev);
      return;
    }
    ev.retryAt = undefined;
    ev.persistFailures = undefined;
    const t0 = performance.now();
    let outcome: ActionOutcome;
    if (dryRun) {
      outcome = { ok: true, detail: `dry run: would ${describe(rem)}` };
    } else {
      try {
        outcome = await runAction(rem.action, { id: ev.id, alert: ev.alert, signal: this.abort.signal });
      } catch (err) {
        outcome = { ok: false, detail: `action failed: ${(err as Error).message}` };
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    if (this.abort.signal.aborted) {
      // Cut off by shutdown: left unfinished in the log; the next start treats it as interrupted.
      ev.state = 'queued';
      ev.detail = 'interrupted by shutdown';
      return;
    }
    const result: ActionResult = dryRun ? 'dry-run' : outcome.ok ? 'success' : 'failure';
    const finished = {
      t: 'finished',
      id: ev.id,
      key: ev.key,
      at: this.now(),
      result,
      detail: outcome.detail,
      durationMs: Math.round(seconds * 1000),
    } as const;
    this.apply(ev, finished);
    this.opts.metrics.actions.inc({ remediation: rem.name, result });
    this.opts.metrics.duration.observe({ remediation: rem.name, result }, seconds);
    if (!outcome.ok) this.opts.log(`remediation ${rem.name} failed for alert ${ev.alert.fingerprint}: ${outcome.detail}`);
    // Written in the background: a full disk must not hold the remediation's slot.
    this.tasks.add(this.persist([finished], `the result of ${rem.name} for alert ${ev.alert.fingerprint}`));
  }

  /**
   * Writes records that end an event, retrying with backoff until they are on disk or the
   * receiver stops. Given up, the event replays as unfinished: an action that ran is then
   * audited as interrupted and not repeated, and a skip is decided again.
   */
  private async persist(records: LogRecord[], what: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.opts.store.append(records);
        return true;
      } catch (err) {
        if (this.stopping) {
          this.opts.log(`could not record ${what} before stopping (${(err as Error).message}); the next start treats it as unfinished`);
          return false;
        }
        this.limited.line('persist-end', `could not record ${what} (${(err as Error).message}); retrying`);
        await sleep(backoffMs(attempt), this.stopped.signal);
      }
    }
  }

  private skip(ev: Event, reason: SkipReason, detail: string): Promise<boolean> {
    const skipped = { t: 'skipped', id: ev.id, key: ev.key, at: this.now(), reason, detail } as const;
    this.apply(ev, skipped);
    // Alert labels are caller input: an unknown name must not become a new time series.
    const label = this.remediations.has(ev.alert.remediation) ? ev.alert.remediation : UNKNOWN_REMEDIATION;
    this.opts.metrics.actions.inc({ remediation: label, result: `skipped-${reason}` });
    const written = this.persist([skipped], `the skip of alert ${ev.alert.fingerprint}`);
    this.tasks.add(written);
    return written;
  }

  private rememberResolved(ep: string): void {
    this.resolved.delete(ep);
    this.resolved.add(ep);
    if (this.resolved.size <= MAX_RESOLVED) return;
    this.resolved.delete(this.resolved.values().next().value!);
    this.limited.line(
      'resolved-cap',
      `remembering the newest ${MAX_RESOLVED} resolved alerts only: a firing alert still queued behind an older resolved notice runs`,
    );
  }

  /** Resolved episodes held in memory. */
  get resolvedRemembered(): number {
    return this.resolved.size;
  }

  /** Applies a record to a known event, noting when that ends it. */
  private apply(ev: Event, r: Parameters<typeof applyRecord>[1]): void {
    applyRecord(ev, r);
    if (TERMINAL.has(ev.state)) this.settled(ev);
  }

  /**
   * An event ended: the newest `auditSize` ended events stay in memory for /api/actions, older
   * ones are dropped (their dedupe keys are kept). Events still queued or running always stay.
   */
  private settled(ev: Event): void {
    this.finishedOrder.push(ev.id);
    while (this.finishedOrder.length > this.auditSize) {
      const id = this.finishedOrder.shift()!;
      const old = this.events.get(id);
      if (old && TERMINAL.has(old.state)) this.events.delete(id);
    }
  }

  /** The newest `limit` events, newest first, for /api/actions. */
  recent(limit: number): AuditEntry[] {
    return [...this.events.values()].slice(-limit).reverse().map(toAuditEntry);
  }

  get queueDepth(): number {
    return this.queue.size;
  }

  /** Stops starting actions, waits for running ones up to the deadline, then aborts the rest. */
  async shutdown(deadlineMs: number): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (!(await this.tasks.settledWithin(deadlineMs)) && this.tasks.size > 0) {
      this.opts.log(`shutdown deadline passed: aborting ${this.tasks.size} running action(s); the next start audits them as interrupted`);
      this.abort.abort();
      await this.tasks.settled();
    }
  }
}
