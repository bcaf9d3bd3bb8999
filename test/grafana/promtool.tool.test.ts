// The lezer grammar accepts type errors such as sum(x[5m]); Prometheus' own parser does not.
// Every panel query, variables filled with samples, goes through `promtool check rules` as a
// recording rule. Fails (never skips) when promtool is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { execa } from 'execa';
import { compile } from '../../src/compile.js';
import { loadConfig } from '../../src/config/load.js';
import { renderYaml } from '../../src/output/render.js';
import {
  checkDashboards,
  configuredMetrics,
  panelQueries,
  producedMetrics,
  provisionedDatasources,
  substituteVariables,
  type DashboardJson,
  type PanelQuery,
} from './offline-check.js';
import { fixtureConfig } from './fixture.js';

function ruleFile(queries: PanelQuery[]): string {
  return renderYaml({
    groups: [
      {
        name: 'dashboard-queries',
        rules: queries.map((q, i) => ({
          record: `sloforge_dashboard_query_${i}`,
          expr: substituteVariables(q.expr).expr,
          labels: { dashboard: q.dashboard, panel: String(q.panelId), ref: q.refId ?? '' },
        })),
      },
    ],
  });
}

async function promtoolCheck(queries: PanelQuery[]): Promise<{ ok: boolean; output: string }> {
  const dir = tempDir('sloforge-grafana-');
  try {
    const file = path.join(dir, 'queries.yml');
    await writeFile(file, ruleFile(queries));
    const r = await execa('promtool', ['check', 'rules', file], { reject: false, all: true });
    if (r.failed && (r as { code?: string }).code === 'ENOENT') throw new Error('promtool is not installed (run scripts/ensure-tools.sh)');
    return { ok: r.exitCode === 0, output: r.all ?? '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const dashboardsOf = (artifacts: { path: string; content: string }[]) =>
  artifacts.filter((a) => a.path.startsWith('grafana/dashboards/')).map((a) => JSON.parse(a.content) as DashboardJson);

test('promtool accepts every panel query of the example SLOs', async () => {
  const { config } = await loadConfig('slos');
  const queries = panelQueries(dashboardsOf(compile(config)));
  assert.ok(queries.length > 20);
  const r = await promtoolCheck(queries);
  assert.ok(r.ok, r.output);
  assert.match(r.output, new RegExp(`SUCCESS: ${queries.length} rules found`));
});

test('promtool accepts every panel query of the fixture', async () => {
  const r = await promtoolCheck(panelQueries(dashboardsOf(compile(fixtureConfig()))));
  assert.ok(r.ok, r.output);
});

test('a type error the grammar lets through is caught by promtool', async () => {
  const artifacts = compile(fixtureConfig());
  const dashboards = dashboardsOf(artifacts);
  const panel = dashboards.find((d) => d.uid === 'sloforge-checkout')!.panels!.find((p) => p.type === 'stat')!;
  panel.targets![0]!.expr = 'sum(slo:period_error_budget_remaining:ratio{service="checkout"}[5m])';
  // The offline checks see nothing wrong (parses, known metric; not a rate) ...
  const cfg = fixtureConfig();
  assert.deepEqual(
    checkDashboards(dashboards, {
      produced: producedMetrics(artifacts),
      configured: configuredMetrics(cfg),
      datasourceUids: provisionedDatasources(artifacts),
    }),
    [],
  );
  // ... promtool does.
  const r = await promtoolCheck(panelQueries(dashboards));
  assert.equal(r.ok, false);
  assert.match(r.output, /range vector|expected type instant vector/);
});

test('the overview columns evaluate for grouped SLOs, whose burn rates carry labels their budget does not', async () => {
  const overview = dashboardsOf(compile(fixtureConfig())).find((d) => d.uid === 'sloforge-overview')!;
  const exprs = panelQueries([overview]).map((q) => substituteVariables(q.expr).expr);
  const sli = exprs.find((e) => e.includes('slo:period_burn_rate:ratio'))!;
  const budget = exprs.find((e) => e.includes('min by (service, slo, team) (slo:period_error_budget_remaining:ratio)'))!;
  const dir = tempDir('sloforge-overview-');
  try {
    const rules = path.join(dir, 'rules.yml');
    await writeFile(rules, renderYaml({ groups: [{ name: 'none', rules: [] }] }));
    const base = 'service="kinds",slo="per-route",team="search"';
    const one = 'service="checkout",slo="availability",team="payments"';
    const row = (labels: string, value: number) => ({
      labels: `{dashboard="sloforge-${labels.includes('kinds') ? 'kinds' : 'checkout'}",${labels}}`,
      value,
    });
    const file = path.join(dir, 'overview.test.yml');
    await writeFile(
      file,
      renderYaml({
        rule_files: ['rules.yml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [
              { series: `slo:period_burn_rate:ratio{${base},route="/a"}`, values: '0.5' },
              { series: `slo:period_burn_rate:ratio{${base},route="/b"}`, values: '2' },
              { series: `slo:error_budget:ratio{${base}}`, values: '0.001' },
              { series: `slo:period_error_budget_remaining:ratio{${base},route="/a"}`, values: '0.5' },
              { series: `slo:period_error_budget_remaining:ratio{${base},route="/b"}`, values: '-1' },
              { series: `slo:period_burn_rate:ratio{${one}}`, values: '1' },
              { series: `slo:error_budget:ratio{${one}}`, values: '0.01' },
              { series: `slo:period_error_budget_remaining:ratio{${one}}`, values: '0' },
            ],
            // Each row shows the SLO's worst group; the ungrouped SLO is as before.
            promql_expr_test: [
              { expr: sli, eval_time: '0m', exp_samples: [row(base, 0.998), row(one, 0.99)] },
              { expr: budget, eval_time: '0m', exp_samples: [row(base, -1), row(one, 0)] },
            ],
          },
        ],
      }),
    );
    const r = await execa('promtool', ['test', 'rules', file], { reject: false, all: true });
    assert.equal(r.exitCode, 0, r.all);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
