// Guard rails per remediation: a cooldown between runs and a cap on runs per hour. The cap is a
// loop breaker: when a remediation keeps firing, the fix is not working, and running it again
// and again (restarting, scaling) tends to make things worse.
import type { ResolvedRemediation } from '../remediation/actions-file.js';

export const HOUR_MS = 3_600_000;

export type GuardDecision = 'run' | 'cooldown' | 'hourly-cap';

export class GuardRails {
  private readonly lastFiringStart = new Map<string, number>();
  private readonly starts = new Map<string, number[]>();

  /** Cooldown applies to firing runs only, so a resolved run right after its firing run still happens. */
  decide(rem: ResolvedRemediation, status: string, now: number): GuardDecision {
    const last = this.lastFiringStart.get(rem.name);
    if (status === 'firing' && last !== undefined && now - last < rem.cooldownMs) return 'cooldown';
    if (this.recentStarts(rem.name, now).length >= rem.maxPerHour) return 'hourly-cap';
    return 'run';
  }

  /** Charges a run; the returned function takes the charge back (the run could not start after all). */
  recordStart(name: string, status: string, at: number): () => void {
    const lastBefore = this.lastFiringStart.get(name);
    if (status === 'firing') this.lastFiringStart.set(name, Math.max(at, lastBefore ?? 0));
    const list = this.starts.get(name) ?? [];
    list.push(at);
    this.starts.set(name, list);
    return () => {
      const now = this.starts.get(name) ?? [];
      const i = now.lastIndexOf(at);
      if (i >= 0) now.splice(i, 1);
      // Restore only when no later run was charged since.
      if (status !== 'firing' || this.lastFiringStart.get(name) !== at) return;
      if (lastBefore === undefined) this.lastFiringStart.delete(name);
      else this.lastFiringStart.set(name, lastBefore);
    };
  }

  private recentStarts(name: string, now: number): number[] {
    const kept = (this.starts.get(name) ?? []).filter((t) => now - t < HOUR_MS);
    this.starts.set(name, kept);
    return kept;
  }
}
