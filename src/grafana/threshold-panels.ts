// A service's thresholds as panels: the series the alert evaluates, with its warning and
// critical levels drawn. Reads only `expr`, the levels, `direction` and `unit`, so that new
// threshold kinds only have to produce an expr to appear here.
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import type { Threshold } from '../config/schema/config.js';
import { formatNumber } from '../prometheus/number.js';
import { steps, type Query, type QueryPanel, type Step, timeseries } from './panels.js';

// Plain-language units people write in configs, mapped to Grafana unit ids; anything else is
// taken to be a Grafana unit id already ("bytes", "reqps", "percentunit", ...).
const UNIT_ALIASES: Record<string, string> = {
  seconds: 's',
  second: 's',
  milliseconds: 'ms',
  millisecond: 'ms',
  ratio: 'percentunit',
  '%': 'percent',
  count: 'short',
  requests_per_second: 'reqps',
};

export function grafanaUnit(unit: string | undefined): string {
  if (unit === undefined || unit === '') return 'short';
  return UNIT_ALIASES[unit] ?? unit;
}

/** Colours for the levels: the side of each level where the alert fires is the warning/critical colour. */
export function thresholdSteps(th: Pick<Threshold, 'warning' | 'critical' | 'direction'>): Step[] {
  const { warning, critical } = th;
  if ((th.direction ?? 'above') === 'above') {
    const out: Step[] = [{ value: null, color: 'green' }];
    if (warning !== undefined) out.push({ value: warning, color: 'orange' });
    if (critical !== undefined) out.push({ value: critical, color: 'red' });
    return out;
  }
  // Below: values under critical are red, between critical and warning amber, above green.
  const levels = [critical, warning].filter((v): v is number => v !== undefined);
  const out: Step[] = [{ value: null, color: critical !== undefined ? 'red' : 'orange' }];
  if (critical !== undefined && warning !== undefined) out.push({ value: critical, color: 'orange' });
  out.push({ value: Math.max(...levels), color: 'green' });
  return levels.length === 0 ? [{ value: null, color: 'green' }] : out;
}

function levelsText(th: Threshold): string {
  const side = (th.direction ?? 'above') === 'above' ? 'above' : 'below';
  const parts: string[] = [];
  if (th.warning !== undefined) parts.push(`warning ${side} ${formatNumber(th.warning)}`);
  if (th.critical !== undefined) parts.push(`critical ${side} ${formatNumber(th.critical)}`);
  const lasting = th.for ? ` for ${th.for}` : '';
  return parts.length > 0 ? `Alerts: ${parts.join(', ')}${lasting}.` : 'No alert levels set.';
}

export function thresholdPanel(th: Threshold): { panel: QueryPanel; queries: Query[] } {
  const what = th.description ? `${th.description}. ` : '';
  const panel = timeseries()
    .title(`Threshold: ${th.name}`)
    .description(`${what}${levelsText(th)} The query is the alert's own expression.`)
    .unit(grafanaUnit(th.unit))
    .thresholds(steps(thresholdSteps(th)))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
    .span(8)
    .height(8);
  // No fixed legend: the expression may return one series per instance, and their labels tell them apart.
  return { panel, queries: [{ expr: th.expr }] };
}
