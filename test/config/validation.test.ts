// Every invalid config is refused with each problem at the file, line and column of its field,
// naming the service/SLO and the field. The table runs the validator in-process on a config
// written to a file (so fields can be located in it); the CLI runs for what only it does: the
// exit code, the "nothing was written" line, the loader's own errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { cli, cliIn, linkSloforge, tempDir, writeTree, existsSync } from '../helpers/cli.js';
import { baseConfig, configSource } from '../helpers/config.js';
import { validateConfig } from '../../src/config/validate.js';
import { ConfigError, formatProblems } from '../../src/config/errors.js';
import { registerSource } from '../../src/config/source-location.js';
import { compile } from '../../src/compile.js';

/** The problems validation reports for baseConfig() after `mutate`, as `generate` prints them (without "error: "). */
function rejected(mutate: (cfg: any) => void): string {
  const cfg = baseConfig();
  mutate(cfg);
  const source = configSource(cfg);
  const file = path.join(tempDir(), 'index.ts');
  writeFileSync(file, source);
  registerSource(cfg, file);
  let err: unknown;
  try {
    validateConfig(cfg);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err === undefined ? 'none' : String(err)}`);
  const text = formatProblems(err, cfg, file);
  for (const line of text.split('\n').filter((l) => !l.startsWith('warning: '))) {
    assert.ok(line.startsWith(`${file}:`) && /^:\d+:\d+: /.test(line.slice(file.length)), `names the file, line and column: ${line}`);
  }
  assertAtField(text, source);
  return text;
}

/**
 * Each problem's line and column point at the field it names (the JSON key, or for a missing
 * field the object that lacks it), not at the start of the file or of its service.
 */
function assertAtField(text: string, source: string): void {
  const lines = source.split('\n');
  for (const m of text.matchAll(/index\.ts:(\d+):(\d+): .*?field "([^"]+)": (.*)$/gm)) {
    const at = lines[Number(m[1]) - 1]!.slice(Number(m[2]) - 1);
    const keys = m[3]!.split('.');
    // A list element is where it starts; a field that is missing is located at its object.
    const ok =
      keys.some((k) => at.startsWith(`"${k}"`)) ||
      /^\d+$/.test(keys.at(-1)!) ||
      at.startsWith('{') ||
      (m[4]!.startsWith('is required') && at.startsWith('"'));
    assert.ok(ok, `${m[0]} points at ${JSON.stringify(at)}`);
  }
}

const SLO0 = 'service "checkout" > SLO "availability"';
const SLO1 = 'service "checkout" > SLO "latency"';
const Q = 'service "checkout" > SLO "availability" > field "sli.query';

/** The service labelled tier="1", its first SLO grouped by `labels`, its second a query SLI by route whose errors sum the route away. */
function grouped(c: any, labels: string[]): void {
  c.services[0].labels = { tier: '1' };
  c.services[0].slos[0].groupBy = labels;
  c.services[0].slos[1].groupBy = ['route'];
  c.services[0].slos[1].sli = {
    query: { errors: 'sum(rate(x_total{code="500"}[$window]))', total: 'sum by (route) (rate(x_total[$window]))' },
  };
}

interface Row {
  /** What is refused, and why. */
  name: string;
  mutate: (cfg: any) => void;
  /** Text the report must contain: the object, the field, the reason. */
  says: string[];
  /** Text it must not contain (an object with no problem). */
  not?: string[];
}

const ROWS: Row[] = [
  {
    name: 'an objective of 100 or more',
    mutate: (c) => (c.services[0].slos[0].objective = 100),
    says: [SLO0, 'field "objective"', 'below 100'],
  },
  { name: 'an objective of 0 or less', mutate: (c) => (c.services[0].slos[0].objective = 0), says: [SLO0, 'field "objective"', 'above 0'] },
  {
    name: 'an unknown period format',
    mutate: (c) => (c.services[0].slos[1].period = '30 days'),
    says: [SLO1, 'field "period"', 'not a duration'],
  },
  {
    name: 'a period outside 1d..365d',
    mutate: (c) => (c.services[0].slos[1].period = '2h'),
    says: [SLO1, 'field "period"', 'between 1d and 365d'],
  },
  {
    name: 'duplicate service names',
    mutate: (c) => c.services.push({ ...c.services[0] }),
    says: ['service "checkout"', 'field "name"', 'duplicate service name "checkout"'],
  },
  {
    name: 'duplicate SLO names',
    mutate: (c) => (c.services[0].slos[1].name = 'availability'),
    says: ['service "checkout" > SLO "availability"', 'field "name"', 'duplicate SLO name'],
  },
  {
    name: "an SLO whose rule group name is the no-data group's or a threshold's",
    mutate: (c) => {
      c.services[0].thresholds = [{ name: 'cpu', expr: 'rate(process_cpu_seconds_total[5m]) * 100', critical: 90 }];
      c.services[0].slos[0].name = 'nodata';
      c.services[0].slos[1].name = 'threshold-cpu';
    },
    says: [
      'service "checkout" > SLO "nodata" > field "name": would name the SLO\'s rule group "sloforge-checkout-nodata", which is the rule group of its no-data alerts',
      `SLO "threshold-cpu" > field "name": would name the SLO's rule group "sloforge-checkout-threshold-cpu", which is the rule group of threshold "cpu"`,
    ],
  },
  {
    name: 'an unknown team',
    mutate: (c) => (c.services[0].team = 'billing'),
    says: ['service "checkout"', 'field "team"', 'unknown team "billing"'],
  },
  {
    name: 'a selector that does not parse as PromQL',
    mutate: (c) => (c.services[0].slos[0].sli.ratio.errors = 'http_requests_total{job="checkout",code=~"5.."'),
    says: [SLO0, 'field "sli.ratio.errors"', 'does not parse as PromQL'],
  },
  {
    name: 'an expression where a selector is required',
    mutate: (c) => (c.services[0].slos[0].sli.ratio.total = 'sum(rate(http_requests_total[5m]))'),
    says: [SLO0, 'field "sli.ratio.total"', 'series selector'],
  },
  {
    name: 'a threshold expression that does not parse',
    mutate: (c) => (c.services[0].thresholds = [{ name: 'cpu', expr: 'rate(process_cpu_seconds_total[5m] * 100', critical: 90 }]),
    says: ['service "checkout" > threshold "cpu"', 'field "expr"', 'does not parse as PromQL'],
  },
  {
    name: 'a latency threshold of 0',
    mutate: (c) => (c.services[0].slos[1].sli.latency.threshold = 0),
    says: [SLO1, 'field "sli.latency.threshold"', 'positive'],
  },
  {
    name: 'a negative latency threshold',
    mutate: (c) => (c.services[0].slos[1].sli.latency.threshold = -0.3),
    says: [SLO1, 'field "sli.latency.threshold"', 'positive'],
  },
  {
    name: 'an SLI histogram named by its _bucket series, with the base name to use',
    mutate: (c) => (c.services[0].slos[1].sli.latency.histogram = 'http_request_duration_seconds_bucket{job="checkout"}'),
    says: [
      SLO1,
      'field "sli.latency.histogram"',
      'names the histogram\'s "_bucket" series; give its base name, "http_request_duration_seconds"',
    ],
  },
  {
    name: 'a percentile histogram named by its _count series',
    mutate: (c) =>
      (c.services[0].thresholds = [{ name: 'p99', percentile: { histogram: 'rpc_seconds_count', quantile: 0.99 }, warning: 1 }]),
    says: ['threshold "p99"', 'field "percentile.histogram"', 'give its base name, "rpc_seconds"'],
  },
  {
    name: 'a ratio histogram named by its _sum series',
    mutate: (c) => (c.services[0].thresholds = [{ name: 'slow', ratio: { histogram: 'rpc_seconds_sum', slowerThan: 1 }, warning: 5 }]),
    says: ['threshold "slow"', 'field "ratio.histogram"', '"_sum" series'],
  },
  {
    name: 'a no-data wait under 2m (it would page on one missed scrape)',
    mutate: (c) => (c.services[0].slos[0].alerting = { noData: { for: '90s' } }),
    says: [SLO0, 'field "alerting.noData.for"', 'at least 2m'],
  },
  {
    name: 'a misspelt field, by name',
    mutate: (c) => (c.services[0].slos[0].objectve = 99),
    says: [SLO0, 'field "objectve"', 'not a known field'],
  },
  {
    name: 'both errors and good on one ratio SLI',
    mutate: (c) => (c.services[0].slos[0].sli.ratio.good = 'http_requests_total{code="200"}'),
    says: [SLO0, 'field "sli.ratio.errors"', 'exactly one of'],
  },
  {
    name: 'an unknown remediation',
    mutate: (c) => (c.services[0].slos[0].alerting = { remediation: 'reboot-all' }),
    says: [SLO0, 'field "alerting.remediation"', 'unknown remediation "reboot-all"'],
  },
  {
    name: 'a service label that sloforge sets itself',
    mutate: (c) => (c.services[0].labels = { severity: 'low' }),
    says: ['service "checkout"', 'field "labels.severity"', 'set by sloforge'],
  },
  {
    name: 'query SLIs without $window, that do not parse with it, or with a range where a value belongs',
    mutate: (c) => {
      c.services[0].slos[0].sli = {
        query: { errors: 'sum(rate(http_requests_total{code=~"5.."}[5m]))', total: 'sum(vector(1)[$window])' },
      };
      c.services[0].slos.push({
        name: 'f',
        objective: 99,
        sli: { query: { good: 'sum(rate(x_total[$window])', total: 'x_total[$window]' } },
      });
      c.services[0].slos.push({ name: 'g', objective: 99, sli: { query: { total: 'sum(rate(x_total[$window]))' } } });
    },
    says: [
      `${Q}.errors": must contain the placeholder $window`,
      `${Q}.total": takes a range of "vector(1)", which is no series selector`,
      'SLO "f" > field "sli.query.good": does not parse as PromQL',
      'SLO "f" > field "sli.query.total": is a range vector',
      'SLO "g" > field "sli.query.errors": give exactly one of `errors` or `good`',
    ],
    not: ['SLO "latency"'],
  },
  {
    name: 'an SLI with two kinds; boolGauge and native latency fields',
    mutate: (c) => {
      c.services[0].slos[0].sli.boolGauge = { series: 'probe_success{job="blackbox"}' };
      c.services[0].slos[1].sli.latency.native = 'yes';
      c.services[0].slos.push({ name: 'probe', objective: 99, sli: { boolGauge: { series: 'avg(probe_success)' } } });
    },
    says: [
      `${SLO0} > field "sli": must have exactly one kind`,
      `${SLO1} > field "sli.latency.native": must be true or false`,
      'SLO "probe" > field "sli.boolGauge.series": must be a series selector',
    ],
  },
  {
    name: 'a groupBy that names a label twice',
    mutate: (c) => grouped(c, ['route', 'slo', 'job', 'tier', 'route']),
    says: [`${SLO0} > field "groupBy.4": names "route" twice`],
  },
  {
    name: 'a groupBy label sloforge sets next to its exported_ name, one the service fixes, one a selector pins, and queries that sum it away',
    mutate: (c) => {
      grouped(c, ['route', 'service', 'job', 'tier', 'exported_service']);
      c.services[0].slos.push({
        name: 'probe',
        objective: 99,
        groupBy: ['route'],
        sli: { boolGauge: { series: 'probe_success{route=~"/a"}' } },
      });
    },
    says: [
      `${SLO0} > field "groupBy.1": "service" is carried as "exported_service" in the recordings and alerts (sloforge sets "service" itself), and the SLO also groups by "exported_service"`,
      `${SLO0} > field "groupBy.2": "job" is pinned to "checkout" by sli.ratio.errors (job="checkout")`,
      `${SLO0} > field "groupBy.3": "tier" is also set to "1" by the service's labels`,
      `${SLO1} > field "sli.query.errors": aggregates the grouping label "route" away`,
      'SLO "probe" > field "groupBy.0": cannot build test series for this grouping label: the matchers on grouping label "route" (=~"/a") allow fewer than 2 values',
    ],
  },
  {
    name: 'a team without a ticket receiver when one of its SLOs still tickets',
    mutate: (c) => {
      delete c.teams[0].ticket;
      c.services[0].slos[0].alerting = { ticket: false, noData: { severity: 'critical' } };
      c.services[0].slos[1].alerting = { noData: { severity: 'critical' } };
    },
    says: ['team "payments"', 'field "ticket"', 'SLO checkout/latency tickets'],
  },
  {
    name: 'remediationTiers without a remediation, with a tier that does not alert; a page-tier remediation without the page',
    mutate: (c) => {
      c.remediations = [{ name: 'restart', action: { http: { url: 'http://127.0.0.1:9/restart' } } }];
      c.services[0].slos[0].alerting = { remediationTiers: ['ticket'] };
      c.services[0].slos[1].alerting = { remediation: 'restart', remediationTiers: ['page', 'ticket'], ticket: false };
      c.services[0].slos.push({ ...c.services[0].slos[0], name: 'third', alerting: { remediation: 'restart', page: false } });
    },
    says: [
      `${SLO0} > field "alerting.remediationTiers": says which tiers start a remediation, but alerting.remediation names none`,
      `${SLO1} > field "alerting.remediationTiers.1": is "ticket", but that tier does not alert (ticket: false), so it would never start the remediation`,
      `SLO "third" > field "alerting.remediation": runs on the page tier unless remediationTiers says otherwise, and page: false switches that tier off; say remediationTiers: ['ticket']`,
    ],
  },
];

for (const row of ROWS) {
  test(`refused: ${row.name}`, () => {
    const text = rejected(row.mutate);
    for (const f of row.says) assert.ok(text.includes(f), `should contain ${JSON.stringify(f)}:\n${text}`);
    for (const f of row.not ?? []) assert.ok(!text.includes(f), `should not contain ${JSON.stringify(f)}:\n${text}`);
  });
}

test('a team without a ticket receiver is fine when every SLO of it switches its ticket off', () => {
  const cfg = baseConfig();
  delete cfg.teams[0].ticket;
  for (const slo of cfg.services[0].slos) slo.alerting = { ticket: false, noData: { severity: 'critical' } };
  const rules = compile(validateConfig(cfg)).find((a) => a.path === 'prometheus/rules/checkout.yml')!.content;
  assert.ok(!rules.includes('ErrorBudgetBurnSlow'));
  assert.ok(rules.includes('ErrorBudgetBurnFast'));
});

test('the CLI exits 1, reports every problem (not just the first) at its file, line and column, and writes nothing', async () => {
  const cfg = baseConfig();
  cfg.services[0].slos[0].objective = 120;
  cfg.services[0].slos[1].period = 'soon';
  const source = configSource(cfg);
  const dir = writeTree({ 'slos/index.ts': source });
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out);
  assert.equal(r.code, 1, `expected exit 1, got ${r.code}; stderr: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.match(lines[0]!, /^error: \S*slos\/index\.ts:\d+:\d+: service "checkout" > SLO "availability" > field "objective": /);
  assert.match(lines[1]!, /^\S*slos\/index\.ts:\d+:\d+: service "checkout" > SLO "latency" > field "period": /);
  assert.equal(lines[2], '2 problems; nothing was written');
  assertAtField(r.stderr, source);
  assert.equal(existsSync(out), false, 'nothing is written');
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
  assert.ok(
    r.stderr.startsWith(
      `error: slos/thresholds.ts:2:${thresholds.indexOf('warning') + 1}: service "checkout" > threshold "cpu" > field "warning"`,
    ),
    r.stderr,
  );
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
  assert.ok(
    r.stderr.startsWith(
      `error: slos/checkout.ts:${line + 1}:${lines[line]!.indexOf('"objective"') + 1}: service "checkout" > SLO "availability" > field "objective"`,
    ),
    r.stderr,
  );
  assert.equal(existsSync(path.join(dir, 'generated')), false);
});
