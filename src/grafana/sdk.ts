// The Grafana Foundation SDK's builders and enums that sloforge uses, loaded with require. The
// SDK ships CommonJS whose index files re-export each of its modules, and an ESM import of
// CommonJS has Node scan every one of those files for export names before running it: measured
// at each `generate`, on each compile thread, the scan cost more CPU than running the SDK
// (about 0.27 against 0.17 CPU s for these packages). Each name below is both the SDK's value
// and its type, so the builders are used and type-checked exactly as if imported from the SDK.
import { createRequire } from 'node:module';

import type * as commonTypes from '@grafana/grafana-foundation-sdk/common';
import type * as dashboardTypes from '@grafana/grafana-foundation-sdk/dashboard';
import type * as prometheusTypes from '@grafana/grafana-foundation-sdk/prometheus';
import type * as statTypes from '@grafana/grafana-foundation-sdk/stat';
import type * as tableTypes from '@grafana/grafana-foundation-sdk/table';
import type * as timeseriesTypes from '@grafana/grafana-foundation-sdk/timeseries';
import type * as unitsTypes from '@grafana/grafana-foundation-sdk/units';

const load = createRequire(import.meta.url);

const commonSdk = load('@grafana/grafana-foundation-sdk/common') as typeof commonTypes;
const dashboardSdk = load('@grafana/grafana-foundation-sdk/dashboard') as typeof dashboardTypes;
const prometheusSdk = load('@grafana/grafana-foundation-sdk/prometheus') as typeof prometheusTypes;
const statSdk = load('@grafana/grafana-foundation-sdk/stat') as typeof statTypes;
const tableSdk = load('@grafana/grafana-foundation-sdk/table') as typeof tableTypes;
const timeseriesSdk = load('@grafana/grafana-foundation-sdk/timeseries') as typeof timeseriesTypes;
const unitsSdk = load('@grafana/grafana-foundation-sdk/units') as typeof unitsTypes;

export const units = unitsSdk;

// common
export const BigValueColorMode = commonSdk.BigValueColorMode;
export type BigValueColorMode = commonTypes.BigValueColorMode;
export const BigValueGraphMode = commonSdk.BigValueGraphMode;
export type BigValueGraphMode = commonTypes.BigValueGraphMode;
export const GraphThresholdsStyleConfigBuilder = commonSdk.GraphThresholdsStyleConfigBuilder;
export type GraphThresholdsStyleConfigBuilder = commonTypes.GraphThresholdsStyleConfigBuilder;
export const GraphThresholdsStyleMode = commonSdk.GraphThresholdsStyleMode;
export type GraphThresholdsStyleMode = commonTypes.GraphThresholdsStyleMode;
export const LegendDisplayMode = commonSdk.LegendDisplayMode;
export type LegendDisplayMode = commonTypes.LegendDisplayMode;
export const LegendPlacement = commonSdk.LegendPlacement;
export type LegendPlacement = commonTypes.LegendPlacement;
export const ReduceDataOptionsBuilder = commonSdk.ReduceDataOptionsBuilder;
export type ReduceDataOptionsBuilder = commonTypes.ReduceDataOptionsBuilder;
export const SortOrder = commonSdk.SortOrder;
export type SortOrder = commonTypes.SortOrder;
export const TableSortByFieldStateBuilder = commonSdk.TableSortByFieldStateBuilder;
export type TableSortByFieldStateBuilder = commonTypes.TableSortByFieldStateBuilder;
export const TooltipDisplayMode = commonSdk.TooltipDisplayMode;
export type TooltipDisplayMode = commonTypes.TooltipDisplayMode;
export const VizLegendOptionsBuilder = commonSdk.VizLegendOptionsBuilder;
export type VizLegendOptionsBuilder = commonTypes.VizLegendOptionsBuilder;
export const VizTooltipOptionsBuilder = commonSdk.VizTooltipOptionsBuilder;
export type VizTooltipOptionsBuilder = commonTypes.VizTooltipOptionsBuilder;

// dashboard
export const DashboardBuilder = dashboardSdk.DashboardBuilder;
export type DashboardBuilder = dashboardTypes.DashboardBuilder;
export const DashboardCursorSync = dashboardSdk.DashboardCursorSync;
export type DashboardCursorSync = dashboardTypes.DashboardCursorSync;
export const DashboardLinkBuilder = dashboardSdk.DashboardLinkBuilder;
export type DashboardLinkBuilder = dashboardTypes.DashboardLinkBuilder;
export const DashboardLinkType = dashboardSdk.DashboardLinkType;
export type DashboardLinkType = dashboardTypes.DashboardLinkType;
export const DatasourceVariableBuilder = dashboardSdk.DatasourceVariableBuilder;
export type DatasourceVariableBuilder = dashboardTypes.DatasourceVariableBuilder;
export const QueryVariableBuilder = dashboardSdk.QueryVariableBuilder;
export type QueryVariableBuilder = dashboardTypes.QueryVariableBuilder;
export const RowBuilder = dashboardSdk.RowBuilder;
export type RowBuilder = dashboardTypes.RowBuilder;
export const ThresholdsConfigBuilder = dashboardSdk.ThresholdsConfigBuilder;
export type ThresholdsConfigBuilder = dashboardTypes.ThresholdsConfigBuilder;
export const ThresholdsMode = dashboardSdk.ThresholdsMode;
export type ThresholdsMode = dashboardTypes.ThresholdsMode;
export const VariableRefresh = dashboardSdk.VariableRefresh;
export type VariableRefresh = dashboardTypes.VariableRefresh;
export const VariableSort = dashboardSdk.VariableSort;
export type VariableSort = dashboardTypes.VariableSort;

// prometheus
export const DataqueryBuilder = prometheusSdk.DataqueryBuilder;
export type DataqueryBuilder = prometheusTypes.DataqueryBuilder;
export const PromQueryFormat = prometheusSdk.PromQueryFormat;
export type PromQueryFormat = prometheusTypes.PromQueryFormat;

// stat
export const StatPanel = statSdk.PanelBuilder;
export type StatPanel = statTypes.PanelBuilder;

// table
export const TablePanel = tableSdk.PanelBuilder;
export type TablePanel = tableTypes.PanelBuilder;

// timeseries
export const TimeseriesPanel = timeseriesSdk.PanelBuilder;
export type TimeseriesPanel = timeseriesTypes.PanelBuilder;
