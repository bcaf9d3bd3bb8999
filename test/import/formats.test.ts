// Spec shapes beyond one object per document: OpenSLO written as a top-level list, Sloth's plugin
// chains, and a spec given to the other command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, existsSync, writeTree } from '../helpers/cli.js';

const OPENSLO_LIST = `# as OpenSLO's go-sdk and oslo write several objects
- apiVersion: openslo/v1
  kind: Service
  metadata:
    name: web
    labels: { team: frontend }
  spec: {}
- apiVersion: openslo/v1
  kind: SLO
  metadata:
    name: web-availability
  spec:
    service: web
    timeWindow: [{ duration: 28d, isRolling: true }]
    budgetingMethod: Occurrences
    indicator:
      metadata: { name: web-errors }
      spec:
        ratioMetric:
          counter: true
          bad: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total{service="web",code=~"5.."}[5m]))' } } }
          total: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total{service="web"}[5m]))' } } }
    objectives: [{ target: 0.995 }]
`;

const SLOTH = (plugins: string) => `version: prometheus/v1
service: api
labels: { owner: platform }
${plugins}slos:
  - name: availability
    objective: 99.9
    plugins:
      chain:
        - id: sloth.dev/core/debug/v1
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="api",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="api"}[{{.window}}]))
`;

test('an OpenSLO file that is one top-level YAML list is read item by item', async () => {
  const dir = writeTree({ 'specs/web.yaml': OPENSLO_LIST });
  const out = path.join(dir, 'slos');
  const r = await cli('import', 'openslo', path.join(dir, 'specs'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const web = readFileSync(path.join(out, 'web.ts'), 'utf8');
  assert.match(web, /team: "frontend"/);
  assert.match(web, /name: "web-availability",\n\s+objective: 99\.5,\n\s+period: "28d"/);
  const gen = await cli('generate', '--slos', out, '--out', path.join(dir, 'generated'));
  assert.equal(gen.code, 0, gen.stderr);

  const bad = writeTree({ 'specs/web.yaml': OPENSLO_LIST.replace('budgetingMethod: Occurrences', 'budgetingMethod: Timeslices') });
  const failed = await cli('import', 'openslo', path.join(bad, 'specs'), '--out', path.join(bad, 'slos'));
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /specs\/web\.yaml \(item 2\): service "web" > SLO "web-availability" > field "spec\.budgetingMethod"/);
});

test('Sloth plugin chains are notes, of the service and of an SLO', async () => {
  const dir = writeTree({
    'specs/api.yml': SLOTH('slo_plugins:\n  chain:\n    - id: sloth.dev/contrib/info_labels/v1\n      config: { labels: { tier: "1" } }\n'),
  });
  const out = path.join(dir, 'slos');
  const r = await cli('import', 'sloth', path.join(dir, 'specs'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /note: .*api\.yml: service "api" > field "slo_plugins\.chain\[0\]": Sloth plugin "sloth\.dev\/contrib\/info_labels\/v1" ignored: it rewrites the rules Sloth generates/,
  );
  assert.match(
    r.stderr,
    /note: .*api\.yml: service "api" > SLO "availability" > field "plugins\.chain\[0\]": Sloth plugin "sloth\.dev\/core\/debug\/v1" ignored/,
  );
  assert.match(readFileSync(path.join(out, 'api.ts'), 'utf8'), /^\/\/ - Sloth plugin "sloth\.dev\/contrib\/info_labels\/v1" ignored/m);
});

test('the denominator_corrected plugin is refused with the reason: it changes the SLI', async () => {
  for (const [where, spec] of [
    [
      'field "sloPlugins.chain[0]"',
      SLOTH('')
        .replace(
          'version: prometheus/v1\nservice: api',
          'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: { name: api }\nspec:\n  service: api',
        )
        .replace(/\n(?=\S)(?!apiVersion|kind|metadata|spec)/g, '\n  ')
        .replace('  slos:', '  sloPlugins:\n    chain:\n      - id: sloth.dev/contrib/denominator_corrected_rules/v1\n  slos:'),
    ],
    [
      'SLO "availability" > field "plugins.chain[1]"',
      SLOTH('').replace(
        '        - id: sloth.dev/core/debug/v1\n',
        '        - id: sloth.dev/core/debug/v1\n        - id: sloth.dev/contrib/denominator_corrected_rules/v1\n',
      ),
    ],
  ] as const) {
    const dir = writeTree({ 'specs/api.yml': spec });
    const r = await cli('import', 'sloth', path.join(dir, 'specs'), '--out', path.join(dir, 'slos'));
    assert.equal(r.code, 1, `${spec}\n${r.stderr}`);
    assert.ok(
      r.stderr.includes(
        `service "api" > ${where}: cannot be imported: Sloth plugin "sloth.dev/contrib/denominator_corrected_rules/v1" scales each window's error ratio by that window's share of the period's traffic, which changes the SLI itself`,
      ),
      r.stderr,
    );
    assert.match(r.stderr, /^1 problem; nothing was written$/m);
    assert.equal(existsSync(path.join(dir, 'slos')), false);
  }
});

test('a Sloth spec given to import openslo, and OpenSLO to import sloth, say which command to use', async () => {
  const sloth = writeTree({ 'specs/api.yml': SLOTH('') });
  const asOpenSlo = await cli('import', 'openslo', path.join(sloth, 'specs'), '--out', path.join(sloth, 'slos'));
  assert.equal(asOpenSlo.code, 1);
  assert.match(asOpenSlo.stderr, /specs: no OpenSLO SLOs or Services found, but 1 Sloth spec\(s\): use `sloforge import sloth .*specs`/);

  const openslo = writeTree({ 'specs/web.yaml': OPENSLO_LIST });
  const asSloth = await cli('import', 'sloth', path.join(openslo, 'specs'), '--out', path.join(openslo, 'slos'));
  assert.equal(asSloth.code, 1);
  assert.match(asSloth.stderr, /specs: no Sloth service specs found, but 2 OpenSLO document\(s\): use `sloforge import openslo .*specs`/);
  assert.equal(existsSync(path.join(openslo, 'slos')), false);

  // Both kinds in one folder: each command imports its own and names the command for the rest.
  const mixed = writeTree({ 'specs/api.yml': SLOTH(''), 'specs/web.yaml': OPENSLO_LIST });
  const r = await cli('import', 'sloth', path.join(mixed, 'specs'), '--out', path.join(mixed, 'slos'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /note: .*web\.yaml \(item 1\): skipped: Service \(openslo\/v1\) is an OpenSLO document: import it with `sloforge import openslo`/,
  );
});
