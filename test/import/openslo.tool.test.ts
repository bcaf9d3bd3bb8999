// OpenSLO v1 (SLO with inline indicator or indicatorRef, Service, DataSource, AlertPolicy) and
// v1alpha documents become a slos folder that generates rules promtool accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { promtool } from '../helpers/tools.js';
import { writeTree } from '../helpers/cli.js';
import { FIXTURES, importAndGenerate } from './helpers.js';

test('an OpenSLO folder imports, generates, and passes promtool check rules', async () => {
  const { slos, gen, imported } = await importAndGenerate('openslo', path.join(FIXTURES, 'openslo'));
  assert.match(imported.stdout, /imported 4 service\(s\) and 6 SLO\(s\)/);
  assert.match(imported.stderr, /web\.yaml \(document 5\): AlertPolicy "web-fast-burn" ignored/);
  assert.match(
    imported.stderr,
    /SLO "web-latency" > field "spec\.objectives\[1\]": one of 2 objectives: imported as SLO "web-latency-nearly-all-pages"/,
  );

  const ruleFiles = readdirSync(path.join(gen, 'prometheus/rules')).sort();
  // The services' SLO files, and beside each its no-data alerts' file.
  assert.deepEqual(
    ruleFiles.filter((f) => !f.endsWith('.nodata.yml')),
    ['catalog.yml', 'checkout.yml', 'web.yml'],
  );
  const check = await promtool('check', 'rules', ...ruleFiles.map((f) => path.join(gen, 'prometheus/rules', f)));
  assert.ok(check.ok, check.output);

  const web = parse(readFileSync(path.join(gen, 'prometheus/rules/web.yml'), 'utf8')) as {
    groups: Array<{ rules: Array<{ labels?: Record<string, string> }> }>;
  };
  const names = new Set(
    web.groups
      .flatMap((g) => g.rules)
      .map((r) => r.labels?.slo)
      .filter(Boolean),
  );
  assert.deepEqual([...names].sort(), ['web-availability', 'web-latency-most-pages', 'web-latency-nearly-all-pages']);

  const checkout = readFileSync(path.join(gen, 'prometheus/rules/checkout.yml'), 'utf8');
  assert.match(checkout, /slo: checkout-success/);

  // A Service with no SLO yet is kept; the team comes from its `team` label.
  const index = readFileSync(path.join(slos, 'index.ts'), 'utf8');
  assert.match(index, /imageResizerService/);
  assert.match(readFileSync(path.join(slos, 'web.ts'), 'utf8'), /team: "storefront"/);
});

test('an indicatorRef with bad/total counters maps to errors/total, a bucket/_count pair to a latency SLI', async () => {
  const { slos } = await importAndGenerate('openslo', path.join(FIXTURES, 'openslo/web.yaml'));
  const web = readFileSync(path.join(slos, 'web.ts'), 'utf8');
  assert.match(web, /errors: "http_requests_total\{service=\\"web\\",code=~\\"5\.\.\\"\}"/);
  assert.match(web, /period: "28d"/);
  assert.match(web, /objective: 99\.5,/);
  assert.match(web, /histogram: "http_request_duration_seconds\{service=\\"web\\"\}",\s+threshold: 0\.5/);
  assert.match(web, /period: "7d"/);
});

test('v1alpha as Sloth writes it: no isRolling, {{.window}}, a ratio per objective', async () => {
  const { slos } = await importAndGenerate('openslo', path.join(FIXTURES, 'openslo/catalog-v1alpha.yaml'));
  const catalog = readFileSync(path.join(slos, 'catalog.ts'), 'utf8');
  assert.match(catalog, /name: "catalog-latency-1",\s+objective: 99,\s+period: "28d"/);
  assert.match(catalog, /name: "catalog-latency-2",\s+objective: 99\.9,/);
  assert.match(catalog, /histogram: "catalog_request_duration_seconds\{route!=\\"\/healthz\\"\}",\s+threshold: 0\.25/);
  assert.match(catalog, /threshold: 2\n/);
});

test('a raw ratioMetric of two counters imports by its rawType', async () => {
  const specs = writeTree({
    'slo.yaml': `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-success
spec:
  service: api
  indicator:
    metadata: { name: api-success-ratio }
    spec:
      ratioMetric:
        counter: false
        rawType: success
        raw:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(api_requests_total{code!~"5.."}[5m])) / sum(rate(api_requests_total[5m]))
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ target: 0.999 }]
`,
  });
  const { slos } = await importAndGenerate('openslo', path.join(specs, 'slo.yaml'));
  assert.match(
    readFileSync(path.join(slos, 'api.ts'), 'utf8'),
    /good: "api_requests_total\{code!~\\"5\.\.\\"\}",\s+total: "api_requests_total"/,
  );
});
