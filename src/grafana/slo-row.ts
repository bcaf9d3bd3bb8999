// One row per SLO, read entirely from the recordings the Prometheus target writes, so a panel
// costs a lookup of a few low-cardinality series however long the period.
import {
  BigValueColorMode,
  BigValueGraphMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  ReduceDataOptionsBuilder,
  StatPanel,
  units,
} from './sdk.js';
import { formatDuration } from '../config/duration.js';
import { LABEL, RECORD } from '../conventions.js';
import { matcherText } from '../promql/labels.js';
import type { ServiceModel, SloModel, SloPlan } from '../model/types.js';
import { formatNumber } from '../promql/number.js';
import { sloSelector } from '../prometheus/slo-rules.js';
import { steps, UNIT_BURN_RATE, type Layout, type Step, timeseries } from './panels.js';

/** Budget left: red once spent, amber in its last quarter. */
export const BUDGET_STEPS: Step[] = [
  { value: null, color: 'red' },
  { value: 0, color: 'orange' },
  { value: 0.25, color: 'green' },
];

const BURN_COLORS = ['yellow', 'orange', 'red', 'dark-red'];

/** One coloured line per alert factor, from the ticket tier's slowest to the page tier's fastest. */
export function burnRateSteps(plan: SloPlan): Step[] {
  const factors = [...new Set(plan.tiers.flatMap((t) => t.pairs.map((p) => p.factor)))].sort((a, b) => a - b);
  return [
    { value: null, color: 'green' },
    ...factors.map((f, i) => ({ value: f, color: BURN_COLORS[Math.min(i, BURN_COLORS.length - 1)]! })),
  ];
}

/** Every window an alert of this SLO reads, short to long. */
export function alertWindows(plan: SloPlan): string[] {
  const ms = new Set(plan.tiers.flatMap((t) => t.pairs.flatMap((p) => [p.short, p.long])));
  return [...ms].sort((a, b) => a - b).map(formatDuration);
}

function lines(mode = GraphThresholdsStyleMode.Dashed): GraphThresholdsStyleConfigBuilder {
  return new GraphThresholdsStyleConfigBuilder().mode(mode);
}

function lastValue(): ReduceDataOptionsBuilder {
  return new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}

/**
 * How the row selects the SLO's recordings: `{service, slo}`, and for a grouped SLO each grouping
 * label filtered by its dashboard variable. The objective and budget recordings carry no group,
 * so they keep the plain selector.
 */
export function groupedSelector(svc: ServiceModel, slo: SloModel): string {
  return matcherText({ [LABEL.service]: svc.name, [LABEL.slo]: slo.name }, Object.fromEntries(slo.groupBy.map((l) => [l, `$${l}`])));
}

/** A legend naming the group, `route={{route}}`, after `prefix`; the prefix alone when not grouped. */
function groupLegend(slo: SloModel, prefix: string): string {
  if (slo.groupBy.length === 0) return prefix;
  return `${prefix} ${slo.groupBy.map((l) => `${l}={{${l}}}`).join(', ')}`;
}

export function sloRow(layout: Layout, svc: ServiceModel, slo: SloModel): void {
  const plan = slo.plan;
  const sel = sloSelector(svc, slo);
  const gsel = groupedSelector(svc, slo);
  const objective = slo.objective / 100;
  const budget = formatNumber(plan.budget);
  const what = slo.description ? `${slo.description}. ` : '';
  layout.row(`SLO ${slo.name}: ${formatNumber(slo.objective)}% over ${plan.period}`);

  layout.panel(
    timeseries()
      .title(`${slo.name}: SLI over ${plan.period} vs objective`)
      .description(
        `${what}Share of good events over the rolling ${plan.period} period; the dashed line is the ${formatNumber(slo.objective)}% objective.`,
      )
      .unit(units.PercentUnit)
      .decimals(3)
      .thresholds(
        steps([
          { value: null, color: 'red' },
          { value: objective, color: 'green' },
        ]),
      )
      .thresholdsStyle(lines())
      .span(10)
      .height(8),
    [
      { expr: `1 - ${RECORD.ratio(plan.period)}${gsel}`, legend: groupLegend(slo, `SLI (${plan.period})`) },
      { expr: `${RECORD.objective}${sel}`, legend: 'objective' },
    ],
  );

  layout.panel(
    new StatPanel()
      .title(`${slo.name}: error budget remaining`)
      .description(
        `Share of the ${plan.period} error budget (${formatNumber(plan.budget * 100)}% of events) not yet spent. Amber below 25%, red once spent.`,
      )
      .unit(units.PercentUnit)
      .decimals(1)
      .thresholds(steps(BUDGET_STEPS))
      .colorMode(BigValueColorMode.Background)
      .graphMode(BigValueGraphMode.Area)
      .reduceOptions(lastValue())
      .span(4)
      .height(8),
    [{ expr: `${RECORD.budgetRemaining}${gsel}`, legend: groupLegend(slo, 'budget remaining') }],
  );

  const factors = plan.tiers.map(
    (t) =>
      `${t.severity === 'critical' ? 'page' : 'ticket'} at ${t.pairs.map((p) => `${formatNumber(p.factor)}x over ${formatDuration(p.long)}+${formatDuration(p.short)}`).join(' or ')}`,
  );
  layout.panel(
    timeseries()
      .title(`${slo.name}: burn rate per alert window`)
      .description(
        `How many times faster than the budget allows errors arrive, per alert window. Lines mark the alert factors: ${factors.join('; ')}.`,
      )
      .unit(UNIT_BURN_RATE)
      .thresholds(steps(burnRateSteps(plan)))
      .thresholdsStyle(lines())
      .span(10)
      .height(8),
    alertWindows(plan).map((w) => ({ expr: `${RECORD.ratio(w)}${gsel} / ${budget}`, legend: groupLegend(slo, w) })),
  );

  layout.panel(
    timeseries()
      .title(`${slo.name}: error ratio`)
      .description(`Share of failed events over ${plan.base} (the shortest alert window) against the share the objective allows.`)
      .unit(units.PercentUnit)
      .span(12)
      .height(8),
    [
      { expr: `${RECORD.ratio(plan.base)}${gsel}`, legend: groupLegend(slo, `error ratio (${plan.base})`) },
      { expr: `${RECORD.errorBudget}${sel}`, legend: 'allowed by the objective' },
    ],
  );

  layout.panel(
    timeseries()
      .title(`${slo.name}: error budget burn-down over ${plan.period}`)
      .description(`Error budget remaining over the last ${plan.period}; where it fell steeply is when the budget went.`)
      .unit(units.PercentUnit)
      .timeFrom(plan.period)
      .thresholds(steps(BUDGET_STEPS))
      .thresholdsStyle(lines(GraphThresholdsStyleMode.LineAndArea))
      .span(12)
      .height(8),
    [{ expr: `${RECORD.budgetRemaining}${gsel}`, legend: groupLegend(slo, 'budget remaining') }],
  );
}
