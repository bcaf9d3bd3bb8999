// How check and status read Prometheus' answers, against fakes: a `native: true` SLO on a classic
// histogram or a float gauge is named for what it is; status takes recordings where they exist
// and the raw series where not. (The same on a real Prometheus: live.tool.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseConfig, modelOf } from '../helpers/config.js';
import { PrometheusClient } from '../../src/live/client.js';
import { nearestNames, runCheck } from '../../src/live/check.js';
import { failWhenHolds, runStatus } from '../../src/live/status.js';

test('a native latency SLO on a classic histogram, or on float samples, is named for what it reads', async (t) => {
  const names = ['rpc_seconds_bucket', 'rpc_seconds_count', 'rpc_seconds_sum', 'queue_seconds'];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      let data: unknown = names;
      if (req.url?.startsWith('/api/v1/query')) {
        const q = new URLSearchParams(body).get('query') ?? '';
        // Each tagged question: histogram_count() finds no native samples; the rest have data.
        const result = q.split('\nor\n').flatMap((part) => {
          const item = /"sloforge_item", "(\d+)"/.exec(part)![1]!;
          return part.includes('histogram_count(') ? [] : [{ metric: { sloforge_item: item }, value: [0, '1'] }];
        });
        data = { resultType: 'vector', result };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = new PrometheusClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
  t.after(() => client.close());

  const cfg = baseConfig();
  cfg.services[0].slos = [
    { name: 'classic', objective: 99, sli: { latency: { histogram: 'rpc_seconds{job="rpc"}', threshold: 0.3, native: true } } },
    { name: 'floats', objective: 99, sli: { latency: { histogram: 'queue_seconds{job="rpc"}', threshold: 0.3, native: true } } },
  ];
  const report = await runCheck(client, modelOf(cfg), { lookbackMs: 3_600_000 });
  assert.equal(report.checked, 2);
  assert.deepEqual(
    report.problems.map((p) => [p.subject.name, p.field.join('.')]),
    [
      ['classic', 'sli.latency.histogram'],
      ['floats', 'sli.latency.histogram'],
    ],
  );
  assert.match(
    report.problems[0]!.message,
    /holds no native histogram in the last 1h: it is a classic histogram \(rpc_seconds_bucket has series\): drop `native: true`/,
  );
  assert.match(report.problems[1]!.message, /queue_seconds has series, but no native histogram samples/);
});

test('nearest metric names: by edit distance, close ones only', () => {
  const names = ['http_requests_total', 'http_request_duration_seconds_count', 'grpc_requests_total', 'process_cpu_seconds_total'];
  assert.deepEqual(nearestNames('http_request_total', names), ['http_requests_total']);
  assert.deepEqual(nearestNames('grpc_request_total', names), ['grpc_requests_total']);
  assert.deepEqual(nearestNames('node_load1', names), []);
});

test('status reads the recordings where Prometheus has them, the raw series where not, and survives a refused coverage count', async (t) => {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const send = (status: number, b: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(b));
      if (!req.url?.startsWith('/api/v1/query'))
        return send(200, { status: 'success', data: { yaml: 'global:\n  evaluation_interval: 1m\n' } });
      const q = new URLSearchParams(body).get('query') ?? '';
      if (q.includes('count_over_time(slo:sli_total'))
        return send(422, { status: 'error', errorType: 'execution', error: 'query processing would load too many samples into memory' });
      const result: unknown[] = [];
      let from = 0;
      for (const m of q.matchAll(/"sloforge_item", "(\d+)"/g)) {
        const part = q.slice(from, m.index);
        from = m.index + m[0].length;
        const item = m[1]!;
        const at = (metric: Record<string, string>, v: number) =>
          result.push({ metric: { ...metric, sloforge_item: item }, value: [0, String(v)] });
        const own = { service: 'checkout', slo: 'availability', team: 'payments' };
        if (part.includes('slo:sli_error:ratio_rate'))
          for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'])
            at({ ...own, __name__: `slo:sli_error:ratio_rate${w}` }, 0.0005);
        else if (part.includes('slo:period_error_budget_remaining:ratio')) at(own, 0.5);
        else if (part.includes('ALERTS'))
          at({ alertname: 'ErrorBudgetBurnSlow', alertstate: 'firing', service: 'checkout', slo: 'latency', severity: 'warning' }, 1);
        else at({}, 0.02); // the latency SLO's raw error ratio over any window
      }
      send(200, { status: 'success', data: { resultType: 'vector', result } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = new PrometheusClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 2000 });
  t.after(() => client.close());

  const rows = await runStatus(client, modelOf(baseConfig()), {});
  const [availability, latency] = rows;
  assert.equal(rows.length, 2);
  assert.equal(availability!.source, 'recordings');
  assert.equal(availability!.budgetRemaining, 0.5);
  assert.ok(Math.abs(availability!.burnRates['1h']! - 0.5) < 1e-9);
  assert.ok(Math.abs(availability!.sli! - 99.95) < 1e-9);
  assert.equal(availability!.periodCovered, null);
  assert.deepEqual(availability!.firing, []);
  assert.equal(latency!.source, 'raw');
  assert.ok(Math.abs(latency!.burnRates['5m']! - 2) < 1e-9);
  assert.ok(Math.abs(latency!.budgetRemaining! - -1) < 1e-9);
  assert.deepEqual(latency!.firing, ['ErrorBudgetBurnSlow']);
  assert.equal(failWhenHolds(rows, 'burning'), true);
  assert.equal(failWhenHolds(rows, 'page-firing'), false);
  assert.equal(failWhenHolds(rows, 'budget-exhausted'), true);
});
