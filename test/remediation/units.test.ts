// Small pieces: templates, authentication, the log store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { alertEnv, renderTemplate, templateProblems } from '../../src/remediation/template.js';
import { TokenAuth, parseTokens } from '../../src/remediation/auth.js';
import { LOG_FILE, LogStore, type LogRecord } from '../../src/remediation/store.js';
import { compactRecords, keepWholeMs } from '../../src/remediation/compact.js';
import { tempDir } from './helpers.js';

const alert = { remediation: 'r', status: 'firing', fingerprint: 'f', startsAt: 's', endsAt: 'e', labels: { service: 'a"b', 'odd-name': 'x', constructor: 'c' }, annotations: {} };

test('templates: placeholders filled in strings only; unknown ones reported', () => {
  assert.deepEqual(renderTemplate({ a: '{{labels.service}}/{{status}}', b: ['{{labels.constructor}}', 1, true], c: '{{labels.toString}}' }, alert), { a: 'a"b/firing', b: ['c', 1, true], c: '' });
  assert.deepEqual(templateProblems('{{labels.service}} {{ fingerprint }}'), []);
  assert.equal(templateProblems('{{labels}} {{env.HOME}} {{labels.a.b}}').length, 3);
  const env = alertEnv(alert, { X: '{{labels.service}}' });
  assert.equal(env.SLOFORGE_LABEL_SERVICE, 'a"b');
  assert.equal(env.X, 'a"b');
  assert.ok(!Object.keys(env).some((k) => k.includes('-')), 'non-portable names are left out');
});

test('auth: Bearer or basic-auth password, any listed token, nothing else', () => {
  const tokens = parseTokens('# current\nnew-token\n\n  old-token  \n');
  assert.deepEqual(tokens, ['new-token', 'old-token']);
  const auth = new TokenAuth(tokens);
  assert.equal(auth.check('Bearer new-token'), true);
  assert.equal(auth.check('bearer old-token'), true);
  assert.equal(auth.check(`Basic ${Buffer.from('am:old-token').toString('base64')}`), true);
  for (const bad of [undefined, '', 'Bearer', 'Bearer new', 'Bearer new-token2', 'Token new-token', `Basic ${Buffer.from('new-token').toString('base64')}`, 'Basic !!!']) {
    assert.equal(auth.check(bad), false, String(bad));
  }
  assert.throws(() => new TokenAuth([]));
});

test('store: concurrent appends all land; a torn last line is dropped and the log stays usable', async () => {
  const dir = await tempDir();
  const rec = (i: number): LogRecord => ({ t: 'skipped', id: `e${i}`, at: i, reason: 'cooldown', detail: 'x' });
  const { store, records } = await LogStore.open(dir);
  assert.deepEqual(records, []);
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.append([rec(i)])));
  await store.close();
  await assert.rejects(store.append([rec(999)]));
  await appendFile(path.join(dir, LOG_FILE), '{"t":"skipped","id":"torn","at');

  const again = await LogStore.open(dir);
  assert.equal(again.records.length, 200);
  assert.deepEqual(new Set(again.records.map((r) => r.id)).size, 200);
  await again.store.append([rec(500)]);
  await again.store.close();
  const third = await LogStore.open(dir);
  assert.equal(third.records.length, 201);
  assert.equal(third.records.at(-1)!.id, 'e500');
  await third.store.close();
  assert.match(await readFile(path.join(dir, LOG_FILE), 'utf8'), /"id":"torn","at\n/);
});

test('compaction: long-finished events shrink to their dedupe key; recent and unfinished stay whole', async () => {
  const DAY = 86_400_000;
  const now = 100 * DAY;
  const a = { remediation: 'r', status: 'firing', fingerprint: 'f', startsAt: 's', endsAt: '', labels: {}, annotations: {} };
  const event = (id: string, at: number, end?: 'finished' | 'skipped'): LogRecord[] => [
    { t: 'accepted', id, at, key: `${id}|s|firing`, alert: a },
    ...(end === 'finished' ? [{ t: 'started', id, at: at + 1, attempt: 1, dryRun: false } as LogRecord, { t: 'finished', id, at: at + 2, result: 'success', detail: 'ok', durationMs: 1 } as LogRecord] : []),
    ...(end === 'skipped' ? [{ t: 'skipped', id, at: at + 1, reason: 'cooldown', detail: 'x' } as LogRecord] : []),
  ];
  const records = [...event('old', now - 30 * DAY, 'finished'), ...event('old-skip', now - 30 * DAY, 'skipped'), ...event('stuck', now - 30 * DAY), ...event('new', now - DAY, 'finished')];
  const kept = compactRecords(records, now, keepWholeMs(0));
  assert.deepEqual(kept.filter((r) => r.id === 'old'), [{ t: 'seen', id: 'old', at: now - 30 * DAY, key: 'old|s|firing' }]);
  assert.equal(kept.filter((r) => r.id === 'old-skip').length, 1);
  assert.deepEqual(kept.filter((r) => r.id === 'stuck'), records.filter((r) => r.id === 'stuck'));
  assert.deepEqual(kept.filter((r) => r.id === 'new'), records.filter((r) => r.id === 'new'));
  assert.equal(compactRecords(kept, now, keepWholeMs(0)), kept, 'nothing more to do: the same array back');
  assert.equal(keepWholeMs(30 * DAY), 31 * DAY);

  // Through the store: the file is rewritten, and reopening reads the compacted records.
  const dir = await tempDir();
  const first = await LogStore.open(dir);
  await first.store.append(records);
  await first.store.close();
  const second = await LogStore.open(dir, (rs) => compactRecords(rs, now, keepWholeMs(0)));
  assert.equal(second.droppedLines, records.length - kept.length);
  await second.store.close();
  const third = await LogStore.open(dir);
  assert.deepEqual(third.records, kept);
  await third.store.close();
});
