// The thresholds of receiverThresholds() on the receiver's own series, through promtool: the
// generated tests of an `expr` threshold feed its recorded value, so this proves the expressions
// themselves (job filter, counters and their resets, the remediation label renamed `action`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { stringify } from 'yaml';
import { receiverThresholds } from '../../src/index.js';
import { serviceRuleGroups } from '../../src/prometheus/target.js';
import { baseConfig, modelOf } from '../helpers/config.js';
import { promtool } from '../helpers/tools.js';

const FIRING = 'ALERTS{alertname="ThresholdWarning",alertstate="firing",service="receiver"}';

function rulesAndTests(): { rules: string; tests: string } {
  const raw = baseConfig();
  raw.grafana = { url: 'https://grafana.example' };
  raw.services.push({ name: 'receiver', team: 'payments', slos: [], thresholds: receiverThresholds({ job: 'rx', window: '30m' }) });
  const svc = modelOf(raw).services.find((s) => s.name === 'receiver')!;
  const rules = stringify({ groups: serviceRuleGroups(svc) });
  const at = (minutes: number, labels: Array<Record<string, string>>) => ({
    expr: `sort(${FIRING})`,
    eval_time: `${minutes}m`,
    exp_samples: labels.map((l) => ({
      labels: `ALERTS{${Object.entries({
        alertname: 'ThresholdWarning',
        alertstate: 'firing',
        service: 'receiver',
        severity: 'warning',
        team: 'payments',
        ...l,
      })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}}`,
      value: 1,
    })),
  });
  const tests = {
    rule_files: ['rules.yml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          // Up for 30m, then down: the warning comes 5m (its `for`) after the first failed scrape.
          { series: 'up{job="rx",instance="rx:9095"}', values: '1x30 0x30' },
          // Another job's receiver-like series never count.
          { series: 'up{job="other"}', values: '0x60' },
          { series: 'sloforge_receiver_log_skipped_lines{job="other"}', values: '3x60' },
          // One failed run at minute 21; a restart resets the counter at 40 without a failure.
          { series: 'sloforge_receiver_actions_total{job="rx",remediation="restart",result="failure"}', values: '0x20 1x19 0x20' },
          { series: 'sloforge_receiver_actions_total{job="rx",remediation="scale",result="failure"}', values: '0x60' },
          { series: 'sloforge_receiver_actions_total{job="rx",remediation="scale",result="success"}', values: '0+1x60' },
          // scale halted at its hourly cap from 10m to 14m.
          { series: 'sloforge_receiver_remediation_halted{job="rx",remediation="scale"}', values: '0x9 1x5 0x45' },
          { series: 'sloforge_receiver_remediation_halted{job="rx",remediation="restart"}', values: '0x60' },
          // Two refused writes at 3m.
          { series: 'sloforge_receiver_requests_total{job="rx",route="/alerts",outcome="persist_failed"}', values: '0x2 2x57' },
          { series: 'sloforge_receiver_log_skipped_lines{job="rx"}', values: '0x60' },
        ],
        promql_expr_test: [
          at(1, []),
          // A refused write keeps firing for the window; the alerts name the remediation as
          // `action`, never as `remediation` (which would ask the receiver to run it).
          at(5, [{ threshold: 'receiver-persist-failures' }]),
          at(12, [{ action: 'scale', threshold: 'remediation-halted' }, { threshold: 'receiver-persist-failures' }]),
          at(22, [{ action: 'restart', threshold: 'remediation-failures' }, { threshold: 'receiver-persist-failures' }]),
          at(34, [{ action: 'restart', threshold: 'remediation-failures' }]),
          // up fell at 31: not yet after 4m, firing after 5m; the failure left the 30m window.
          at(35, [{ action: 'restart', threshold: 'remediation-failures' }]),
          at(36, [{ threshold: 'receiver-up' }, { action: 'restart', threshold: 'remediation-failures' }]),
          at(55, [{ threshold: 'receiver-up' }]),
        ],
      },
    ],
  };
  return { rules, tests: stringify(tests) };
}

test("receiverThresholds on the receiver's own series: each alert fires when it should, names the action, and stays quiet for other jobs", async () => {
  const dir = tempDir('sloforge-rx-monitoring-');
  const { rules, tests } = rulesAndTests();
  writeFileSync(path.join(dir, 'rules.yml'), rules);
  writeFileSync(path.join(dir, 'tests.yml'), tests);
  const r = await promtool('test', 'rules', path.join(dir, 'tests.yml'));
  assert.ok(r.ok, r.output);
});
