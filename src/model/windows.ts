// Alert windows and burn-rate factors (Google SRE Workbook, "Alerting on SLOs", multi-window,
// multi-burn-rate). The Workbook's table is for a 30-day period. For other periods we keep the
// factors and the share of budget each alert stands for, and scale the windows with the period
// (window x period / 30d, to the minute), because recomputing factors for fixed windows gives
// ticket factors below 1 for short periods: tickets for an SLO that is on track.
import { DAY_MS, MINUTE_MS } from '../config/duration.js';

import type { Severity } from '../conventions.js';

export type { Severity };

export interface WindowPair {
  long: number;
  short: number;
  factor: number;
  /** Share of the period's error budget spent when this pair starts firing. */
  budgetShare: number;
}

export interface AlertTier {
  severity: Severity;
  pairs: [WindowPair, WindowPair];
}

const BASE_PERIOD = 30 * DAY_MS;
const H = 60 * MINUTE_MS;

const BASE: ReadonlyArray<{ severity: Severity; long: number; short: number; factor: number; share: number }> = [
  { severity: 'critical', long: 1 * H, short: 5 * MINUTE_MS, factor: 14.4, share: 0.02 },
  { severity: 'critical', long: 6 * H, short: 30 * MINUTE_MS, factor: 6, share: 0.05 },
  { severity: 'warning', long: 24 * H, short: 2 * H, factor: 3, share: 0.1 },
  { severity: 'warning', long: 72 * H, short: 6 * H, factor: 1, share: 0.1 },
];

/** Rates are never taken over less than this: four 1m scrapes, or it is noise. */
export const MIN_WINDOW = 5 * MINUTE_MS;

function scale(ms: number, periodMs: number): number {
  const scaled = Math.round((ms * periodMs) / BASE_PERIOD / MINUTE_MS) * MINUTE_MS;
  return Math.max(MIN_WINDOW, scaled);
}

export function alertTiers(periodMs: number): [AlertTier, AlertTier] {
  const pairs = BASE.map((b) => ({
    severity: b.severity,
    pair: { long: scale(b.long, periodMs), short: scale(b.short, periodMs), factor: b.factor, budgetShare: b.share },
  }));
  const tier = (sev: Severity): AlertTier => {
    const p = pairs.filter((x) => x.severity === sev).map((x) => x.pair);
    return { severity: sev, pairs: [p[0]!, p[1]!] };
  };
  return [tier('critical'), tier('warning')];
}

/**
 * Windows read straight from the raw counters: the page tier's short windows (they decide when
 * a page resets) and its fastest long window (it decides how soon a fast burn pages). Every other
 * window is derived from the recorded base-window rates, which is far cheaper and only lags by
 * about half the base window, on windows of hours.
 */
export function rawWindows(tiers: readonly AlertTier[]): number[] {
  const page = tiers.find((t) => t.severity === 'critical')!;
  return [...new Set([page.pairs[0].short, page.pairs[1].short, page.pairs[0].long])].sort((a, b) => a - b);
}

/** The shortest window: its error and total rates are recorded and every derived window sums them. */
export function baseWindow(tiers: readonly AlertTier[]): number {
  return Math.min(...tiers.flatMap((t) => t.pairs.flatMap((p) => [p.short, p.long])));
}

export function allWindows(tiers: readonly AlertTier[], periodMs: number): number[] {
  const set = new Set<number>([periodMs]);
  for (const t of tiers) for (const p of t.pairs) { set.add(p.long); set.add(p.short); }
  return [...set].sort((a, b) => a - b);
}
