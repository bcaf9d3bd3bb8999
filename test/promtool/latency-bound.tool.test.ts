// A latency SLO whose threshold is no bucket bound reads every request as slow and pages. That
// cannot be seen offline; in production its no-data alert must say why, next to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { stringify } from 'yaml';
import { validateConfig } from '../../src/config/validate.js';
import { compile } from '../../src/compile.js';
import { baseConfig } from '../helpers/config.js';
import { promtool } from '../helpers/tools.js';

test("a latency threshold that is no bucket bound raises the SLO's no-data alert beside its false page", async () => {
  const cfg = baseConfig(); // latency threshold 0.3 s
  const dir = tempDir('sloforge-bound-');
  mkdirSync(path.join(dir, 'rules'));
  // The SLO's rules and its no-data alert, each in its file.
  const files = compile(validateConfig(cfg)).filter((a) => a.path.startsWith('prometheus/rules/'));
  for (const a of files) writeFileSync(path.join(dir, 'rules', path.basename(a.path)), a.content);
  const rules = { content: files.map((a) => a.content).join('\n') };

  // The histogram exposes 0.25 and 0.5, never 0.3; all requests are fast and _count is there.
  const h = 'http_request_duration_seconds';
  const job = 'job="checkout"';
  const firing = (alertname: string, labels: string) => ({
    expr: `ALERTS{alertname="${alertname}",slo="latency",alertstate="firing"}`,
    eval_time: '20m',
    exp_samples: [
      {
        labels: `{__name__="ALERTS",alertname="${alertname}",alertstate="firing",service="checkout",slo="latency",team="payments",${labels}}`,
        value: 1,
      },
    ],
  });
  const file = {
    rule_files: files.map((a) => `rules/${path.basename(a.path)}`),
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          { series: `${h}_bucket{${job},le="0.25"}`, values: '0+100x30' },
          { series: `${h}_bucket{${job},le="0.5"}`, values: '0+100x30' },
          { series: `${h}_bucket{${job},le="+Inf"}`, values: '0+100x30' },
          { series: `${h}_count{${job}}`, values: '0+100x30' },
          { series: `http_requests_total{${job}}`, values: '0+100x30' },
        ],
        promql_expr_test: [
          // The SLI reads 100% errors: a false page, which the no-data alert explains.
          firing('ErrorBudgetBurnFast', 'severity="critical"'),
          firing('SLONoData', 'nodata="true",severity="warning"'),
        ],
      },
    ],
  };
  writeFileSync(path.join(dir, 'bound.test.yml'), stringify(file));
  const r = await promtool('test', 'rules', path.join(dir, 'bound.test.yml'));
  assert.ok(r.ok, r.output);
  // The alert names the missing bucket and what it means.
  assert.match(rules.content, /absent_over_time\(http_request_duration_seconds_bucket\{job="checkout",le=~"0\\\\.3"\}\[5m\]\)/);
  assert.match(rules.content, /0\.3 s is not one of the histogram's bucket bounds/);
});
