// The compose profile receiver-ha from native binaries on 127.0.0.1: one PostgreSQL, the two
// receivers as docker-compose.yml configures them (the generated actions, the token and the
// password files it mounts), and Alertmanager 0.25 on the config the profile's one-shot writes
// (deploy/receiver-ha/alertmanager.ts), its webhook URLs moved to this machine. Alerts posted to
// Alertmanager reach both replicas; each is recorded once and its action runs once, and with
// one replica killed the other carries on alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { tool } from '../helpers/tools.js';
import { PG_PASSWORD, PgCluster } from '../helpers/postgres.js';
import { haAlertmanagerConfig } from '../../deploy/receiver-ha/alertmanager.js';
import { ReceiverProcess, Target } from '../receiver/helpers.js';
import { hostPath, loadCompose, readEnvFile, service } from './compose-model.js';
import { localActions, localAlertmanagerConfig, type Endpoints } from './local-configs.js';
import { REPO } from '../helpers/cli.js';
import { Proc, freePort, getJson, until } from './processes.js';
import type { AuditEntry } from '../../src/receiver/audit.js';

const X = { alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'availability', remediation: 'restart-checkout' };
/** Same remediation, another group: held by the cooldown X's run started, whichever replica decides. */
const Y = { alertname: 'ThresholdCritical', service: 'checkout', threshold: 'heap', remediation: 'restart-checkout' };
/** A dry run in the stack: audited once as one. */
const Z = { alertname: 'ErrorBudgetBurnFast', service: 'llm-pipeline', slo: 'preprocess-latency', remediation: 'drain-llm-queue' };

test(
  'native receiver-ha: Alertmanager posts to two receivers on one PostgreSQL; each alert is recorded and acted on once, also with one replica killed',
  { timeout: 240_000 },
  async (t) => {
    const [alertmanagerBin, amtoolBin] = await Promise.all([tool('prometheus-alertmanager'), tool('amtool')]);
    const compose = loadCompose(undefined, readEnvFile(path.join(REPO, 'deploy/receiver-ha/compose.env')));
    const am = service(compose, 'alertmanager');
    const init = service(compose, 'receiver-ha-init');
    const replicaSvc = ['sloforge-receiver-a', 'sloforge-receiver-b'].map((n) => service(compose, n));

    const dir = mkdtempSync(path.join(os.tmpdir(), 'sloforge-native-ha-'));
    const cluster = await PgCluster.start();
    const demo = await new Target().start();
    const replicas: ReceiverProcess[] = [];
    let alertmanager: Proc | undefined;
    t.after(async () => {
      await alertmanager?.stop();
      for (const r of replicas) {
        r.killGroup();
        await r.exited;
      }
      await demo.stop();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const context = () =>
      [alertmanager?.output() ?? '', ...replicas.map((r, i) => `--- replica ${i} ---\n${r.stderr.slice(-3000)}`)].join('\n');

    // The database as the profile's postgres service makes it: user and database from its
    // environment, the password the file both sides mount.
    const pgSvc = service(compose, 'postgres');
    const password = readFileSync(hostPath(pgSvc, pgSvc.environment.POSTGRES_PASSWORD_FILE!)!, 'utf8').trim();
    const database = await cluster.createDatabase(pgSvc.environment.POSTGRES_DB!);
    const admin = new URL(database);
    await execa(
      path.join(cluster.bin, 'psql'),
      [admin.href, '-v', 'ON_ERROR_STOP=1', '-c', `ALTER USER ${admin.username} PASSWORD '${password}'`],
      {
        env: { PGPASSWORD: PG_PASSWORD },
      },
    );

    // Both replicas from their compose environment; only the addresses move to this machine.
    const endpoints: Endpoints = { 'demo-workload:8080': demo.url.replace('http://', '') };
    for (const svc of replicaSvc) {
      const actions = path.join(dir, `${svc.name}-actions.json`);
      writeFileSync(
        actions,
        localActions(readFileSync(hostPath(svc, svc.environment.SLOFORGE_RECEIVER_ACTIONS!)!, 'utf8'), { endpoints, service: svc }),
      );
      const url = new URL(svc.environment.SLOFORGE_DATABASE_URL!);
      assert.equal(url.password, '');
      url.host = `127.0.0.1:${cluster.port}`;
      replicas.push(
        await ReceiverProcess.spawn(['--actions', actions, '--host', '127.0.0.1', '--port', '0', '--lease', '2s'], {
          SLOFORGE_RECEIVER_TOKEN_FILE: hostPath(svc, svc.environment.SLOFORGE_RECEIVER_TOKEN_FILE!)!,
          SLOFORGE_DATABASE_URL: url.href,
          SLOFORGE_DATABASE_PASSWORD_FILE: hostPath(svc, svc.environment.SLOFORGE_DATABASE_PASSWORD_FILE!)!,
          SLOFORGE_RECEIVER_DRY_RUN: svc.environment.SLOFORGE_RECEIVER_DRY_RUN!,
        }),
      );
    }
    for (const r of replicas) assert.doesNotMatch(r.stderr, new RegExp(password), 'the password is never logged');

    // Alertmanager: the one-shot's config, then the test's addresses. Every other receiver is
    // emptied, so nothing leaves 127.0.0.1 (their PagerDuty and Slack placeholders would try).
    const amPort = await freePort();
    const source = hostPath(init, init.environment.SLOFORGE_HA_SOURCE!)!;
    const urls = init.environment.SLOFORGE_HA_RECEIVER_URLS!.split(',');
    urls.forEach((u, i) => {
      endpoints[`${new URL(u).hostname}:${new URL(u).port}`] = replicas[i]!.url.replace('http://', '');
    });
    const overlay = parse(
      localAlertmanagerConfig(haAlertmanagerConfig(readFileSync(source, 'utf8'), urls), { endpoints, service: am }),
    ) as { receivers: Array<Record<string, unknown> & { name: string }> };
    overlay.receivers = overlay.receivers.map((r) => (r.name === 'sloforge-remediation' ? r : { name: r.name }));
    cpSync(path.join(path.dirname(source), 'templates'), path.join(dir, 'am', 'templates'), { recursive: true });
    const amConfig = path.join(dir, 'am', 'alertmanager.yml');
    writeFileSync(amConfig, stringify(overlay));
    const check = await execa(amtoolBin, ['check-config', amConfig], { reject: false, all: true });
    assert.equal(check.exitCode, 0, check.all);
    alertmanager = new Proc('alertmanager', alertmanagerBin, [
      `--config.file=${amConfig}`,
      `--storage.path=${path.join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
    ]);
    const amUrl = `http://127.0.0.1:${amPort}`;
    await until('Alertmanager', async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined), 30_000, context);

    const token = readFileSync(hostPath(replicaSvc[0]!, replicaSvc[0]!.environment.SLOFORGE_RECEIVER_TOKEN_FILE!)!, 'utf8').trim();
    const audit = async (r: ReceiverProcess) =>
      (await getJson<{ actions: AuditEntry[] }>(`${r.url}/api/actions`, { authorization: `Bearer ${token}` })).actions;
    const fire = async (labels: Record<string, string>) => {
      const res = await fetch(`${amUrl}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          {
            labels: { team: 'payments', severity: 'critical', ...labels },
            annotations: { summary: 'test' },
            startsAt: new Date().toISOString(),
          },
        ]),
      });
      assert.equal(res.status, 200, await res.text());
    };
    const metric = async (r: ReceiverProcess, re: RegExp) => Number(re.exec(await (await fetch(`${r.url}/metrics`)).text())?.[1] ?? 0);
    const accepted = /sloforge_receiver_requests_total\{route="\/alerts",outcome="accepted"\} (\d+)/;

    // Both replicas up: X reaches both, is stored once, runs once.
    await fire(X);
    const first = await until(
      'X to reach both replicas and its action to finish',
      async () => {
        const posts = await Promise.all(replicas.map((r) => metric(r, accepted)));
        const list = await audit(replicas[0]!);
        return posts.every((n) => n >= 1) && list.some((e) => e.state === 'success') ? list : undefined;
      },
      60_000,
      context,
    );
    assert.equal(first.length, 1, JSON.stringify(first));
    assert.equal(first[0]!.labels.alertname, X.alertname);
    assert.deepEqual(await audit(replicas[1]!), first, 'both replicas read one audit trail');
    // On failure, each call's key and the event (attempts, detail: "after N retries" when the
    // HTTP action retried a timeout) tell a second run from a retry within one run.
    const calls = () => JSON.stringify({ calls: demo.calls.map((c) => ({ url: c.url, key: c.headers['idempotency-key'] })), first });
    // One run: its HTTP action may retry a request that timed out (the demo answers late under
    // load), with the same Idempotency-Key, and says so in the detail; a second run may not.
    const retried = Number(/ after (\d+) retries$/.exec(first[0]!.detail ?? '')?.[1] ?? 0);
    const runCalls = 1 + retried;
    assert.equal(first[0]!.attempts, 1, calls());
    assert.equal(demo.calls.length, runCalls, calls());
    for (const c of demo.calls) {
      assert.equal(c.headers['idempotency-key'], first[0]!.id, calls());
      assert.equal(c.url, '/admin/restart');
    }
    const duplicates = await Promise.all(replicas.map((r) => metric(r, /sloforge_receiver_duplicates_skipped_total (\d+)/)));
    assert.equal(
      duplicates.reduce((a, b) => a + b, 0),
      1,
      `the second copy of X is a duplicate on one replica: ${duplicates.join()}`,
    );

    // Replica a killed: Alertmanager keeps retrying it, and b alone records Y and Z once each.
    replicas[0]!.killGroup();
    await replicas[0]!.exited;
    await fire(Y);
    await fire(Z);
    const second = await until(
      'Y and Z to be recorded by the surviving replica',
      async () => {
        const list = await audit(replicas[1]!);
        return list.length === 3 && list.every((e) => e.state !== 'queued' && e.state !== 'running') ? list : undefined;
      },
      60_000,
      context,
    );
    const state = (labels: Record<string, string>) =>
      second
        .filter((e) => e.labels.alertname === labels.alertname && e.labels.service === labels.service)
        .map((e) => `${e.state}${e.reason ? `/${e.reason}` : ''}`);
    assert.deepEqual(state(X), ['success']);
    assert.deepEqual(state(Y), ['skipped/cooldown'], 'the cooldown X started holds on the other replica');
    assert.deepEqual(state(Z), ['dry-run']);
    assert.equal(demo.calls.length, runCalls, `restart-checkout ran once in all: ${calls()} ${JSON.stringify(second)}`);
  },
);
