// A free-form threshold expression (`avg(rate(x{job="a"}[5m])) * 100`) cannot be inverted, so its
// level scenarios feed the recorded threshold:value:measured itself and never read the
// expression's inputs. This group feeds those inputs instead, with decoys beside them (another
// `job`, ...), and checks that the recording holds what the expression itself gives: a recording
// that lost a matcher reads the decoys, and one whose range was changed reads the inputs' change
// of rate at another time, so either differs from the expression as written.
import { MINUTE_MS, parseDuration } from '../config/duration.js';
import { THRESHOLD_RECORD } from '../conventions.js';
import type { ServiceModel, ThresholdModel } from '../model/types.js';
import { parseSelector, type Selector } from '../promql/parse.js';
import { exprSelectors } from '../promql/reads.js';
import { inventSeries, seriesText } from '../promql/series.js';
import { parseTree } from '../promql/tree.js';
import { measuredExpr, thresholdSelector } from '../prometheus/threshold-rules.js';
import { decoySeries } from './decoys.js';
import type { InputSeries, PromqlExprTest, TestGroup } from './file.js';
import { at } from './notation.js';

/** Minutes of slow growth before the inputs speed up ten times. */
const CHANGE_MIN = 10;
/** Ranges longer than this are not tested here: the group runs at one-minute steps. */
const MAX_RANGE_MIN = 60;
/** Per-minute growth of the inputs before and after the change, and of every decoy until its fall. */
const SLOW = 10;
const FAST = 100;
const DECOY = 1000;

/** The ranges of the expression's range selectors (`[5m]`), in minutes. */
function rangesOf(expr: string): number[] {
  const out = new Set<number>();
  parseTree(expr).iterate({
    enter(ref) {
      if (ref.name !== 'MatrixSelector') return true;
      const range = ref.node.lastChild;
      const ms = range ? parseDuration(expr.slice(range.from, range.to)) : undefined;
      if (ms !== undefined && ms % MINUTE_MS === 0) out.add(ms / MINUTE_MS);
      return true;
    },
  });
  return [...out].sort((a, b) => a - b);
}

/** Whether the threshold's level scenarios feed the recorded value rather than its inputs. */
function fedRecorded(th: ThresholdModel): boolean {
  const m = th.measure;
  return m.kind === 'expr' || m.kind === 'predict' || m.kind === 'anomaly';
}

/** `0 10 20 ... 100 200 ...`: growth of SLOW a minute, then FAST from CHANGE_MIN on, for `steps` minutes. */
function changingValues(steps: number): string {
  return `0+${SLOW}x${CHANGE_MIN} ${SLOW * CHANGE_MIN + FAST}+${FAST}x${steps - CHANGE_MIN - 1}`;
}

/**
 * One group for every threshold of the service whose level scenarios feed its recorded value:
 * each selector of its expression gets a series it matches and a decoy per matcher, and the
 * recording must equal the expression at one minute per range of the expression (that range
 * then reads only fast growth; four times that range, the slow growth too) and at the last
 * minute, after the decoys' fall. A NaN or empty
 * expression asserts nothing (NaN > x is false), so the check never fails the right rules.
 */
export function expressionGroup(svc: ServiceModel): TestGroup | undefined {
  const subjects: Array<{ th: ThresholdModel; expr: string; checks: number[] }> = [];
  const fed = new Map<string, string>();
  for (const th of svc.thresholds.filter(fedRecorded)) {
    const expr = measuredExpr(th);
    const selectors = exprSelectors(expr)
      .map((t) => parseSelector(t))
      .filter((s): s is Selector => typeof s !== 'string');
    if (selectors.length === 0) continue;
    const series = selectors.flatMap((sel) => {
      const real = inventSeries([sel]);
      return typeof real === 'string' ? [] : [{ s: real, decoy: false }, ...decoySeries(sel, []).map((d) => ({ s: d, decoy: true }))];
    });
    if (series.length === 0) continue;
    const ranges = rangesOf(expr).filter((r) => r <= MAX_RANGE_MIN);
    const checks = ranges.length > 0 ? ranges.map((r) => CHANGE_MIN + r + 2) : [CHANGE_MIN + 2];
    for (const { s, decoy } of series) if (!fed.has(seriesText(s)) || !decoy) fed.set(seriesText(s), decoy ? 'decoy' : 'real');
    subjects.push({ th, expr, checks });
  }
  if (subjects.length === 0) return undefined;
  const steps = Math.max(...subjects.flatMap((x) => x.checks)) + 4;
  // The decoys grow far faster than the inputs, so a sum or max that reads them differs; in the
  // last minutes they fall below zero, so a min that reads them differs at the last check.
  const input: InputSeries[] = [...fed].map(([series, role]) => ({
    series,
    values: role === 'real' ? changingValues(steps) : `0+${DECOY}x${steps - 3} -${DECOY}+0x2`,
  }));
  const tests: PromqlExprTest[] = subjects.flatMap(({ th, expr, checks }) => {
    const recorded = `sum(${THRESHOLD_RECORD.value}${thresholdSelector(svc, th)})`;
    const own = `sum(${expr})`;
    return [...new Set([...checks, steps - 1])].map((minute) => ({
      expr: `abs(${recorded} - ${own}) > 1e-9 * abs(${own})`,
      eval_time: at(minute * MINUTE_MS),
      exp_samples: [],
    }));
  });
  const names = subjects.map((x) => x.th.name).join(', ');
  return {
    name: `${svc.name} thresholds: the recorded value of ${names} is its expression's, with decoys beside the inputs`,
    interval: at(MINUTE_MS),
    input_series: input,
    promql_expr_test: tests,
  };
}
