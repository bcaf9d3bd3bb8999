// The three action kinds against local targets: http, kubernetesScale (a fake API server), command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runAction, type ActionContext } from '../../src/receiver/actions/index.js';
import { targetReplicas } from '../../src/receiver/actions/kubernetes.js';
import { resolveRemediation } from '../../src/model/resolve/remediations.js';
import { remediation as remediationSchema } from '../../src/config/schema/remediation.js';
import type { RemediationInput } from '../../src/config/define.js';
import type { AlertFields } from '../../src/receiver/template.js';
import { Target, tempDir } from './helpers.js';

const alert: AlertFields = {
  remediation: 'r',
  status: 'firing',
  fingerprint: 'fp-1',
  startsAt: '2026-11-22T10:00:00Z',
  endsAt: '',
  labels: { service: 'checkout', slo: 'availability', tricky: '"},"admin":true,"x":"\n$(touch /tmp/pwned) `id` ; rm -rf /' },
  annotations: { summary: 'burning fast' },
};

const ctx = (over: Partial<ActionContext> = {}): ActionContext => ({ id: 'event-1', alert, signal: new AbortController().signal, ...over });
const action = (input: RemediationInput['action']) => resolveRemediation(remediationSchema.parse({ name: 'r', action: input })).action;

test('http: JSON body from a template, encoded safely; headers from files; Idempotency-Key', async (t) => {
  const target = await new Target().start();
  t.after(() => target.stop());
  const dir = await tempDir();
  await writeFile(path.join(dir, 'auth'), 'Bearer s3cret\n');
  const out = await runAction(
    action({
      http: {
        url: `${target.url}/hook`,
        headerFiles: { Authorization: path.join(dir, 'auth') },
        headers: { 'X-Source': 'sloforge' },
        body: {
          text: 'SLO {{labels.slo}} of {{ labels.service }}',
          tricky: '{{labels.tricky}}',
          missing: '{{labels.nope}}',
          n: 3,
          list: ['{{status}}', null],
        },
      },
    }),
    ctx(),
  );
  assert.equal(out.ok, true, out.detail);
  const call = target.calls[0]!;
  assert.equal(call.method, 'POST');
  assert.equal(call.headers.authorization, 'Bearer s3cret');
  assert.equal(call.headers['x-source'], 'sloforge');
  assert.equal(call.headers['idempotency-key'], 'event-1');
  assert.equal(call.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(call.body), {
    text: 'SLO availability of checkout',
    tricky: alert.labels.tricky,
    missing: '',
    n: 3,
    list: ['firing', null],
  });
});

test('http: the default body describes the alert; GET sends none', async (t) => {
  const target = await new Target().start();
  t.after(() => target.stop());
  assert.equal((await runAction(action({ http: { url: `${target.url}/a` } }), ctx())).ok, true);
  const body = JSON.parse(target.calls[0]!.body);
  assert.equal(body.fingerprint, 'fp-1');
  assert.deepEqual(body.labels, alert.labels);
  assert.equal((await runAction(action({ http: { url: `${target.url}/b`, method: 'GET' } }), ctx())).ok, true);
  assert.equal(target.calls[1]!.body, '');
});

test('http: retries 5xx with backoff, gives up after `retries`, does not retry other 4xx', async (t) => {
  const target = await new Target().start();
  t.after(() => target.stop());
  let fails = 2;
  target.status = () => (fails-- > 0 ? 503 : 200);
  const ok = await runAction(action({ http: { url: `${target.url}/x`, retries: 3, retryBackoff: '5ms' } }), ctx());
  assert.equal(ok.ok, true, ok.detail);
  assert.match(ok.detail, /after 2 retries/);
  assert.equal(target.calls.length, 3);

  fails = 100;
  const bad = await runAction(action({ http: { url: `${target.url}/y`, retries: 2, retryBackoff: '5ms' } }), ctx());
  assert.equal(bad.ok, false);
  assert.match(bad.detail, /answered 503/);
  assert.equal(target.calls.length, 6);

  const target404 = await new Target().start();
  t.after(() => target404.stop());
  target404.status = () => 404;
  const notFound = await runAction(action({ http: { url: `${target404.url}/z`, retries: 3, retryBackoff: '5ms' } }), ctx());
  assert.equal(notFound.ok, false);
  assert.equal(target404.calls.length, 1);
});

test('http: a target that never answers times out, then fails', async (t) => {
  const target = await new Target().start();
  t.after(() => target.stop());
  target.hold = () => true;
  // Long enough that the retry's request reaches the target before it times out on a loaded machine.
  const out = await runAction(action({ http: { url: `${target.url}/slow`, timeout: '500ms', retries: 1, retryBackoff: '1ms' } }), ctx());
  assert.equal(out.ok, false);
  assert.match(out.detail, /timed out/);
  assert.equal(target.calls.length, 2);
});

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const CA_FILE = path.join(FIXTURES, 'api-server.crt');

/** A stand-in for the Kubernetes API's scale subresource; over TLS (self-signed for 127.0.0.1) when asked. */
async function fakeKubernetes(replicas: { n: number }, status = 200, tls = false) {
  const seen: Array<{ method: string; url: string; auth?: string; type?: string; body: string }> = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, type: req.headers['content-type'], body });
      if (status !== 200) return void res.writeHead(status).end('{}');
      if (req.method === 'PATCH') replicas.n = (JSON.parse(body) as { spec: { replicas: number } }).spec.replicas;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ kind: 'Scale', spec: { replicas: replicas.n }, status: { replicas: replicas.n } }));
    });
  };
  const server = tls
    ? https.createServer({ cert: await readFile(CA_FILE), key: await readFile(path.join(FIXTURES, 'api-server.key')) }, handler)
    : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const scheme = tls ? 'https' : 'http';
  return {
    url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

test('kubernetesScale: GET then PATCH the scale subresource, by factor, bounded by maxReplicas', async (t) => {
  const replicas = { n: 4 };
  const api = await fakeKubernetes(replicas);
  t.after(() => api.close());
  const dir = await tempDir();
  await writeFile(path.join(dir, 'token'), 'sa-token\n');
  const scale = action({
    kubernetesScale: {
      apiServer: `${api.url}/`,
      namespace: 'automation',
      deployment: 'workflow-worker',
      tokenFile: path.join(dir, 'token'),
      factor: 1.5,
      maxReplicas: 8,
    },
  });
  const first = await runAction(scale, ctx());
  assert.equal(first.ok, true, first.detail);
  assert.equal(replicas.n, 6);
  assert.deepEqual(
    api.seen.map((s) => `${s.method} ${s.url}`),
    [
      'GET /apis/apps/v1/namespaces/automation/deployments/workflow-worker/scale',
      'PATCH /apis/apps/v1/namespaces/automation/deployments/workflow-worker/scale',
    ],
  );
  assert.equal(api.seen[1]!.auth, 'Bearer sa-token');
  assert.equal(api.seen[1]!.type, 'application/merge-patch+json');
  await runAction(scale, ctx());
  assert.equal(replicas.n, 8, 'capped at maxReplicas');
  const atMax = await runAction(scale, ctx());
  assert.equal(atMax.ok, true);
  assert.match(atMax.detail, /nothing to do/);
  assert.equal(api.seen.filter((s) => s.method === 'PATCH').length, 2);
});

test('kubernetesScale: increment and factor arithmetic; API errors are failures', async (t) => {
  assert.equal(targetReplicas({ increment: 2, maxReplicas: 10 }, 3), 5);
  assert.equal(targetReplicas({ increment: 2, maxReplicas: 4 }, 3), 4);
  assert.equal(targetReplicas({ factor: 2, maxReplicas: 10 }, 0), 2);
  assert.equal(targetReplicas({ factor: 1.1, maxReplicas: 10 }, 1), 2);
  const api = await fakeKubernetes({ n: 1 }, 403);
  t.after(() => api.close());
  const out = await runAction(
    action({ kubernetesScale: { apiServer: api.url, namespace: 'a', deployment: 'b', increment: 1, maxReplicas: 3 } }),
    ctx(),
  );
  assert.equal(out.ok, false);
  assert.match(out.detail, /answered 403/);
});

test('kubernetesScale over TLS: trusts the API server through caFile, and only then', async (t) => {
  const replicas = { n: 1 };
  const api = await fakeKubernetes(replicas, 200, true);
  t.after(() => api.close());
  const spec = { apiServer: api.url, namespace: 'a', deployment: 'b', increment: 1, maxReplicas: 3 };
  const untrusted = await runAction(action({ kubernetesScale: spec }), ctx());
  assert.equal(untrusted.ok, false);
  assert.match(untrusted.detail, /self.signed|certificate/i);
  const trusted = await runAction(action({ kubernetesScale: { ...spec, caFile: CA_FILE } }), ctx());
  assert.equal(trusted.ok, true, trusted.detail);
  assert.equal(replicas.n, 2);
});

test('command: argv without a shell, alert fields only as environment variables', async () => {
  const dir = await tempDir();
  const out = path.join(dir, 'env.json');
  const pwned = path.join(dir, 'pwned');
  process.env.SLOFORGE_TEST_SECRET = 'must-not-leak';
  const script = 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ env: process.env, args: process.argv.slice(2) }))';
  const tricky = { ...alert, labels: { ...alert.labels, tricky: `$(touch ${pwned}); touch ${pwned}` } };
  const res = await runAction(
    action({
      command: { argv: [process.execPath, '-e', script, out, '{{labels.service}}'], env: { TARGET_SERVICE: 'svc-{{labels.service}}' } },
    }),
    ctx({ alert: tricky }),
  );
  delete process.env.SLOFORGE_TEST_SECRET;
  assert.equal(res.ok, true, res.detail);
  const got = JSON.parse(await readFile(out, 'utf8')) as { env: Record<string, string>; args: string[] };
  assert.deepEqual(got.args, ['{{labels.service}}'], 'arguments are fixed text, never templated');
  assert.equal(got.env.SLOFORGE_LABEL_SERVICE, 'checkout');
  assert.equal(got.env.SLOFORGE_LABEL_TRICKY, tricky.labels.tricky);
  assert.equal(got.env.SLOFORGE_ALERT_FINGERPRINT, 'fp-1');
  assert.equal(got.env.SLOFORGE_ANNOTATION_SUMMARY, 'burning fast');
  assert.equal(got.env.TARGET_SERVICE, 'svc-checkout');
  assert.equal(got.env.SLOFORGE_TEST_SECRET, undefined, "the receiver's own environment is not passed on");
  assert.equal(existsSync(pwned), false);
});

test('command: non-zero exit and timeout are failures with a one-line reason', async () => {
  const exit = await runAction(action({ command: { argv: [process.execPath, '-e', 'console.error("boom"); process.exit(3)'] } }), ctx());
  assert.equal(exit.ok, false);
  assert.match(exit.detail, /exited 3: boom/);
  const slow = await runAction(
    action({ command: { argv: [process.execPath, '-e', 'setTimeout(() => {}, 60000)'], timeout: '200ms' } }),
    ctx(),
  );
  assert.equal(slow.ok, false);
  assert.match(slow.detail, /timed out/);
  const missing = await runAction(action({ command: { argv: ['/nonexistent/sloforge-test-program'] } }), ctx());
  assert.equal(missing.ok, false);
});
