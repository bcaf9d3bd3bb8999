// Grafana's limits: uids of at most 40 characters that stay unique however long and alike the
// service and team names are, and any number of SLOs (hence queries) per panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitName, GRAFANA_UID_MAX, serviceDashboardUid, teamFolderUid } from '../../src/conventions.js';
import { grafanaArtifacts } from '../../src/grafana/target.js';
import { refId } from '../../src/grafana/panels.js';
import { prometheusArtifacts } from '../../src/prometheus/target.js';
import { parse } from 'yaml';
import { baseConfig, modelOf } from '../helpers/config.js';
import { checkArtifacts } from './offline-check.js';

const WEST = 'payments-checkout-frontend-api-eu-west';
const EAST = 'payments-checkout-frontend-api-eu-east';

test('long names that share their first 40 characters get different uids of at most 40, with a short hash', () => {
  assert.equal(`sloforge-${WEST}`.slice(0, 40), `sloforge-${EAST}`.slice(0, 40), 'the names must collide when merely cut');
  const long = (suffix: string) => `${'a'.repeat(240)}-${suffix}`;
  for (const [a, b] of [
    [WEST, EAST],
    [long('one'), long('two')],
  ] as const) {
    for (const uid of [serviceDashboardUid, teamFolderUid]) {
      assert.notEqual(uid(a), uid(b));
      assert.ok(uid(a).length <= GRAFANA_UID_MAX && uid(b).length <= GRAFANA_UID_MAX, uid(a));
      assert.match(uid(a), /^[a-z0-9-]+-[0-9a-f]{8}$/);
    }
  }
  // Names that fit keep their plain uid, so existing dashboards keep their links.
  assert.equal(serviceDashboardUid('checkout'), 'sloforge-checkout');
  assert.equal(fitName('x'.repeat(40), 40), 'x'.repeat(40));
  assert.equal(fitName('x'.repeat(41), 40).length, 40);
});

function twoLongServices(): any {
  const cfg = baseConfig();
  cfg.grafana = { url: 'https://grafana.example' };
  const svc = cfg.services[0];
  cfg.services = [WEST, EAST].map((name) => ({
    ...structuredClone(svc),
    name,
    thresholds: [{ name: 'cpu', expr: `max(cpu{job="${name}"})`, warning: 80 }],
  }));
  return cfg;
}

test('each service dashboard has its own uid, the overview links to it, and every alert links to it', () => {
  const model = modelOf(twoLongServices());
  const artifacts = [...prometheusArtifacts(model), ...grafanaArtifacts(model)];
  const dashboards = artifacts.filter((a) => a.path.endsWith('.json')).map((a) => JSON.parse(a.content));
  const uids = dashboards.map((d) => d.uid);
  assert.equal(new Set(uids).size, 3);
  assert.deepEqual(checkArtifacts(twoLongServices(), artifacts), []);
  for (const name of [WEST, EAST]) {
    const uid = serviceDashboardUid(name);
    assert.ok(uids.includes(uid), `no dashboard ${uid}`);
    const rules = parse(prometheusArtifacts(model).find((a) => a.path === `prometheus/rules/${name}.yml`)!.content);
    const links = rules.groups
      .flatMap((g: any) => g.rules)
      .filter((r: any) => r.alert)
      .map((r: any) => r.annotations.dashboard);
    assert.ok(links.length > 0);
    for (const link of links) assert.match(link, new RegExp(`^https://grafana\\.example/d/${uid}(\\?|$)`));
  }
});

test("refIds follow Grafana's own sequence past Z", () => {
  assert.deepEqual([0, 1, 25, 26, 27, 51, 52, 701, 702].map(refId), ['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
});

test('a service with 30 SLOs compiles: panels with more than 26 queries get refIds AA, AB ..., all distinct', () => {
  const cfg = baseConfig();
  cfg.services[0].slos = Array.from({ length: 30 }, (_, i) => ({
    name: `route-${i}`,
    objective: 99.9,
    sli: { ratio: { errors: `http_requests_total{route="/r${i}",code=~"5.."}`, total: `http_requests_total{route="/r${i}"}` } },
  }));
  const model = modelOf(cfg);
  const artifacts = [...prometheusArtifacts(model), ...grafanaArtifacts(model)];
  const dashboard = JSON.parse(artifacts.find((a) => a.path.endsWith('/checkout.json'))!.content);
  const traffic = dashboard.panels.find((p: any) => p.title === 'Traffic');
  assert.equal(traffic.targets.length, 30);
  const refIds = traffic.targets.map((t: any) => t.refId);
  assert.equal(new Set(refIds).size, 30);
  assert.deepEqual(refIds.slice(25, 28), ['Z', 'AA', 'AB']);
  assert.deepEqual(checkArtifacts(cfg, artifacts), []);
});
