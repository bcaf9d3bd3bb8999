// Every invalid config exits non-zero, names the file, the service/SLO and the field, and
// writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { cli, cliIn, linkSloforge, writeTree, existsSync } from '../helpers/cli.js';
import { baseConfig, configSource } from '../helpers/config.js';

async function expectRejected(mutate: (cfg: any) => void, ...fragments: string[]): Promise<string> {
  const cfg = baseConfig();
  mutate(cfg);
  const source = configSource(cfg);
  const dir = writeTree({ 'slos/index.ts': source });
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out);
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}; stderr: ${r.stderr}`);
  assert.match(r.stderr, /slos\/index\.ts:\d+:\d+: /, 'names the file, line and column');
  assertAtField(r.stderr, source);
  for (const f of fragments) assert.ok(r.stderr.includes(f), `stderr should contain ${JSON.stringify(f)}:\n${r.stderr}`);
  assert.equal(existsSync(out), false, 'nothing is written');
  return r.stderr;
}

/**
 * Each problem's line and column point at the field it names (the JSON key, or for a missing
 * field the object that lacks it), not at the start of the file or of its service.
 */
function assertAtField(stderr: string, source: string): void {
  const lines = source.split('\n');
  for (const m of stderr.matchAll(/index\.ts:(\d+):(\d+): .*?field "([^"]+)": (.*)$/gm)) {
    const at = lines[Number(m[1]) - 1]!.slice(Number(m[2]) - 1);
    const keys = m[3]!.split('.');
    // A list element is where it starts; a field that is missing is located at its object.
    const ok = keys.some((k) => at.startsWith(`"${k}"`)) || /^\d+$/.test(keys.at(-1)!) || at.startsWith('{') || (m[4]!.startsWith('is required') && at.startsWith('"'));
    assert.ok(ok, `${m[0]} points at ${JSON.stringify(at)}`);
  }
}

const SLO0 = 'service "checkout" > SLO "availability"';
const SLO1 = 'service "checkout" > SLO "latency"';

test('objective of 100 or more is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[0].objective = 100), SLO0, 'field "objective"', 'below 100');
});

test('objective of 0 or less is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[0].objective = 0), SLO0, 'field "objective"', 'above 0');
});

test('unknown period format is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[1].period = '30 days'), SLO1, 'field "period"', 'not a duration');
});

test('a period outside 1d..365d is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[1].period = '2h'), SLO1, 'field "period"', 'between 1d and 365d');
});

test('duplicate service names are rejected', async () => {
  await expectRejected((c) => c.services.push({ ...c.services[0] }), 'service "checkout"', 'field "name"', 'duplicate service name "checkout"');
});

test('duplicate SLO names are rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[1].name = 'availability'), 'service "checkout" > SLO "availability"', 'field "name"', 'duplicate SLO name');
});

test('an unknown team is rejected', async () => {
  await expectRejected((c) => (c.services[0].team = 'billing'), 'service "checkout"', 'field "team"', 'unknown team "billing"');
});

test('a selector that does not parse as PromQL is rejected', async () => {
  await expectRejected(
    (c) => (c.services[0].slos[0].sli.ratio.errors = 'http_requests_total{job="checkout",code=~"5.."'),
    SLO0,
    'field "sli.ratio.errors"',
    'does not parse as PromQL',
  );
});

test('an expression where a selector is required is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[0].sli.ratio.total = 'sum(rate(http_requests_total[5m]))'), SLO0, 'field "sli.ratio.total"', 'series selector');
});

test('a threshold expression that does not parse is rejected', async () => {
  await expectRejected(
    (c) => (c.services[0].thresholds = [{ name: 'cpu', expr: 'rate(process_cpu_seconds_total[5m] * 100', critical: 90 }]),
    'service "checkout" > threshold "cpu"',
    'field "expr"',
    'does not parse as PromQL',
  );
});

test('a non-positive latency threshold is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[1].sli.latency.threshold = 0), SLO1, 'field "sli.latency.threshold"', 'positive');
  await expectRejected((c) => (c.services[0].slos[1].sli.latency.threshold = -0.3), SLO1, 'field "sli.latency.threshold"', 'positive');
});

test('a histogram named by its _bucket, _count or _sum series is rejected with the base name to use', async () => {
  await expectRejected(
    (c) => (c.services[0].slos[1].sli.latency.histogram = 'http_request_duration_seconds_bucket{job="checkout"}'),
    SLO1, 'field "sli.latency.histogram"', 'names the histogram\'s "_bucket" series; give its base name, "http_request_duration_seconds"',
  );
  await expectRejected(
    (c) => (c.services[0].thresholds = [{ name: 'p99', percentile: { histogram: 'rpc_seconds_count', quantile: 0.99 }, warning: 1 }]),
    'threshold "p99"', 'field "percentile.histogram"', 'give its base name, "rpc_seconds"',
  );
  await expectRejected(
    (c) => (c.services[0].thresholds = [{ name: 'slow', ratio: { histogram: 'rpc_seconds_sum', slowerThan: 1 }, warning: 5 }]),
    'threshold "slow"', 'field "ratio.histogram"', '"_sum" series',
  );
});

test('a no-data wait under 2m is rejected: it would page on one missed scrape', async () => {
  await expectRejected((c) => (c.services[0].slos[0].alerting = { noData: { for: '90s' } }), SLO0, 'field "alerting.noData.for"', 'at least 2m');
});

test('a misspelt field is rejected by name', async () => {
  await expectRejected((c) => (c.services[0].slos[0].objectve = 99), SLO0, 'field "objectve"', 'not a known field');
});

test('both errors and good on one ratio SLI is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[0].sli.ratio.good = 'http_requests_total{code="200"}'), SLO0, 'field "sli.ratio.errors"', 'exactly one of');
});

test('an unknown remediation is rejected', async () => {
  await expectRejected((c) => (c.services[0].slos[0].alerting = { remediation: 'reboot-all' }), SLO0, 'field "alerting.remediation"', 'unknown remediation "reboot-all"');
});

test('a service label that sloforge sets itself is rejected', async () => {
  await expectRejected((c) => (c.services[0].labels = { severity: 'low' }), 'service "checkout"', 'field "labels.severity"', 'set by sloforge');
});

test('every problem is reported, not just the first', async () => {
  const stderr = await expectRejected((c) => {
    c.services[0].slos[0].objective = 120;
    c.services[0].slos[1].period = 'soon';
  }, 'field "objective"', 'field "period"');
  assert.deepEqual(stderr.trim().split('\n').slice(2), ['2 problems; nothing was written']);
});

test('a missing index.ts names the path', async () => {
  const dir = writeTree({ 'slos/readme.md': 'nothing' });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /slos\/index\.ts: not found/);
  assert.equal(existsSync(path.join(dir, 'generated')), false);
});

test('an index.ts without a default export is rejected', async () => {
  const dir = writeTree({ 'slos/index.ts': 'export const services = [];\n' });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /slos\/index\.ts: has no default export/);
});

test('a TypeScript syntax error names the file', async () => {
  const dir = writeTree({ 'slos/index.ts': 'export default { teams: [ ;\n' });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /slos\/index\.ts:1:27: could not be loaded: Unexpected ";"/);
});

test('errors in thresholds defined in their own file name that file', async () => {
  const cfg = baseConfig();
  const svc = cfg.services[0];
  const thresholds = `export const checkoutThresholds = defineThresholds([{ name: 'cpu', expr: 'avg(rate(process_cpu_seconds_total[5m])) * 100', warning: 90, critical: 80 }]);`;
  const dir = writeTree({
    'slos/thresholds.ts': `import { defineThresholds } from 'sloforge';\n${thresholds}\n`,
    'slos/index.ts': `import { checkoutThresholds } from './thresholds.js';\nexport default { teams: ${JSON.stringify(cfg.teams)}, services: [{ ...${JSON.stringify(svc)}, thresholds: checkoutThresholds }] };\n`,
  });
  const r = await cliIn(linkSloforge(dir), 'generate');
  assert.equal(r.code, 1, r.stderr);
  // The field itself: line 2 at `warning`, not the defineThresholds call.
  assert.ok(r.stderr.startsWith(`error: slos/thresholds.ts:2:${thresholds.indexOf('warning') + 1}: service "checkout" > threshold "cpu" > field "warning"`), r.stderr);
  assert.equal(existsSync(path.join(dir, 'generated')), false);
});

test('errors in a service defined in its own file name that file', async () => {
  const cfg = baseConfig();
  const svc = cfg.services[0];
  svc.slos[0].objective = 101;
  const dir = writeTree({
    'slos/checkout.ts': `import { defineService } from 'sloforge';\nexport const checkout = defineService(${JSON.stringify(svc, null, 2)});\n`,
    'slos/index.ts': `import { defineConfig } from 'sloforge';\nimport { checkout } from './checkout.js';\nexport default defineConfig({ teams: ${JSON.stringify(cfg.teams)}, services: [checkout] });\n`,
  });
  const r = await cliIn(linkSloforge(dir), 'generate');
  assert.equal(r.code, 1, r.stderr);
  const lines = readFileSync(path.join(dir, 'slos/checkout.ts'), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('"objective": 101'));
  assert.ok(r.stderr.startsWith(`error: slos/checkout.ts:${line + 1}:${lines[line]!.indexOf('"objective"') + 1}: service "checkout" > SLO "availability" > field "objective"`), r.stderr);
  assert.equal(existsSync(path.join(dir, 'generated')), false);
});

test('query SLIs need $window, PromQL that parses with it, and no range where a value belongs', async () => {
  const q = 'service "checkout" > SLO "availability" > field "sli.query';
  const stderr = await expectRejected((c) => {
    c.services[0].slos[0].sli = { query: { errors: 'sum(rate(http_requests_total{code=~"5.."}[5m]))', total: 'sum(vector(1)[$window])' } };
    c.services[0].slos.push({ name: 'f', objective: 99, sli: { query: { good: 'sum(rate(x_total[$window])', total: 'x_total[$window]' } } });
    c.services[0].slos.push({ name: 'g', objective: 99, sli: { query: { total: 'sum(rate(x_total[$window]))' } } });
  }, `${q}.errors": must contain the placeholder $window`, `${q}.total": takes a range of "vector(1)", which is no series selector`,
  'SLO "f" > field "sli.query.good": does not parse as PromQL', 'SLO "f" > field "sli.query.total": is a range vector',
  'SLO "g" > field "sli.query.errors": give exactly one of `errors` or `good`');
  assert.ok(!stderr.includes('SLO "latency"'));
});

test('an SLI has exactly one kind, and boolGauge and native latency check their fields', async () => {
  await expectRejected((c) => {
    c.services[0].slos[0].sli.boolGauge = { series: 'probe_success{job="blackbox"}' };
    c.services[0].slos[1].sli.latency.native = 'yes';
    c.services[0].slos.push({ name: 'probe', objective: 99, sli: { boolGauge: { series: 'avg(probe_success)' } } });
  }, `${SLO0} > field "sli": must have exactly one kind`, `${SLO1} > field "sli.latency.native": must be true or false`,
  'SLO "probe" > field "sli.boolGauge.series": must be a series selector');
});

test('groupBy refuses a label sloforge sets next to its exported_ name, labels the service fixes, labels a selector pins, and queries that sum them away', async () => {
  await expectRejected((c) => {
    c.services[0].labels = { tier: '1' };
    c.services[0].slos[0].groupBy = ['route', 'slo', 'job', 'tier', 'route'];
    c.services[0].slos[1].groupBy = ['route'];
    c.services[0].slos[1].sli = { query: { errors: 'sum(rate(x_total{code="500"}[$window]))', total: 'sum by (route) (rate(x_total[$window]))' } };
  }, `${SLO0} > field "groupBy.4": names "route" twice`);
  await expectRejected((c) => {
    c.services[0].labels = { tier: '1' };
    c.services[0].slos[0].groupBy = ['route', 'service', 'job', 'tier', 'exported_service'];
    c.services[0].slos[1].groupBy = ['route'];
    c.services[0].slos[1].sli = { query: { errors: 'sum(rate(x_total{code="500"}[$window]))', total: 'sum by (route) (rate(x_total[$window]))' } };
    c.services[0].slos.push({ name: 'probe', objective: 99, groupBy: ['route'], sli: { boolGauge: { series: 'probe_success{route=~"/a"}' } } });
  }, `${SLO0} > field "groupBy.1": "service" is carried as "exported_service" in the recordings and alerts (sloforge sets "service" itself), and the SLO also groups by "exported_service"`,
  `${SLO0} > field "groupBy.2": "job" is pinned to "checkout" by sli.ratio.errors (job="checkout")`,
  `${SLO0} > field "groupBy.3": "tier" is also set to "1" by the service's labels`,
  `${SLO1} > field "sli.query.errors": aggregates the grouping label "route" away`,
  'SLO "probe" > field "groupBy.0": cannot build test series for this grouping label: the matchers on grouping label "route" (=~"/a") allow fewer than 2 values');
});

test('a team without a ticket receiver is fine when every SLO of it switches its ticket off', async () => {
  const cfg = baseConfig();
  delete cfg.teams[0].ticket;
  for (const slo of cfg.services[0].slos) slo.alerting = { ticket: false, noData: { severity: 'critical' } };
  const dir = writeTree({ 'slos/index.ts': configSource(cfg) });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(r.code, 0, r.stderr);
  const rules = readFileSync(path.join(dir, 'generated/prometheus/rules/checkout.yml'), 'utf8');
  assert.ok(!rules.includes('ErrorBudgetBurnSlow'));
  assert.ok(rules.includes('ErrorBudgetBurnFast'));
  await expectRejected((c) => {
    Object.assign(c, cfg);
    c.services[0].slos[1].alerting = { noData: { severity: 'critical' } };
  }, 'team "payments"', 'field "ticket"', 'SLO checkout/latency tickets');
});

test('remediationTiers needs a remediation and tiers that alert; a page-tier remediation needs the page', async () => {
  await expectRejected((c) => {
    c.remediations = [{ name: 'restart', action: { http: { url: 'http://127.0.0.1:9/restart' } } }];
    c.services[0].slos[0].alerting = { remediationTiers: ['ticket'] };
    c.services[0].slos[1].alerting = { remediation: 'restart', remediationTiers: ['page', 'ticket'], ticket: false };
    c.services[0].slos.push({ ...c.services[0].slos[0], name: 'third', alerting: { remediation: 'restart', page: false } });
  },
  `${SLO0} > field "alerting.remediationTiers": says which tiers start a remediation, but alerting.remediation names none`,
  `${SLO1} > field "alerting.remediationTiers.1": is "ticket", but that tier does not alert (ticket: false), so it would never start the remediation`,
  `SLO "third" > field "alerting.remediation": runs on the page tier unless remediationTiers says otherwise, and page: false switches that tier off; say remediationTiers: ['ticket']`);
});
