// `sloforge check` and `sloforge status` against a real Prometheus 2.42 (the binary the native
// stack test runs) that scrapes a small workload this test drives: requests per route with a
// chosen share of 5xx, a classic latency histogram, a queue gauge. The generated rules of the
// correct config are loaded, so status reads their recordings and ALERTS. Phases: steady 2%
// errors (burn 0.4 against a 5% budget), a total outage (the page fires), then recovery.
// Fails (never skips) without the prometheus binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { cli, tempDir } from '../helpers/cli.js';
import { baseConfig, configSource, modelOf } from '../helpers/config.js';
import { freePort, until } from '../helpers/net.js';
import { tool } from '../helpers/tools.js';
import { compileModel } from '../../src/compile.js';
import { Proc } from '../stack/processes.js';

const ERRORS = 'http_requests_total{job="shop",code=~"5.."}';
const TOTAL = 'http_requests_total{job="shop"}';

function config(broken: boolean) {
  const cfg = baseConfig();
  cfg.services = [
    {
      name: 'shop',
      team: 'payments',
      slos: [
        // 95%: a 5% budget, so 2% errors burn at 0.4 and the page needs an error ratio above 0.5.
        {
          name: 'availability',
          objective: 95,
          sli: { ratio: { errors: broken ? 'http_request_total{job="shop",code=~"5.."}' : ERRORS, total: TOTAL } },
        },
        { name: 'per-route', objective: 95, groupBy: [broken ? 'region' : 'route'], sli: { ratio: { errors: ERRORS, total: TOTAL } } },
        {
          name: 'latency',
          objective: 95,
          sli: { latency: { histogram: 'http_request_duration_seconds{job="shop"}', threshold: broken ? 0.3 : 0.25 } },
        },
      ],
      thresholds: [{ name: 'queue', expr: broken ? 'queue_depth{job="shop"} > 1e9' : 'queue_depth{job="shop"}', warning: 100 }],
    },
  ];
  return cfg;
}

interface Traffic {
  ok: number;
  errors: number;
}
const ROUTES = ['/a', '/b'];
const BOUNDS = ['0.1', '0.25', '0.5', '1'];

/** The workload's counters, and the exposition Prometheus scrapes. */
class Workload {
  readonly ok = new Map(ROUTES.map((r) => [r, 0]));
  readonly errors = new Map(ROUTES.map((r) => [r, 0]));
  perTick: Traffic = { ok: 49, errors: 1 };

  tick(): void {
    for (const r of ROUTES) {
      this.ok.set(r, this.ok.get(r)! + this.perTick.ok);
      this.errors.set(r, this.errors.get(r)! + this.perTick.errors);
    }
  }

  totals(): Traffic {
    const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    return { ok: sum(this.ok), errors: sum(this.errors) };
  }

  text(): string {
    const lines = ['# TYPE http_requests_total counter'];
    for (const r of ROUTES) {
      lines.push(
        `http_requests_total{route="${r}",code="200"} ${this.ok.get(r)}`,
        `http_requests_total{route="${r}",code="500"} ${this.errors.get(r)}`,
      );
    }
    // Every request takes 0.2 s: within the 0.25 bucket.
    const { ok, errors } = this.totals();
    const n = ok + errors;
    lines.push('# TYPE http_request_duration_seconds histogram');
    for (const le of BOUNDS) lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${Number(le) >= 0.2 ? n : 0}`);
    lines.push(
      `http_request_duration_seconds_bucket{le="+Inf"} ${n}`,
      `http_request_duration_seconds_sum ${n * 0.2}`,
      `http_request_duration_seconds_count ${n}`,
    );
    lines.push('# TYPE queue_depth gauge', 'queue_depth 7');
    return `${lines.join('\n')}\n`;
  }
}

interface StatusJson {
  slos: Array<{
    service: string;
    slo: string;
    group: Record<string, string> | null;
    objective: number;
    period: string;
    sli: number | null;
    budgetRemaining: number | null;
    burnRates: Record<string, number | null>;
    firing: string[];
  }>;
}

test(
  'check finds what only live data shows, and status reports budget, burn rates and the page of an outage',
  { timeout: 240_000 },
  async (t) => {
    const prometheus = await tool('prometheus');
    const dir = tempDir('sloforge-live-');
    const good = path.join(dir, 'good');
    const bad = path.join(dir, 'bad');
    for (const [d, broken] of [
      [good, false],
      [bad, true],
    ] as const) {
      mkdirSync(d);
      writeFileSync(path.join(d, 'index.ts'), configSource(config(broken)));
    }
    const rules = compileModel(modelOf(config(false))).find((a) => a.path === 'prometheus/rules/shop.yml')!;
    writeFileSync(path.join(dir, 'rules.yml'), rules.content);

    const workload = new Workload();
    const timer = setInterval(() => workload.tick(), 100);
    const server = createServer(
      (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(workload.text()),
    );
    const exporterPort = await freePort();
    await new Promise<void>((resolve) => server.listen(exporterPort, '127.0.0.1', resolve));

    const promPort = await freePort();
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [path.join(dir, 'rules.yml')],
        scrape_configs: [{ job_name: 'shop', static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] }],
      }),
    );
    mkdirSync(path.join(dir, 'data'));
    const prom = new Proc('prometheus', prometheus, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    t.after(async () => {
      clearInterval(timer);
      await prom.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const url = `http://127.0.0.1:${promPort}`;
    const context = () => prom.output();
    await until(
      'Prometheus to be ready',
      async () => ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined),
      30_000,
      context,
    );

    const status = async (...extra: string[]) => cli('status', '--prometheus', url, '--slos', good, ...extra);
    const statusJson = async (): Promise<StatusJson> => {
      const r = await status('--format', 'json');
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as StatusJson;
    };
    const row = (s: StatusJson, slo: string, route?: string) =>
      s.slos.find((r) => r.slo === slo && (route === undefined || r.group?.route === route));

    // Steady: 2% errors. Wait for the recordings that span the history (the 30d window) to exist.
    const steady = await until(
      'the recordings of the steady phase',
      async () => {
        const s = await statusJson();
        const a = row(s, 'availability');
        return a &&
          a.budgetRemaining !== null &&
          a.burnRates['5m'] !== null &&
          a.burnRates['1h'] !== null &&
          row(s, 'per-route', '/b')?.burnRates['5m'] != null
          ? s
          : undefined;
      },
      60_000,
      context,
    );
    const { ok, errors } = workload.totals();
    const expectedRemaining = 1 - errors / (ok + errors) / 0.05;
    const a = row(steady, 'availability')!;
    assert.deepEqual(
      Object.keys(a).sort(),
      ['budgetRemaining', 'burnRates', 'firing', 'group', 'objective', 'period', 'periodCovered', 'service', 'sli', 'slo', 'source'],
      JSON.stringify(a),
    );
    assert.equal(a.service, 'shop');
    assert.equal(a.group, null);
    assert.equal(a.objective, 95);
    assert.equal(a.period, '30d');
    assert.ok(
      Math.abs(a.budgetRemaining! - expectedRemaining) <= 0.1 * expectedRemaining,
      `budget remaining ${a.budgetRemaining}, expected ${expectedRemaining}`,
    );
    assert.ok(Math.abs(a.burnRates['5m']! - 0.4) <= 0.04, `burn rate over 5m ${a.burnRates['5m']}, injected 0.4`);
    assert.ok(Math.abs(a.sli! - 98) < 0.2, `SLI ${a.sli}`);
    assert.deepEqual(Object.keys(a.burnRates), ['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    assert.deepEqual(a.firing, []);
    // Per group: one row per route, each at the injected ratio.
    const routes = steady.slos.filter((r) => r.slo === 'per-route').map((r) => r.group);
    assert.deepEqual(routes, [{ route: '/a' }, { route: '/b' }]);
    assert.ok(Math.abs(row(steady, 'per-route', '/b')!.burnRates['5m']! - 0.4) <= 0.04);
    assert.equal((await status('--fail-when', 'page-firing')).code, 0);
    assert.equal((await status('--fail-when', 'budget-exhausted')).code, 0);
    const table = await status();
    assert.match(table.stdout, /^SERVICE\s+SLO\s+GROUP\s+OBJECTIVE/);
    assert.match(table.stdout, /shop\s+per-route\s+route=\/a\s+95%\s+30d/);

    // check: nothing on the correct config; on the broken one, each mistake on its field.
    const clean = await cli('check', '--prometheus', url, '--slos', good, '--format', 'json');
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.deepEqual(JSON.parse(clean.stdout), { problems: [], checked: 4 });
    const cleanText = await cli('check', '--prometheus', url, '--slos', good);
    assert.equal(cleanText.code, 0);
    assert.match(cleanText.stdout, /grouped by route, 2 values now/);
    const found = await cli('check', '--prometheus', url, '--slos', bad, '--format', 'json');
    assert.equal(found.code, 1, found.stderr);
    const body = JSON.parse(found.stdout) as {
      problems: Array<{ service: string; slo?: string; threshold?: string; field: string; message: string }>;
      checked: number;
    };
    assert.equal(body.checked, 4);
    const on = (field: string) => body.problems.filter((p) => p.field === field);
    assert.deepEqual(
      body.problems.map((p) => `${p.slo ?? p.threshold} ${p.field}`),
      ['availability sli.ratio.errors', 'per-route groupBy.0', 'latency sli.latency.threshold', 'queue expr'],
      JSON.stringify(body.problems, null, 1),
    );
    assert.match(on('sli.ratio.errors')[0]!.message, /http_request_total.*matches no series.*nearest: http_requests_total.*reads as 0/);
    assert.match(
      on('groupBy.0')[0]!.message,
      /label "region" is on no series of http_requests_total\{job="shop"\}.*code, instance, job, route/,
    );
    assert.match(on('sli.latency.threshold')[0]!.message, /0\.3 is no `le` bound.*le 0\.1, 0\.25, 0\.5, 1, \+Inf \(nearest: 0\.25, 0\.5\)/);
    assert.match(on('expr')[0]!.message, /returns no data/);
    assert.equal(body.problems[0]!.service, 'shop');
    // Text names the file and line of each field.
    const text = await cli('check', '--prometheus', url, '--slos', bad);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /index\.ts:\d+:\d+: service "shop" > SLO "availability" > field "sli\.ratio\.errors": /);
    assert.match(text.stdout, /4 problems$/m);

    // Outage: every request fails, ten times the traffic. The page fires.
    workload.perTick = { ok: 0, errors: 500 };
    // Each SLO is its own rule group, evaluated on its own schedule: wait for every page.
    const during = await until(
      'the pages during the outage',
      async () => {
        const s = await statusJson();
        return [row(s, 'availability'), row(s, 'per-route', '/a'), row(s, 'per-route', '/b')].every((r) =>
          r?.firing.includes('ErrorBudgetBurnFast'),
        )
          ? s
          : undefined;
      },
      90_000,
      context,
    );
    assert.deepEqual(row(during, 'latency')!.firing, []);
    assert.equal((await status('--fail-when', 'page-firing')).code, 1);
    assert.equal((await status('--fail-when', 'burning')).code, 1);
    const md = await status('--format', 'markdown');
    assert.match(md.stdout, /\| shop \| availability \|.*\*\*ErrorBudgetBurnFast/);

    // Recovery: a hundred times the traffic, all of it good; the page resolves and the gate opens.
    workload.perTick = { ok: 50_000, errors: 0 };
    await until(
      'the page to resolve',
      async () => ((await status('--fail-when', 'page-firing')).code === 0 ? true : undefined),
      90_000,
      context,
    );
    const after = await statusJson();
    assert.ok(
      after.slos.every((r) => !r.firing.includes('ErrorBudgetBurnFast')),
      JSON.stringify(after),
    );

    // A stopped Prometheus: exit 2, one line.
    await prom.stop();
    const down = await cli('check', '--prometheus', url, '--slos', good);
    assert.equal(down.code, 2);
    assert.equal(down.stdout, '');
    assert.match(down.stderr, /^error: cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused\n$/);
  },
);
