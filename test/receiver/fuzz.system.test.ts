// Property test: thousands of random, mutated and garbage bodies against an in-process receiver
// whose store fails on purpose now and then. It must never crash, never answer 5xx except 503
// for an injected persistence failure, and keep a log that replays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { startReceiver } from '../../src/receiver/server.js';
import type { Store } from '../../src/receiver/store/types.js';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { TOKEN, alert, payload, setup } from './helpers.js';

const NAMES = ['restart-checkout', 'scale-out', 'unknown-one', ''];

const label = fc.oneof(fc.constantFrom('service', 'severity', 'slo', 'alertname', 'team'), fc.string({ maxLength: 12 }));
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '"},{"x":1', '$(reboot)', '\u0000', '\ud800'),
);

const alertArb = fc.record({
  status: fc.oneof({ arbitrary: fc.constantFrom('firing', 'resolved'), weight: 8 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }),
  labels: fc
    .tuple(fc.constantFrom(...NAMES), fc.dictionary(label, text, { maxKeys: 6 }))
    .map(([rem, rest]) => ({ ...rest, remediation: rem })),
  annotations: fc.option(fc.dictionary(label, text, { maxKeys: 3 }), { nil: undefined }),
  startsAt: fc.oneof(
    fc.constant('2026-11-22T10:00:00Z'),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.string({ maxLength: 5 }),
  ),
  endsAt: fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
  fingerprint: fc.oneof(
    fc.constantFrom('0a', '0b', '0c', '0d'),
    fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 1, maxLength: 16 }),
    fc.string({ maxLength: 3 }),
  ),
  extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
});

const payloadArb = fc
  .record({
    version: fc.oneof({ arbitrary: fc.constant('4'), weight: 8 }, { arbitrary: fc.jsonValue({ maxDepth: 0 }), weight: 1 }),
    alerts: fc.array(alertArb, { maxLength: 6 }),
    extra: fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
  })
  .map((p) => JSON.stringify(p));

/** A valid body changed at one spot: cut, a character replaced or inserted, a field retyped. */
const mutatedArb = fc
  .tuple(
    fc.array(alertArb, { minLength: 1, maxLength: 3 }).map((alerts) => ({ version: '4', alerts })),
    fc.nat(),
    fc.constantFrom('cut', 'replace', 'insert', 'retype'),
    fc.string({ minLength: 1, maxLength: 3 }),
    fc.jsonValue({ maxDepth: 1 }),
  )
  .map(([doc, at, how, piece, value]) => {
    const body = JSON.stringify(doc);
    const i = at % (body.length + 1);
    if (how === 'cut') return body.slice(0, i);
    if (how === 'replace') return body.slice(0, i) + piece + body.slice(i + 1);
    if (how === 'insert') return body.slice(0, i) + piece + body.slice(i);
    const keys = ['status', 'labels', 'startsAt', 'fingerprint', 'annotations'];
    (doc.alerts[0] as Record<string, unknown>)[keys[at % keys.length]!] = value;
    return JSON.stringify(doc);
  });

const garbageArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
);

test('fuzz: no crash, no 5xx except injected persistence failures, and the log replays', async (t) => {
  const env = await setup((url) => [
    {
      name: 'restart-checkout',
      cooldown: '0s',
      maxPerHour: 1000,
      onResolved: true,
      action: { http: { url: `${url}/restart`, retries: 0 } },
    },
    { name: 'scale-out', cooldown: '1m', action: { command: { argv: ['/bin/true'] } } },
  ]);
  t.after(() => env.target.stop());
  const remediations = actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8'))).remediations;
  let injected = 0;
  let failNext = false;
  const faulty = (inner: Store): Store => ({
    append: (records) => {
      if (failNext) {
        injected++;
        return Promise.reject(new Error('injected disk failure'));
      }
      return inner.append(records);
    },
    close: () => inner.close(),
  });
  const logs: string[] = [];
  const options = {
    remediations,
    tokens: [TOKEN],
    dataDir: env.dataDir,
    host: '127.0.0.1',
    port: 0,
    dryRun: true,
    log: (l: string) => logs.push(l),
    bodyLimit: 64 * 1024,
  };
  const rx = await startReceiver({ ...options, wrapStore: faulty });
  const statuses = new Map<number, number>();

  const property = (arb: fc.Arbitrary<string>) =>
    fc.asyncProperty(arb, fc.boolean(), fc.nat(9), async (body, auth, dice) => {
      failNext = dice === 0; // one request in ten meets a failing disk
      const before = injected;
      const res = await fetch(`${rx.url}/alerts`, {
        method: 'POST',
        headers: auth || dice > 1 ? { authorization: `Bearer ${TOKEN}` } : {},
        body,
      });
      const answer = await res.text();
      failNext = false;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      assert.ok(
        [200, 400, 401, 413, 503].includes(res.status),
        `status ${res.status} for ${JSON.stringify(body).slice(0, 200)}: ${answer}`,
      );
      if (res.status === 503) assert.ok(injected > before, 'a 503 only when persistence failed');
      assert.doesNotMatch(answer, /\n\s+at /, 'no stack trace');
    });
  const limits = { interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false };
  await fc.assert(property(payloadArb), { numRuns: 1500, ...limits });
  await fc.assert(property(mutatedArb), { numRuns: 1500, ...limits });
  await fc.assert(property(garbageArb), { numRuns: 500, ...limits });
  t.diagnostic(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}, injected failures: ${injected}`);
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  assert.ok(total >= 1000, `ran ${total} requests`);
  assert.ok(
    (statuses.get(200) ?? 0) > 100 && (statuses.get(400) ?? 0) > 100 && (statuses.get(503) ?? 0) > 0,
    JSON.stringify([...statuses]),
  );
  assert.ok(
    !logs.some((l) => l.startsWith('internal error')),
    logs.find((l) => l.startsWith('internal error')),
  );

  // Still serving, and a well-formed alert still goes through.
  assert.equal((await fetch(`${rx.url}/healthz`)).status, 200);
  const fresh = await fetch(`${rx.url}/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(payload([alert('after-fuzz', 'restart-checkout')])),
  });
  assert.deepEqual(await fresh.json(), { status: 'accepted', queued: 1, duplicates: 0, ignored: 0 });
  await rx.close();

  // Whatever the fuzzing wrote replays cleanly, and every accepted alert is still a duplicate.
  const again = await startReceiver(options);
  t.after(() => again.close());
  const dup = await fetch(`${again.url}/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(payload([alert('after-fuzz', 'restart-checkout')])),
  });
  assert.equal(((await dup.json()) as { duplicates: number }).duplicates, 1);
  const log = await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8');
  assert.ok(log.split('\n').length > 100);
});
