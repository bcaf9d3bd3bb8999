// Receiver benchmark: `node --import tsx bench/receiver.ts`. Starts `sloforge receiver --dry-run`
// as a child process on 127.0.0.1 and loads it with autocannon, first on the file store, then on
// a throwaway PostgreSQL (fsync on, as the file store fdatasyncs; Debian's `postgresql`, installed
// by scripts/ensure-tools.sh). Prints requests/s and latency percentiles per scenario. Tune with
// BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50) and BENCH_STORES (file,postgres).
import autocannon from 'autocannon';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReceiverProcess, TOKEN, alert, payload, setup } from '../test/receiver/helpers.js';
import { PG_PASSWORD, PgCluster } from '../test/helpers/postgres.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const stores = (process.env.BENCH_STORES ?? 'file,postgres').split(',');

const env = await setup((url) => [
  { name: 'restart-checkout', cooldown: '0s', maxConcurrent: 100, maxPerHour: 1000, action: { http: { url: `${url}/restart` } } },
]);
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
let n = 0;

function scenarios(url: string): Array<{ name: string; opts: autocannon.Options }> {
  return [
    { name: 'GET /healthz (baseline)', opts: { url: `${url}/healthz` } },
    {
      name: 'POST /alerts, the same alert every time (dedupe path)',
      opts: { url: `${url}/alerts`, method: 'POST', headers, body: JSON.stringify(payload([alert('same', 'restart-checkout')])) },
    },
    {
      name: 'POST /alerts, a new alert every request (durable write, dry-run action)',
      opts: {
        url: `${url}/alerts`,
        method: 'POST',
        headers,
        requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(payload([alert(`bench-${n++}`, 'restart-checkout')])) }) }],
      },
    },
  ];
}

console.log(`receiver benchmark: ${seconds}s per scenario, ${connections} connections, Node ${process.version}`);
console.log('| store | scenario | requests/s (mean) | p50 ms | p99 ms | non-2xx | errors |');
console.log('|---|---|---|---|---|---|---|');
let cluster: PgCluster | undefined;
try {
  for (const store of stores) {
    let rx: ReceiverProcess;
    if (store === 'postgres') {
      cluster = await PgCluster.start({ fast: false });
      const pw = path.join(env.dir, 'db-password');
      await writeFile(pw, `${PG_PASSWORD}\n`, { mode: 0o600 });
      rx = await ReceiverProcess.spawn([
        ...['--actions', env.actions, '--token-file', env.tokenFile, '--dry-run', '--host', '127.0.0.1', '--port', '0'],
        ...['--database', cluster.urlWithoutPassword(), '--database-password-file', pw],
      ]);
    } else {
      rx = await ReceiverProcess.start({ ...env, extraArgs: ['--dry-run'] });
    }
    try {
      for (const s of scenarios(rx.url)) {
        const r = await autocannon({ ...s.opts, connections, duration: seconds });
        console.log(
          `| ${store} | ${s.name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.errors} |`,
        );
      }
    } finally {
      await rx.stop();
    }
  }
} finally {
  await cluster?.stop();
  await env.target.stop();
  await rm(env.dir, { recursive: true, force: true });
}
