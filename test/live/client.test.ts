// The live commands' edges against a fake Prometheus on 127.0.0.1: credentials from files, every
// failure one line and exit 2, and a batch that isolates the one expression Prometheus refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { cli, tempDir, writeTree } from '../helpers/cli.js';
import { baseConfig, configSource } from '../helpers/config.js';
import { freePort } from '../helpers/net.js';
import { PrometheusClient } from '../../src/live/client.js';
import { evaluateAll } from '../../src/live/batch.js';

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (s: Server) => new Promise<void>((resolve) => s.close(() => resolve()));
const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const slos = () => writeTree({ 'index.ts': configSource(baseConfig()) });

test('credentials come from files: a bearer token, or user:password as basic auth', async (t) => {
  const seen: string[] = [];
  const { url, server } = await serve((req, _body, res) => {
    seen.push(req.headers.authorization ?? '');
    json(res, 200, { status: 'success', data: req.url?.startsWith('/api/v1/query') ? { resultType: 'vector', result: [] } : [] });
  });
  t.after(() => close(server));
  const dir = tempDir();
  writeFileSync(path.join(dir, 'token'), 's3cret\n');
  writeFileSync(path.join(dir, 'basic'), 'alice:pa:ss\n');
  const c1 = new PrometheusClient({ url, bearerTokenFile: path.join(dir, 'token'), timeoutMs: 2000 });
  await c1.query('up');
  c1.close();
  const c2 = new PrometheusClient({ url, basicAuthFile: path.join(dir, 'basic'), timeoutMs: 2000 });
  await c2.labelValues('__name__', 0);
  c2.close();
  assert.deepEqual(seen, ['Bearer s3cret', `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`]);
});

test('a stopped Prometheus, a wrong URL, refused credentials and a silent server are each one line and exit 2', async (t) => {
  const dir = slos();
  const down = await cli('check', '--prometheus', `http://127.0.0.1:${await freePort()}`, '--slos', dir);
  assert.equal(down.code, 2);
  assert.match(down.stderr, /^error: cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+: connection refused\n$/);

  const { url: html, server: s1 } = await serve((_req, _body, res) =>
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>'),
  );
  t.after(() => close(s1));
  const wrong = await cli('status', '--prometheus', `${html}/graph`, '--slos', dir);
  assert.equal(wrong.code, 2);
  assert.match(
    wrong.stderr,
    /^error: http:\/\/127\.0\.0\.1:\d+\/graph: HTTP 404 on \/api\/v1\/.* without a JSON answer: is this the Prometheus URL[^\n]*\n$/,
  );

  const { url: locked, server: s2 } = await serve((_req, _body, res) => json(res, 401, { status: 'error', error: 'unauthorized' }));
  t.after(() => close(s2));
  const refused = await cli('check', '--prometheus', locked, '--slos', dir, '--format', 'json');
  assert.equal(refused.code, 2);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /^error: [^\n]*HTTP 401[^\n]*credentials were refused[^\n]*\n$/);

  const { url: silent, server: s3 } = await serve(() => undefined);
  t.after(() => {
    s3.closeAllConnections();
    return close(s3);
  });
  const slow = await cli('status', '--prometheus', silent, '--slos', dir, '--timeout', '0.3');
  assert.equal(slow.code, 2);
  assert.match(slow.stderr, /^error: [^\n]*no answer within 0\.3s \(--timeout\)\n$/);

  const unknown = await cli('status', '--prometheus', silent, '--slos', dir, '--service', 'nope');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--service nope: no such service \(the config has checkout\)/);
  const unknownCheck = await cli('check', '--prometheus', silent, '--slos', dir, '--service', 'nope');
  assert.equal(unknownCheck.code, 2);
  assert.match(unknownCheck.stderr, /^error: --service nope: no such service/);
});

test('a batch joins its questions into one query and isolates the one Prometheus refuses', async (t) => {
  const queries: string[] = [];
  const { url, server } = await serve((_req, body, res) => {
    const q = new URLSearchParams(body).get('query') ?? '';
    queries.push(q);
    if (q.includes('bad_metric'))
      return json(res, 422, { status: 'error', errorType: 'execution', error: 'found duplicate series for the match group' });
    const result = [...q.matchAll(/"sloforge_item", "(\d+)"/g)].map((m) => ({
      metric: { sloforge_item: m[1] },
      value: [0, String(Number(m[1]) + 1)],
    }));
    json(res, 200, { status: 'success', data: { resultType: 'vector', result } });
  });
  t.after(() => close(server));
  const client = new PrometheusClient({ url, timeoutMs: 2000 });
  t.after(() => client.close());
  const exprs = Array.from({ length: 8 }, (_, i) => (i === 5 ? 'count(bad_metric)' : `count(m${i})`));
  const answers = await evaluateAll(client, [...exprs, 'count(m0)']);
  assert.deepEqual(
    answers.map((a) => ('error' in a ? a.error : a.samples[0]!.value)),
    [1, 2, 3, 4, 5, 'execution: found duplicate series for the match group', 7, 8, 1],
  );
  // One query for all eight, then halves around the refused one: 1 + 2 + 2 + 2.
  assert.equal(queries[0]!.split('\nor\n').length, 8);
  assert.equal(queries.length, 7);
});
