// SLOs: the SLI of its config kind as the model's union, the plan (period, budget, burn-rate
// tiers and windows), the severities that alert, and the SLO's no-data alert.
import type { Service, Slo } from '../../config/schema/config.js';
import type { ConfigPath } from '../../config/errors.js';
import { formatDuration } from '../../config/duration.js';
import { sliCase, sliPart, unhandled } from '../../config/kinds.js';
import { DEFAULT_PERIOD, exportedLabel } from '../../conventions.js';
import { formatSelector } from '../../promql/parse.js';
import { bucketAt, histogramPart } from '../../promql/histogram.js';
import { formatNumber } from '../../promql/number.js';
import { sortLabels } from '../../promql/labels.js';
import { queryFeed, sliInputs } from '../sli.js';
import { alertTiers, allWindows, baseWindow, rawWindows } from '../windows.js';
import type { GroupSource, SliModel, SloModel, SloPlan } from '../types.js';
import { perGroupInputs, resolveNoData } from './nodata.js';
import { ms, selector } from './validated.js';

/** A severity's tier, as `alerting.page` / `ticket` / `remediationTiers` name it. */
const TIER_OF = { critical: 'page', warning: 'ticket' } as const;

/** The error budget of an objective in percent, as a ratio (99.9 -> 0.001). */
export function errorBudget(objectivePercent: number): number {
  return Number.parseFloat(((100 - objectivePercent) / 100).toPrecision(12));
}

export function sloPlan(periodText: string | undefined, objective: number): SloPlan {
  const periodMs = ms(periodText ?? DEFAULT_PERIOD);
  const budget = errorBudget(objective);
  const tiers = alertTiers(periodMs, budget);
  return {
    periodMs,
    period: formatDuration(periodMs),
    budget,
    tiers,
    base: formatDuration(baseWindow(tiers)),
    windows: allWindows(tiers, periodMs),
    rawWindows: rawWindows(tiers),
  };
}

function resolveSli(sli: Slo['sli']): SliModel {
  const c = sliCase(sli);
  switch (c.kind) {
    case 'ratio': {
      const part = sliPart(c.spec);
      return { kind: 'ratio', meaning: part.meaning, part: selector(part.text), total: selector(c.spec.total) };
    }
    case 'query': {
      const part = sliPart(c.spec);
      return {
        kind: 'query',
        meaning: part.meaning,
        part: part.text,
        total: c.spec.total,
        feed: queryFeed(part.meaning, part.text, c.spec.total),
      };
    }
    case 'boolGauge':
      return { kind: 'boolGauge', series: selector(c.spec.series) };
    case 'latency': {
      const histogram = selector(c.spec.histogram);
      if (c.spec.native) return { kind: 'nativeLatency', histogram, threshold: c.spec.threshold };
      return {
        kind: 'latency',
        histogram,
        threshold: c.spec.threshold,
        bucket: bucketAt(histogram, c.spec.threshold),
        count: histogramPart(histogram, '_count'),
      };
    }
    default:
      return unhandled(c);
  }
}

export function resolveSlo(svc: Service, slo: Slo, path: ConfigPath): SloModel {
  const sli = resolveSli(slo.sli);
  const alerting = slo.alerting;
  const enabled = alerting?.enabled !== false;
  const groupBy = (slo.groupBy ?? []).map(exportedLabel);
  const groupSource: GroupSource = Object.fromEntries(
    (slo.groupBy ?? []).filter((l) => exportedLabel(l) !== l).map((l) => [exportedLabel(l), l]),
  );
  const severities = (
    [
      ['critical', alerting?.page],
      ['warning', alerting?.ticket],
    ] as const
  )
    .filter(([, on]) => enabled && on !== false)
    .map(([sev]) => sev);
  const inputs = sliInputs(sli).map(formatSelector);
  const hint =
    sli.kind === 'latency'
      ? `If only the _bucket series is missing while _count is there, ${formatNumber(sli.threshold)} s is not one of the histogram's bucket bounds: the SLI then counts every request as slow; set the SLO's threshold to an exposed "le" bound.`
      : undefined;
  return {
    name: slo.name,
    path,
    objective: slo.objective,
    description: slo.description,
    sli,
    groupBy,
    groupSource,
    plan: sloPlan(slo.period, slo.objective),
    labels: sortLabels({ ...svc.labels, service: svc.name, slo: slo.name, team: svc.team }),
    alerting: {
      enabled,
      severities,
      runbook: alerting?.runbook,
      remediation: alerting?.remediation,
      remediationSeverities:
        alerting?.remediation === undefined
          ? []
          : severities.filter((sev) => (alerting.remediationTiers ?? ['page']).includes(TIER_OF[sev])),
      labels: alerting?.labels ?? {},
    },
    noData: enabled
      ? resolveNoData(
          'slo',
          slo.name,
          inputs,
          alerting?.noData,
          alerting?.runbook,
          hint,
          path,
          perGroupInputs(sli, groupBy, groupSource, alerting?.noData),
        )
      : undefined,
  };
}
