// Large bodies are parsed off the event loop (issue 22): a body built to be slow to parse (deep
// nesting) no longer holds up every other request while JSON.parse works through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { BodyParser, NotJson, ParserBusy } from '../../src/receiver/body-parser.js';
import { webhookPayload } from '../../src/receiver/payload.js';
import { TOKEN, alert, inProcess, payload, waitFor, closeAfter } from './helpers.js';

/** A body of about `depth` * 2 bytes that JSON.parse takes long over: `depth` nested arrays. */
const nested = (depth: number, extra: Record<string, unknown> = { version: '4' }): Buffer =>
  Buffer.from(`${JSON.stringify(extra).slice(0, -1)},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);

test('a large body is parsed in the worker: the event loop turns while it is parsed', async (t) => {
  const parser = new BodyParser(1024);
  t.after(() => parser.close());
  let turned = false;
  const parsed = parser.parse(nested(100_000));
  setImmediate(() => {
    turned = true;
  });
  await parsed;
  assert.ok(turned, 'the parse resolved before the event loop could turn: it ran on the loop');
});

test('the worker hands back the webhook fields only, flattened, so validation sees what the whole body holds', async (t) => {
  const parser = new BodyParser(0);
  t.after(() => parser.close());
  const good = payload([alert('c0ffee', 'r', { extra: { deep: [[[1]]] } })]);
  const back = await parser.parse(Buffer.from(JSON.stringify(good)));
  assert.deepEqual(back, {
    version: '4',
    alerts: [
      {
        ...Object.fromEntries(
          Object.entries(alert('c0ffee', 'r')).filter(([k]) =>
            ['status', 'labels', 'annotations', 'startsAt', 'endsAt', 'fingerprint'].includes(k),
          ),
        ),
      },
    ],
  });
  assert.ok(webhookPayload.safeParse(back).success);
  const proto = await parser.parse(Buffer.from(JSON.stringify(payload([alert('c0ffee', 'r')])).replace('"team":', '"__proto__":')));
  assert.equal(
    Object.getOwnPropertyDescriptor((proto as { alerts: Array<{ labels: object }> }).alerts[0]!.labels, '__proto__')?.value,
    'payments',
    'a label named __proto__ stays a label',
  );
  // A value of the wrong kind where a field should be still fails, however deep it was.
  const bad = payload([alert('c0ffee', 'r', { labels: { service: [[['x']]] }, fingerprint: { a: 1 } })]);
  const flat = await parser.parse(Buffer.from(JSON.stringify(bad)));
  assert.deepEqual((flat as { alerts: Array<{ labels: unknown; fingerprint: unknown }> }).alerts[0]!.labels, { service: [] });
  const result = webhookPayload.safeParse(flat);
  assert.ok(!result.success);
  assert.deepEqual(result.error.issues.map((i) => i.path.join('.')).sort(), ['alerts.0.fingerprint', 'alerts.0.labels.service']);
  for (const top of ['[1,[2]]', '"4"', 'null', '{"version":{"v":[1]},"alerts":{"a":1}}']) {
    assert.equal(webhookPayload.safeParse(await parser.parse(Buffer.from(top))).success, false, top);
  }
  await assert.rejects(parser.parse(Buffer.from('{"version":')), NotJson);
});

test('at most MAX_WAITING large bodies wait for the worker; more are refused as busy', async (t) => {
  const parser = new BodyParser(1024, 2);
  t.after(() => parser.close());
  const big = nested(50_000);
  const first = [parser.parse(big), parser.parse(big), parser.parse(big)];
  await assert.rejects(parser.parse(big), ParserBusy);
  await Promise.all(first);
  assert.equal(parser.pending, 0);
});

/** POST /alerts; resolves with the status once answered. */
const postRaw = (url: string, body: Buffer): Promise<number> =>
  new Promise((resolve) => {
    const req = http.request(
      `${url}/alerts`,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });

test('GET /healthz and a small POST /alerts are answered while large bodies are being parsed', async (t) => {
  const { env, rx } = await inProcess((url) => [{ name: 'r', cooldown: '0s', action: { http: { url } } }]);
  closeAfter(t, env, rx);
  // Four bodies of nearly 1 MiB that take JSON.parse long (and are not webhooks: answered 400).
  const large = Array.from({ length: 4 }, () => postRaw(rx.url, nested(400_000)));
  let answered = 0;
  for (const p of large)
    void p.then(() => {
      answered++;
    });
  await waitFor('the large bodies to be read and waiting for the parser', () => rx.bodiesParsing >= 2 || undefined, 60_000);
  const health = await new Promise<number>((resolve) =>
    http.get(`${rx.url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }),
  );
  assert.equal(health, 200);
  assert.equal(await postRaw(rx.url, Buffer.from(JSON.stringify(payload([alert('small', 'r')])))), 200);
  assert.ok(answered < 4, 'answered while large bodies were still being parsed');
  assert.deepEqual(await Promise.all(large), [400, 400, 400, 400]);
});
