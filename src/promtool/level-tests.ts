// Scenarios for thresholds compared with their levels as they are (expr, percentile, ratio).
import type { Severity } from '../conventions.js';
import type { ThresholdModel } from '../model/types.js';
import type { Tri } from './alert-timeline.js';
import { stepsOf, TEST_INTERVAL_MS } from './notation.js';
import { phaseCondition, type Oriented, type Region, type RegionDriver } from './regions.js';
import type { Scenario } from './scenario.js';

/** Steps of a phase past what its checks need: the last candidate (start + n - 2) then lies past them. */
const MARGIN = 3;

/**
 * quiet -> warning -> critical -> quiet -> a spike shorter than `for` -> quiet: critical fires
 * above its level after `for`, only warning between the levels, nothing below or on the spike,
 * and keep_firing_for holds the alert after recovery (under a rate window, the recovery floods
 * the window with quiet traffic, so the value falls at once and only keep_firing_for holds it).
 */
export function levelScenario(th: ThresholdModel, o: Oriented, d: RegionDriver): Scenario {
  const F = stepsOf(th.forMs, TEST_INTERVAL_MS);
  const K = stepsOf(th.keepFiringForMs, TEST_INTERVAL_MS);
  const L = d.lagSteps;
  const top: Region = o.levels.critical !== undefined ? 'critical' : 'warning';
  // Each phase lasts what its last candidate below needs (start + F + L + 2, start + K + L + 2)
  // and a few steps more: every step costs an evaluation of all of the service's rules.
  const phases: Array<[Region, number]> = [['quiet', L + MARGIN]];
  if (o.levels.warning !== undefined) phases.push(['warning', F + L + MARGIN]);
  if (o.levels.critical !== undefined) phases.push(['critical', F + L + MARGIN]);
  phases.push(['quiet', K + L + MARGIN]);
  const spike = F - L - 2;
  if (spike >= 1) phases.push([top, spike], ['quiet', F + L + MARGIN]);
  const regions: Region[] = phases.flatMap(([r, n]) => Array<Region>(n).fill(r));
  const candidates: number[] = [];
  let start = 0;
  for (const [, n] of phases) {
    candidates.push(start + 1, start + F - 1, start + F + L + 2, start + K - 1, start + K + L + 2, start + n - 2);
    start += n;
  }
  // keep_firing_for shorter than a rate window would hold the alert only inside the window's lag,
  // where the condition is unknown: so the first L steps of quiet after an alarm carry a flood
  // of quiet traffic, the value falls at once, and the alert is held by keep_firing_for alone.
  const recover = d.floods === true && K > 0 && L > 0;
  const afterAlarm = regions.map((r, i) => r === 'quiet' && regions.slice(0, i).some((x) => x !== 'quiet'));
  const runStart = regions.map((_, i) => {
    let j = i;
    while (j > 0 && regions[j - 1] === regions[i]) j--;
    return j;
  });
  const flooded = regions.map((_, i) => recover && afterAlarm[i]! && i - runStart[i]! < L);
  const cond: Partial<Record<Severity, Tri[]>> = {};
  for (const sev of o.severities) {
    // While a flood is in the window, and after it, the window holds no alarm traffic's weight.
    cond[sev] = phaseCondition(regions, sev, L).map((c, i) => (recover && afterAlarm[i] ? false : c));
  }
  const spikeText = spike >= 1 ? `, not on a ${spike}m spike` : '';
  return {
    name: `fires after ${th.for ?? '0s'} beyond each level, only warning between them, nothing below${spikeText}`,
    stepMs: TEST_INTERVAL_MS,
    inputs: d.inputs(regions, recover ? flooded : undefined),
    cond,
    candidates: candidates.filter((i) => i > 0 && i < regions.length - 1),
    labels: { ...th.labels, ...d.labels },
  };
}
