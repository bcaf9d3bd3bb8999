// Measures, with promtool 2.42, when the page-tier alert starts and stops firing around a total
// outage, for sloforge's derived windows and for every window read raw (what peers generate).
// Run: npx tsx bench/alert-timing.ts
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { validateConfig } from '../src/config/validate.js';
import { resolveModel } from '../src/model/resolve.js';
import { ALERT_NAMES } from '../src/conventions.js';
import { sloRuleGroup } from '../src/prometheus/slo-rules.js';
import { sliInputSeries } from '../src/promtool/slo-tests.js';
import { renderYaml } from '../src/output/render.js';
import { formatDuration, MINUTE_MS } from '../src/config/duration.js';

// Six hours of clean traffic first, so every page-tier window holds real history.
const WARMUP = 400;
const AFTER = 90;

interface Row {
  objective: number;
  period: string;
  outage: number;
  windows: string;
  firstFiring?: number;
  lastFiring?: number;
  resetAfter?: number;
}

async function measure(objective: number, period: string, outage: number, windows: 'derived' | 'raw'): Promise<Row> {
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
              objective,
              period,
              sli: { ratio: { errors: 'http_requests_total{job="api",code=~"5.."}', total: 'http_requests_total{job="api"}' } },
            },
          ],
        },
      ],
    }),
  );
  const svc = cfg.services[0]!;
  const slo = svc.slos[0]!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sloforge-timing-'));
  writeFileSync(path.join(dir, 'rules.yml'), renderYaml({ groups: [sloRuleGroup(svc, slo, windows)] }));
  const phases = [
    { minutes: WARMUP, total: 1000, errors: 0 },
    { minutes: outage, total: 1000, errors: 1000 },
    { minutes: AFTER, total: 1000, errors: 0 },
  ];
  // Expect silence at every minute; promtool then lists exactly the minutes the alert fired.
  const checks = [];
  for (let m = WARMUP - 5; m <= WARMUP + outage + AFTER; m++) {
    checks.push({ eval_time: formatDuration(m * MINUTE_MS), alertname: ALERT_NAMES.critical, exp_alerts: [] });
  }
  writeFileSync(
    path.join(dir, 'test.yml'),
    renderYaml({
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [{ interval: '1m', input_series: sliInputSeries(slo, phases), alert_rule_test: checks }],
    }),
  );
  const r = await execa('promtool', ['test', 'rules', path.join(dir, 'test.yml')], { reject: false, all: true });
  const minutes = [...(r.all ?? '').matchAll(/time: (\w+),/g)].map((m) => toMinutes(m[1]!));
  const row: Row = { objective, period, outage, windows };
  if (minutes.length > 0) {
    // The outage's first failing scrape lands at minute WARMUP+1; recovery's first clean one at WARMUP+outage+1.
    row.firstFiring = Math.min(...minutes) - (WARMUP + 1);
    row.lastFiring = Math.max(...minutes);
    row.resetAfter = row.lastFiring + 1 - (WARMUP + outage + 1);
  }
  return row;
}

function toMinutes(t: string): number {
  let m = 0;
  for (const [, n, u] of t.matchAll(/(\d+)([dhm])/g)) m += Number(n) * (u === 'd' ? 1440 : u === 'h' ? 60 : 1);
  return m;
}

const rows: Row[] = [];
for (const [objective, period] of [
  [99.9, '30d'],
  [99, '30d'],
  [99.9, '28d'],
  [99.9, '7d'],
] as const) {
  for (const outage of [5, 15, 60]) {
    for (const windows of ['derived', 'raw'] as const) rows.push(await measure(objective, period, outage, windows));
  }
}
console.log('objective period outage windows  pages-after(min) page-resets-after-recovery(min)');
for (const r of rows) {
  console.log(
    `${String(r.objective).padEnd(9)} ${r.period.padEnd(6)} ${String(r.outage).padEnd(6)} ${r.windows.padEnd(8)} ${String(r.firstFiring ?? 'never').padEnd(16)} ${r.resetAfter ?? '-'}`,
  );
}
