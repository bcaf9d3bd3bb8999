// One replica's share of the work when the receiver's memory is PostgreSQL (store.ts).
//
// Accepting answers only after the database committed the alerts (else PersistError: 503, and
// Alertmanager retries). Running is a loop: claim what is runnable (the database decides the
// guard rails for every replica at once), run each claim while its lease lasts, renew the lease
// meanwhile, and record the outcome with the claim's generation. Every replica also ends the
// claims whose lease ran out (a replica died or stalled).
//
// The lease is kept by two clocks. The database's decides when another replica may take over;
// this process's monotonic clock decides when it must stop believing the claim is its own: the
// lease counts from before the claim (or the renewal) was sent, so a reply that arrives late,
// after a stall, never stretches it. An action does not start on a claim with less than half
// its lease left (a stall between claim and start): the claim is released, queued again.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import type { ResolvedRemediation } from '../../remediation/actions-file.js';
import { runAction, type ActionOutcome } from '../actions/index.js';
import type { AuditEntry } from '../audit.js';
import { PersistError, describe } from '../engine.js';
import { LogLimiter } from '../log-limiter.js';
import { TaskSet } from '../task-set.js';
import type { ReceiverMetrics } from '../metrics.js';
import { dedupeKey, type WebhookAlert } from '../payload.js';
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
} from '../intake.js';
import type { ActionResult } from '../store/records.js';
import { sleep } from '../actions/request.js';
import { describeDbError } from './connection.js';
import type { Claim, NewEvent, PgStore } from './store.js';

export const DEFAULT_LEASE_MS = 30_000;
/** How long finished events stay whole (audit trail): a week, as the file store keeps them. */
export const DEFAULT_RETENTION_MS = 7 * 86_400_000;
/** The shortest retention the CLI takes: below an hour the audit trail would hardly show a run. */
export const MIN_RETENTION_MS = 3_600_000;
/** How often a replica prunes (every replica does; the statements skip rows another is pruning). */
export const DEFAULT_PRUNE_EVERY_MS = 600_000;
/** The shortest lease: renewals go out every third of it, and a round trip must fit. */
export const MIN_LEASE_MS = 1000;

export interface PgEngineOptions {
  remediations: readonly ResolvedRemediation[];
  store: PgStore;
  metrics: ReceiverMetrics;
  dryRun: boolean;
  log: (line: string) => void;
  leaseMs?: number;
  /** How often the replica looks for work other replicas accepted, and for expired leases. */
  pollMs?: number;
  /** Claims this replica runs at once (each remediation's maxConcurrent holds across replicas). */
  maxRunning?: number;
  /** Finished events older than this are pruned to their dedupe keys (store.ts `prune`). */
  retentionMs?: number;
  /** How often to prune: at start, then on this tick. */
  pruneEveryMs?: number;
}

/** A name for this replica in claims and the audit log. */
export function replicaName(): string {
  return `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

const backoffMs = (n: number): number => Math.min(250 * 2 ** (n - 1), 5000);

export class PgEngine {
  private readonly remediations: Map<string, ResolvedRemediation>;
  private readonly store: PgStore;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxRunning: number;
  private readonly limited: LogLimiter;
  private readonly tasks = new TaskSet();
  /** Aborted when shutdown's deadline passes: running actions stop. */
  private readonly abort = new AbortController();
  private readonly stopped = new AbortController();
  private running = 0;
  private claiming: Promise<void> | undefined;
  private again = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private unlisten: (() => void) | undefined;
  private relisten: NodeJS.Timeout | undefined;
  private pruning: Promise<void> | undefined;

  constructor(private readonly opts: PgEngineOptions) {
    this.remediations = remediationMap(opts.remediations);
    this.store = opts.store;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = opts.pollMs ?? Math.min(1000, Math.max(100, Math.floor(this.leaseMs / 4)));
    this.maxRunning = opts.maxRunning ?? 64;
    this.limited = new LogLimiter(opts.log, Date.now);
    setMaxListeners(0, this.abort.signal, this.stopped.signal);
  }

  private readonly lookup = (name: string): ResolvedRemediation | undefined => this.remediations.get(name);

  /** The actions file reloaded (SIGHUP; this replica's view only): see replaceRemediations. */
  setRemediations(next: readonly ResolvedRemediation[]): void {
    replaceRemediations(this.remediations, next);
    if (this.timer) this.kick();
  }

  async accept(alerts: readonly WebhookAlert[]): Promise<AcceptResult> {
    const m = this.opts.metrics;
    const result: AcceptResult = { queued: 0, duplicates: 0, ignored: 0 };
    const fresh: NewEvent[] = [];
    const keys = new Set<string>();
    const resolved: string[] = [];
    for (const a of alerts) {
      const picked = admitted(a, this.remediations, result, m);
      if (a.status === 'resolved' && a.labels.remediation) resolved.push(`${a.fingerprint}|${a.startsAt}`);
      if (!picked) continue;
      const { name, rem } = picked;
      const key = dedupeKey(a);
      if (keys.has(key)) {
        countDuplicate(result, m);
        continue;
      }
      keys.add(key);
      const alert = storedAlert(a, name, m, this.limited);
      const skip = skipOf(name, rem, alert);
      fresh.push(skip ? { id: randomUUID(), key, alert, state: 'skipped', ...skip } : { id: randomUUID(), key, alert, state: 'queued' });
    }
    let stored: Set<string>;
    try {
      stored = await this.store.accept(fresh, resolved);
    } catch (err) {
      this.limited.line(
        'persist-accepted',
        `could not store ${fresh.length} alert(s) in the database, answering 503 so Alertmanager retries: ${describeDbError(err)}`,
      );
      throw new PersistError('could not persist the alerts');
    }
    for (const ev of fresh) {
      // Not stored: another replica (or an earlier delivery) stored this alert first.
      if (!stored.has(ev.id)) countDuplicate(result, m);
      else countStored(ev, result, m, this.limited);
    }
    if (result.queued > 0) {
      this.kick();
      this.notify();
    }
    return result;
  }

  /** Starts claiming and watching leases. */
  start(): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.kick();
        this.tasks.add(this.reap());
        if (!this.stopping) tick();
      }, this.pollMs);
      this.timer.unref();
    };
    tick();
    this.kick();
    const pruneTick = () => {
      this.pruneTimer = setTimeout(() => {
        this.prune();
        if (!this.stopping) pruneTick();
      }, this.opts.pruneEveryMs ?? DEFAULT_PRUNE_EVERY_MS);
      this.pruneTimer.unref();
    };
    this.prune();
    pruneTick();
    this.listen(1);
  }

  /**
   * Other replicas' queued work, as it commits (LISTEN/NOTIFY): claimed at once rather than on
   * the next poll. The poll stays: a notification can be missed while the connection is down.
   */
  private listen(attempt: number): void {
    if (this.stopping) return;
    const again = (err: unknown) => {
      this.unlisten = undefined;
      if (this.stopping) return;
      this.limited.line('listen', `not notified of other replicas' work (polling meanwhile): ${describeDbError(err)}`);
      this.relisten = setTimeout(() => this.listen(attempt + 1), backoffMs(attempt));
      this.relisten.unref();
    };
    // Tracked, so a shutdown waits for the connection before the pool closes.
    const listening = this.store.listen(() => this.kick(), again);
    this.tasks.add(listening);
    listening.then((stop) => {
      if (this.stopping) stop();
      else {
        this.unlisten = stop;
        attempt = 1;
      }
    }, again);
  }

  /** Wakes the other replicas; the poll covers a notification that fails. */
  private notify(): void {
    this.tasks.add(this.store.notifyWork());
  }

  /** One retention pass unless one is under way; failures are logged and retried on the next tick. */
  private prune(): void {
    if (this.stopping || this.pruning) return;
    const retentionMs = this.opts.retentionMs ?? DEFAULT_RETENTION_MS;
    this.pruning = this.store.prune(retentionMs).then(
      (r) => {
        this.opts.metrics.pruned.inc({ what: 'events' }, r.pruned);
        this.opts.metrics.pruned.inc({ what: 'episodes' }, r.episodes);
        if (r.pruned + r.episodes > 0)
          this.opts.log(
            `retention: ${r.pruned} event(s) finished over ${retentionMs / 1000}s ago pruned to their dedupe keys; ${r.episodes} resolved episode(s) forgotten`,
          );
      },
      (err: unknown) => this.limited.line('prune', `could not prune old events in the database (retrying): ${describeDbError(err)}`),
    );
    const done = this.pruning.finally(() => {
      this.pruning = undefined;
    });
    this.tasks.add(done);
  }

  /** Whether the database answers (for /readyz). */
  async ready(): Promise<boolean> {
    try {
      await this.store.ping();
      return true;
    } catch {
      return false;
    }
  }

  recent(limit: number): Promise<AuditEntry[]> {
    return this.store.recent(limit);
  }

  queueDepth(): Promise<number> {
    return this.store.queueDepth();
  }

  /** One claim round at a time; a kick during one runs another after it. */
  private kick(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimRound().finally(() => {
      this.claiming = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async claimRound(): Promise<void> {
    for (;;) {
      const free = this.maxRunning - this.running;
      if (free <= 0 || this.stopping) return;
      const sent = performance.now();
      let result;
      try {
        result = await this.store.claim(free, this.leaseMs, this.lookup);
      } catch (err) {
        this.limited.line('claim', `could not claim remediations from the database (retrying): ${describeDbError(err)}`);
        return;
      }
      // A start clears the halt, a cap skip sets it; in a round, the starts come before the cap.
      for (const claim of result.claimed) {
        if (!claim.interrupted) this.opts.metrics.halted.set({ remediation: claim.alert.remediation }, 0);
      }
      for (const s of result.skipped) {
        const label = this.remediations.has(s.remediation) ? s.remediation : UNKNOWN_REMEDIATION;
        this.opts.metrics.actions.inc({ remediation: label, result: `skipped-${s.reason}` });
        if (s.reason === 'cooldown') this.opts.metrics.cooldownSkips.inc({ remediation: s.remediation });
        if (s.reason === 'hourly-cap') {
          const rem = this.remediations.get(s.remediation);
          this.opts.metrics.capSkips.inc({ remediation: s.remediation });
          this.opts.metrics.halted.set({ remediation: s.remediation }, 1);
          // The file engine's words (engine.ts), so one alert rule and one log search fit both stores.
          this.limited.line(
            `hourly-cap:${s.remediation}`,
            `remediation ${s.remediation} reached ${rem?.maxPerHour ?? '?'} runs in the last hour: not running it for alert ${s.fingerprint} (a remediation loop?)`,
          );
        }
      }
      for (const claim of result.claimed) {
        this.running++;
        this.opts.metrics.running.set(this.running);
        this.tasks.add(
          this.run(claim, sent).finally(() => {
            this.running--;
            this.opts.metrics.running.set(this.running);
            this.kick();
          }),
        );
      }
      if (result.claimed.length < free && result.skipped.length === 0) return;
    }
  }

  private async reap(): Promise<void> {
    if (this.stopping) return;
    try {
      const r = await this.store.reapExpired(this.lookup);
      for (const e of r.interrupted) {
        this.opts.metrics.actions.inc({
          remediation: this.remediations.has(e.remediation) ? e.remediation : UNKNOWN_REMEDIATION,
          result: 'skipped-interrupted',
        });
      }
      const n = r.interrupted.length + r.requeued.length;
      if (n > 0) {
        this.opts.log(
          `${n} claim(s) of other replicas expired (they died or stalled mid-action): ${r.interrupted.length} audited as interrupted, ${r.requeued.length} queued again (retryInterrupted)`,
        );
        if (r.requeued.length > 0) {
          this.kick();
          this.notify();
        }
      }
      this.opts.metrics.queueDepth.set(await this.store.queueDepth());
    } catch (err) {
      this.limited.line('reap', `could not check the database for expired claims (retrying): ${describeDbError(err)}`);
    }
  }

  private async run(claim: Claim, sentAt: number): Promise<void> {
    const rem = this.remediations.get(claim.alert.remediation);
    if (!rem) {
      // Removed by a reload while the claim was on its way: queued again, the next claim skips it as unknown.
      if (await this.store.release(claim, 'its remediation was removed from the actions file', 0).catch(() => false)) this.notify();
      return;
    }
    // The lease as this process must assume it: counted from before the claim was sent.
    let deadline = sentAt + this.leaseMs;
    const lost = new AbortController();
    const loseClaim = (why: string) => {
      if (lost.signal.aborted) return;
      this.opts.log(`remediation ${rem.name} for alert ${claim.alert.fingerprint}: ${why}; stopping it, recording nothing`);
      lost.abort();
    };
    if (performance.now() > sentAt + this.leaseMs / 2) {
      // Stalled between the claim and the start: too little lease left to start safely.
      if (await this.store.release(claim, 'not started: the claim took too long to arrive', 0).catch(() => false)) this.notify();
      return;
    }
    const renewals = setInterval(
      () => {
        const sent = performance.now();
        if (sent > deadline) return loseClaim('its lease ran out before it could be renewed');
        this.store.renew(claim, this.leaseMs).then(
          (ok) => {
            if (ok) deadline = Math.max(deadline, sent + this.leaseMs);
            else loseClaim('another replica took its claim over (its lease had run out)');
          },
          (err: unknown) => this.limited.line('renew', `could not renew a claim's lease (retrying): ${describeDbError(err)}`),
        );
      },
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    renewals.unref();
    try {
      const dryRun = this.opts.dryRun || rem.dryRun;
      const t0 = performance.now();
      let outcome: ActionOutcome;
      if (dryRun) {
        outcome = { ok: true, detail: `dry run: would ${describe(rem)}` };
      } else {
        try {
          outcome = await runAction(rem.action, {
            id: claim.id,
            alert: claim.alert,
            signal: AbortSignal.any([this.abort.signal, lost.signal]),
          });
        } catch (err) {
          outcome = { ok: false, detail: `action failed: ${(err as Error).message}` };
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      if (this.abort.signal.aborted || lost.signal.aborted) return; // audited as interrupted by whoever reaps the lease
      const result: ActionResult = dryRun ? 'dry-run' : outcome.ok ? 'success' : 'failure';
      this.opts.metrics.actions.inc({ remediation: rem.name, result });
      this.opts.metrics.duration.observe({ remediation: rem.name, result }, seconds);
      if (!outcome.ok) this.opts.log(`remediation ${rem.name} failed for alert ${claim.alert.fingerprint}: ${outcome.detail}`);
      // Retried while the lease is ours: once it is gone, another replica audits the event.
      for (let attempt = 1; !lost.signal.aborted; attempt++) {
        try {
          if (!(await this.store.finish(claim, result, outcome.detail, seconds * 1000))) {
            loseClaim('another replica took its claim over before its result was recorded');
          }
          return;
        } catch (err) {
          if (this.stopping || performance.now() > deadline) {
            this.opts.log(
              `could not record the result of ${rem.name} for alert ${claim.alert.fingerprint} (${describeDbError(err)}); another replica audits it as interrupted`,
            );
            return;
          }
          this.limited.line('finish', `could not record a result (retrying): ${describeDbError(err)}`);
          await sleep(backoffMs(attempt), this.stopped.signal).catch(() => {});
        }
      }
    } finally {
      clearInterval(renewals);
    }
  }

  /** Stops claiming, waits for running actions up to the deadline, then aborts them; closes the pool. */
  async shutdown(deadlineMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    clearTimeout(this.pruneTimer);
    clearTimeout(this.relisten);
    this.unlisten?.();
    this.unlisten = undefined;
    await this.claiming;
    if (!(await this.tasks.settledWithin(deadlineMs)) && this.tasks.size > 0) {
      this.opts.log(`shutdown deadline passed: aborting ${this.running} running action(s); another replica audits them as interrupted`);
      this.abort.abort();
    }
    this.stopped.abort();
    await this.tasks.settled();
  }
}
