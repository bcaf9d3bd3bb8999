// Measures what one evaluation of an SLO's recording rules costs in a real Prometheus 2.42, for
// sloforge's derived windows and for every window read from the raw counters (as peers do).
//
//   npx tsx bench/rule-cost.ts [--series 500] [--days 3]
//
// It backfills `series` counters over `days` at a 1m scrape interval, backfills the recorded
// base-window rates the derived windows read, then times each rule's expression with the query
// API's own statistics (`stats=all`, evalTotalTime) at the same instant, and reports medians.
import { createWriteStream, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { execa, type ResultPromise } from 'execa';
import { validateConfig } from '../src/config/validate.js';
import { resolveModel } from '../src/model/resolve.js';
import { RECORD } from '../src/conventions.js';
import { sloRuleGroup } from '../src/prometheus/slo-rules.js';
import { isAlert, type RecordingRule } from '../src/prometheus/rules.js';
import { renderYaml } from '../src/output/render.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SERIES = arg('series', 500);
const DAYS = arg('days', 3);
const REPEAT = arg('repeat', 15);
const STEP_S = 60;

const dir = mkdtempSync(path.join(os.tmpdir(), 'sloforge-cost-'));
const end = Math.floor(Date.now() / 1000 / 60) * 60 - 120;
const start = end - DAYS * 86400;

async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

async function writeOpenMetrics(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('# TYPE http_requests counter\n');
  // Half the series count successes, half failures; each instance serves its own rate.
  for (let s = 0; s < SERIES; s++) {
    const instance = `i-${Math.floor(s / 2)}`;
    const code = s % 2 === 0 ? '200' : '500';
    const perStep = code === '200' ? 50 + (s % 7) : (s % 5) * 0.05;
    let v = 0;
    let chunk = '';
    for (let t = start; t <= end; t += STEP_S) {
      v += perStep;
      chunk += `http_requests_total{job="api",instance="${instance}",code="${code}"} ${v.toFixed(2)} ${t}\n`;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  }
  await write('# EOF\n');
  out.end();
  await once(out, 'finish');
}

// Returned in a box: an async function returning the execa promise itself would await its exit.
async function startPrometheus(data: string, port: number): Promise<{ proc: ResultPromise }> {
  writeFileSync(path.join(dir, 'prometheus.yml'), 'global:\n  evaluation_interval: 1m\n');
  const proc = execa(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=90d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { reject: false, all: true },
  );
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/-/ready`);
      if (r.ok) return { proc };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`prometheus did not start:\n${(await proc).all}`);
}

async function evalTime(port: number, expr: string): Promise<number> {
  const url = `http://127.0.0.1:${port}/api/v1/query?stats=all&time=${end}&query=${encodeURIComponent(expr)}`;
  const body = (await (await fetch(url)).json()) as {
    status: string;
    error?: string;
    data: { stats: { timings: { evalTotalTime: number } } };
  };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data.stats.timings.evalTotalTime * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const cfg = resolveModel(
  validateConfig({
    teams: [{ name: 't', page: { none: true }, ticket: { none: true } }],
    services: [
      {
        name: 'api',
        team: 't',
        slos: [
          {
            name: 'availability',
            objective: 99.9,
            period: '30d',
            sli: { ratio: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } },
          },
        ],
      },
    ],
  }),
);
const svc = cfg.services[0]!;
const slo = svc.slos[0]!;
const recordings = (windows: 'derived' | 'raw') => sloRuleGroup(svc, slo, windows).rules.filter((r): r is RecordingRule => !isAlert(r));

console.log(`backfilling ${SERIES} series x ${DAYS}d at ${STEP_S}s into ${dir} ...`);
const om = path.join(dir, 'data.om');
await writeOpenMetrics(om);
const data = path.join(dir, 'tsdb');
await execa('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', om, data]);
rmSync(om);

let port = await freePort();
let { proc: prom } = await startPrometheus(data, port);
// The derived windows sum the recorded 5m rates: backfill that history too, as a Prometheus
// that has run these rules for `days` would have it.
const base = recordings('derived').filter((r) => r.record === RECORD.total('5m') || r.record === RECORD.errors('5m'));
writeFileSync(path.join(dir, 'base.yml'), renderYaml({ groups: [{ name: 'base', rules: base }] }));
const recDir = path.join(dir, 'recorded');
await execa('promtool', [
  'tsdb',
  'create-blocks-from',
  'rules',
  `--url=http://127.0.0.1:${port}`,
  `--start=${start}`,
  `--end=${end}`,
  `--output-dir=${recDir}`,
  '--eval-interval=60s',
  '-q',
  path.join(dir, 'base.yml'),
]);
prom.kill();
await prom;
for (const block of readdirSync(recDir)) renameSync(path.join(recDir, block), path.join(data, block));
port = await freePort();
({ proc: prom } = await startPrometheus(data, port));

try {
  const results: Record<string, { total: number; rows: Array<[string, number]> }> = {};
  for (const variant of ['raw', 'derived'] as const) {
    const rows: Array<[string, number]> = [];
    for (const rule of recordings(variant)) {
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) times.push(await evalTime(port, rule.expr));
      rows.push([rule.record, median(times)]);
    }
    results[variant] = { total: rows.reduce((a, [, t]) => a + t, 0), rows };
  }
  console.log(`\nmedian evalTotalTime per rule (ms), ${SERIES} raw series, ${DAYS} days at 1m, Prometheus 2.42`);
  console.log(`${'rule'.padEnd(44)} ${'raw'.padStart(9)} ${'derived'.padStart(9)}`);
  const names = results.raw!.rows.map(([n]) => n);
  for (const n of names) {
    const r = results.raw!.rows.find(([x]) => x === n)![1];
    const d = results.derived!.rows.find(([x]) => x === n)![1];
    console.log(`${n.padEnd(44)} ${r.toFixed(2).padStart(9)} ${d.toFixed(2).padStart(9)}`);
  }
  console.log(
    `${'one evaluation of all recordings'.padEnd(44)} ${results.raw!.total.toFixed(2).padStart(9)} ${results.derived!.total.toFixed(2).padStart(9)}`,
  );
  console.log(`derived / raw = ${(results.derived!.total / results.raw!.total).toFixed(3)}`);
} finally {
  prom.kill();
  await prom;
  rmSync(dir, { recursive: true, force: true });
}
