// Receiver queue benchmark (issue 22): `npx tsx bench/receiver-queue.ts`. Duplicates per second
// that a real `sloforge receiver` answers with an empty queue and with QUEUED alerts (30,000 by
// default) waiting behind a remediation whose action never answers (maxConcurrent 1): a stuck
// remediation while Alertmanager keeps re-sending. Two receivers, one per case, measured in
// turns (BENCH_ROUNDS, default 3) so that load from elsewhere falls on both alike. Before the
// queue was indexed every accept scanned the whole queue; the ratio should now be close to 1.
// Tune with BENCH_SECONDS (default 8 per turn), BENCH_CONNECTIONS (default 50), QUEUED.
import autocannon from 'autocannon';
import { rm } from 'node:fs/promises';
import { ReceiverProcess, TOKEN, alert, payload, setup } from '../test/receiver/helpers.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const queued = Number(process.env.QUEUED ?? 30_000);
const BATCH = 32;
const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const fingerprint = (n: number) => n.toString(16).padStart(16, '0');

async function receiver() {
  const env = await setup((url) => [
    {
      name: 'stuck',
      cooldown: '0s',
      maxConcurrent: 1,
      maxPerHour: 1000,
      action: { http: { url: `${url}/stuck`, retries: 0, timeout: '1h' } },
    },
  ]);
  env.target.hold = () => true;
  return { env, rx: await ReceiverProcess.start(env) };
}

async function send(url: string, alerts: ReturnType<typeof alert>[]): Promise<void> {
  const res = await fetch(`${url}/alerts`, { method: 'POST', headers, body: JSON.stringify(payload(alerts)) });
  if (res.status !== 200) throw new Error(`POST /alerts answered ${res.status}: ${await res.text()}`);
}

async function queueDepth(url: string): Promise<number> {
  const res = await fetch(`${url}/api/actions?limit=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { queueDepth: number }).queueDepth;
}

/** Re-sends one alert the receiver already holds, as Alertmanager does every repeat_interval. */
const duplicates = (url: string): Promise<autocannon.Result> =>
  autocannon({
    url: `${url}/alerts`,
    method: 'POST',
    headers,
    connections,
    duration: seconds,
    body: JSON.stringify(payload([alert(fingerprint(0), 'stuck')])),
  });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const empty = await receiver();
const full = await receiver();
console.log(`receiver queue benchmark: ${rounds} turns of ${seconds}s per case, ${connections} connections, Node ${process.version}`);
try {
  await send(empty.rx.url, [alert(fingerprint(0), 'stuck')]);
  const started = performance.now();
  for (let n = 0; n < queued; n += BATCH * 8) {
    // Eight batches at a time: the receiver commits concurrent batches together.
    await Promise.all(
      Array.from({ length: 8 }, (_, b) => {
        const from = n + b * BATCH;
        const count = Math.min(BATCH, queued - from);
        return count > 0
          ? send(
              full.rx.url,
              Array.from({ length: count }, (_, i) => alert(fingerprint(from + i), 'stuck')),
            )
          : undefined;
      }),
    );
  }
  console.log(
    `filled: ${queued} alerts in ${((performance.now() - started) / 1000).toFixed(1)} s, batches of ${BATCH}; queue depths ${await queueDepth(empty.rx.url)} and ${await queueDepth(full.rx.url)} (one alert of each is running)`,
  );
  // A warm-up turn each, thrown away: the filled receiver's code is already compiled hot by
  // the 30,000 accepts, the empty one's is not.
  for (const url of [empty.rx.url, full.rx.url])
    await autocannon({
      url: `${url}/alerts`,
      method: 'POST',
      headers,
      connections,
      duration: 3,
      body: JSON.stringify(payload([alert(fingerprint(0), 'stuck')])),
    });
  const results: Record<'empty' | 'full', autocannon.Result[]> = { empty: [], full: [] };
  for (let r = 0; r < rounds; r++) {
    results.empty.push(await duplicates(empty.rx.url));
    results.full.push(await duplicates(full.rx.url));
  }
  console.log('| queue | duplicates/s per turn | median duplicates/s | p50 ms | p99 ms | max ms | non-2xx | errors |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, list] of [
    ['empty', results.empty],
    [`${queued} queued`, results.full],
  ] as const) {
    const rates = list.map((x) => Math.round(x.requests.average));
    const at = list.indexOf(list.find((x) => Math.round(x.requests.average) === median(rates))!);
    const m = list[at]!;
    console.log(
      `| ${name} | ${rates.join(', ')} | ${median(rates)} | ${m.latency.p50} | ${m.latency.p99} | ${Math.max(...list.map((x) => x.latency.max))} | ${list.reduce((s, x) => s + x.non2xx, 0)} | ${list.reduce((s, x) => s + x.errors, 0)} |`,
    );
  }
  const ratio = median(results.full.map((x) => x.requests.average)) / median(results.empty.map((x) => x.requests.average));
  console.log(`ratio (queued / empty, medians): ${ratio.toFixed(2)}`);
} finally {
  for (const { env, rx } of [empty, full]) {
    await rx.stop('SIGKILL');
    env.target.release();
    await env.target.stop();
    await rm(env.dir, { recursive: true, force: true });
  }
}
