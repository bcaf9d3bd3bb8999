// The repository's own fragment merged into an Alertmanager config that routes other alerts:
// amtool accepts the result, the other alerts still reach their receivers, sloforge's reach its;
// a result amtool refuses is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { amtool, EXISTING, ROOT, tempDir } from './helpers.js';
import { cli } from '../helpers/cli.js';
import { FRAGMENT_FILE } from '../../src/alertmanager/target.js';

const FRAGMENT = path.join(ROOT, 'generated', FRAGMENT_FILE);

async function routesOf(file: string, labels: Record<string, string>): Promise<string[]> {
  const out = await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  return out.split(',');
}

test('merged into an existing config: amtool checks it, other alerts keep their receivers, sloforge\'s reach its own', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, EXISTING);
  await amtool(['check-config', file]);
  const r = await cli('alertmanager', 'merge', '--into', file, '--fragment', FRAGMENT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /amtool check-config passed$/m);
  assert.match(await amtool(['check-config', file]), /SUCCESS/);
  const cases: Array<[Record<string, string>, string[]]> = [
    [{ alertname: 'DiskFull', team: 'db' }, ['db-pager']],
    [{ alertname: 'DiskFull', cluster: 'eu-1' }, ['ops-email']],
    // Not sloforge's alert, though it carries one of sloforge's team names: the existing tree decides.
    [{ alertname: 'HighLatency', team: 'payments', severity: 'critical' }, ['ops-email']],
    [{ alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'availability', team: 'payments', severity: 'critical' }, ['payments-page']],
    [{ alertname: 'ThresholdWarning', service: 'checkout', threshold: 'cpu', team: 'payments', severity: 'warning', remediation: 'restart-checkout' }, ['sloforge-remediation', 'payments-ticket']],
  ];
  for (const [labels, expected] of cases) assert.deepEqual(await routesOf(file, labels), expected, JSON.stringify(labels));
});

test('a merged config amtool refuses is not written', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'alertmanager.yml');
  // Valid YAML that Alertmanager 0.25 rejects: a receiver kind it does not know.
  const broken = `${EXISTING}  - name: chat\n    msteams_configs: [{ webhook_url: 'http://chat.example.com/' }]\n`;
  writeFileSync(file, broken);
  const r = await cli('alertmanager', 'merge', '--into', file, '--fragment', FRAGMENT);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /amtool check-config refuses the merged config, so it was not written/);
  assert.equal(readFileSync(file, 'utf8'), broken);
});
