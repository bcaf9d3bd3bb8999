// promtool tests proving each threshold's alerts and each no-data alert. Inputs are the series
// the user's selectors match (shorthands) or the recorded threshold:value:measured (free-form `expr`,
// whose inputs cannot be inverted in general). The expected states come from a model of the
// rule (see alert-timeline.ts); tests assert only where that model is certain.
import type { ServiceModel, ThresholdModel } from '../model/types.js';
import { parseSelector } from '../promql/parse.js';
import { yieldsWithoutInputs } from '../promql/reads.js';
import { gaugeDriver, percentileDriver, ratioDriver } from './drivers.js';
import { anomalyScenarios } from './anomaly-tests.js';
import { levelScenario } from './level-tests.js';
import { addGroups, type GroupsByInterval } from './notation.js';
import { predictScenario } from './predict-tests.js';
import { oriented } from './regions.js';
import { buildScenario, pack, type Built, type Scenario } from './scenario.js';

function thresholdScenarios(svc: ServiceModel, th: ThresholdModel): Scenario[] {
  const o = oriented(th);
  const m = th.measure;
  const fed = m.kind === 'expr' ? m.expr : m.kind === 'predict' || m.kind === 'anomaly' ? m.series : undefined;
  // An expression that yields data without inputs (`... or vector(0)`) would collide with the
  // threshold:value:measured a test feeds, so it gets no scenario.
  if (fed !== undefined && typeof parseSelector(fed) === 'string' && yieldsWithoutInputs(fed)) return [];
  switch (m.kind) {
    case 'anomaly':
      return anomalyScenarios(th, o);
    case 'predict':
      return [predictScenario(svc, th, o)];
    case 'percentile':
      return [levelScenario(th, o, percentileDriver(th, o))];
    case 'ratio':
      return [levelScenario(th, o, ratioDriver(th, o))];
    case 'expr':
      return [levelScenario(th, o, gaugeDriver(th, o, m.expr))];
  }
}

/** Tests for a service's thresholds (their no-data alerts are nodata-tests.ts'). */
export function thresholdTests(svc: ServiceModel): GroupsByInterval {
  const built: Built[] = [];
  for (const th of svc.thresholds) {
    for (const sc of thresholdScenarios(svc, th)) {
      const b = buildScenario(svc, th, sc);
      if (b) built.push(b);
    }
  }
  // A scenario's step is its evaluation interval: it goes to that interval's file.
  const out: GroupsByInterval = new Map();
  for (const step of [...new Set(built.map((b) => b.stepMs))].sort((a, b) => a - b)) {
    addGroups(
      out,
      step,
      pack(
        svc,
        built.filter((b) => b.stepMs === step),
      ),
    );
  }
  // The expression group (expression-tests.ts) is the caller's.
  return out;
}
