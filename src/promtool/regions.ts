// A threshold scenario as a sequence of regions (quiet, between the levels, beyond critical),
// and which alert each region should fire, with the levels turned so "alarm" means "greater".
import type { Severity } from '../conventions.js';
import type { ThresholdModel } from '../model/types.js';
import type { Tri } from './alert-timeline.js';
import type { InputSeries } from './file.js';

export type Region = 'quiet' | 'warning' | 'critical';

/** Levels turned so that "alarm" always means "greater than": direction below negates. */
export interface Oriented {
  sign: 1 | -1;
  levels: Partial<Record<Severity, number>>;
  /** The defined severities, least severe first. */
  severities: Severity[];
}

export function oriented(th: ThresholdModel): Oriented {
  const sign = th.direction === 'below' ? -1 : 1;
  const levels: Partial<Record<Severity, number>> = {};
  const severities: Severity[] = [];
  // Anomaly levels are scores that already point in the alarm direction.
  const turn = (v: number) => (th.measure.kind === 'anomaly' ? v : sign * v);
  if (th.warning !== undefined) {
    levels.warning = turn(th.warning);
    severities.push('warning');
  }
  if (th.critical !== undefined) {
    levels.critical = turn(th.critical);
    severities.push('critical');
  }
  return { sign, levels, severities };
}

export function regionFires(region: Region, sev: Severity): boolean {
  return sev === 'critical' ? region === 'critical' : region !== 'quiet';
}

/** Oriented values inside each region, clear of the levels, within [lo, hi] when given. */
export function regionValues(o: Oriented, lo = -Infinity, hi = Infinity): Record<Region, number> {
  const ls = o.severities.map((s) => o.levels[s]!);
  const l1 = ls[0]!;
  const l2 = ls[ls.length - 1]!;
  const gap = ls.length === 2 ? l2 - l1 : Math.abs(l1) / 2 || 1;
  const quiet = Number.isFinite(lo) ? (lo + l1) / 2 : l1 - (l1 > 0 ? Math.min(gap, l1 / 2) : gap);
  // Close to the last level, so that a level moved up (5% written as 50%) is caught too.
  const beyond = Number.isFinite(hi) ? Math.min(l2 + gap, (l2 + hi) / 2) : l2 + gap;
  return { quiet, warning: ls.length === 2 ? (l1 + l2) / 2 : beyond, critical: beyond };
}

/** Whether an alert's condition holds at each step, unknown where a rate window mixes regions. */
export function phaseCondition(regions: readonly Region[], sev: Severity, lag: number): Tri[] {
  return regions.map((_, i) => {
    const seen = new Set(regions.slice(Math.max(0, i - lag), i + 1).map((r) => regionFires(r, sev)));
    return seen.size === 1 ? [...seen][0]! : undefined;
  });
}

/** Turns regions into input series that put the measured value in each region. */
export interface RegionDriver {
  /** Evaluations after a change of region during which the value mixes old and new (rate windows). */
  lagSteps: number;
  /**
   * `flooded` marks steps whose traffic, at that step's region, drowns all else in the rate
   * window (a driver that can, `floods`): the value is then the region's from that step on.
   */
  inputs(regions: readonly Region[], flooded?: readonly boolean[]): InputSeries[];
  /** Whether `inputs` can flood a step, so that a change of region needs no lag. */
  floods?: boolean;
  /** Labels of the compared series besides the threshold's own. */
  labels: Record<string, string>;
}
