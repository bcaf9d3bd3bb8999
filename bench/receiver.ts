// Receiver benchmark: `node --import tsx bench/receiver.ts`. Starts `sloforge receiver --dry-run`
// as a child process on 127.0.0.1 and loads it with autocannon. Prints requests/s and latency
// percentiles per scenario. Tune with BENCH_SECONDS (default 10) and BENCH_CONNECTIONS (default 50).
import autocannon from 'autocannon';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { ReceiverProcess, TOKEN, alert, payload, setup } from '../test/receiver/helpers.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);

const env = await setup((url) => [
  { name: 'restart-checkout', cooldown: '0s', maxConcurrent: 100, maxPerHour: 1000, action: { http: { url: `${url}/restart` } } },
]);
const rx = await ReceiverProcess.start({ ...env, extraArgs: ['--dry-run'] });
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
let n = 0;

const scenarios: Array<{ name: string; opts: autocannon.Options }> = [
  { name: 'GET /healthz (baseline)', opts: { url: `${rx.url}/healthz` } },
  {
    name: 'POST /alerts, the same alert every time (dedupe path, no disk write)',
    opts: { url: `${rx.url}/alerts`, method: 'POST', headers, body: JSON.stringify(payload([alert('same', 'restart-checkout')])) },
  },
  {
    name: "POST /alerts, a new alert every request (fsync'd append, dry-run action)",
    opts: {
      url: `${rx.url}/alerts`,
      method: 'POST',
      headers,
      requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(payload([alert(`bench-${n++}`, 'restart-checkout')])) }) }],
    },
  },
];

console.log(`receiver benchmark: ${seconds}s per scenario, ${connections} connections, Node ${process.version}`);
console.log('| scenario | requests/s (mean) | p50 ms | p99 ms | non-2xx | errors |');
console.log('|---|---|---|---|---|---|');
try {
  for (const s of scenarios) {
    const r = await autocannon({ ...s.opts, connections, duration: seconds });
    console.log(`| ${s.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.errors} |`);
  }
} finally {
  await rx.stop();
  await env.target.stop();
  await rm(path.dirname(env.actions), { recursive: true, force: true });
}
