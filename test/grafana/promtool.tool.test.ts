// The lezer grammar accepts type errors such as sum(x[5m]); Prometheus' own parser does not.
// Every panel query, variables filled with samples, goes through `promtool check rules` as a
// recording rule. Fails (never skips) when promtool is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { compile } from '../../src/compile.js';
import { loadConfig } from '../../src/config/load.js';
import { renderYaml } from '../../src/output/render.js';
import { checkDashboards, configuredMetrics, panelQueries, producedMetrics, provisionedDatasources, substituteVariables, type DashboardJson, type PanelQuery } from './offline-check.js';
import { fixtureConfig } from './fixture.js';

function ruleFile(queries: PanelQuery[]): string {
  return renderYaml({
    groups: [{
      name: 'dashboard-queries',
      rules: queries.map((q, i) => ({
        record: `sloforge_dashboard_query_${i}`,
        expr: substituteVariables(q.expr).expr,
        labels: { dashboard: q.dashboard, panel: String(q.panelId), ref: q.refId ?? '' },
      })),
    }],
  });
}

async function promtoolCheck(queries: PanelQuery[]): Promise<{ ok: boolean; output: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sloforge-grafana-'));
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
  assert.deepEqual(checkDashboards(dashboards, {
    produced: producedMetrics(artifacts), configured: configuredMetrics(cfg), datasourceUids: provisionedDatasources(artifacts),
  }), []);
  // ... promtool does.
  const r = await promtoolCheck(panelQueries(dashboards));
  assert.equal(r.ok, false);
  assert.match(r.output, /range vector|expected type instant vector/);
});
