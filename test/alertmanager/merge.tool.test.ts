// The repository's own fragment merged into an Alertmanager config that routes other alerts:
// amtool accepts the result, the other alerts still reach their receivers, sloforge's reach its;
// a result amtool refuses is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { amtool, EXISTING, ROOT, tempDir } from './helpers.js';
import { cli } from '../helpers/cli.js';
import { FRAGMENT_FILE } from '../../src/alertmanager/target.js';

const FRAGMENT = path.join(ROOT, 'generated', FRAGMENT_FILE);

async function routesOf(file: string, labels: Record<string, string>): Promise<string[]> {
  const out = await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  return out.split(',');
}

test("merged into an existing config: amtool checks it, other alerts keep their receivers, sloforge's reach its own", async (t) => {
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
    [
      { alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'availability', team: 'payments', severity: 'critical' },
      ['payments-page'],
    ],
    [
      {
        alertname: 'ThresholdWarning',
        service: 'checkout',
        threshold: 'cpu',
        team: 'payments',
        severity: 'warning',
        remediation: 'restart-checkout',
      },
      ['sloforge-remediation', 'payments-ticket'],
    ],
  ];
  for (const [labels, expected] of cases) assert.deepEqual(await routesOf(file, labels), expected, JSON.stringify(labels));
});

test('an existing config amtool already refuses: merge says the input is invalid, quotes amtool, and writes nothing', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'alertmanager.yml');
  // Upstream's doc/examples/simple.yml has a tracing block, which Alertmanager 0.25 does not know.
  const invalid = `${EXISTING}tracing:\n  endpoint: 127.0.0.1:4317\n  insecure: true\n`;
  writeFileSync(file, invalid);
  const r = await cli('alertmanager', 'merge', '--into', file, '--fragment', FRAGMENT);
  assert.equal(r.code, 1, r.stderr);
  assert.match(
    r.stderr,
    /^error: \S*alertmanager\.yml: the input is not a valid Alertmanager config: amtool check-config refuses it as it is, before anything is merged:$/m,
  );
  // amtool's own reason, quoted.
  assert.match(r.stderr, /^ {2}.*field tracing not found/m);
  assert.doesNotMatch(r.stderr, /refuses the merged config/);
  assert.match(r.stderr, /1 problem; nothing was written\n$/);
  assert.equal(readFileSync(file, 'utf8'), invalid);
  // With --out too, nothing is written anywhere.
  const out = path.join(dir, 'merged.yml');
  const again = await cli('alertmanager', 'merge', '--into', file, '--out', out, '--fragment', FRAGMENT);
  assert.equal(again.code, 1);
  assert.equal(existsSync(out), false);
});
