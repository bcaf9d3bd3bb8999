// Companion alerts for lost signals: when every series an SLO or threshold reads is gone (target
// down, metric renamed, scrape broken), its rules go quiet, which looks exactly like health.
import { formatDuration } from '../config/duration.js';
import { LABEL, NODATA_ALERTS, NODATA_RECORD, noDataGroupName } from '../conventions.js';
import type { NoDataModel, ServiceModel } from '../model/types.js';
import { matcherText, moveLabels, sortLabels } from '../promql/labels.js';
import type { AlertingRule, RecordingRule, Rule, RuleGroup } from './rules.js';

/** One series when any input has been absent for the lookback: one alert per SLO or threshold. */
export function noDataExpr(selectors: readonly string[], lookback: string): string {
  const absent = selectors.map((s) => `absent_over_time(${s}[${lookback}])`);
  return `count(\n  ${absent.join('\n  or\n  ')}\n)`;
}

/**
 * For a grouped SLO, also one series per group that stopped reporting: seen within the memory,
 * silent for the lookback. absent_over_time cannot tell groups apart (it is empty as soon as one
 * group reports), so it only covers the case where nothing reports at all.
 */
export function groupedNoDataExpr(nd: NoDataModel, lookback: string): string {
  const g = nd.perGroup!;
  // The raw series carry each grouping label under its own name; the recording, like the SLO's, carries the renamed one.
  const by = g.by.map((l) => g.source[l] ?? l).join(', ');
  const memory = formatDuration(g.memoryMs);
  const gone = g.pairs.map(
    (p) =>
      `group by (${by}) (present_over_time(${p.seen}[${memory}]))\n    unless\n  group by (${by}) (present_over_time(${p.input}[${lookback}]))`,
  );
  return `${moveLabels(`count by (${by}) (\n  ${gone.join('\n  or\n  ')}\n)`, g.source)}\nor\n${noDataExpr(nd.inputs, lookback)}`;
}

/** Labels of the recorded no-data series, which the alert passes on. */
export function noDataLabels(svc: ServiceModel, nd: NoDataModel): Record<string, string> {
  return sortLabels({
    ...svc.labels,
    nodata: 'true',
    service: svc.name,
    [nd.kind]: nd.name,
    team: svc.team,
    severity: nd.severity,
  });
}

/** Every label a firing no-data alert carries: the recorded ones and its own remediation, if any. */
export function noDataAlertLabels(svc: ServiceModel, nd: NoDataModel): Record<string, string> {
  return sortLabels({
    ...noDataLabels(svc, nd),
    alertname: NODATA_ALERTS[nd.kind],
    ...(nd.remediation ? { remediation: nd.remediation } : {}),
  });
}

/**
 * A recording carrying every label, then the alert reading it. Prometheus expands each static
 * alert label and annotation as a template at every evaluation of a firing alert; no-data alerts
 * fire wherever inputs are missing (most of every promtool scenario), so the labels ride on the
 * recorded series and the alert keeps only the ones that make it unique and safe.
 */
function noDataRules(svc: ServiceModel, nd: NoDataModel): Rule[] {
  const wait = formatDuration(nd.waitMs);
  const what = nd.kind === 'slo' ? 'SLO' : 'threshold';
  const record: RecordingRule = {
    record: NODATA_RECORD,
    // absent_over_time turns true one lookback after the last sample, whether the target went
    // stale or simply stopped exporting the metric; the alert's `for:` waits out the rest.
    expr: nd.perGroup ? groupedNoDataExpr(nd, formatDuration(nd.lookbackMs)) : noDataExpr(nd.inputs, formatDuration(nd.lookbackMs)),
    labels: noDataLabels(svc, nd),
  };
  const alert: AlertingRule = {
    alert: NODATA_ALERTS[nd.kind],
    expr: `${NODATA_RECORD}${matcherText({ [LABEL.service]: svc.name, [nd.kind]: nd.name })}`,
    for: formatDuration(nd.pendingMs),
    // Never the remediation of the SLO or threshold: a lost signal is no sign its action would
    // help. The empty value also removes any remediation label a series could bring along.
    labels: sortLabels({ [nd.kind]: nd.name, remediation: nd.remediation ?? '' }),
    annotations: sortLabels({
      summary: `${svc.name} ${nd.name}: no data for ${wait}`,
      description:
        `The ${svc.name} ${nd.name} ${what} has had no input for ${wait}, so its alerts cannot fire. ` +
        `Missing: ${nd.inputs.join(', ')}. Check that the targets are up and still export these series.${nd.hint ? ` ${nd.hint}` : ''}` +
        (nd.perGroup
          ? ` When this alert carries ${nd.perGroup.by.join(', ')}, only that group stopped reporting; without, nothing reports.`
          : ''),
      dashboard: svc.dashboardUrl,
      runbook_url: nd.runbook,
    }),
  };
  return [record, alert];
}

/** Every no-data subject of a service, SLOs first, in config order. */
export function noDataSubjects(svc: ServiceModel): NoDataModel[] {
  return [...svc.slos.map((s) => s.noData), ...svc.thresholds.map((t) => t.noData)].filter((nd): nd is NoDataModel => nd !== undefined);
}

/** One group per service: these rules read raw series only, each alert right after its recording. */
export function noDataRuleGroup(svc: ServiceModel): RuleGroup | undefined {
  const rules = noDataSubjects(svc).flatMap((nd) => noDataRules(svc, nd));
  return rules.length > 0 ? { name: noDataGroupName(svc.name), rules } : undefined;
}
