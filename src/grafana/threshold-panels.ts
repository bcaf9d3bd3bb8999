// A service's thresholds as panels: the recorded series the alert compares with its levels,
// with the warning and critical levels drawn. Every threshold kind records that series, so the
// panel is as cheap as a recording read and shows exactly what the alert saw.
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from './sdk.js';
import { THRESHOLD_RECORD } from '../conventions.js';
import type { ServiceModel, ThresholdModel } from '../model/types.js';
import { formatNumber } from '../promql/number.js';
import { thresholdSelector } from '../prometheus/threshold-rules.js';
import { steps, type Query, type QueryPanel, type Step, timeseries } from './panels.js';

// Plain-language units people write in configs, mapped to Grafana unit ids; words with spaces
// ("failed runs") become Grafana's custom suffix unit; anything else is taken to be a Grafana unit
// id already ("bytes", "reqps", "percentunit", ...).
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
  return UNIT_ALIASES[unit] ?? (/\s/.test(unit.trim()) ? `suffix: ${unit.trim()}` : unit);
}

type Levels = Pick<ThresholdModel, 'warning' | 'critical' | 'direction'>;

/** Colours for the levels: the side of each level where the alert fires is the warning/critical colour. */
export function thresholdSteps(th: Levels): Step[] {
  const { warning, critical } = th;
  if (th.direction === 'above') {
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

function levelsText(th: ThresholdModel): string {
  const side = th.direction;
  const parts: string[] = [];
  if (th.warning !== undefined) parts.push(`warning ${side} ${formatNumber(th.warning)}`);
  if (th.critical !== undefined) parts.push(`critical ${side} ${formatNumber(th.critical)}`);
  const lasting = th.for ? ` for ${th.for}` : '';
  return parts.length > 0 ? `Alerts: ${parts.join(', ')}${lasting}.` : 'No alert levels set.';
}

/** Anomaly levels are scores, drawn on the side the alert watches. */
function drawnLevels(th: ThresholdModel): Levels {
  if (th.measure.kind !== 'anomaly' || th.direction === 'above') return th;
  const neg = (v: number | undefined) => (v === undefined ? undefined : -v);
  return { warning: neg(th.warning), critical: neg(th.critical), direction: 'below' };
}

function panelUnit(th: ThresholdModel): string {
  if (th.measure.kind === 'anomaly') return 'none';
  if (th.measure.kind === 'ratio' && th.unit === undefined) return 'percent';
  return grafanaUnit(th.unit);
}

export function thresholdPanel(svc: ServiceModel, th: ThresholdModel): { panel: QueryPanel; queries: Query[] } {
  const what = th.description ? `${th.description}. ` : '';
  const sel = thresholdSelector(svc, th);
  const m = th.measure;
  const shown =
    m.kind === 'anomaly'
      ? 'the z-score of the series against its baseline'
      : m.kind === 'predict'
        ? 'the forecast the alert compares, and the value now'
        : 'the value the alert compares';
  const panel = timeseries()
    .title(`Threshold: ${th.name}`)
    .description(`${what}${levelsText(th)} The panel shows ${shown}.`)
    .unit(panelUnit(th))
    .thresholds(steps(thresholdSteps(drawnLevels(th))))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
    .span(8)
    .height(8);
  const queries: Query[] = [{ expr: `${th.compared}${sel}`, legend: m.kind === 'predict' ? `in ${m.horizon}` : th.name }];
  if (m.kind === 'predict') queries.push({ expr: `${THRESHOLD_RECORD.value}${sel}`, legend: 'now' });
  return { panel, queries };
}
