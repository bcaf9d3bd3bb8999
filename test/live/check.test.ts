// check's reading of Prometheus' answers, against a fake that holds a classic histogram and a
// float gauge: a `native: true` SLO on either is named for what it is. (Series, bounds, group
// labels and expressions on a real Prometheus: live.tool.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { baseConfig, modelOf } from '../helpers/config.js';
import { PrometheusClient } from '../../src/live/client.js';
import { nearestNames, runCheck } from '../../src/live/check.js';

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
  assert.deepEqual(report.problems.map((p) => [p.subject.name, p.field.join('.')]), [['classic', 'sli.latency.histogram'], ['floats', 'sli.latency.histogram']]);
  assert.match(report.problems[0]!.message, /holds no native histogram in the last 1h: it is a classic histogram \(rpc_seconds_bucket has series\): drop `native: true`/);
  assert.match(report.problems[1]!.message, /queue_seconds has series, but no native histogram samples/);
});

test('nearest metric names: by edit distance, close ones only', () => {
  const names = ['http_requests_total', 'http_request_duration_seconds_count', 'grpc_requests_total', 'process_cpu_seconds_total'];
  assert.deepEqual(nearestNames('http_request_total', names), ['http_requests_total']);
  assert.deepEqual(nearestNames('grpc_request_total', names), ['grpc_requests_total']);
  assert.deepEqual(nearestNames('node_load1', names), []);
});
