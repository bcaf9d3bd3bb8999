// Alert windows and burn-rate factors (Google SRE Workbook, "Alerting on SLOs", multi-window,
// multi-burn-rate). The Workbook's table is for a 30-day period. For other periods we keep the
// factors and the share of budget each alert stands for, and scale the windows with the period
// (window x period / 30d, to the minute), because recomputing factors for fixed windows gives
// ticket factors below 1 for short periods: tickets for an SLO that is on track.
//
// An error ratio never exceeds 1, so a pair whose factor x budget is 1 or more can never fire:
// at 90% the Workbook's 14.4 asks for an error ratio of 1.44. Every factor is therefore capped
// so that its error ratio is at most MAX_ALERT_RATIO (docs/slos.md, "Low objectives").
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

/**
 * The highest error ratio a pair may ask for: a total outage crosses it within half the long
 * window, and an outage that fails more than half the events still alerts.
 */
export const MAX_ALERT_RATIO = 0.5;

/**
 * The Workbook's factor, or the highest one whose error ratio (factor x budget) stays within
 * MAX_ALERT_RATIO, rounded down to hundredths so the rule reads well and stays under the cap.
 */
export function cappedFactor(factor: number, budget: number): number {
  if (budget <= 0 || factor * budget <= MAX_ALERT_RATIO) return factor;
  return Math.floor(Number(((MAX_ALERT_RATIO / budget) * 100).toPrecision(12))) / 100;
}

function scale(ms: number, periodMs: number): number {
  const scaled = Math.round((ms * periodMs) / BASE_PERIOD / MINUTE_MS) * MINUTE_MS;
  return Math.max(MIN_WINDOW, scaled);
}

/** `budget`: the error budget as a ratio (0.001 for 99.9%); 0 keeps the Workbook's factors. */
export function alertTiers(periodMs: number, budget = 0): [AlertTier, AlertTier] {
  const pairs = BASE.map((b) => {
    const factor = cappedFactor(b.factor, budget);
    // A capped pair fires at a lower burn rate, so when it fires it has spent less of the budget.
    const budgetShare = factor === b.factor ? b.share : Number(((b.share * factor) / b.factor).toPrecision(3));
    return { severity: b.severity, pair: { long: scale(b.long, periodMs), short: scale(b.short, periodMs), factor, budgetShare } };
  });
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
  for (const t of tiers)
    for (const p of t.pairs) {
      set.add(p.long);
      set.add(p.short);
    }
  return [...set].sort((a, b) => a - b);
}
