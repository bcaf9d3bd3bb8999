// The compose topology from native binaries on 127.0.0.1: the demo workload, the sloforge
// receiver, Alertmanager 0.25 and Prometheus 2.42, each on the files docker-compose.yml mounts
// (addresses and paths moved to this machine, nothing else). A total checkout outage must page
// through the generated burn-rate rule, reach Alertmanager, and make the receiver restart the
// workload through the generated `restart-checkout` action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { REPO } from '../helpers/cli.js';
import { tool } from '../helpers/tools.js';
import { hostPath, loadCompose, service } from './compose-model.js';
import { localActions, localAlertmanagerConfig, localPrometheusConfig, type Endpoints } from './local-configs.js';
import { Proc, freePort, getJson, until } from './processes.js';
import type { AuditEntry } from '../../src/receiver/audit.js';

/** Healthy traffic Prometheus sees before the outage (30 evaluations), so the burn windows start from a baseline. */
const HEALTHY_SECONDS = 15;
const INTERVAL = '500ms';

interface PromAlert {
  labels: Record<string, string>;
  state: string;
  activeAt?: string;
}
interface AmAlert {
  labels: Record<string, string>;
  receivers: Array<{ name: string }>;
  status: { state: string };
}
interface Restarts {
  count: number;
  calls: Array<{ idempotencyKey?: string; body: { reason?: string; severity?: string } }>;
}

const isCheckoutFastBurn = (l: Record<string, string>) =>
  l.alertname === 'ErrorBudgetBurnFast' && l.service === 'checkout' && l.slo === 'availability';

test(
  'native stack: a checkout outage pages, reaches Alertmanager and the receiver restarts the workload',
  { timeout: 180_000 },
  async (t) => {
    const [prometheusBin, alertmanagerBin, amtoolBin] = await Promise.all([
      tool('prometheus'),
      tool('prometheus-alertmanager'),
      tool('amtool'),
    ]);
    const compose = loadCompose();
    const rx = service(compose, 'sloforge-receiver');
    const am = service(compose, 'alertmanager');
    const demo = service(compose, 'demo-workload');

    const dir = mkdtempSync(path.join(os.tmpdir(), 'sloforge-native-stack-'));
    const procs: Proc[] = [];
    t.after(async () => {
      await Promise.all(procs.map((p) => p.stop()));
      rmSync(dir, { recursive: true, force: true });
    });
    const context = () => procs.map((p) => p.output()).join('\n');

    const [demoPort, rxPort, amPort, promPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    assert.equal(new Set([demoPort, rxPort, amPort, promPort]).size, 4);
    const local = (port: number) => `127.0.0.1:${port}`;
    const endpoints: Endpoints = {
      'demo-workload:8080': local(demoPort),
      'sloforge-receiver:9095': local(rxPort),
      'alertmanager:9093': local(amPort),
      'prometheus:9090': local(promPort),
      'localhost:9090': local(promPort),
    };
    const demoUrl = `http://${local(demoPort)}`;
    const rxUrl = `http://${local(rxPort)}`;
    const amUrl = `http://${local(amPort)}`;
    const promUrl = `http://${local(promPort)}`;

    // Demo workload, with the admin credential file compose mounts into it.
    procs.push(
      new Proc('demo-workload', process.execPath, ['--import', 'tsx', 'deploy/demo-workload/main.ts'], {
        cwd: REPO,
        env: {
          ...process.env,
          DEMO_HOST: '127.0.0.1',
          DEMO_PORT: String(demoPort),
          DEMO_REQUESTS_PER_SECOND: '50',
          DEMO_RESTART_HEALS: 'true',
          DEMO_ADMIN_AUTHORIZATION_FILE: hostPath(demo, demo.environment.DEMO_ADMIN_AUTHORIZATION_FILE!)!,
        },
      }),
    );

    // Receiver: the generated actions with the demo workload's local address and the mounted header files.
    const actionsFile = path.join(dir, 'actions.json');
    writeFileSync(
      actionsFile,
      localActions(readFileSync(hostPath(rx, rx.environment.SLOFORGE_RECEIVER_ACTIONS!)!, 'utf8'), { endpoints, service: rx }),
    );
    const tokenFile = hostPath(rx, rx.environment.SLOFORGE_RECEIVER_TOKEN_FILE!)!;
    const token = readFileSync(tokenFile, 'utf8').trim();
    procs.push(
      new Proc(
        'sloforge-receiver',
        process.execPath,
        [
          'bin/sloforge.mjs',
          'receiver',
          '--actions',
          actionsFile,
          '--token-file',
          tokenFile,
          '--data-dir',
          path.join(dir, 'receiver'),
          '--host',
          '127.0.0.1',
          '--port',
          String(rxPort),
        ],
        { cwd: REPO },
      ),
    );

    // Alertmanager: the generated folder (config + templates) with the receiver URL and secret paths moved.
    const amArg = am.command.find((a) => a.startsWith('--config.file='))!.slice('--config.file='.length);
    const amSource = hostPath(am, amArg)!;
    const amDir = path.join(dir, 'alertmanager');
    cpSync(path.dirname(amSource), amDir, { recursive: true });
    const amConfig = path.join(amDir, path.basename(amSource));
    writeFileSync(amConfig, localAlertmanagerConfig(readFileSync(amSource, 'utf8'), { endpoints, service: am }));
    const check = await execa(amtoolBin, ['check-config', amConfig], { reject: false, all: true });
    assert.equal(check.exitCode, 0, check.all);
    procs.push(
      new Proc('alertmanager', alertmanagerBin, [
        `--config.file=${amConfig}`,
        `--storage.path=${path.join(dir, 'am-data')}`,
        `--web.listen-address=${local(amPort)}`,
        '--cluster.listen-address=',
      ]),
    );

    // Prometheus: deploy/prometheus/prometheus.yml on local ports, the generated rules, 1 s intervals.
    const rulesDir = path.join(REPO, 'generated/prometheus/rules');
    const ruleFiles = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => path.join(rulesDir, f));
    const promConfig = path.join(dir, 'prometheus.yml');
    writeFileSync(
      promConfig,
      localPrometheusConfig(readFileSync(path.join(REPO, 'deploy/prometheus/prometheus.yml'), 'utf8'), {
        endpoints,
        ruleFiles,
        interval: INTERVAL,
      }),
    );
    mkdirSync(path.join(dir, 'prom-data'));
    procs.push(
      new Proc('prometheus', prometheusBin, [
        `--config.file=${promConfig}`,
        `--storage.tsdb.path=${path.join(dir, 'prom-data')}`,
        `--web.listen-address=${local(promPort)}`,
        '--rules.alert.resend-delay=1s',
        '--enable-feature=native-histograms',
      ]),
    );

    const ready = (url: string) => async () => ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok ? true : undefined);
    await until('the demo workload', ready(`${demoUrl}/healthz`), 30_000, context);
    await until('the receiver', ready(`${rxUrl}/readyz`), 30_000, context);
    await until('Alertmanager', ready(`${amUrl}/-/ready`), 30_000, context);
    await until('Prometheus', ready(`${promUrl}/-/ready`), 30_000, context);
    // Prometheus drops alerts until it has discovered its Alertmanager.
    await until(
      'Prometheus to list Alertmanager',
      async () => {
        const r = await getJson<{ data: { activeAlertmanagers: Array<{ url: string }> } }>(`${promUrl}/api/v1/alertmanagers`);
        return r.data.activeAlertmanagers.some((a) => a.url.includes(local(amPort))) || undefined;
      },
      30_000,
      context,
    );
    await until(
      'every scrape target to be up',
      async () => {
        const r = await getJson<{ data: { activeTargets: Array<{ health: string; labels: { job: string } }> } }>(
          `${promUrl}/api/v1/targets`,
        );
        const t = r.data.activeTargets;
        return t.length >= 9 && t.every((x) => x.health === 'up') ? true : undefined;
      },
      30_000,
      context,
    );

    // A healthy baseline: checkout serves, nothing pages, no restart.
    await new Promise((r) => setTimeout(r, HEALTHY_SECONDS * 1000));
    const firingBefore = (await getJson<{ data: { alerts: PromAlert[] } }>(`${promUrl}/api/v1/alerts`)).data.alerts;
    assert.deepEqual(
      firingBefore.filter((a) => a.labels.service === 'checkout').map((a) => a.labels.alertname),
      [],
      'checkout alerts before the outage',
    );
    assert.equal((await getJson<Restarts>(`${demoUrl}/admin/restarts`)).count, 0);

    const chaos = await fetch(`${demoUrl}/chaos`, { method: 'POST', body: JSON.stringify({ service: 'checkout', errorRate: 1 }) });
    assert.equal(chaos.status, 200, await chaos.text());
    const outageAt = Date.now();

    const fired = await until(
      'ErrorBudgetBurnFast for checkout availability to fire in Prometheus',
      async () => {
        const r = await getJson<{ data: { alerts: PromAlert[] } }>(`${promUrl}/api/v1/alerts`);
        return r.data.alerts.find((a) => isCheckoutFastBurn(a.labels) && a.state === 'firing');
      },
      60_000,
      context,
    );
    const firedAfter = Date.now() - outageAt;
    assert.equal(fired.labels.severity, 'critical');
    assert.equal(fired.labels.remediation, 'restart-checkout');
    assert.equal(fired.labels.team, 'payments');

    const inAm = await until(
      'the alert in Alertmanager',
      async () => {
        const alerts = await getJson<AmAlert[]>(`${amUrl}/api/v2/alerts?filter=${encodeURIComponent('alertname="ErrorBudgetBurnFast"')}`);
        return alerts.find((a) => isCheckoutFastBurn(a.labels));
      },
      30_000,
      context,
    );
    assert.equal(inAm.status.state, 'active');
    // Routed to the remediation webhook and, through `continue`, to the team's page receiver.
    assert.deepEqual(inAm.receivers.map((r) => r.name).sort(), ['payments-page', 'sloforge-remediation']);

    const restarts = await until(
      'the receiver to call /admin/restart',
      async () => {
        const r = await getJson<Restarts>(`${demoUrl}/admin/restarts`);
        return r.count > 0 ? r : undefined;
      },
      60_000,
      context,
    );
    const restartedAfter = Date.now() - outageAt;
    const call = restarts.calls[0]!;
    assert.equal(call.body.reason, 'SLO availability of checkout is burning its error budget');

    // Both burn tiers of the SLO name restart-checkout and fire within a second or two of each
    // other, so either may reach the receiver first: that one runs, the other is held by the
    // cooldown. What must hold: the page reached the receiver and the action ran exactly once.
    const auth = { authorization: `Bearer ${token}` };
    const audit = await until(
      'the page-tier alert in the audit trail, and a successful run',
      async () => {
        const list = (await getJson<{ actions: AuditEntry[] }>(`${rxUrl}/api/actions`, auth)).actions;
        return list.some((e) => isCheckoutFastBurn(e.labels)) && list.some((e) => e.state === 'success') ? list : undefined;
      },
      30_000,
      context,
    );
    const ran = audit.filter((e) => e.state === 'success');
    assert.equal(ran.length, 1, JSON.stringify(audit, null, 2));
    const run = ran[0]!;
    assert.equal(run.remediation, 'restart-checkout');
    assert.deepEqual([run.labels.service, run.labels.slo, run.labels.team], ['checkout', 'availability', 'payments']);
    assert.match(run.labels.alertname!, /^ErrorBudgetBurn(Fast|Slow)$/);
    assert.equal(run.id, call.idempotencyKey, 'the call carries the audited event id as its Idempotency-Key');
    assert.equal(call.body.severity, run.labels.severity);
    for (const e of audit.filter((x) => x.state !== 'success')) assert.equal(e.reason, 'cooldown', JSON.stringify(e));
    // With 500 ms evaluations the page tier usually fires an evaluation earlier; then the order
    // must survive Alertmanager (equal group_wait) and the receiver's queue (oldest first).
    const firing = (await getJson<{ data: { alerts: PromAlert[] } }>(`${promUrl}/api/v1/alerts`)).data.alerts;
    const activeAt = (name: string) =>
      firing.find((a) => a.labels.alertname === name && a.labels.service === 'checkout' && a.labels.slo === 'availability')?.activeAt;
    const [fast, slow] = [activeAt('ErrorBudgetBurnFast'), activeAt('ErrorBudgetBurnSlow')];
    if (fast !== undefined && slow !== undefined && Date.parse(fast) < Date.parse(slow))
      assert.equal(run.labels.alertname, 'ErrorBudgetBurnFast');
    assert.equal((await getJson<Restarts>(`${demoUrl}/admin/restarts`)).count, 1);

    // The restart ended the injected outage, as a real restart of a stuck process would.
    const shares = await getJson<Record<string, { errorRate: number }>>(`${demoUrl}/chaos`);
    assert.ok(shares.checkout!.errorRate < 0.01);
    t.diagnostic(
      `fast burn fired ${firedAfter} ms after the outage began (slow burn ${slow === undefined ? 'not yet' : `${Date.parse(slow) - Date.parse(fast!)} ms later`}); restart after ${restartedAfter} ms by ${run.labels.alertname}`,
    );
  },
);
