// Green means the alert works: for every objective from 50% to 99.999%, at the periods whose
// windows differ, `generate` either refuses with a reason or writes tiers that can fire, whose
// generated tests pass under the real promtool. One config holds every SLO (a service per
// period), so promtool runs once per generated file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, writeTree } from '../helpers/cli.js';
import { configSource } from '../helpers/config.js';
import { tool } from '../helpers/tools.js';
import { runPromtoolTests } from '../../src/promtool/run.js';

const OBJECTIVES = [50, 60, 75, 80, 85, 90, 92, 93, 95, 97.5, 99, 99.5, 99.9, 99.95, 99.99, 99.999];
/** 30d is the Workbook's; 7d has the shortest windows (some at the 5m floor); 28d windows are no whole hours. */
const PERIODS = ['30d', '28d', '7d'];
/** 28d differs from 30d in its windows only: the objectives around the cap are enough there. */
const OBJECTIVES_AT: Record<string, number[]> = { '28d': [50, 75, 85, 90, 93, 95, 99.9] };
const TEAM = {
  name: 't',
  page: { pagerduty: { routingKeyFile: '/run/secrets/pd' } },
  ticket: { pagerduty: { routingKeyFile: '/run/secrets/pd2' } },
};

const sloName = (objective: number) => `o${String(objective).replace('.', '-')}`;

function sweepConfig() {
  return {
    teams: [TEAM],
    grafana: { url: 'http://grafana.example' },
    services: PERIODS.map((period) => ({
      name: `p${period}`,
      team: 't',
      slos: (OBJECTIVES_AT[period] ?? OBJECTIVES).map((objective) => ({
        name: sloName(objective),
        objective,
        period,
        // A metric per SLO: every SLO of a service shares the test groups, as they do for a user.
        sli: {
          ratio: {
            errors: `req_${sloName(objective).replace('-', '_')}_total{code="500"}`,
            total: `req_${sloName(objective).replace('-', '_')}_total`,
          },
        },
      })),
    })),
  };
}

test('every objective from 50 to 99.999, at 30d, 28d and 7d: tiers that can fire, and generated tests that pass in promtool', async () => {
  const source = configSource(sweepConfig());
  const dir = writeTree({ 'slos/index.ts': source });
  const out = path.join(dir, 'generated');
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', out);
  assert.equal(r.code, 0, r.stderr);
  // No pair asks for an error ratio a total outage cannot reach (factor x budget below 1, with margin).
  for (const period of PERIODS) {
    const rules = readFileSync(path.join(out, 'prometheus/rules', `p${period}.yml`), 'utf8');
    for (const objective of OBJECTIVES_AT[period] ?? OBJECTIVES) {
      const budget = (100 - objective) / 100;
      const sel = `{service="p${period}",slo="${sloName(objective)}"} / `;
      const factors = [...rules.matchAll(new RegExp(`ratio_rate\\w+${sel.replace(/[{}()./]/g, '\\$&')}[\\d.e-]+ > ([\\d.]+)`, 'g'))].map(
        (m) => Number(m[1]),
      );
      assert.equal(factors.length, 8, `${period} ${objective}: four pairs, two windows each`);
      for (const f of factors)
        assert.ok(f * budget <= 0.5 + 1e-9, `${period} ${objective}: factor ${f} asks for an error ratio of ${f * budget}`);
    }
  }
  const files = readdirSync(path.join(out, 'prometheus/tests')).sort();
  // A test file, a days file and a no-data file per service; the steady scenarios get a file of
  // their own (6h evaluation) where the slow ticket pair's short window spans 6h: at a 30d period.
  assert.deepEqual(
    files,
    PERIODS.flatMap((p) => [
      `p${p}.days.test.yml`,
      `p${p}.nodata.test.yml`,
      ...(p === '30d' ? [`p${p}.steady.test.yml`] : []),
      `p${p}.test.yml`,
    ]).sort(),
  );
  const run = await runPromtoolTests(
    files.map((f) => path.join(out, 'prometheus/tests', f)),
    { jobs: 2, promtool: await tool('promtool') },
  );
  for (const { file, ok, output } of run.results) assert.ok(ok, `${path.basename(file)}:\n${output}`);
  // Each low objective is proven by a page on a total outage and a ticket on a steady burn.
  const minutes = readFileSync(path.join(out, 'prometheus/tests/p30d.test.yml'), 'utf8');
  assert.match(minutes, /o90 pages within 31m/);
  assert.match(minutes, /o50 pages within 31m/);
  const days = readFileSync(path.join(out, 'prometheus/tests/p30d.steady.test.yml'), 'utf8');
  assert.match(
    days,
    /a 1\.5x burn sustained for days opens a ticket and pages \(no burn can ticket without paging at this objective\) for [\w, -]*o50/,
  );
  assert.match(days, /a 2x burn sustained for days opens a ticket and never pages for [\w, -]*o90/);
  // Below 90% generate says the factors are capped, on the objective itself.
  const lines = source.split('\n');
  const o85 = lines.findIndex((l) => l.includes('"objective": 85'));
  const at = `slos/index.ts:${o85 + 1}:${lines[o85]!.indexOf('"objective"') + 1}`;
  assert.ok(
    r.stderr.includes(
      `${at}: service "p30d" > SLO "o85" > field "objective": is 85%, below 90%: an error budget of 15% is so large that the burn-rate factors are capped (the page fires at 3.33x`,
    ),
    r.stderr,
  );
  assert.doesNotMatch(r.stderr, /SLO "o90" > field "objective"/);
});

test('objectives at or below 1, or below 50, are refused with why and what to write', async () => {
  const cfg = sweepConfig();
  cfg.services = [
    {
      ...cfg.services[0]!,
      slos: [0.999, 1, 25, 49.9].map((objective, i) => ({ ...cfg.services[0]!.slos[i]!, name: `bad${i}`, objective })),
    },
  ];
  const dir = writeTree({ 'slos/index.ts': configSource(cfg) });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'generated'));
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /SLO "bad0" > field "objective": is 0\.999, which reads as 0\.999% \(an error budget of 99\.001%\): objective is a percentage, not a ratio \(did you mean 99\.9\?\)/,
  );
  assert.match(r.stderr, /SLO "bad1" > field "objective": is 1, .*did you mean 99\.9\?/);
  assert.match(r.stderr, /SLO "bad2" > field "objective": is 25%: below 50% more than half the events may fail/);
  assert.match(r.stderr, /SLO "bad3" > field "objective": is 49\.9%: below 50%/);
  assert.match(r.stderr, /4 problems; nothing was written/);
});
