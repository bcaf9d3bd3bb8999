// End to end with the real Alertmanager 0.25: it posts its webhook (version "4", Bearer token
// from credentials_file, send_resolved) to the receiver, which runs the action once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReceiverProcess, TEST_TRIGGER, audit, setup, waitFor } from './helpers.js';
import { freePort } from '../helpers/net.js';

test('Alertmanager 0.25 delivers to the receiver; firing runs once, resolved runs with onResolved', async (t) => {
  const env = await setup((url) => [
    {
      name: 'restart-checkout',
      cooldown: '0s',
      onResolved: true,
      action: { http: { url: `${url}/restart`, body: { status: '{{status}}', service: '{{labels.service}}' } } },
    },
  ]);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => {
    await rx.stop();
    await env.target.stop();
  });

  const port = await freePort();
  const config = path.join(env.dir, 'alertmanager.yml');
  await writeFile(
    config,
    [
      'route:',
      '  receiver: sloforge-remediation',
      '  group_by: [alertname, service]',
      '  group_wait: 0s',
      '  group_interval: 1s',
      '  repeat_interval: 1m',
      'receivers:',
      '  - name: sloforge-remediation',
      '    webhook_configs:',
      `      - url: ${rx.url}/alerts`,
      '        send_resolved: true',
      '        http_config:',
      `          authorization: { credentials_file: ${env.tokenFile} }`,
      '',
    ].join('\n'),
  );
  execFileSync('amtool', ['check-config', config], { stdio: 'pipe' });
  const am = spawn(
    'prometheus-alertmanager',
    [
      `--config.file=${config}`,
      `--storage.path=${path.join(env.dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: 'ignore' },
  );
  t.after(() => {
    am.kill('SIGKILL');
  });
  const amUrl = `http://127.0.0.1:${port}`;
  await waitFor('Alertmanager to be ready', async () => (await fetch(`${amUrl}/-/ready`).catch(() => undefined))?.ok);

  const labels = { ...TEST_TRIGGER, remediation: 'restart-checkout', team: 'payments', severity: 'critical' };
  const startsAt = new Date(Date.now() - 60_000).toISOString();
  const send = (endsAt: string) =>
    fetch(`${amUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels, annotations: { summary: 'burning' }, startsAt, endsAt }]),
    });
  assert.equal((await send(new Date(Date.now() + 3_600_000).toISOString())).status, 200);
  await waitFor('the firing notification to run the action', () => env.target.calls.length >= 1);

  // Prometheus re-sends a firing alert; Alertmanager may notify again: still one run.
  await send(new Date(Date.now() + 3_600_000).toISOString());
  assert.equal((await send(new Date(Date.now() - 1000).toISOString())).status, 200);
  await waitFor('the resolved notification', () => env.target.calls.length >= 2);
  const bodies = env.target.calls.map((c) => JSON.parse(c.body) as { status: string });
  assert.deepEqual(
    bodies.map((b) => b.status),
    ['firing', 'resolved'],
  );
  const events = await audit(rx.url);
  assert.deepEqual(events.map((e) => `${e.status} ${e.state}`).sort(), ['firing success', 'resolved success']);
  assert.doesNotMatch(rx.stderr, /internal error/);
});
