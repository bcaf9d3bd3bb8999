// Issue 12: a damaged event log. Each row is a log as a crash, a bad disk or a hand edit could
// leave it; the receiver must start, say which lines it skipped, and neither lose what the log
// still proves was acknowledged nor repeat what it proves (or cannot rule out) already started.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startReceiver } from '../../src/receiver/server.js';
import { encodeRecord } from '../../src/receiver/store/record-line.js';
import type { LogRecord } from '../../src/receiver/store/records.js';
import { alert, audit, fp, payload, post, receiverOptions, setup, waitFor } from './helpers.js';

const STARTS = '2026-11-22T10:00:00.000Z';
const at = Date.now() - 60_000;
const key = (f: string) => `${fp(f)}|${STARTS}|firing`;

function accepted(id: string, f: string): Record<string, unknown> {
  const a = alert(f, 'r');
  return {
    t: 'accepted',
    id,
    at,
    key: key(f),
    alert: { remediation: 'r', status: 'firing', fingerprint: fp(f), startsAt: STARTS, endsAt: '', labels: a.labels, annotations: {} },
  };
}
const started = (id: string, f: string) => ({ t: 'started', id, key: key(f), at, attempt: 1, dryRun: false });
const finished = (id: string, f: string) => ({ t: 'finished', id, key: key(f), at, result: 'success', detail: 'ok', durationMs: 1 });
/** A line as receivers before checksums wrote it (still read). */
const line = (r: unknown) => `${JSON.stringify(r)}\n`;
/** A line as the receiver writes it now, with its checksum. */
const sumLine = (r: unknown) => `${encodeRecord(r as LogRecord)}\n`;
/** One character of a line changed, as a bad sector or a hand edit might. */
const edit = (l: string, from: string, to: string) => {
  assert.ok(l.includes(from));
  return l.replace(from, to);
};
/** A record whose last bytes a bad sector or an editor destroyed (its id still readable). */
const garble = (r: unknown) => {
  const s = JSON.stringify(r);
  return `${s.slice(0, -12)}\u0000\u0000${s.slice(-4)}\n`;
};

interface Row {
  name: string;
  log: string;
  /** Alerts Alertmanager re-sends after the restart. */
  resend?: string[];
  /** Runs per fingerprint once everything settled. */
  runs: Record<string, number>;
  /** Line numbers reported as skipped. */
  skipped: number[];
  /** Audit state per fingerprint, where it matters. */
  states?: Record<string, string>;
}

const ROWS: Row[] = [
  {
    name: 'a lost `started` line: the action may have run, so it is not run again',
    log: line(accepted('e1', 'f1')) + garble(started('e1', 'f1')),
    runs: { f1: 0 },
    skipped: [2],
    states: { f1: 'skipped/log-corrupt' },
  },
  {
    name: 'a lost `accepted` line of an action that ran: a re-send is still a duplicate',
    log: garble(accepted('e1', 'f1')) + line(started('e1', 'f1')) + line(finished('e1', 'f1')),
    resend: ['f1'],
    runs: { f1: 0 },
    skipped: [1],
  },
  {
    name: 'two `accepted` records with one key run once',
    log: line(accepted('e1', 'f1')) + line(accepted('e2', 'f1')),
    runs: { f1: 1 },
    skipped: [2],
  },
  {
    name: 'one changed character in the id of a checksummed `accepted` line: unreadable, the finished action does not run again',
    log: edit(sumLine(accepted('e1', 'f1')), '"id":"e1"', '"id":"e9"') + sumLine(started('e1', 'f1')) + sumLine(finished('e1', 'f1')),
    resend: ['f1'],
    runs: { f1: 0 },
    skipped: [1],
  },
  {
    name: 'one changed character in the key of a checksummed `accepted` line: a re-sent alert is still a duplicate',
    log:
      edit(sumLine(accepted('e1', 'f1')), `"key":"${fp('f1')}|`, `"key":"${fp('g1')}|`) +
      sumLine(started('e1', 'f1')) +
      sumLine(finished('e1', 'f1')),
    resend: ['f1'],
    runs: { f1: 0 },
    skipped: [1],
  },
  {
    name: 'a damaged checksum field is not mistaken for an old line without one',
    log: edit(sumLine(accepted('e1', 'f1')), '"crc":"', '"crc":"z') + sumLine(accepted('e2', 'f2')),
    runs: { f1: 0, f2: 1 },
    skipped: [1],
  },
  {
    name: 'valid JSON of the wrong shape does not crash the start',
    log:
      `${JSON.stringify({ t: 'accepted', id: 'x', at, key: 'k' })}\n{"t":"started","id":5}\n[]\nnull\n"text"\n{"t":"bogus","id":"z","at":1}\n` +
      line(accepted('e1', 'f1')),
    runs: { f1: 1 },
    skipped: [1, 2, 3, 4, 5, 6],
  },
  {
    name: 'a torn line with a whole record glued to it: the record is recovered',
    log: line(accepted('e0', 'f0')).slice(0, 50) + line(accepted('e1', 'f1')) + line(accepted('e2', 'f2')),
    runs: { f0: 0, f1: 1, f2: 1 },
    skipped: [1],
  },
  {
    name: 'a corrupt line far from an unfinished event does not hold it back when it names another event',
    log: line(accepted('e1', 'f1')) + line(accepted('e2', 'f2')) + line(started('e2', 'f2')) + garble(finished('e2', 'f2')),
    runs: { f1: 1, f2: 0 },
    skipped: [4],
    states: { f1: 'success', f2: 'skipped/interrupted' },
  },
  {
    name: 'garbage that names no event holds back every unfinished event before it',
    log: line(accepted('e1', 'f1')) + '\u0000\u0000\u0000 bad sector\n' + line(accepted('e2', 'f2')),
    runs: { f1: 0, f2: 1 },
    skipped: [2],
    states: { f1: 'skipped/log-corrupt', f2: 'success' },
  },
  {
    name: 'a torn last line (a crash mid-write, never acknowledged) is removed quietly',
    log: line(accepted('e1', 'f1')) + line(accepted('e2', 'f2')).slice(0, 40),
    runs: { f1: 1, f2: 0 },
    skipped: [2],
  },
];

for (const row of ROWS) {
  test(`corrupt log: ${row.name}`, async (t) => {
    const env = await setup((url) => [{ name: 'r', cooldown: '0s', maxPerHour: 100, action: { http: { url, retries: 0 } } }]);
    t.after(() => env.target.stop());
    await mkdir(env.dataDir, { recursive: true });
    await writeFile(path.join(env.dataDir, 'events.jsonl'), row.log);
    const logs: string[] = [];
    const rx = await startReceiver(await receiverOptions(env, logs));
    t.after(() => rx.close());
    for (const f of row.resend ?? []) assert.equal((await post(rx.url, payload([alert(f, 'r')]))).json.duplicates, 1, `${f} re-sent`);

    const expected = Object.keys(row.runs);
    const events = await waitFor('the log to be settled', async () => {
      const list = await audit(rx.url);
      const open = list.filter((e) => e.state === 'queued' || e.state === 'running');
      return open.length === 0 ? list : undefined;
    });
    const runs = Object.fromEntries(
      expected.map((f) => [f, env.target.calls.filter((c) => JSON.parse(c.body).fingerprint === fp(f)).length]),
    );
    assert.deepEqual(runs, row.runs);
    for (const [f, state] of Object.entries(row.states ?? {})) {
      const e = events.find((x) => x.fingerprint === fp(f));
      assert.equal(`${e?.state}${e?.reason ? `/${e.reason}` : ''}`, state, f);
    }
    const metrics = await (await fetch(`${rx.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`sloforge_receiver_log_skipped_lines ${row.skipped.length}\\b`));
    const report = logs.find((l) => /skipped \d+ unreadable line/.test(l));
    assert.ok(report, logs.join('\n'));
    assert.match(report, new RegExp(`line${row.skipped.length > 1 ? 's' : ''} ${row.skipped.join(', ')}\\b`));
  });
}

test('corrupt log: a clean log reports nothing and the skipped-lines metric is 0', async (t) => {
  const env = await setup((url) => [{ name: 'r', action: { http: { url } } }]);
  t.after(() => env.target.stop());
  await mkdir(env.dataDir, { recursive: true });
  await writeFile(
    path.join(env.dataDir, 'events.jsonl'),
    line(accepted('e1', 'f1')) + line(started('e1', 'f1')) + line(finished('e1', 'f1')),
  );
  const logs: string[] = [];
  const rx = await startReceiver(await receiverOptions(env, logs));
  t.after(() => rx.close());
  assert.match(await (await fetch(`${rx.url}/metrics`)).text(), /sloforge_receiver_log_skipped_lines 0\b/);
  assert.ok(!logs.some((l) => /unreadable/.test(l)), logs.join('\n'));
  assert.equal((await readFile(path.join(env.dataDir, 'events.jsonl'), 'utf8')).split('\n').length, 4);
});

test('corrupt log: more than 50 unreadable lines are listed as the first 50 and how many more', async (t) => {
  const env = await setup((url) => [{ name: 'r', action: { http: { url } } }]);
  t.after(() => env.target.stop());
  await mkdir(env.dataDir, { recursive: true });
  await writeFile(path.join(env.dataDir, 'events.jsonl'), 'not json\n'.repeat(53));
  const logs: string[] = [];
  const rx = await startReceiver(await receiverOptions(env, logs));
  t.after(() => rx.close());
  const report = logs.find((l) => /skipped \d+ unreadable line/.test(l));
  assert.ok(report, logs.join('\n'));
  const first50 = Array.from({ length: 50 }, (_, i) => i + 1).join(', ');
  assert.ok(report.endsWith(`skipped 53 unreadable lines: lines ${first50} and 3 more`), report);
  assert.equal(logs.filter((l) => l.startsWith('  line ')).length, 20, 'the first 20 in detail');
});
