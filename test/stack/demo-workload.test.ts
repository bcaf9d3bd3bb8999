// The demo workload in-process: it exposes every series the generated SLO rules read (names,
// job paths, `le` bounds), its healthy traffic stays inside every budget, and its chaos and
// admin endpoints behave as docs/local-stack.md says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, tempDir } from '../helpers/cli.js';
import { startDemoWorkload, type DemoWorkload } from '../../deploy/demo-workload/server.js';
import { simulatedServices } from '../../deploy/demo-workload/services.js';
import { Traffic } from '../../deploy/demo-workload/traffic.js';
import type { Counter } from 'prom-client';
import { loadConfig } from '../../src/config/load.js';
import { resolveModel } from '../../src/model/resolve.js';
import { noDataSubjects } from '../../src/prometheus/nodata.js';
import { parseSelector } from '../../src/promql/parse.js';
import { selectorMatches } from '../../src/promql/match.js';
import { PROTOBUF_CONTENT_TYPE } from '../../deploy/demo-workload/native-histogram.js';
import { protobufSeries, textSamples, type Served } from '../helpers/exposition.js';
import { ReceiverMetrics } from '../../src/receiver/metrics.js';

// The receiver's own scrape job (deploy/prometheus/prometheus.yml), which the thresholds of
// slos/receiver.ts read: served by the receiver, not the demo workload, plus the `up` series
// Prometheus writes for it.
const RECEIVER_JOB = 'sloforge-receiver';

async function receiverServes(): Promise<Served[]> {
  const m = new ReceiverMetrics();
  m.initialise(['restart-checkout']);
  return [...textSamples(await m.registry.metrics()), { name: 'up', labels: {} }];
}

async function start(
  t: { after: (fn: () => Promise<void>) => void },
  extra: { adminAuthorizationFile?: string } = {},
): Promise<DemoWorkload> {
  const w = await startDemoWorkload({ host: '127.0.0.1', port: 0, perSecond: 20, restartHeals: true, ...extra });
  t.after(() => w.close());
  return w;
}

/** What a job serves, asked for as Prometheus with native histograms on asks (protobuf first). */
async function served(url: string, job: string): Promise<Served[]> {
  const res = await fetch(`${url}/metrics/${job}`, {
    headers: { accept: `${PROTOBUF_CONTENT_TYPE};q=0.7,text/plain;version=0.0.4;q=0.3` },
  });
  assert.equal(res.status, 200, `no /metrics/${job}`);
  const type = res.headers.get('content-type') ?? '';
  return type.startsWith('application/vnd.google.protobuf')
    ? protobufSeries(new Uint8Array(await res.arrayBuffer()))
    : textSamples(await res.text());
}

test('every series a generated SLO rule reads is served under its job, with its le bound', async (t) => {
  const w = await start(t);
  w.traffic.advance(2);
  const rulesDir = path.join(REPO, 'generated/prometheus/rules');
  const rules = readdirSync(rulesDir)
    .map((f) => readFileSync(path.join(rulesDir, f), 'utf8'))
    .join('\n');
  // Raw selectors name a job; recording-rule outputs (slo:...) do not.
  const selectors = [...rules.matchAll(/\b([a-z_][a-z0-9_]*)\{([^}]*job="[^"]+"[^}]*)\}/g)];
  assert.ok(selectors.length > 10);
  const exposed = new Map<string, Served[]>();
  for (const [, name, matchers] of selectors) {
    const job = /job="([^"]+)"/.exec(matchers!)![1]!;
    if (!exposed.has(job)) exposed.set(job, job === RECEIVER_JOB ? await receiverServes() : await served(w.url, job));
    const series = exposed.get(job)!.filter((s) => s.name === name);
    assert.ok(series.length > 0, `${job} does not expose ${name}`);
    // Every other equality or regex matcher must select something, `le` bounds included.
    for (const [, label, op, value] of matchers!.matchAll(/(\w+)(=~|=)"((?:[^"\\]|\\.)*)"/g)) {
      if (label === 'job') continue;
      const re = new RegExp(`^(?:${op === '=~' ? value!.replace(/\\\\/g, '\\') : value!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})$`);
      assert.ok(
        series.some((s) => re.test(s.labels[label!] ?? '')),
        `${job}: no ${name} series with ${label}${op}"${value}"`,
      );
    }
  }
});

test('every input a no-data alert watches is served, so a healthy stack raises no no-data alert', async (t) => {
  const w = await start(t);
  w.traffic.advance(2);
  const config = (await loadConfig(path.join(REPO, 'slos'))).config;
  const all: Array<{ job: string; metric: string; labels: Record<string, string> }> = [];
  for (const s of simulatedServices()) {
    // Prometheus adds the scrape job's label to everything it scrapes from that path.
    for (const x of await served(w.url, s.job)) all.push({ job: s.job, metric: x.name, labels: { job: s.job, ...x.labels } });
  }
  for (const x of await receiverServes()) all.push({ job: RECEIVER_JOB, metric: x.name, labels: { job: RECEIVER_JOB, ...x.labels } });
  let checked = 0;
  for (const svc of resolveModel(config).services) {
    const inputs = noDataSubjects(svc).flatMap((nd) => nd.inputs);
    for (const text of inputs) {
      const sel = parseSelector(text);
      assert.ok(typeof sel !== 'string', text);
      assert.ok(
        all.some((x) => selectorMatches(sel, x.metric, x.labels)),
        `${svc.name}: nothing served matches ${text}`,
      );
      checked++;
    }
  }
  assert.ok(checked > 20, String(checked));
});

test('healthy traffic stays inside every SLO budget; an injected share of 1 fails every request', async () => {
  const services = simulatedServices();
  const traffic = new Traffic(services, 100, () => 0.5);
  traffic.advance(600);
  const checkout = services.find((s) => s.job === 'checkout')!;
  const requests = checkout.registry.getSingleMetric('http_requests_total') as Counter;
  const byCode = async (code: string) =>
    (await requests.get()).values.filter((v) => v.labels.code === code).reduce((a, v) => a + v.value, 0);
  const [ok1, failed1] = [await byCode('200'), await byCode('500')];
  assert.equal(ok1 + failed1, 60_000);
  // 0.02% of 60 000 requests: 12 failures (give or take float rounding), far inside the 0.1% budget.
  assert.ok(failed1 >= 11 && failed1 <= 12, String(failed1));
  traffic.inject('checkout', { errorRate: 1 });
  traffic.advance(10);
  assert.equal((await byCode('500')) - failed1, 1000);
  assert.equal(await byCode('200'), ok1);
  traffic.heal('checkout');
  assert.deepEqual(traffic.shares('checkout'), checkout.baseline);
  for (const s of services) {
    assert.ok(s.baseline.errorRate <= 0.002 && s.baseline.slowRate <= 0.005, `${s.job} baseline would eat a tight budget`);
  }
});

test('POST /chaos validates its body; GET and DELETE /chaos show and clear it', async (t) => {
  const w = await start(t);
  const post = (body: string) => fetch(`${w.url}/chaos`, { method: 'POST', body });
  assert.deepEqual(await (await post('{"errorRate":1}')).json(), { checkout: { errorRate: 1, slowRate: 0.003 } });
  assert.equal((await post('{"service":"llm-pipeline","slowRate":0.5}')).status, 200);
  for (const bad of ['{"errorRate":2}', '{"service":"nope"}', '{"errorRat":1}', 'not json', '[1]']) {
    const res = await post(bad);
    assert.equal(res.status, 400, bad);
    assert.ok(((await res.json()) as { error: string }).error.length > 0);
  }
  const state = (await (await fetch(`${w.url}/chaos`)).json()) as Record<string, { errorRate: number; slowRate: number }>;
  assert.equal(state.checkout!.errorRate, 1);
  assert.equal(state['llm-pipeline']!.slowRate, 0.5);
  const cleared = (await (await fetch(`${w.url}/chaos`, { method: 'DELETE' })).json()) as Record<string, { errorRate: number }>;
  assert.equal(cleared.checkout!.errorRate, 0.0002);
  assert.equal((await fetch(`${w.url}/nowhere`)).status, 404);
});

test('/admin/restart checks the Authorization file, counts calls and heals checkout', async (t) => {
  const dir = tempDir('sloforge-demo-');
  const file = path.join(dir, 'authorization');
  writeFileSync(file, 'Bearer s3cret\n');
  const w = await start(t, { adminAuthorizationFile: file });
  await fetch(`${w.url}/chaos`, { method: 'POST', body: '{"errorRate":1}' });
  const restart = (authorization?: string) =>
    fetch(`${w.url}/admin/restart`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'evt-1', ...(authorization ? { authorization } : {}) },
      body: '{"reason":"test"}',
    });
  assert.equal((await restart()).status, 401);
  assert.equal((await restart('Bearer wrong!')).status, 401);
  assert.equal(w.restarts.length, 0);
  assert.equal((await restart('Bearer s3cret')).status, 200);
  const seen = (await (await fetch(`${w.url}/admin/restarts`)).json()) as {
    count: number;
    calls: Array<{ idempotencyKey: string; body: unknown }>;
  };
  assert.equal(seen.count, 1);
  assert.deepEqual([seen.calls[0]!.idempotencyKey, seen.calls[0]!.body], ['evt-1', { reason: 'test' }]);
  assert.equal(w.traffic.shares('checkout').errorRate, 0.0002);
  const own = await (await fetch(`${w.url}/metrics`)).text();
  assert.match(own, /demo_admin_restarts_total\{result="ok"\} 1/);
  assert.match(own, /demo_admin_restarts_total\{result="unauthorized"\} 2/);
});

test('the native histogram job answers protobuf only: a Prometheus without native histograms is told why', async (t) => {
  const w = await start(t);
  w.traffic.advance(2);
  const text = await fetch(`${w.url}/metrics/llm-models`);
  assert.equal(text.status, 406);
  assert.match(await text.text(), /--enable-feature=native-histograms/);
  const series = await served(w.url, 'llm-models');
  assert.deepEqual(series.map((s) => `${s.name}${JSON.stringify(s.labels)}`).sort(), [
    'llm_model_call_duration_seconds{"model":"classifier"}',
    'llm_model_call_duration_seconds{"model":"extractor"}',
  ]);
});
