// Every team x severity, with and without a remediation label, through amtool's own router.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { amtool, config, everyKind, ROOT, tempDir, writeAlertmanager } from './helpers.js';
import { ALERTMANAGER_FILE } from '../../src/alertmanager/target.js';

async function receivers(file: string, labels: Record<string, string>): Promise<string[]> {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const out = await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...args]);
  return out.split(',');
}

// Written out by hand rather than derived from the compiler, so a routing change shows up here.
const EXAMPLE_TEAMS: Record<string, { service: string; page: string; ticket: string }> = {
  payments: { service: 'checkout', page: 'payments-page', ticket: 'payments-ticket' },
  automation: { service: 'workflow-platform', page: 'automation-page', ticket: 'automation-ticket' },
  'ml-platform': { service: 'llm-pipeline', page: 'ml-platform-page', ticket: 'ml-platform-ticket' },
};

const SEVERITIES = [
  { severity: 'critical', alertname: 'ErrorBudgetBurnFast', tier: 'page' },
  { severity: 'warning', alertname: 'ErrorBudgetBurnSlow', tier: 'ticket' },
] as const;

test('generated/alertmanager.yml routes every team x severity x remediation to the exact receivers', async () => {
  const file = path.join(ROOT, 'generated', ALERTMANAGER_FILE);
  for (const [team, t] of Object.entries(EXAMPLE_TEAMS)) {
    for (const s of SEVERITIES) {
      const base = { alertname: s.alertname, service: t.service, slo: 'availability', team, severity: s.severity };
      assert.deepEqual(await receivers(file, base), [t[s.tier]], `${team} ${s.severity}`);
      // A page naming a remediation goes to the receiver and to people; a ticket naming one is the
      // receiver's own copy (people get the copy without it, which the page inhibits).
      assert.deepEqual(
        await receivers(file, { ...base, remediation: 'restart-checkout' }),
        s.tier === 'page' ? ['sloforge-remediation', t.page] : ['sloforge-remediation'],
        `${team} ${s.severity} with remediation`,
      );
      // Threshold alerts route the same way: only team and severity matter, and a remediation adds the receiver.
      const th = {
        alertname: s.severity === 'critical' ? 'ThresholdCritical' : 'ThresholdWarning',
        service: t.service,
        threshold: 'cpu',
        team,
        severity: s.severity,
      };
      assert.deepEqual(await receivers(file, th), [t[s.tier]], `${team} ${s.severity} threshold`);
      assert.deepEqual(
        await receivers(file, { ...th, remediation: 'scale-workers' }),
        ['sloforge-remediation', t[s.tier]],
        `${team} ${s.severity} threshold with remediation`,
      );
    }
  }
});

test('fallbacks: other severities, unknown teams and teams without a receiver', async (t) => {
  const file = await writeAlertmanager(config(everyKind), await tempDir(t));
  const cases: Array<[Record<string, string>, string[]]> = [
    [{ team: 'payments', severity: 'critical' }, ['payments-page']],
    [{ team: 'payments', severity: 'warning' }, ['payments-ticket']],
    [{ team: 'payments', severity: 'info' }, ['payments-ticket']],
    [{ team: 'payments', severity: 'info', remediation: 'r' }, ['sloforge-remediation', 'payments-ticket']],
    [{ team: 'unknown', severity: 'critical' }, ['sloforge-default']],
    [{ severity: 'critical', remediation: 'r' }, ['sloforge-default']],
    // ml-platform has only a ticket receiver: pages go there rather than nowhere.
    [{ team: 'ml-platform', severity: 'critical' }, ['ml-platform-ticket']],
    [{ team: 'no-receivers', severity: 'critical' }, ['sloforge-default']],
    [{ team: 'no-receivers', severity: 'warning', remediation: 'r' }, ['sloforge-remediation', 'sloforge-default']],
    // An empty remediation label is no remediation.
    [{ team: 'automation', severity: 'warning', remediation: '' }, ['automation-ticket']],
  ];
  for (const [labels, expected] of cases) {
    assert.deepEqual(await receivers(file, { alertname: 'X', service: 's', ...labels }), expected, JSON.stringify(labels));
  }
});
