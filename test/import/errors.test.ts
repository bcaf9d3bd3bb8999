// Specs sloforge cannot carry over faithfully fail with the file, service, SLO and field, exit 1,
// and write nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, existsSync, writeTree } from '../helpers/cli.js';

async function importFails(kind: 'sloth' | 'openslo', files: Record<string, string>, ...expected: RegExp[]) {
  const dir = writeTree(files);
  const out = path.join(dir, 'slos');
  const r = await cli('import', kind, path.join(dir, 'specs'), '--out', out);
  assert.equal(r.code, 1, r.stdout);
  for (const e of expected) assert.match(r.stderr, e);
  assert.equal(existsSync(out), false, 'nothing may be written');
  return r.stderr;
}

const slothSpec = (sli: string) => `version: prometheus/v1
service: api
slos:
  - name: good-one
    objective: 99
    sli:
      events:
        error_query: sum(rate(errors_total[{{.window}}]))
        total_query: sum(rate(requests_total[{{.window}}]))
  - name: bad-one
    objective: 99.9
    sli:
${sli}
`;

test('a Sloth raw error ratio that is not one counter over another: the error names file, service, SLO and field', async () => {
  await importFails(
    'sloth',
    {
      'specs/api.yml': slothSpec('      raw:\n        error_ratio_query: 1 - max_over_time(probe_success{job="api"}[{{.window}}])'),
    },
    /^error: .*specs\/api\.yml: service "api" > SLO "bad-one" > field "sli\.raw\.error_ratio_query": is not a ratio sloforge can import: expected A \/ B or 1 - \(A \/ B\).*sloforge needs the error and total parts apart/m,
    /^1 problem; nothing was written$/m,
  );
});

test('a Sloth raw error ratio that is the mean of a gauge where 1 is bad is refused: a boolGauge counts 1 as good', async () => {
  await importFails(
    'sloth',
    {
      'specs/api.yml': slothSpec('      raw:\n        error_ratio_query: avg_over_time(probe_failed{job="api"}[{{.window}}])'),
    },
    /field "sli\.raw\.error_ratio_query": reads the mean of probe_failed\{job="api"\} so that 1 is a bad event; sloforge's sli\.boolGauge needs a gauge that is 1 when good/,
  );
});

test('a Sloth raw error ratio of 1 - avg_over_time(gauge) imports as a boolGauge SLI, avg(...) around it with a note', async () => {
  for (const [query, note] of [
    [
      '1 - avg_over_time(probe_success{job="api"}[{{.window}}])',
      /imported as sli\.boolGauge of probe_success\{job="api"\}, whose error ratio is the share of samples at 0; values/,
    ],
    [
      '1 - (avg(avg_over_time(probe_success{job="api"}[{{.window}}])))',
      /avg\(\.\.\.\) averaged each series' mean, the boolGauge weighs every sample alike/,
    ],
  ] as const) {
    const dir = writeTree({ 'specs/api.yml': slothSpec(`      raw:\n        error_ratio_query: ${query}`) });
    const out = path.join(dir, 'slos');
    const r = await cli('import', 'sloth', path.join(dir, 'specs'), '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, note);
    assert.match(
      readFileSync(path.join(out, 'api.ts'), 'utf8'),
      /name: "bad-one",[\s\S]*boolGauge: \{\s+series: "probe_success\{job=\\"api\\"\}"/,
    );
  }
});

test('Sloth plugins and the CRD spelling name their own fields', async () => {
  await importFails(
    'sloth',
    {
      'specs/api.yml': slothSpec('      plugin:\n        id: sloth-common/kubernetes/apiserver/availability'),
      'specs/k8s.yaml': `apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata: { name: x }
spec:
  service: billing
  slos:
    - name: ratio
      objective: 99
      sli:
        raw:
          errorRatioQuery: max(rate(e[{{.window}}]))
`,
    },
    /api\.yml: service "api" > SLO "bad-one" > field "sli\.plugin": cannot be imported: Sloth plugin "sloth-common\/kubernetes\/apiserver\/availability"/,
    /k8s\.yaml: service "billing" > SLO "ratio" > field "sli\.raw\.errorRatioQuery": is not a ratio/,
    /2 problems/,
  );
});

test('an event query of another shape without a window placeholder is refused with the query quoted', async () => {
  const stderr = await importFails(
    'sloth',
    {
      'specs/api.yml': slothSpec(
        '      events:\n        error_query: sum(a) + sum(b)\n        total_query: sum(rate(requests_total[{{.window}}]))',
      ),
    },
    /SLO "bad-one" > field "sli\.events\.error_query": the queries are no plain counter reads, and it has no \{\{\.window\}\} placeholder/,
  );
  assert.match(stderr, /"sum\(a\) \+ sum\(b\)"/);
});

test('an objective out of range and a PromQL syntax error are both reported', async () => {
  await importFails(
    'sloth',
    {
      'specs/api.yml': slothSpec(
        '      events:\n        error_query: sum(rate(errors_total{[{{.window}}]))\n        total_query: sum(rate(requests_total[{{.window}}]))',
      ).replace('objective: 99.9', 'objective: 100'),
    },
    /SLO "bad-one" > field "objective": must be above 0 and below 100/,
    /SLO "bad-one" > field "sli\.events\.error_query": does not parse as PromQL/,
  );
});

/** One OpenSLO v1 SLO with an inline indicator. */
const openSlo = (name: string, extra: string, indicator: string) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: ${name} }
spec:
  service: web
  indicator:
    metadata: { name: i-${name} }
    spec:
${indicator}
${extra}
  objectives:
    - target: 0.99
`;
const ratio = `      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: sum(ok_total) } } }
        total: { metricSource: { type: Prometheus, spec: { query: sum(all_total) } } }`;

test('OpenSLO thresholdMetric, calendar windows and time slices are refused', async () => {
  const threshold = `      thresholdMetric:
        metricSource: { type: Prometheus, spec: { query: 'histogram_quantile(0.99, sum by (le) (rate(d_bucket[5m])))' } }`;
  const rolling = '  timeWindow:\n    - duration: 28d\n      isRolling: true';
  await importFails(
    'openslo',
    {
      'specs/a.yaml': openSlo('p99', rolling, threshold),
      'specs/b.yaml': openSlo(
        'monthly',
        '  timeWindow:\n    - duration: 1M\n      isRolling: false\n      calendar: { startTime: "2024-01-01 00:00:00", timeZone: UTC }',
        ratio,
      ),
      'specs/c.yaml': openSlo('sliced', `${rolling}\n  budgetingMethod: Timeslices`, ratio),
      'specs/d.yaml': openSlo('months', '  timeWindow:\n    - duration: 1M\n      isRolling: true', ratio),
    },
    /a\.yaml: service "web" > SLO "p99" > field "spec\.indicator\.spec\.thresholdMetric\.metricSource\.spec\.query": cannot be imported: a thresholdMetric maps only when its query is a 0\/1 gauge's selector/,
    /b\.yaml: service "web" > SLO "monthly" > field "spec\.timeWindow\[0\]\.isRolling": calendar-aligned windows cannot be imported/,
    /c\.yaml: service "web" > SLO "sliced" > field "spec\.budgetingMethod": "Timeslices" cannot be imported/,
    /d\.yaml: service "web" > SLO "months" > field "spec\.timeWindow\[0\]\.duration": must be minutes, hours, days or weeks/,
  );
});

test('a missing indicatorRef and a non-Prometheus source name the field', async () => {
  await importFails(
    'openslo',
    {
      'specs/a.yaml': `apiVersion: openslo/v1
kind: SLO
metadata: { name: lost }
spec:
  service: web
  indicatorRef: nowhere
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ target: 0.9 }]
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: dd }
spec:
  ratioMetric:
    counter: true
    good: { metricSource: { type: Datadog, spec: { query: 'sum:ok{*}' } } }
    total: { metricSource: { type: Datadog, spec: { query: 'sum:all{*}' } } }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: elsewhere }
spec:
  service: web
  indicatorRef: dd
  timeWindow: [{ duration: 30d, isRolling: true }]
  objectives: [{ target: 0.9 }]
`,
    },
    /a\.yaml \(document 1\): service "web" > SLO "lost" > field "spec\.indicatorRef": names no SLI "nowhere"/,
    // The SLI's fields are in its own document.
    /a\.yaml \(document 2\): service "web" > SLO "elsewhere" > field "spec\.ratioMetric\.good\.metricSource\.type": must be Prometheus, got "Datadog"/,
  );
});

test('invalid YAML names the file and line', async () => {
  await importFails(
    'sloth',
    { 'specs/bad.yaml': 'version: prometheus/v1\nservice: [unclosed\n' },
    /specs\/bad\.yaml:\d+:\d+: not valid YAML/,
  );
});

test('a file that is not a Sloth spec is named', async () => {
  await importFails('sloth', { 'specs/x.yml': 'hello: world\n' }, /specs\/x\.yml: is not a Sloth spec/);
});

test('a missing input path is named', async () => {
  const dir = writeTree({ 'a.txt': '' });
  const r = await cli('import', 'sloth', path.join(dir, 'nope'), '--out', path.join(dir, 'out'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nope: no such file or folder/);
});

test('a value sloforge refuses after mapping (a period under a day) names the spec file, service, SLO and field', async () => {
  await importFails(
    'openslo',
    {
      'specs/short.yaml': openSlo('hourly', '  timeWindow: [{ duration: 12h, isRolling: true }]', ratio),
    },
    /specs\/short\.yaml: service "web" > SLO "hourly" > field "period": must be between 1d and 365d, got "12h"/,
    /nothing was written/,
  );
});
