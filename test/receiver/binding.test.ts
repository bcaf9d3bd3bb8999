// A remediation runs only for the alerts that declared it: actions.json lists them, and the
// receiver refuses every other alert that carries the remediation's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { remediationArtifacts } from '../../src/remediation/target.js';
import { modelOf } from '../helpers/config.js';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { startReceiver } from '../../src/receiver/server.js';
import { TOKEN, Target, alert, nameOf, payload, post, settled, tempDir } from './helpers.js';

const team = {
  name: 'payments',
  page: { webhook: { url: 'http://pager.example/' } },
  ticket: { webhook: { url: 'http://tickets.example/' } },
};

function config(targetUrl: string) {
  return modelOf({
    teams: [team],
    services: [
      {
        name: 'checkout',
        team: 'payments',
        slos: [
          {
            name: 'availability',
            objective: 99.9,
            sli: { ratio: { errors: 'req_total{code="500"}', total: 'req_total' } },
            alerting: { remediation: 'restart' },
          },
          { name: 'latency', objective: 99, sli: { latency: { histogram: 'dur_seconds', threshold: 0.5 } } },
        ],
        thresholds: [{ name: 'queue', expr: 'queue_depth', warning: 10, remediation: 'drain', noData: { remediation: 'page-restart' } }],
      },
    ],
    remediations: [
      { name: 'restart', cooldown: '0s', action: { http: { url: `${targetUrl}/restart` } } },
      { name: 'drain', cooldown: '0s', action: { http: { url: `${targetUrl}/drain` } } },
      { name: 'page-restart', cooldown: '0s', action: { http: { url: `${targetUrl}/nodata` } } },
    ],
  });
}

test('actions.json binds each remediation to exactly the alerts that name it', () => {
  const triggers = new Map(config('http://x').remediations.map((r) => [r.name, r.triggers]));
  assert.deepEqual(Object.fromEntries(triggers), {
    // An SLO's remediation runs on its page tier unless remediationTiers says otherwise.
    restart: [{ alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'availability' }],
    // Only the level the threshold has; its no-data alert has a remediation of its own.
    drain: [{ alertname: 'ThresholdWarning', service: 'checkout', threshold: 'queue' }],
    'page-restart': [{ alertname: 'ThresholdNoData', service: 'checkout', threshold: 'queue' }],
  });
  const doc = actionsFile.parse(JSON.parse(remediationArtifacts(config('http://x'))[0]!.content));
  assert.deepEqual(doc.remediations.find((r) => r.name === 'drain')?.triggers, triggers.get('drain'));
});

test('the receiver refuses an alert its remediation is not bound to: audited, counted, never run', async (t) => {
  const target = await new Target().start();
  const dir = await tempDir();
  const doc = actionsFile.parse(JSON.parse(remediationArtifacts(config(target.url))[0]!.content));
  await writeFile(path.join(dir, 'actions.json'), JSON.stringify(doc));
  const rx = await startReceiver({
    remediations: doc.remediations,
    tokens: [TOKEN],
    dataDir: path.join(dir, 'data'),
    host: '127.0.0.1',
    port: 0,
    dryRun: false,
    log: () => undefined,
  });
  t.after(async () => {
    await rx.close();
    await target.stop();
  });

  const labels = (l: Record<string, string>) => ({ labels: { team: 'payments', severity: 'critical', ...l } });
  const res = await post(
    rx.url,
    payload([
      // Declared: runs.
      alert(
        'ok',
        'restart',
        labels({ alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'availability', remediation: 'restart' }),
      ),
      // A series label that reached a threshold alert of another service.
      alert(
        'other-service',
        'restart',
        labels({ alertname: 'ThresholdCritical', service: 'billing', threshold: 'cpu', remediation: 'restart' }),
      ),
      // The right service, but the SLO that did not declare it.
      alert(
        'other-slo',
        'restart',
        labels({ alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'latency', remediation: 'restart' }),
      ),
      // A no-data alert never carries its SLO's remediation.
      alert('nodata', 'restart', labels({ alertname: 'SLONoData', service: 'checkout', slo: 'availability', remediation: 'restart' })),
    ]),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { status: 'accepted', queued: 1, duplicates: 0, ignored: 3 });
  const events = await settled(rx.url, 4);
  const byFp = Object.fromEntries(events.map((e) => [nameOf(e.fingerprint), e]));
  assert.equal(byFp.ok.state, 'success');
  for (const fp of ['other-service', 'other-slo', 'nodata']) {
    assert.equal(byFp[fp].state, 'skipped', fp);
    assert.equal(byFp[fp].reason, 'not-bound', fp);
    assert.match(byFp[fp].detail, /is not bound to remediation "restart"/);
  }
  assert.deepEqual(
    target.calls.map((c) => c.url),
    ['/restart'],
  );
  const metrics = await (await fetch(`${rx.url}/metrics`)).text();
  assert.match(metrics, /sloforge_receiver_actions_total\{remediation="restart",result="skipped-not-bound"\} 3/);
  assert.match(metrics, /sloforge_receiver_alerts_total\{outcome="not_bound"\} 3/);
});
