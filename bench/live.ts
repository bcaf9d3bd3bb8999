// Requests and time of `sloforge check` and `sloforge status` at scale (issue 23: a 1,000-SLO
// config checks in seconds). A fake Prometheus on 127.0.0.1 answers from responses built from the
// model, as a Prometheus with every series and recording present would: each batched question
// gets one series back, the recordings one per SLO and window. What is measured is sloforge's
// side: how many requests, how long they and the client-side work take; a real Prometheus adds
// its own evaluation time per query on top.
// Run: npx tsx bench/live.ts [--services 5,50,500]
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/validate.js';
import { resolveModel } from '../src/model/resolve.js';
import type { Model } from '../src/model/types.js';
import { PrometheusClient } from '../src/live/client.js';
import { runCheck } from '../src/live/check.js';
import { alertWindows, runStatus } from '../src/live/status.js';
import { ITEM_LABEL } from '../src/live/batch.js';
import { RECORD } from '../src/conventions.js';
import { shapeConfig } from './shape.js';

const { values: args } = parseArgs({ options: { services: { type: 'string', default: '5,50,500' } } });
const sizes = args.services.split(',').map(Number);

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => resolve(text));
  });
}

/** One sample per tagged question; the recordings question gets every SLO's ratio per window. */
function answer(query: string, model: Model): unknown[] {
  const out: unknown[] = [];
  for (const m of query.matchAll(new RegExp(`"${ITEM_LABEL}", "(\\d+)"`, 'g'))) {
    const item = m[1]!;
    const start = query.lastIndexOf('label_replace(', m.index);
    const expr = query.slice(start, m.index);
    if (expr.includes(RECORD.ratio(''))) {
      for (const svc of model.services) {
        for (const slo of svc.slos) {
          for (const w of [...alertWindows(slo), slo.plan.period]) {
            out.push({ metric: { __name__: RECORD.ratio(w), service: svc.name, slo: slo.name, [ITEM_LABEL]: item }, value: [0, '0.001'] });
          }
        }
      }
    } else {
      out.push({ metric: { [ITEM_LABEL]: item, le: '0.3' }, value: [0, '1'] });
    }
  }
  return out;
}

async function measure(services: number): Promise<void> {
  const model = resolveModel(validateConfig(shapeConfig(services)));
  const slos = model.services.reduce((n, s) => n + s.slos.length, 0);
  const thresholds = model.services.reduce((n, s) => n + s.thresholds.length, 0);
  let bytes = 0;
  const server = createServer(async (req, res) => {
    const text = await body(req);
    bytes += text.length;
    const url = new URL(req.url ?? '/', 'http://x');
    let data: unknown;
    if (url.pathname === '/api/v1/query')
      data = { resultType: 'vector', result: answer(new URLSearchParams(text).get('query') ?? '', model) };
    else if (url.pathname.startsWith('/api/v1/label/')) data = ['http_requests_total', 'http_request_duration_seconds_bucket'];
    else if (url.pathname === '/api/v1/labels') data = ['job'];
    else data = { yaml: 'global:\n  evaluation_interval: 30s\n' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const command of ['check', 'status'] as const) {
    const client = new PrometheusClient({ url, timeoutMs: 10_000 });
    bytes = 0;
    const t0 = performance.now();
    const n =
      command === 'check'
        ? (await runCheck(client, model, { lookbackMs: 3_600_000 })).checked
        : (await runStatus(client, model, {})).length;
    const ms = performance.now() - t0;
    console.log(
      `| ${command} | ${services} | ${slos} | ${thresholds} | ${n} | ${client.requests} | ${(bytes / 1024).toFixed(0)} KiB | ${ms.toFixed(0)} ms |`,
    );
    client.close();
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

console.log('| command | services | SLOs | thresholds | rows or subjects | requests | query bytes sent | time |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const n of sizes) await measure(n);
