// The golden signals of a service from the raw series its SLIs and thresholds name: latency
// quantiles from each latency SLI's histogram (classic or native), traffic from each SLI that
// counts events, errors from each ratio SLI (and query SLI of counters), probe success from each
// boolean gauge, and saturation from the thresholds. Raw series with $__rate_interval, so the
// panels stay sharp when zoomed in, where the SLO rows read coarse recordings. A kind without a
// meaningful signal is left out of that panel (a probe has no traffic; an arbitrary query no
// known unit).
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode, units } from './sdk.js';
import type { ServiceModel, SloModel } from '../model/types.js';
import { groupSum, sliQueries } from '../prometheus/sli.js';
import { formatNumber } from '../promql/number.js';
import { formatSelector } from '../promql/parse.js';
import { histogramPart } from '../promql/histogram.js';
import { steps, type Layout, type Query, timeseries } from './panels.js';
import { thresholdPanel } from './threshold-panels.js';

export const RATE_INTERVAL = '$__rate_interval';
export const QUANTILES = [0.5, 0.95, 0.99];

/**
 * Queries keyed by their text, so SLIs that share a counter draw it once, labelled with every
 * SLO; a grouped SLO's lines also name their group.
 */
function merge(entries: Array<{ expr: string; slo: SloModel }>): Query[] {
  const bySlo = new Map<string, SloModel[]>();
  for (const e of entries) bySlo.set(e.expr, [...(bySlo.get(e.expr) ?? []), e.slo]);
  return [...bySlo].map(([expr, slos]) => {
    const groups = slos[0]!.groupBy;
    const suffix = groups.length > 0 ? ` ${groups.map((l) => `${l}={{${l}}}`).join(', ')}` : '';
    return { expr, legend: `${slos.map((x) => x.name).join(', ')}${suffix}` };
  });
}

/** Whether the SLI's total counts events per second, so its traffic means something. */
function countsEvents(slo: SloModel): boolean {
  const k = slo.sli.kind;
  return k === 'ratio' || k === 'latency' || k === 'nativeLatency' || (k === 'query' && slo.sli.feed !== undefined);
}

export function goldenSignalsRow(layout: Layout, svc: ServiceModel): void {
  const { slos, thresholds } = svc;
  if (slos.length === 0 && thresholds.length === 0) return;
  layout.row('Golden signals: latency, traffic, errors, saturation');

  const histograms = new Map<string, { slo: string; threshold: number; quantileOf: (q: number) => string }[]>();
  for (const slo of slos) {
    const sli = slo.sli;
    if (sli.kind !== 'latency' && sli.kind !== 'nativeLatency') continue;
    const key = `${sli.kind}:${formatSelector(sli.histogram)}`;
    const bucket = formatSelector(histogramPart(sli.histogram, '_bucket'));
    const native = formatSelector(sli.histogram);
    const quantileOf =
      sli.kind === 'latency'
        ? (q: number) => `histogram_quantile(${formatNumber(q)}, sum by (le) (rate(${bucket}[${RATE_INTERVAL}])))`
        : (q: number) => `histogram_quantile(${formatNumber(q)}, sum(rate(${native}[${RATE_INTERVAL}])))`;
    histograms.set(key, [...(histograms.get(key) ?? []), { slo: slo.name, threshold: sli.threshold, quantileOf }]);
  }
  for (const [key, users] of histograms) {
    const histogram = key.slice(key.indexOf(':') + 1);
    const bounds = users.map((u) => `${formatNumber(u.threshold)} s (${u.slo})`).join(', ');
    layout.panel(
      timeseries()
        .title(`Latency: ${users.map((u) => u.slo).join(', ')}`)
        .description(`p50, p95 and p99 of ${histogram}. The dashed line is the SLO's bound: ${bounds}.`)
        .unit(units.Seconds)
        .thresholds(steps([{ value: null, color: 'green' }, ...users.map((u) => ({ value: u.threshold, color: 'red' }))]))
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
        .span(8)
        .height(8),
      QUANTILES.map((q) => ({ expr: users[0]!.quantileOf(q), legend: `p${formatNumber(q * 100)}` })),
    );
  }

  const counting = slos.filter(countsEvents);
  if (counting.length > 0) {
    layout.panel(
      timeseries()
        .title('Traffic')
        .description('Events per second counted by each SLI (its total counter).')
        .unit(units.OpsPerSecond)
        .span(8)
        .height(8),
      merge(counting.map((slo) => ({ expr: sliQueries(slo.sli, slo).totalRate(RATE_INTERVAL), slo }))),
    );
  }

  const ratios = slos.filter((slo) => slo.sli.kind === 'ratio' || (slo.sli.kind === 'query' && slo.sli.feed !== undefined));
  if (ratios.length > 0) {
    layout.panel(
      timeseries()
        .title('Errors')
        .description('Share of failed events per ratio SLI, from the raw counters.')
        .unit(units.PercentUnit)
        .span(8)
        .height(8),
      merge(ratios.map((slo) => ({ expr: sliQueries(slo.sli, slo).errorRatio(RATE_INTERVAL), slo }))),
    );
  }

  const probes = slos.flatMap((slo) => (slo.sli.kind === 'boolGauge' ? [{ slo, series: slo.sli.series }] : []));
  if (probes.length > 0) {
    layout.panel(
      timeseries()
        .title('Probe success')
        .description('Share of successful samples of each boolean SLI (1 good, 0 failed), averaged over the rate interval.')
        .unit(units.PercentUnit)
        .span(8)
        .height(8),
      merge(
        probes.map(({ slo, series }) => ({
          expr: groupSum(slo, `avg_over_time(${formatSelector(series)}[${RATE_INTERVAL}])`, 'avg'),
          slo,
        })),
      ),
    );
  }

  for (const th of thresholds) {
    const { panel, queries } = thresholdPanel(svc, th);
    layout.panel(panel, queries);
  }
}
