// Done when (issue 24): a service of 30 SLOs and 300 thresholds, two long names sharing their
// first 40 characters and a 240-character service name either compile to objects within every
// limit the cluster, the Operator and Grafana enforce (limits.ts, measured as they count), or are
// refused with the field named. The CLI run of the same configs is limits.system.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubernetesArtifacts } from '../../src/kubernetes/target.js';
import { grafanaArtifacts } from '../../src/grafana/target.js';
import { prometheusArtifacts } from '../../src/prometheus/target.js';
import { mimirArtifacts } from '../../src/mimir/target.js';
import { thanosArtifacts } from '../../src/thanos/target.js';
import { operatorRuleFileBytes, RULE_FILE_BUDGET } from '../../src/kubernetes/limits.js';
import type { Artifact } from '../../src/output/artifact.js';
import { modelOf, problemsOf } from '../helpers/config.js';
import { bigService, platformConfig } from './platform-fixture.js';
import { manifests, ofKind, yaml, type Manifest } from './fixture.js';
import { limitProblems } from './limits.js';
import { plainRules } from '../helpers/engines.js';

function outputs(cfg: unknown): Artifact[] {
  const model = modelOf(cfg);
  return [
    ...prometheusArtifacts(model),
    ...grafanaArtifacts(model),
    ...mimirArtifacts(model),
    ...thanosArtifacts(model),
    ...kubernetesArtifacts(model),
  ];
}

/** Returns the parsed manifests, which the caller may read further without parsing them again. */
function assertWithinLimits(artifacts: readonly Artifact[]): Manifest[] {
  const list = manifests(artifacts);
  assert.ok(list.length > 0);
  assert.deepEqual(list.flatMap(limitProblems), []);
  const names = list.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
  assert.equal(new Set(names).size, names.length, 'two objects of one kind share a name');
  for (const a of artifacts)
    for (const part of a.path.split('/')) assert.ok(Buffer.byteLength(part) <= 255, `${a.path}: a path part over 255 bytes`);
  for (const a of artifacts.filter((x) => x.path.startsWith('mimir/rules/'))) {
    for (const g of yaml(a.content).groups) assert.ok(g.rules.length <= 20, `${a.path} ${g.name}: ${g.rules.length} rules`);
  }
  return list;
}

test('30 SLOs and 300 thresholds in one service: PrometheusRules, dashboard pages and Mimir groups within every limit', () => {
  const artifacts = outputs(platformConfig([bigService('checkout', 30, 300)]));
  const list = assertWithinLimits(artifacts);
  const rules = ofKind(list, 'PrometheusRule');
  assert.ok(rules.length >= 2, `${rules.length} PrometheusRules`);
  assert.deepEqual(
    rules.map((r) => r.object.metadata.name),
    rules.map((_, i) => (i === 0 ? 'sloforge-checkout' : `sloforge-checkout.${i + 1}`)),
  );
  for (const r of rules) assert.ok(operatorRuleFileBytes(r.object.spec) <= RULE_FILE_BUDGET);
  // Thanos on: each group carries its strategy, recordings and alerts apart as in the Thanos file.
  const thanos = yaml(artifacts.find((a) => a.path === 'thanos/rules/checkout.yml')!.content).groups;
  assert.deepEqual(
    rules.flatMap((r) => r.object.spec.groups),
    thanos,
  );

  // The dashboard fits one ConfigMap at this size (pages.test.ts splits bigger ones).
  const maps = ofKind(list, 'ConfigMap').filter((m) => m.object.metadata.name.startsWith('sloforge-dashboard-checkout'));
  const titles = maps
    .flatMap((m) => Object.values(m.object.data as Record<string, string>))
    .flatMap((d) => JSON.parse(d).panels.map((p: any) => p.title));
  for (let i = 0; i < 30; i++) assert.ok(titles.includes(`route-${i}: error budget remaining`), `route-${i}`);
  for (let i = 0; i < 300; i++) assert.ok(titles.includes(`Threshold: pod-${i}-cpu`), `pod-${i}-cpu`);
});

test("without Thanos the PrometheusRules hold the plain files' groups in order, split across objects only", () => {
  const model = modelOf(platformConfig([bigService('checkout', 30, 300)], false));
  const artifacts = [...prometheusArtifacts(model), ...kubernetesArtifacts(model)];
  const rules = ofKind(manifests(artifacts), 'PrometheusRule');
  const plain = plainRules(artifacts)['checkout.yml']!.groups;
  const groups = rules.flatMap((r) => r.object.spec.groups);
  // Whole groups in order (a group too big for one object would be split into .2, .3 ...: split.test.ts).
  assert.deepEqual(
    groups.flatMap((g: any) => g.rules),
    plain.flatMap((g: any) => g.rules),
  );
  assert.deepEqual(
    groups.map((g: any) => g.name.replace(/\.\d+$/, '')).filter((n: string, i: number, a: string[]) => a.indexOf(n) === i),
    plain.map((g: any) => g.name),
  );
  assert.deepEqual(rules.flatMap(limitProblems), []);
});

test('two long names that share their first 40 characters: distinct objects, uids and files within every limit', () => {
  const names = ['payments-checkout-frontend-api-eu-west', 'payments-checkout-frontend-api-eu-east'];
  const artifacts = outputs(platformConfig(names.map((n) => bigService(n, 2, 2))));
  assertWithinLimits(artifacts);
  const uids = artifacts.filter((a) => a.path.startsWith('grafana/dashboards/')).map((a) => JSON.parse(a.content).uid);
  assert.equal(new Set(uids).size, 3);
});

test('a 240-character service name is refused with the field named; 200 characters compile within every limit', () => {
  const long = (n: number) => `s${'-x'.repeat((n - 1) / 2)}`;
  assert.equal(long(241).length, 241);
  assert.deepEqual(problemsOf(platformConfig([bigService(long(241), 1, 1)])), [
    'services.0.name: is 241 characters, more than 200: a service name names files under generated/ (at most 255 bytes each) and Kubernetes objects (at most 253 characters); shorten it',
  ]);
  const cfg = platformConfig([bigService(`${'a'.repeat(240)}`, 1, 1)]);
  assert.match(problemsOf(cfg).join('\n'), /^services\.0\.name: is 240 characters, more than 200/);
  cfg.teams[0].name = 't'.repeat(240);
  cfg.services[0].team = cfg.teams[0].name;
  assert.match(problemsOf(cfg).join('\n'), /^teams\.0\.name: is 240 characters, more than 200/m);
  assertWithinLimits(outputs(platformConfig([bigService(long(199), 1, 1)])));
});

test('a service called "overview" and a team called "templates" do not overwrite the overview or the templates', () => {
  const cfg = platformConfig([{ ...(bigService('overview', 1, 1) as object), team: 'templates' }]);
  cfg.teams[0].name = 'templates';
  const artifacts = outputs(cfg);
  const model = modelOf(cfg);
  const k8s = kubernetesArtifacts(model).map((a) => a.path);
  assert.equal(new Set(k8s).size, k8s.length);
  assert.ok(
    k8s.includes('kubernetes/grafana-dashboards/overview.yaml') && k8s.includes('kubernetes/grafana-dashboards/overview/overview.yaml'),
  );
  assert.ok(
    k8s.includes('kubernetes/alertmanager-configs/templates.yaml') &&
      k8s.includes('kubernetes/alertmanager-configs/templates/templates.yaml'),
  );
  assertWithinLimits(artifacts);
});
