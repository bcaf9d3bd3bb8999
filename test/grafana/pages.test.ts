// A service dashboard over the size a ConfigMap can hold becomes pages: each under the limit,
// every panel on exactly one page in its order, page 1 keeping the uid alerts link to, every page
// linking to all of them, a page that starts inside a row repeating the row's title.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardPages, pageUid } from '../../src/grafana/pages.js';
import { serviceDashboard } from '../../src/grafana/service-dashboard.js';
import { grafanaArtifacts } from '../../src/grafana/target.js';
import { prometheusArtifacts } from '../../src/prometheus/target.js';
import { baseConfig, modelOf } from '../helpers/config.js';
import { checkArtifacts } from './offline-check.js';

function bigConfig(): any {
  const cfg = baseConfig();
  cfg.services[0].thresholds = Array.from({ length: 60 }, (_, i) => ({
    name: `pod-${i}`,
    expr: `max(cpu{pod="p${i}"})`,
    warning: 80,
    description: `Pod ${i} is busy`,
  }));
  return cfg;
}

test('pages under the budget, every panel once and in order, linked to each other', () => {
  const model = modelOf(bigConfig());
  const doc = JSON.parse(JSON.stringify(serviceDashboard(model.services[0]!, model.grafana.datasource)));
  const whole = dashboardPages('checkout', doc);
  assert.equal(whole.length, 1, 'a dashboard under 1 MB stays whole');
  const max = 40_000;
  const pages = dashboardPages('checkout', doc, max).map((p) => JSON.parse(p));
  assert.ok(pages.length >= 3, `${pages.length} pages`);
  for (const p of dashboardPages('checkout', doc, max)) assert.ok(Buffer.byteLength(p) <= max, `${Buffer.byteLength(p)} bytes`);
  assert.deepEqual(
    pages.map((p) => p.uid),
    ['sloforge-checkout', ...pages.slice(1).map((_, i) => pageUid('checkout', i + 2))],
  );
  assert.deepEqual(
    pages.map((p) => p.title),
    ['SLOs: checkout', ...pages.slice(1).map((_, i) => `SLOs: checkout (${i + 2} of ${pages.length})`)],
  );
  for (const p of pages) {
    assert.deepEqual(
      p.links.filter((l: any) => l.title.startsWith('Page ')).map((l: any) => l.url),
      pages.map((x) => `/d/${x.uid}`),
    );
    // Each page starts at the top, with a row.
    assert.equal(Math.min(...p.panels.map((x: any) => x.gridPos.y)), 0);
    assert.equal(p.panels[0].type, 'row');
    const ids = p.panels.map((x: any) => x.id);
    assert.equal(new Set(ids).size, ids.length);
  }
  // Every panel once, in order; the only additions are rows repeated with "(continued)".
  const seen = pages.flatMap((p) => p.panels).filter((x: any) => !(x.type === 'row' && x.title.endsWith('(continued)')));
  assert.deepEqual(
    seen.map((x: any) => x.id),
    doc.panels.map((x: any) => x.id),
  );
  assert.ok(pages.slice(1).some((p) => p.panels[0].title === 'Golden signals: latency, traffic, errors, saturation (continued)'));
});

test('pages pass the offline dashboard checks (queries, uids, links)', () => {
  const cfg = bigConfig();
  const model = modelOf(cfg);
  const doc = JSON.parse(JSON.stringify(serviceDashboard(model.services[0]!, model.grafana.datasource)));
  const pages = dashboardPages('checkout', doc, 40_000).map((content, i) => ({
    path: `grafana/dashboards/teams/payments/checkout.${i + 1}.json`,
    content,
  }));
  const others = grafanaArtifacts(model).filter((a) => !a.path.endsWith('/checkout.json'));
  assert.deepEqual(checkArtifacts(cfg, [...prometheusArtifacts(model), ...others, ...pages]), []);
});
