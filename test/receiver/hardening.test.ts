// Issue 12: a failed start, secrets in URLs, oversized alerts and environments, connection and
// timeout limits, log floods, and token rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../../src/receiver/store/types.js';
import { alertEnv, ENV_TRUNCATED } from '../../src/receiver/template.js';
import { capAlert, TRUNCATED_ANNOTATION } from '../../src/receiver/payload.js';
import { DEFAULT_BODY_LIMIT, MAX_ALERT_BYTES, MAX_ENV_TOTAL_BYTES, MAX_ENV_VALUE_BYTES } from '../../src/receiver/limits.js';
import { REMEDIATION_MAX_ALERTS } from '../../src/conventions.js';
import { startReceiver } from '../../src/receiver/server.js';
import {
  ReceiverProcess,
  TEST_TRIGGER,
  TOKEN,
  alert,
  fp,
  inProcess,
  nameOf,
  payload,
  post,
  postFresh,
  receiverOptions,
  settled,
  setup,
  waitFor,
  writeActions,
  closeAfter,
} from './helpers.js';

test('a failed `started` write puts the alert back in the queue with a backoff, without charging the cooldown', async (t) => {
  let failStarts = 1;
  const flaky = (inner: Store): Store => ({
    append: (records) => {
      if (records.some((r) => r.t === 'started') && failStarts > 0) {
        failStarts--;
        return Promise.reject(new Error('injected: disk full'));
      }
      return inner.append(records);
    },
    close: () => inner.close(),
  });
  const { env, rx, logs } = await inProcess((url) => [{ name: 'r', cooldown: '1h', action: { http: { url, retries: 0 } } }], {
    wrapStore: flaky,
  });
  closeAfter(t, env, rx);
  assert.equal((await post(rx.url, payload([alert('once', 'r')]))).json.queued, 1);
  // Without a restart, and not skipped as "in cooldown" by its own failed attempt.
  const [event] = await settled(rx.url, 1);
  assert.equal(event.state, 'success', JSON.stringify(event));
  assert.equal(event.attempts, 1);
  assert.equal(env.target.calls.length, 1);
  assert.ok(
    logs.some((l) => /could not persist its start \(injected: disk full\); retrying in 1 s/.test(l)),
    logs.join('\n'),
  );
  assert.match(await (await fetch(`${rx.url}/metrics`)).text(), /sloforge_receiver_start_retries_total\{remediation="r"\} 1/);
});

test('URL credentials and query strings never reach the audit trail or the log', async (t) => {
  const env = await setup(() => []);
  t.after(() => env.target.stop());
  env.target.status = () => 500;
  const port = new URL(env.target.url).port;
  // An actions file written by hand (generate refuses such URLs; see config.test.ts).
  const doc = JSON.parse(await readFile(env.actions, 'utf8'));
  const spec = (name: string, dryRun: boolean) => ({
    name,
    cooldownMs: 0,
    maxConcurrent: 1,
    maxPerHour: 10,
    dryRun,
    onResolved: false,
    retryInterrupted: false,
    triggers: [TEST_TRIGGER],
    action: {
      kind: 'http',
      http: {
        url: `http://admin:hunter2@127.0.0.1:${port}/restart?api_key=SECRET123`,
        method: 'POST',
        headers: {},
        headerFiles: {},
        timeoutMs: 2000,
        retries: 0,
        retryBackoffMs: 10,
      },
    },
  });
  doc.remediations = [spec('real', false), spec('dry', true)];
  await writeFile(env.actions, JSON.stringify(doc));
  const logs: string[] = [];
  const rx = await startReceiver(await receiverOptions(env, logs));
  t.after(() => rx.close());
  await post(rx.url, payload([alert('a', 'real'), alert('b', 'dry')]));
  const events = await settled(rx.url, 2);
  assert.equal(env.target.calls.length, 1, 'the real call still carries its credentials');
  const shown = JSON.stringify(events) + logs.join('\n');
  assert.doesNotMatch(shown, /hunter2|SECRET123|admin/);
  assert.match(events.find((e) => e.remediation === 'real').detail, /POST http:\/\/\*\*\*@127\.0\.0\.1:\d+\/restart\?\*\*\* answered 500/);
  assert.match(events.find((e) => e.remediation === 'dry').detail, /would POST http:\/\/\*\*\*@127\.0\.0\.1:\d+\/restart\?\*\*\*/);
});

test('the environment of a command is capped per value and in total, and says so', () => {
  const base = { remediation: 'r', status: 'firing', fingerprint: 'f', startsAt: 's', endsAt: 'e', annotations: {} };
  const labels = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, 'v'.repeat(4000)]));
  const env = alertEnv({ ...base, labels: { ...labels, huge: 'x'.repeat(128 * 1024) } }, { ALL: '{{labels.huge}}{{labels.huge}}' });
  const size = Object.entries(env).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v) + 2, 0);
  assert.ok(size <= MAX_ENV_TOTAL_BYTES, `${size} bytes`);
  assert.ok(Object.values(env).every((v) => Buffer.byteLength(v) <= MAX_ENV_VALUE_BYTES));
  assert.equal(env.ALL!.length, MAX_ENV_VALUE_BYTES, "the remediation's own env comes first");
  assert.equal(env.SLOFORGE_ALERT_FINGERPRINT, 'f');
  assert.ok(Number(env[ENV_TRUNCATED]) > 1);
  assert.equal(alertEnv({ ...base, labels: { a: 'b' } }, {})[ENV_TRUNCATED], undefined, 'nothing said when nothing was cut');
});

test('a command still runs for an alert with a 128 KiB label', async (t) => {
  const { env, rx } = await inProcess(() => [
    {
      name: 'c',
      action: {
        command: {
          argv: ['/bin/sh', '-c', 'echo ran with ${#SLOFORGE_LABEL_BLOB} bytes'],
          env: { TWICE: '{{labels.blob}}{{labels.blob}}' },
        },
      },
    },
  ]);
  closeAfter(t, env, rx);
  const a = alert('big', 'c');
  a.labels = { ...(a.labels as object), blob: 'b'.repeat(128 * 1024) };
  assert.equal((await post(rx.url, payload([a]))).status, 200);
  const [event] = await settled(rx.url, 1);
  assert.equal(event.state, 'success', event.detail);
  assert.match(event.detail, /ran with \d+ bytes/);
});

test('per-alert cap: a 16 KiB alert is kept whole, 32 of them fit one body, a bigger one is cut with a marker', async (t) => {
  const { env, rx, logs } = await inProcess((url) => [
    { name: 'r', cooldown: '0s', maxPerHour: 1000, maxConcurrent: 40, action: { http: { url, retries: 0 } } },
  ]);
  closeAfter(t, env, rx);
  const sized = (fp: string, bytes: number, over: Record<string, unknown> = {}) => {
    const a = alert(fp, 'r', over);
    const pad = bytes - Buffer.byteLength(JSON.stringify(a)) - Buffer.byteLength(',"description":""');
    return { ...a, annotations: { ...(a.annotations as object), description: 'd'.repeat(pad) } };
  };
  const one = sized('exactly-16k', MAX_ALERT_BYTES);
  assert.equal(Buffer.byteLength(JSON.stringify(one)), MAX_ALERT_BYTES);
  assert.equal((await post(rx.url, payload([one]))).status, 200);

  const full = payload(Array.from({ length: REMEDIATION_MAX_ALERTS }, (_, i) => sized(`full-${i}`, MAX_ALERT_BYTES)));
  assert.ok(Buffer.byteLength(JSON.stringify(full)) < DEFAULT_BODY_LIMIT);
  assert.equal((await post(rx.url, full)).status, 200);

  const big = sized('too-big', 100 * 1024);
  const many = alert('many-labels', 'r', {
    labels: { ...(alert('x', 'r').labels as object), ...Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`l${i}`, 'v'])) },
  });
  assert.equal((await post(rx.url, payload([big, many]))).status, 200);
  await settled(rx.url, 3 + REMEDIATION_MAX_ALERTS);

  const stored = (await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.includes('"t":"accepted"'))
    .map((l) => JSON.parse(l).alert);
  const of = (name: string) => stored.find((a) => nameOf(a.fingerprint) === name);
  assert.equal(of('exactly-16k').annotations.description, one.annotations.description, 'kept whole');
  assert.equal(of('full-31').annotations[TRUNCATED_ANNOTATION], undefined);
  for (const name of ['too-big', 'many-labels']) {
    const a = of(name);
    assert.ok(Buffer.byteLength(JSON.stringify(a)) <= MAX_ALERT_BYTES, name);
    assert.match(a.annotations[TRUNCATED_ANNOTATION], /alert over 16384 bytes/);
    assert.equal(a.labels.alertname, TEST_TRIGGER.alertname, 'binding labels are kept');
  }
  assert.match(of('too-big').annotations.description, /…\[\d+ bytes cut\]$/);
  assert.match(of('many-labels').annotations[TRUNCATED_ANNOTATION], /field\(s\) dropped/);
  assert.ok(
    env.target.calls.some((c) => JSON.parse(c.body).fingerprint === fp('too-big')),
    'a cut alert still runs its action',
  );
  assert.match(await (await fetch(`${rx.url}/metrics`)).text(), /sloforge_receiver_alerts_truncated_total 2/);
  assert.equal(logs.filter((l) => l.includes('larger than the per-alert limit')).length, 1, 'logged once, not per alert');
});

test('capAlert keeps identity fields and stays within the limit for any shape', () => {
  const base = { remediation: 'r', status: 'firing', fingerprint: 'f'.repeat(256), startsAt: '2026-11-22T10:00:00.000Z', endsAt: '' };
  const shapes: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> = [
    { labels: { alertname: 'A', k: '\u0000'.repeat(20_000) }, annotations: {} },
    { labels: { ['n'.repeat(30_000)]: 'v' }, annotations: { s: '\u{1F600}'.repeat(10_000) } },
    { labels: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, 'é'.repeat(i % 30)])), annotations: {} },
  ];
  for (const s of shapes) {
    const { alert: a, cut } = capAlert({ ...base, ...s });
    assert.ok(Buffer.byteLength(JSON.stringify(a)) <= MAX_ALERT_BYTES);
    assert.ok(cut.length > 0);
    assert.equal(a.fingerprint, base.fingerprint);
  }
});

test('capAlert cuts a 1 MiB value once, to what the limit leaves, and its marker counts the bytes of the original cut', () => {
  const blob = 'x'.repeat(1_048_576);
  const { alert: a, cut } = capAlert({
    remediation: 'r',
    status: 'firing',
    fingerprint: 'f1',
    startsAt: '2026-11-22T10:00:00.000Z',
    endsAt: '',
    labels: { alertname: 'A', blob },
    annotations: { summary: 'short' },
  });
  assert.deepEqual(cut, ['labels.blob']);
  assert.equal(a.annotations.summary, 'short');
  const m = /^(x*)…\[(\d+) bytes cut\]$/.exec(a.labels.blob!);
  assert.ok(m, a.labels.blob!.slice(-40));
  assert.equal(Number(m[2]), blob.length - m[1]!.length, 'the marker counts what was cut from the original');
  const size = Buffer.byteLength(JSON.stringify(a));
  assert.ok(size <= MAX_ALERT_BYTES, `${size} bytes`);
  // Only the room kept for the truncation note and the marker is given up.
  assert.ok(size > MAX_ALERT_BYTES - 400, `${size} bytes: cut more than the limit asks`);
});

test('repeated skips are logged once per minute, counted every time', async (t) => {
  const { env, rx, logs } = await inProcess((url) => [{ name: 'r', cooldown: '0s', maxPerHour: 1, action: { http: { url, retries: 0 } } }]);
  closeAfter(t, env, rx);
  await post(rx.url, payload(Array.from({ length: 40 }, (_, i) => alert(`storm-${i}`, 'r'))));
  await settled(rx.url, 40);
  assert.match(await (await fetch(`${rx.url}/metrics`)).text(), /sloforge_receiver_hourly_cap_skips_total\{remediation="r"\} 39/);
  assert.equal(logs.filter((l) => l.includes('reached 1 runs in the last hour')).length, 1, logs.join('\n'));
});

/** Resolves once the server closes `sock`, with what it said first. */
const closedWith = (sock: net.Socket): Promise<string> =>
  new Promise((resolve) => {
    let said = '';
    sock.on('data', (d) => {
      said += d.toString();
    });
    sock.on('close', () => resolve(said));
    sock.on('error', () => {});
  });

/** GET on a fresh connection; 0 when the connection is refused. (fetch, undici 6, never settles then.) */
const getStatus = (port: number, path: string): Promise<number> =>
  new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0));
  });

const metricValue = async (
  rx: { metrics: { registry: { getSingleMetricAsString(name: string): Promise<string> } } },
  name: string,
): Promise<number> => Number(/ (\d+)$/m.exec(await rx.metrics.registry.getSingleMetricAsString(name))?.[1] ?? NaN);

test('maxConnections: past the cap, with every connection authenticated, newcomers are closed at once and counted', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }], { maxConnections: 2 });
  closeAfter(t, env, rx);
  const port = Number(new URL(rx.url).port);
  const connect = () =>
    new Promise<net.Socket>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
    });
  // Authenticated POSTs whose bodies have not arrived yet: neither may be displaced.
  const busy = async () => {
    const s = await connect();
    s.on('error', () => {});
    s.write(
      `POST /alerts HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{`,
    );
    return s;
  };
  const held = [await busy(), await busy()];
  await waitFor(
    'both requests to be in progress',
    async () =>
      /requests_in_flight\{route="\/alerts"\} 2/.test(
        await rx.metrics.registry.getSingleMetricAsString('sloforge_receiver_requests_in_flight'),
      ) || undefined,
  );
  assert.equal(await closedWith(await connect()), '', 'a newcomer is closed without an answer');
  assert.equal(await getStatus(port, '/healthz'), 0);
  assert.ok(
    held.every((s) => !s.destroyed),
    'authenticated connections keep their slots',
  );
  assert.ok((await metricValue(rx, 'sloforge_receiver_connections_dropped_total')) >= 2);
  assert.equal(await metricValue(rx, 'sloforge_receiver_connections_evicted_total'), 0);
  for (const s of held) s.destroy();
  await waitFor('a free slot', async () => (await getStatus(port, '/healthz')) === 200 || undefined);
});

test('maxConnections: a newcomer displaces the oldest idle unauthenticated keep-alive connection', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', cooldown: '0s', action: { http: { url } } }], { maxConnections: 2 });
  closeAfter(t, env, rx);
  const port = Number(new URL(rx.url).port);
  // Two keep-alive clients that asked for /healthz once and hold their connections open.
  const pollers = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<net.Socket>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => s.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'));
          s.on('error', () => {});
          s.once('data', () => resolve(s));
        }),
    ),
  );
  const closed = pollers.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())));
  assert.equal(await postFresh(rx.url, payload([alert('c0ffee01', 'r')])), 200);
  await Promise.race(closed);
  assert.equal(pollers.filter((s) => s.destroyed).length, 1, 'exactly one poller made room');
  assert.equal(await metricValue(rx, 'sloforge_receiver_connections_evicted_total'), 1);
  assert.equal(await metricValue(rx, 'sloforge_receiver_connections_dropped_total'), 0);
  for (const s of pollers) s.destroy();
});

test('a request whose headers never finish is closed by headersTimeout, not up to 30 s later', { timeout: 15_000 }, async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', action: { http: { url } } }], {
    headersTimeoutMs: 500,
    requestTimeoutMs: 1000,
  });
  closeAfter(t, env, rx);
  const sock = net.connect(Number(new URL(rx.url).port), '127.0.0.1');
  sock.write('POST /alerts HTTP/1.1\r\nhost: x\r\n');
  assert.match(await closedWith(sock), /^HTTP\/1\.1 408/);
});

test('SIGHUP reloads the token file; a bad file keeps the tokens in use', async (t) => {
  const env = await setup((url) => [{ name: 'r', action: { http: { url } } }]);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => {
    await rx.stop();
    await env.target.stop();
  });
  const status = async (token: string) => (await fetch(`${rx.url}/api/actions`, { headers: { authorization: `Bearer ${token}` } })).status;
  assert.equal(await status(TOKEN), 200);
  await writeFile(env.tokenFile, 'rotated-token-456\n');
  rx.child.kill('SIGHUP');
  await waitFor('the reload', () => rx.stderr.includes('SIGHUP: reloaded 1 token(s)'));
  assert.equal(await status(TOKEN), 401);
  assert.equal(await status('rotated-token-456'), 200);
  await writeFile(env.tokenFile, '# emptied by mistake\n');
  rx.child.kill('SIGHUP');
  await waitFor('the refusal', () => rx.stderr.includes('SIGHUP: kept the current tokens'));
  assert.equal(await status('rotated-token-456'), 200);
});

test('SIGHUP reloads the actions file: a remediation switched to dryRun runs dry; a broken file keeps the one in force', async (t) => {
  const remediation = (url: string, dryRun: boolean) => ({ name: 'r', cooldown: '0s', dryRun, action: { http: { url } } });
  const env = await setup((url) => [remediation(url, false)]);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => {
    await rx.stop();
    await env.target.stop();
  });
  await writeActions(env.dir, [remediation(env.target.url, true)]);
  rx.child.kill('SIGHUP');
  await waitFor('the reload', () => rx.stderr.includes('SIGHUP: reloaded 1 remediation(s)'));
  await post(rx.url, payload([alert('dry1', 'r')]));
  assert.equal((await settled(rx.url, 1))[0].state, 'dry-run');
  await writeFile(env.actions, '{"version": 2, "remediations": [');
  rx.child.kill('SIGHUP');
  await waitFor('the refusal', () => rx.stderr.includes('SIGHUP: kept the current remediations'));
  assert.match(rx.stderr, /SIGHUP: kept the current remediations: \S*actions\.json: not JSON/);
  assert.equal(rx.stderr.match(/SIGHUP: reloaded 1 token\(s\)/g)?.length, 2, 'the token file is reloaded either way');
  await post(rx.url, payload([alert('dry2', 'r')]));
  assert.deepEqual(
    (await settled(rx.url, 2)).map((e) => e.state),
    ['dry-run', 'dry-run'],
  );
  assert.equal(env.target.calls.length, 0);
});
