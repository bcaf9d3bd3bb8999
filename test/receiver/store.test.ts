// The event log on its own: all-or-nothing appends (with a file handle that writes short and
// then runs out of space), streaming replay, and compaction that never loses a record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, open, readFile, stat, writeFile } from 'node:fs/promises';
import { OWNER_FILE } from '../../src/receiver/store/lock.js';
import path from 'node:path';
import { LOG_FILE, type LogFile, type OpenFile } from '../../src/receiver/store/log-file.js';
import { LogStore, type OpenOptions } from '../../src/receiver/store/log-store.js';
import type { LogRecord } from '../../src/receiver/store/records.js';
import { Compactor, compactionPolicy, keepWholeMs } from '../../src/receiver/store/compact.js';
import { tempDir } from './helpers.js';

const rec = (i: number): LogRecord => ({ t: 'skipped', id: `e${i}`, key: `k${i}`, at: i, reason: 'cooldown', detail: 'x'.repeat(i % 50) });

async function replay(dir: string, opts: OpenOptions = {}): Promise<{ records: LogRecord[]; bad: number[]; store: LogStore }> {
  const records: LogRecord[] = [];
  const { store, report } = await LogStore.open(dir, { ...opts, onRecord: (r) => records.push(r) });
  return { records, bad: report.bad.map((b) => b.line), store };
}

async function readAll(dir: string): Promise<LogRecord[]> {
  const { records, store } = await replay(dir);
  await store.close();
  return records;
}

/**
 * A real file handle that, once `space` bytes have been written through it, writes short and
 * then fails with ENOSPC, as a full disk does.
 */
function diskOf(space: { left: number }): OpenFile {
  return async (file, flags) => {
    const fh = await open(file, flags, 0o600);
    const wrapped: LogFile = {
      write: async (buf, offset, length, position) => {
        if (space.left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        const n = Math.min(length, space.left);
        const r = await fh.write(buf, offset, n, position);
        space.left -= r.bytesWritten;
        return r;
      },
      read: (buf, offset, length, position) => fh.read(buf, offset, length, position),
      datasync: () => fh.datasync(),
      sync: () => fh.sync(),
      truncate: (len) => fh.truncate(len),
      chmod: (mode) => fh.chmod(mode),
      close: () => fh.close(),
    };
    return wrapped;
  };
}

test('store: concurrent appends all land, in one file readable by its owner only', async () => {
  const dir = await tempDir();
  const { store, records } = await replay(dir);
  assert.deepEqual(records, []);
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.append([rec(i)])));
  await store.close();
  await assert.rejects(store.append([rec(999)]));
  assert.equal((await stat(path.join(dir, LOG_FILE))).mode & 0o777, 0o600);
  assert.equal((await readAll(dir)).length, 200);
});

test('store: a torn last line is reported, cut off, and the next record starts clean', async () => {
  const dir = await tempDir();
  const { store } = await replay(dir);
  await store.append([rec(1), rec(2)]);
  await store.close();
  await appendFile(path.join(dir, LOG_FILE), '{"t":"skipped","id":"torn","at');
  const again = await replay(dir);
  assert.deepEqual(again.bad, [3]);
  assert.equal(again.records.length, 2);
  await again.store.append([rec(3)]);
  await again.store.close();
  assert.deepEqual(
    (await readAll(dir)).map((r) => r.id),
    ['e1', 'e2', 'e3'],
  );
  assert.doesNotMatch(await readFile(path.join(dir, LOG_FILE), 'utf8'), /torn/);
});

test('store: a short write then ENOSPC leaves nothing of the failed batch, and every acknowledged record replays', async () => {
  const dir = await tempDir();
  const space = { left: 5000 };
  const { store } = await replay(dir, { openFile: diskOf(space) });
  const acked: string[] = [];
  const refused: string[] = [];
  // Batches of several records, so the disk fills in the middle of one, of a line, of a batch.
  for (let i = 0; i < 60; i += 3) {
    const batch = [rec(i), rec(i + 1), rec(i + 2)];
    await store.append(batch).then(
      () => acked.push(...batch.map((r) => r.id)),
      () => refused.push(...batch.map((r) => r.id)),
    );
  }
  assert.ok(acked.length > 0 && refused.length > 0, `${acked.length} acknowledged, ${refused.length} refused`);
  // Room again: the store keeps going where the last good append ended.
  space.left = Infinity;
  await store.append([rec(100)]);
  await store.close();
  const { records, bad, store: again } = await replay(dir);
  await again.close();
  assert.deepEqual(bad, [], 'no torn or glued line');
  assert.deepEqual(
    records.map((r) => r.id),
    [...acked, 'e100'],
  );
});

const DAY = 86_400_000;

function event(id: string, at: number, end?: 'finished' | 'skipped'): LogRecord[] {
  const a = { remediation: 'r', status: 'firing', fingerprint: id, startsAt: 's', endsAt: '', labels: {}, annotations: {} };
  const key = `${id}|s|firing`;
  return [
    { t: 'accepted', id, at, key, alert: a },
    ...(end === 'finished'
      ? [
          { t: 'started', id, key, at: at + 1, attempt: 1, dryRun: false } as LogRecord,
          { t: 'finished', id, key, at: at + 2, result: 'success', detail: 'ok', durationMs: 1 } as LogRecord,
        ]
      : []),
    ...(end === 'skipped' ? [{ t: 'skipped', id, key, at: at + 1, reason: 'cooldown', detail: 'x' } as LogRecord] : []),
  ];
}

test('compaction: long-finished events shrink to their dedupe key; recent, unfinished and guard-rail events stay whole', async () => {
  const now = Date.now();
  const records = [
    ...event('old', now - 30 * DAY, 'finished'),
    ...event('old-skip', now - 30 * DAY, 'skipped'),
    ...event('stuck', now - 30 * DAY),
    ...event('new', now - DAY, 'finished'),
    ...event('beyond-recent', now - 2 * DAY, 'skipped'),
  ];
  const dir = await tempDir();
  const first = await replay(dir);
  await first.store.append(records);
  const result = await first.store.compact(new Compactor({ ...compactionPolicy(now, 0, 1), keepWholeMs: keepWholeMs(0) }));
  assert.ok(result && result.after < result.before);
  // Nothing more to do: no copy is written.
  assert.equal(await first.store.compact(new Compactor({ ...compactionPolicy(now, 0, 1), keepWholeMs: keepWholeMs(0) })), undefined);
  await first.store.close();
  const kept = await readAll(dir);
  const of = (id: string) => kept.filter((r) => r.id === id);
  assert.deepEqual(of('old'), [{ t: 'seen', id: 'old', at: now - 30 * DAY, key: 'old|s|firing' }]);
  assert.deepEqual(
    of('old-skip').map((r) => r.t),
    ['seen'],
  );
  assert.deepEqual(
    of('beyond-recent').map((r) => r.t),
    ['seen'],
    'only the newest finished event stays whole (keepRecent 1)',
  );
  assert.deepEqual(
    of('stuck'),
    records.filter((r) => r.id === 'stuck'),
  );
  assert.deepEqual(
    of('new'),
    records.filter((r) => r.id === 'new'),
  );
  assert.equal(keepWholeMs(30 * DAY), 31 * DAY);
});

test('compaction while appending: records that arrive during it are kept, in order', async () => {
  const now = Date.now();
  const dir = await tempDir();
  const { store } = await replay(dir);
  for (let i = 0; i < 300; i++) await store.append(event(`old-${i}`, now - 30 * DAY, 'finished'));
  const during = Array.from({ length: 100 }, (_, i) => store.append(event(`new-${i}`, now, 'finished')));
  const compacted = store.compact(new Compactor(compactionPolicy(now, 0, 1000)));
  during.push(...Array.from({ length: 100 }, (_, i) => store.append(event(`late-${i}`, now))));
  await Promise.all(during);
  assert.ok(await compacted);
  await store.append(event('after', now));
  await store.close();
  const records = await readAll(dir);
  assert.equal(records.filter((r) => r.t === 'seen').length, 300);
  const ids = [...new Set(records.filter((r) => r.t !== 'seen').map((r) => r.id))];
  assert.deepEqual(ids, [
    ...Array.from({ length: 100 }, (_, i) => `new-${i}`),
    ...Array.from({ length: 100 }, (_, i) => `late-${i}`),
    'after',
  ]);
});

test('compaction on a full disk fails and leaves the log as it was', async () => {
  const now = Date.now();
  const dir = await tempDir();
  const space = { left: Infinity };
  const { store } = await replay(dir, { openFile: diskOf(space) });
  for (let i = 0; i < 100; i++) await store.append([...event(`old-${i}`, now - 30 * DAY, 'finished'), ...event(`q-${i}`, now)]);
  const before = await readFile(path.join(dir, LOG_FILE));
  space.left = 2000;
  await assert.rejects(store.compact(new Compactor(compactionPolicy(now, 0, 1000))), /ENOSPC|no space/);
  assert.deepEqual(await readFile(path.join(dir, LOG_FILE)), before);
  space.left = Infinity;
  await store.append(event('after', now));
  await store.close();
  const records = await readAll(dir);
  assert.equal(records.length, 100 * 4 + 1);
});

test('fencing: once another process claimed the folder (a new token in the owner file), nothing more is written and every append is refused', async () => {
  const dir = await tempDir();
  const lost: Error[] = [];
  const { store } = await replay(dir, { onLockLost: (err) => lost.push(err) });
  await store.append([rec(1)]);
  const before = await readFile(path.join(dir, LOG_FILE));
  // What a second receiver does when it takes a stale lock over (proper-lockfile has not noticed yet).
  const owner = path.join(dir, OWNER_FILE);
  const text = await readFile(owner, 'utf8');
  await writeFile(owner, text.replace(/"token":"[^"]+"/, '"token":"someone-else"'));
  await assert.rejects(store.append([rec(2)]), /claimed the data folder/);
  await assert.rejects(store.append([]), /claimed the data folder/, 'not even a duplicate is acknowledged');
  assert.equal(lost.length, 1);
  assert.equal(await store.compact(new Compactor(compactionPolicy(Date.now(), 0, 0))), undefined);
  assert.deepEqual(await readFile(path.join(dir, LOG_FILE)), before);
  await store.close();
  assert.ok(await stat(path.join(dir, 'receiver.lock')), "the new owner's lock is left alone");
});

test('checksums: a changed byte makes a line unreadable; lines from before checksums are read, and compaction gives them one', async () => {
  const dir = await tempDir();
  const file = path.join(dir, LOG_FILE);
  const first = await replay(dir);
  await first.store.append([rec(1), rec(2)]);
  await first.store.close();
  const written = await readFile(file, 'utf8');
  assert.match(written.split('\n')[0]!, /,"crc":"[0-9a-f]{8}"\}$/);
  // Line 2 changed by one character; line 3 as an older receiver wrote it.
  await writeFile(file, written.replace('"id":"e2"', '"id":"e3"') + `${JSON.stringify(rec(4))}\n`);
  const again = await replay(dir);
  assert.deepEqual(again.bad, [2]);
  assert.deepEqual(
    again.records.map((r) => r.id),
    ['e1', 'e4'],
  );
  assert.ok(await again.store.compact(new Compactor(compactionPolicy(Date.now(), 0, 1000))), 'an old line alone is reason to compact');
  await again.store.close();
  const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  for (const l of lines) assert.match(l, /,"crc":"[0-9a-f]{8}"\}$/);
  assert.deepEqual(
    (await readAll(dir)).map((r) => r.id),
    ['e1', 'e4'],
  );
});

test('compaction without room for its copy is refused up front, saying how much it needs and how much is free', async () => {
  const now = Date.now();
  const dir = await tempDir();
  const { store } = await replay(dir, { freeBytes: async () => 1000 });
  for (let i = 0; i < 50; i++) await store.append(event(`old-${i}`, now - 30 * DAY, 'finished'));
  const before = await readFile(path.join(dir, LOG_FILE));
  await assert.rejects(
    store.compact(new Compactor(compactionPolicy(now, 0, 1000))),
    new RegExp(`needs up to ${before.length} bytes, the disk has 1000 free`),
  );
  assert.deepEqual(await readFile(path.join(dir, LOG_FILE)), before);
  await store.append(event('after', now));
  await store.close();
});
