// The golden signals of a service from the raw series its SLIs and thresholds name: latency
// quantiles from each latency SLI's histogram, traffic from each SLI's total counter, errors from
// each ratio SLI, and saturation from the thresholds. Raw series with $__rate_interval, so the
// panels stay sharp when zoomed in, where the SLO rows read coarse recordings.
import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import * as units from '@grafana/grafana-foundation-sdk/units';
import type { ServiceModel } from '../model/types.js';
import { sliQueries } from '../prometheus/sli.js';
import { formatNumber } from '../promql/number.js';
import { formatSelector } from '../promql/parse.js';
import { histogramPart } from '../promql/histogram.js';
import { steps, type Layout, type Query, timeseries } from './panels.js';
import { thresholdPanel } from './threshold-panels.js';

export const RATE_INTERVAL = '$__rate_interval';
export const QUANTILES = [0.5, 0.95, 0.99];

/** Queries keyed by their text, so SLIs that share a counter draw it once, labelled with every SLO. */
function merge(entries: Array<{ expr: string; slo: string }>): Query[] {
  const bySlo = new Map<string, string[]>();
  for (const e of entries) bySlo.set(e.expr, [...(bySlo.get(e.expr) ?? []), e.slo]);
  return [...bySlo].map(([expr, slos]) => ({ expr, legend: slos.join(', ') }));
}

export function goldenSignalsRow(layout: Layout, svc: ServiceModel): void {
  const { slos, thresholds } = svc;
  if (slos.length === 0 && thresholds.length === 0) return;
  layout.row('Golden signals: latency, traffic, errors, saturation');

  const histograms = new Map<string, { slo: string; threshold: number; bucket: string }[]>();
  for (const slo of slos) {
    if (slo.sli.kind !== 'latency') continue;
    const key = formatSelector(slo.sli.histogram);
    const bucket = formatSelector(histogramPart(slo.sli.histogram, '_bucket'));
    histograms.set(key, [...(histograms.get(key) ?? []), { slo: slo.name, threshold: slo.sli.threshold, bucket }]);
  }
  for (const [histogram, users] of histograms) {
    const bucket = users[0]!.bucket;
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
      QUANTILES.map((q) => ({
        expr: `histogram_quantile(${formatNumber(q)}, sum by (le) (rate(${bucket}[${RATE_INTERVAL}])))`,
        legend: `p${formatNumber(q * 100)}`,
      })),
    );
  }

  if (slos.length > 0) {
    layout.panel(
      timeseries()
        .title('Traffic')
        .description('Events per second counted by each SLI (its total counter).')
        .unit(units.OpsPerSecond)
        .span(8)
        .height(8),
      merge(slos.map((slo) => ({ expr: sliQueries(slo.sli).totalRate(RATE_INTERVAL), slo: slo.name }))),
    );
  }

  const ratios = slos.filter((slo) => slo.sli.kind === 'ratio');
  if (ratios.length > 0) {
    layout.panel(
      timeseries()
        .title('Errors')
        .description('Share of failed events per ratio SLI, from the raw counters.')
        .unit(units.PercentUnit)
        .span(8)
        .height(8),
      merge(ratios.map((slo) => ({ expr: sliQueries(slo.sli).errorRatio(RATE_INTERVAL), slo: slo.name }))),
    );
  }

  for (const th of thresholds) {
    const { panel, queries } = thresholdPanel(svc, th);
    layout.panel(panel, queries);
  }
}
