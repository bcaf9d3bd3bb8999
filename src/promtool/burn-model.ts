// What the burn-rate rules compute for a scenario of the days or steady file (samples every 5
// minutes, rules evaluated every `evalMin`: hours), re-done in TypeScript so a test knows each tier's state at every
// evaluation and asserts it only where it is certain. Raw windows read the counters (a rate
// over the samples in the window: its increase, the same extrapolation on both sides of the
// ratio); derived windows sum the base window's recorded rates at each evaluation inside them. A gauge SLI (probe success) counts each sample as one event.
import { MINUTE_MS } from '../config/duration.js';
import { InternalError } from '../errors.js';
import { memoByKey } from '../promql/memo.js';
import type { SloPlan } from '../model/types.js';
import type { Tri } from './alert-timeline.js';
import type { Phase } from './notation.js';

/** How far from a factor a window's burn rate must lie for the model to call the comparison. */
const CERTAIN = 0.03;

export interface BurnModel {
  /** Whether the tier (0 page, 1 ticket) fires at `minute`, or undefined when too close to call. */
  tier(tier: 0 | 1, minute: number): Tri;
}

/**
 * `phases` as the scenario feeds them, `sampleMin` apart; `evalMin` the rule evaluation interval;
 * `gauge` for a probe's 0..1 samples (each one event) rather than counters.
 */
export function burnModel(plan: SloPlan, phases: readonly Phase[], sampleMin: number, evalMin: number, gauge: boolean): BurnModel {
  return sharedModel({ plan, phases, sampleMin, evalMin, gauge });
}

interface ModelInputs {
  plan: SloPlan;
  phases: readonly Phase[];
  sampleMin: number;
  evalMin: number;
  gauge: boolean;
}

/**
 * Models by everything they read: SLOs of the same objective and window plan fed the same phases
 * (every service of a fleet built from one template) share one, instead of each summing a
 * 30-day series of samples again. A model's answers are a pure function of its inputs.
 */
const sharedModel = memoByKey(
  ({ plan: { budget, tiers, windows, rawWindows }, phases, sampleMin, evalMin, gauge }: ModelInputs) =>
    JSON.stringify([budget, tiers, windows, rawWindows, phases, sampleMin, evalMin, gauge]),
  (i: ModelInputs) => buildBurnModel(i.plan, i.phases, i.sampleMin, i.evalMin, i.gauge),
  1_000,
);

function buildBurnModel(plan: SloPlan, phases: readonly Phase[], sampleMin: number, evalMin: number, gauge: boolean): BurnModel {
  // Sample k (at k x sampleMin): a counter's increment since sample k-1, or a gauge's value as
  // events (total) and failed events (errors). Sample 0 is a counter's 0 or the first phase's value.
  const total: number[] = [];
  const errors: number[] = [];
  const push = (p: Phase) => {
    if (gauge) {
      total.push(p.total > 0 ? 1 : 0);
      errors.push(p.total > 0 ? p.errors / p.total : 0);
    } else {
      total.push(p.total);
      errors.push(p.errors);
    }
  };
  if (gauge && phases[0]) push(phases[0]);
  else {
    total.push(0);
    errors.push(0);
  }
  for (const p of phases) for (let i = 0; i < Math.ceil(p.minutes / sampleMin); i++) push(p);

  // Running totals, so that a window's sums are one subtraction: a 30-day window would otherwise
  // add up 8,640 samples at every evaluation, for every tier of every scenario (the hottest spot of
  // generate at 1,000 services). Counters' increments are whole numbers, exact in any order.
  const errorsUpTo = [0];
  const totalUpTo = [0];
  for (let k = 0; k < total.length; k++) {
    errorsUpTo.push(errorsUpTo[k]! + errors[k]!);
    totalUpTo.push(totalUpTo[k]! + total[k]!);
  }
  /** Errors and events a raw window of `w` minutes sees at `t`. */
  const raw = (w: number, t: number): [number, number] => {
    const first = Math.max(0, Math.ceil((t - w) / sampleMin) * sampleMin);
    // A counter's rate needs two samples and counts what grew after the first; a gauge counts every sample.
    const from = gauge ? first / sampleMin : first / sampleMin + 1;
    const to = Math.min(Math.floor(t / sampleMin), total.length - 1);
    if (to < from) return [0, 0];
    return [errorsUpTo[to + 1]! - errorsUpTo[from]!, totalUpTo[to + 1]! - totalUpTo[from]!];
  };
  const rawMin = new Set(plan.rawWindows.map((ms) => ms / MINUTE_MS));
  const baseMin = Math.min(...plan.windows) / MINUTE_MS;
  // The base window's errors and events recorded at each evaluation (at j x evalMin), summed up
  // to each j, so a derived window is one subtraction too. Grown as later evaluations are asked.
  const baseErrorsUpTo = [0];
  const baseTotalUpTo = [0];
  const recordedUpTo = (j: number) => {
    for (let k = baseErrorsUpTo.length - 1; k <= j; k++) {
      const [e, n] = raw(baseMin, k * evalMin);
      baseErrorsUpTo.push(baseErrorsUpTo[k]! + e);
      baseTotalUpTo.push(baseTotalUpTo[k]! + n);
    }
  };
  const ratio = (w: number, t: number): number | undefined => {
    let e = 0;
    let n = 0;
    if (rawMin.has(w) || w === baseMin) [e, n] = raw(w, t);
    else {
      // Rules run only at evaluations, and the tests ask the model only there.
      if (t % evalMin !== 0) throw new InternalError(`the burn model asked at minute ${t}, between evaluations every ${evalMin}m`);
      // The evaluations from t back to max(0, t - w): j from that bound's step up to t's.
      const last = t / evalMin;
      const first = Math.max(0, Math.ceil((t - w) / evalMin));
      recordedUpTo(last);
      e = baseErrorsUpTo[last + 1]! - baseErrorsUpTo[first]!;
      n = baseTotalUpTo[last + 1]! - baseTotalUpTo[first]!;
    }
    return n > 0 ? e / n : undefined;
  };
  const above = (w: number, t: number, factor: number): Tri => {
    const r = ratio(w, t);
    if (r === undefined) return false;
    const burn = r / plan.budget;
    if (burn > factor * (1 + CERTAIN)) return true;
    if (burn < factor * (1 - CERTAIN)) return false;
    return undefined;
  };
  return {
    tier(tier, minute) {
      let unknown = false;
      for (const p of plan.tiers[tier].pairs) {
        const l = above(p.long / MINUTE_MS, minute, p.factor);
        const s = above(p.short / MINUTE_MS, minute, p.factor);
        if (l === true && s === true) return true;
        if (l !== false && s !== false) unknown = true;
      }
      return unknown ? undefined : false;
    },
  };
}
