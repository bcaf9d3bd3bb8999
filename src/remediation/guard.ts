// Guard rails per remediation: a cooldown between runs and a cap on runs per hour. The cap is a
// loop breaker: when a remediation keeps firing, the fix is not working, and running it again
// and again (restarting, scaling) tends to make things worse.
import type { ResolvedRemediation } from './actions-file.js';

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

  recordStart(name: string, status: string, at: number): void {
    if (status === 'firing') this.lastFiringStart.set(name, Math.max(at, this.lastFiringStart.get(name) ?? 0));
    const list = this.starts.get(name) ?? [];
    list.push(at);
    this.starts.set(name, list);
  }

  private recentStarts(name: string, now: number): number[] {
    const kept = (this.starts.get(name) ?? []).filter((t) => now - t < HOUR_MS);
    this.starts.set(name, kept);
    return kept;
  }
}
