// Dashboard assembly on top of the foundation SDK: the builders leave panel ids, refIds and
// datasources to the caller, so every panel goes through `Layout`, which numbers panels from 1,
// letters targets from A and points both at the datasource variable.
import {
  DashboardBuilder,
  DataqueryBuilder,
  LegendDisplayMode,
  LegendPlacement,
  PromQueryFormat,
  RowBuilder,
  SortOrder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  TimeseriesPanel,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from './sdk.js';
import type { DataSourceRef, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import { formatNumber } from '../promql/number.js';
import { PROMETHEUS_REF } from './datasource.js';
import { InternalError } from '../errors.js';

export interface Query {
  expr: string;
  /** Grafana legend template, e.g. "{{slo}}" or a fixed text. */
  legend?: string;
  /** One value at the end of the range (tables), rather than a series over it. */
  instant?: boolean;
}

/** The panel builders of every visualisation share these setters. */
export interface QueryPanel extends Builder<Panel> {
  id(id: number): unknown;
  datasource(ref: DataSourceRef): unknown;
  targets(targets: Builder<Dataquery>[]): unknown;
}

/** A, B, ... Z, AA, AB, ...: Grafana's own sequence, for any number of queries. */
export function refId(i: number): string {
  const letter = String.fromCharCode(65 + (i % 26));
  return i < 26 ? letter : `${refId(Math.floor(i / 26) - 1)}${letter}`;
}

function target(q: Query, i: number): DataqueryBuilder {
  const t = new DataqueryBuilder().refId(refId(i)).datasource(PROMETHEUS_REF).expr(q.expr);
  if (q.legend !== undefined) t.legendFormat(q.legend);
  if (q.instant) t.instant().format(PromQueryFormat.Table);
  else t.range();
  return t;
}

export class Layout {
  private nextId = 1;

  constructor(readonly dashboard: DashboardBuilder) {}

  row(title: string): void {
    // An empty, expanded row: Grafana keeps an expanded row's panels after it, not inside it.
    this.dashboard.withRow(new RowBuilder(title).id(this.nextId++));
  }

  panel(panel: QueryPanel, queries: readonly Query[]): void {
    if (queries.length === 0) throw new InternalError('a dashboard panel without a query');
    panel.id(this.nextId++);
    panel.datasource(PROMETHEUS_REF);
    panel.targets(queries.map(target));
    this.dashboard.withPanel(panel);
  }
}

export interface Step {
  /** Lower bound of the colour; null for the base step. */
  value: number | null;
  color: string;
}

/** Absolute threshold steps, sorted as Grafana requires (base first, then ascending). */
export function steps(list: readonly Step[]): ThresholdsConfigBuilder {
  // Rounded like PromQL text, so 99.9 / 100 is written 0.999 rather than 0.9990000000000001.
  const rounded = list.map((s) => ({ ...s, value: s.value === null ? null : Number(formatNumber(s.value)) }));
  const sorted = rounded.sort((a, b) => (a.value === null ? -1 : b.value === null ? 1 : a.value - b.value));
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(sorted);
}

/** Grafana has no "times" unit; a custom suffix reads as "14.4x". */
export const UNIT_BURN_RATE = 'suffix:x';

/** A time series panel whose legend names each series and whose tooltip compares them all. */
export function timeseries(): TimeseriesPanel {
  return new TimeseriesPanel()
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
}
