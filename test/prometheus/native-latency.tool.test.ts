// promtool 2.42 cannot feed native histograms (its series notation has no histogram samples), so
// the native latency rules are proven on a real Prometheus 2.42 with native histograms enabled:
// it scrapes a local exporter that serves the protobuf exposition with a native histogram per
// route (one route fast, one slow), evaluates the generated rules every second, and the HTTP API
// shows what they computed and which alerts fire. Fails (never skips) without the prometheus binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { tempDir } from '../helpers/cli.js';
import { freePort, until } from '../helpers/net.js';
import { tool } from '../helpers/tools.js';
import { baseConfig, modelOf } from '../helpers/config.js';
import { compileModel } from '../../src/compile.js';
import { Proc } from '../stack/processes.js';
import { acceptsProtobuf, encodeFamilies, NativeHistogram, PROTOBUF_CONTENT_TYPE } from '../../deploy/demo-workload/native-histogram.js';

const H = 'rpc_duration_seconds';

function config() {
  const cfg = baseConfig();
  const native = (threshold: number) => ({ latency: { histogram: `${H}{job="rpc"}`, threshold, native: true } });
  cfg.services = [
    {
      name: 'rpc',
      team: 'payments',
      slos: [
        // Half the calls take 0.5 s: 50% errors against a 1% budget pages.
        { name: 'latency', objective: 99, sli: native(0.3) },
        // Per route: only /slow pages. 0.3 is no bucket bound of the schema: native needs none.
        { name: 'per-route', objective: 99, groupBy: ['route'], sli: native(0.3) },
        // Every call is within 1 s: nothing fires.
        { name: 'generous', objective: 99, sli: native(1) },
        // Per series label `service` (the scrape copies route into it), which sloforge sets itself:
        // carried as exported_service, moved after the histogram functions.
        { name: 'per-service', objective: 99, groupBy: ['service'], sli: native(0.3) },
      ],
    },
  ];
  return cfg;
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

test(
  'native latency rules compute per group on a real Prometheus 2.42 and page for the slow route only',
  { timeout: 120_000 },
  async (t) => {
    const prometheus = await tool('prometheus');
    const dir = tempDir();
    const rules = compileModel(modelOf(config())).find((a) => a.path === 'prometheus/rules/rpc.yml')!;
    writeFileSync(path.join(dir, 'rules.yml'), rules.content);
    // The same rules broken on purpose, as service rpc-broken: the good share read as the slow one.
    // The assertions below must tell the two apart.
    const broken = rules.content
      .replaceAll('service: rpc', 'service: rpc-broken')
      .replaceAll('service="rpc"', 'service="rpc-broken"')
      .replaceAll('sloforge-rpc-', 'sloforge-rpc-broken-')
      .replaceAll('(1 - histogram_fraction(', '(histogram_fraction(')
      .replaceAll('1 - histogram_fraction(', 'histogram_fraction(');
    assert.notEqual(broken, rules.content);
    writeFileSync(path.join(dir, 'broken.yml'), broken);

    // The exporter: 20 calls per route every 100 ms; /fast at 0.2 s, /slow at 0.5 s.
    const hist = new NativeHistogram(H, 'RPC latency');
    let protobufScrapes = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 20; i++) {
        hist.observe({ route: '/fast' }, 0.2);
        hist.observe({ route: '/slow' }, 0.5);
      }
    }, 100);
    const server = createServer((req, res) => {
      // Prometheus only asks for protobuf with native histograms on; text could not carry them.
      if (!acceptsProtobuf(req.headers.accept)) return void res.writeHead(406).end('protobuf only\n');
      protobufScrapes++;
      res.writeHead(200, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(encodeFamilies([hist]));
    });
    const exporterPort = await freePort();
    await new Promise<void>((resolve) => server.listen(exporterPort, '127.0.0.1', resolve));

    const promPort = await freePort();
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [path.join(dir, 'rules.yml'), path.join(dir, 'broken.yml')],
        scrape_configs: [
          {
            job_name: 'rpc',
            static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }],
            metric_relabel_configs: [{ source_labels: ['route'], target_label: 'service' }],
          },
        ],
      }),
    );
    mkdirSync(path.join(dir, 'data'));
    const prom = new Proc('prometheus', prometheus, [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--enable-feature=native-histograms',
    ]);
    t.after(async () => {
      clearInterval(timer);
      await prom.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    const query = async (q: string): Promise<Vector[]> => {
      const res = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`, {
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { status: string; error?: string; data: { result: Vector[] } };
      if (body.status !== 'success') throw new Error(`${q}: ${body.error}`);
      return body.data.result;
    };
    const context = () => prom.output();

    const firing = await until(
      'the page of the slow route',
      async () => {
        const alerts = await query('ALERTS{alertname="ErrorBudgetBurnFast",alertstate="firing",service="rpc"}');
        const key = (a: Vector) =>
          `${a.metric.slo}${a.metric.route ? ` ${a.metric.route}` : ''}${a.metric.exported_service ? ` ${a.metric.exported_service}` : ''}`;
        const keys = alerts.map(key).sort();
        return keys.includes('per-route /slow') && keys.includes('latency') && keys.includes('per-service /slow') ? keys : undefined;
      },
      60_000,
      context,
    );
    assert.deepEqual(firing, ['latency', 'per-route /slow', 'per-service /slow']);
    assert.ok(protobufScrapes > 0);

    // What the rules computed: per route, the share of calls over 0.3 s, and the traffic.
    const ratio = async (slo: string, w: string, service = 'rpc') =>
      Object.fromEntries(
        (await query(`slo:sli_error:ratio_rate${w}{service="${service}",slo="${slo}"}`)).map((v) => [
          v.metric.route ?? '',
          Number(v.value[1]),
        ]),
      );
    const perRoute = await ratio('per-route', '5m');
    assert.ok(Math.abs(perRoute['/slow']! - 1) < 1e-9 && Math.abs(perRoute['/fast']!) < 1e-9, JSON.stringify(perRoute));
    const perService = Object.fromEntries(
      (await query('slo:sli_error:ratio_rate5m{service="rpc",slo="per-service"}')).map((v) => [
        v.metric.exported_service,
        Number(v.value[1]),
      ]),
    );
    assert.ok(Math.abs(perService['/slow']! - 1) < 1e-9 && Math.abs(perService['/fast']!) < 1e-9, JSON.stringify(perService));
    const whole = await ratio('latency', '5m');
    assert.ok(Math.abs(whole['']! - 0.5) < 0.05, JSON.stringify(whole));
    // A long window derived from the recorded 5m rates (30d: sum_over_time of the recordings).
    const derived = await ratio('latency', '30d');
    assert.ok(Math.abs(derived['']! - 0.5) < 0.05, JSON.stringify(derived));
    const traffic = await query('slo:sli_total:rate5m{service="rpc",slo="per-route"}');
    assert.equal(traffic.length, 2);
    // rate() over 5m divides by the whole range while the data is seconds old: only its sign is certain.
    for (const v of traffic) assert.ok(Number(v.value[1]) > 0, JSON.stringify(v));
    // Each SLO is its own rule group, evaluated on its own schedule: wait for this one's first result.
    const generous = await until(
      "the generous SLO's first evaluation",
      async () => {
        const r = await ratio('generous', '5m');
        return Object.keys(r).length > 0 ? r : undefined;
      },
      30_000,
      context,
    );
    assert.deepEqual(generous, { '': 0 });

    // The no-data rules see native histograms: nothing is reported missing, and the per-group
    // presence check finds both routes.
    // Before the first scrape every input was absent; once scraped, the next evaluation clears it.
    await until(
      'the no-data recordings to clear',
      async () => ((await query('nodata:inputs_absent:count')).length === 0 ? true : undefined),
      30_000,
      context,
    );
    const present = await query(`group by (route) (present_over_time(${H}{job="rpc"}[10s]))`);
    assert.deepEqual(present.map((v) => v.metric.route).sort(), ['/fast', '/slow']);
    // The healthy route and the generous SLO never paged.
    const quiet = await query(
      'ALERTS{alertname="ErrorBudgetBurnFast",service="rpc",route="/fast"} or ALERTS{alertname="ErrorBudgetBurnFast",service="rpc",slo="generous"}',
    );
    assert.deepEqual(quiet, []);

    // The broken copy fails each of these checks: inverted ratios, and the fast route pages.
    const inverted = await until(
      "the broken rules' ratios",
      async () => {
        const r = await ratio('per-route', '5m', 'rpc-broken');
        return Object.keys(r).length === 2 ? r : undefined;
      },
      30_000,
      context,
    );
    assert.ok(Math.abs(inverted['/fast']! - 1) < 1e-9 && Math.abs(inverted['/slow']!) < 1e-9, JSON.stringify(inverted));
    const wrong = await until(
      'the broken rules to page',
      async () => {
        const alerts = await query('ALERTS{alertname="ErrorBudgetBurnFast",alertstate="firing",service="rpc-broken",slo="per-route"}');
        return alerts.length > 0 ? alerts.map((a) => a.metric.route) : undefined;
      },
      30_000,
      context,
    );
    assert.deepEqual(wrong, ['/fast']);
  },
);
