// Every SLO in one table, worst budget first, each row linking to its service's dashboard.
// Each query is aggregated to (service, slo, team) so Grafana's merge transformation can join
// them into one row per SLO.
import {
  BigValueColorMode,
  DashboardLinkBuilder,
  DashboardLinkType,
  ReduceDataOptionsBuilder,
  StatPanel,
  TablePanel,
  TableSortByFieldStateBuilder,
  units,
} from './sdk.js';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { GRAFANA_UID_MAX, OVERVIEW_DASHBOARD_UID, RECORD, SERVICE_DASHBOARD_PREFIX, serviceDashboardUid } from '../conventions.js';
import type { DatasourceSettings, Model } from '../model/types.js';
import { Layout, steps, UNIT_BURN_RATE, type Query } from './panels.js';
import { BUDGET_STEPS } from './slo-row.js';
import { baseDashboard, SLOFORGE_TAG, teamTag } from './service-dashboard.js';

const KEYS = 'service, slo, team';
export const DASHBOARD_LABEL = 'dashboard';

/**
 * Adds the service dashboard's uid as a label, so a data link can use it: computed in PromQL as
 * `serviceDashboardUid` computes it where the name fits Grafana's 40 characters, and named
 * service by service where it is cut and hashed, which PromQL cannot do.
 */
export function withDashboardUid(expr: string, services: readonly string[]): string {
  const keep = GRAFANA_UID_MAX - SERVICE_DASHBOARD_PREFIX.length;
  const set = (inner: string, uid: string, service: string) =>
    `label_replace(\n  ${inner},\n  "${DASHBOARD_LABEL}", "${uid}", "service", "${service}"\n)`;
  const long = services.filter((s) => s.length > keep);
  return long.reduce((inner, s) => set(inner, serviceDashboardUid(s), s), set(expr, `${SERVICE_DASHBOARD_PREFIX}$1`, `(.{0,${keep}})`));
}

// A grouped SLO has one series per group: each column shows its worst group (lowest SLI and
// budget, highest burn rate).
const COLUMNS: Array<{ name: string; unit: string; decimals?: number; query: string }> = [
  { name: 'Objective', unit: units.PercentUnit, decimals: 2, query: `max by (${KEYS}) (${RECORD.objective})` },
  // The period's error ratio is the period burn rate times the budget, whatever the period is.
  // The budget carries no group labels, so each group's burn rate takes its SLO's budget.
  {
    name: 'SLI',
    unit: units.PercentUnit,
    decimals: 3,
    query: `min by (${KEYS}) (1 - ${RECORD.periodBurnRate} * on (service, slo) group_left ${RECORD.errorBudget})`,
  },
  { name: 'Budget remaining', unit: units.PercentUnit, decimals: 1, query: `min by (${KEYS}) (${RECORD.budgetRemaining})` },
  { name: 'Burn rate', unit: UNIT_BURN_RATE, decimals: 2, query: `max by (${KEYS}) (${RECORD.currentBurnRate})` },
  {
    name: 'Firing alerts',
    unit: units.Short,
    decimals: 0,
    // Zero for every SLO without a firing alert, so each SLO keeps its row.
    query: `count by (${KEYS}) (ALERTS{alertstate="firing",slo!=""})\nor\nmax by (${KEYS}) (0 * ${RECORD.objective})`,
  },
];

function sloTable(layout: Layout, services: readonly string[]): void {
  const renameByName: Record<string, string> = {};
  const indexByName: Record<string, number> = { service: 0, team: 1, slo: 2 };
  COLUMNS.forEach((c, i) => {
    const value = `Value #${String.fromCharCode(65 + i)}`;
    renameByName[value] = c.name;
    indexByName[value] = 3 + i;
  });
  const table = new TablePanel()
    .title('Every SLO, worst error budget first')
    .description(
      'One row per SLO (for an SLO grouped by a label, its worst group). Budget remaining below 0 means the objective is missed for the period; burn rate 1 spends the budget exactly over the period. Click a service to open its dashboard.',
    )
    .unit(units.PercentUnit)
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName, indexByName } })
    .sortBy([new TableSortByFieldStateBuilder().displayName('Budget remaining').desc(false)])
    .overrideByName(DASHBOARD_LABEL, [{ id: 'custom.hidden', value: true }])
    .overrideByName('service', [
      { id: 'links', value: [{ title: 'Open the ${__data.fields.service} dashboard', url: `/d/\${__data.fields.${DASHBOARD_LABEL}}` }] },
    ])
    .span(24)
    .height(14);
  for (const c of COLUMNS) {
    table.overrideByName(c.name, [
      { id: 'unit', value: c.unit },
      ...(c.decimals !== undefined ? [{ id: 'decimals', value: c.decimals }] : []),
    ]);
  }
  table.overrideByName('Budget remaining', [
    { id: 'thresholds', value: steps(BUDGET_STEPS).build() },
    { id: 'custom.cellOptions', value: { type: 'color-background' } },
  ]);
  const queries: Query[] = COLUMNS.map((c) => ({ expr: withDashboardUid(c.query, services), instant: true }));
  layout.panel(table, queries);
}

function countStat(layout: Layout, title: string, description: string, expr: string): void {
  layout.panel(
    new StatPanel()
      .title(title)
      .description(description)
      .unit(units.Short)
      .decimals(0)
      .thresholds(
        steps([
          { value: null, color: 'green' },
          { value: 1, color: 'red' },
        ]),
      )
      .colorMode(BigValueColorMode.Background)
      .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
      .span(8)
      .height(4),
    [{ expr, legend: title }],
  );
}

export function overviewDashboard(model: Model, ds: DatasourceSettings): Dashboard {
  const teams = [...new Set(model.services.map((s) => s.team))].sort();
  const builder = baseDashboard('SLOs: overview', OVERVIEW_DASHBOARD_UID, [SLOFORGE_TAG, ...teams.map(teamTag)], ds)
    .description('Every SLO sloforge generates, worst first. Generated by sloforge: change slos/, not this dashboard.')
    .link(
      new DashboardLinkBuilder('Service dashboards')
        .type(DashboardLinkType.Dashboards)
        .tags([SLOFORGE_TAG])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(true),
    );
  const layout = new Layout(builder);
  countStat(
    layout,
    'SLOs out of budget',
    'SLOs whose error budget for the period is spent.',
    `count(${RECORD.budgetRemaining} < 0) or vector(0)`,
  );
  countStat(
    layout,
    'Pages firing',
    'Critical (page) alerts firing now, burn-rate and threshold alerts alike.',
    'count(ALERTS{alertstate="firing",severity="critical"}) or vector(0)',
  );
  countStat(
    layout,
    'Tickets firing',
    'Warning (ticket) alerts firing now.',
    'count(ALERTS{alertstate="firing",severity="warning"}) or vector(0)',
  );
  sloTable(
    layout,
    model.services.filter((s) => s.slos.length > 0).map((s) => s.name),
  );
  return builder.build();
}
