// `sloforge receiver` configuration: flags, their environment variables, and user errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, ReceiverProcess, sloforgeBin, alert, payload, post, settled, setup } from './helpers.js';

/** Asynchronous: this file shares its test process with others, whose timers a spawnSync would stop. */
async function runFailing(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stderr: string }> {
  const r = await execa(process.execPath, [sloforgeBin(), 'receiver', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    reject: false,
    stripFinalNewline: false,
    timeout: 30_000,
  });
  return { status: r.exitCode ?? null, stderr: String(r.stderr) };
}

test('every flag can come from its SLOFORGE_RECEIVER_* variable; DRY_RUN=true makes actions dry', async (t) => {
  const env = await setup((url) => [{ name: 'r', action: { http: { url } } }]);
  const rx = await ReceiverProcess.spawn([], {
    SLOFORGE_RECEIVER_ACTIONS: env.actions,
    SLOFORGE_RECEIVER_TOKEN_FILE: env.tokenFile,
    SLOFORGE_RECEIVER_DATA_DIR: env.dataDir,
    SLOFORGE_RECEIVER_HOST: '127.0.0.1',
    SLOFORGE_RECEIVER_PORT: '0',
    SLOFORGE_RECEIVER_DRY_RUN: 'true',
  });
  t.after(async () => {
    await rx.stop();
    await env.target.stop();
  });
  assert.match(rx.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match(rx.stderr, /\(dry run\)/);
  await post(rx.url, payload([alert('e1', 'r')]));
  const [event] = await settled(rx.url, 1);
  assert.equal(event.state, 'dry-run');
  assert.equal(env.target.calls.length, 0);
});

test('user errors name the flag or file and exit 1', async () => {
  const env = await setup(() => []);
  await env.target.stop();
  const base = ['--actions', env.actions, '--token-file', env.tokenFile, '--data-dir', env.dataDir, '--port', '0'];

  let r = await runFailing(['--actions', env.actions, '--data-dir', env.dataDir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--token-file FILE is required \(or set SLOFORGE_RECEIVER_TOKEN_FILE\)/);

  r = await runFailing(base.map((a) => (a === env.tokenFile ? '/nonexistent/token' : a)));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/nonexistent\/token: cannot read the token file \(--token-file\): ENOENT/);

  const empty = path.join(env.dir, 'empty-token');
  await writeFile(empty, '# no token yet\n');
  r = await runFailing(base.map((a) => (a === env.tokenFile ? empty : a)));
  assert.match(r.stderr, /the token file is empty/);

  const stale = path.join(env.dir, 'old-actions.json');
  await writeFile(stale, JSON.stringify({ version: 1, generatedBy: 'x', remediations: [] }));
  r = await runFailing(base.map((a) => (a === env.actions ? stale : a)));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /old-actions\.json: not a sloforge actions file: version: unsupported version/);

  r = await runFailing(base, { SLOFORGE_RECEIVER_DRY_RUN: 'maybe' });
  assert.match(r.stderr, /SLOFORGE_RECEIVER_DRY_RUN: expected true or false/);
  r = await runFailing([...base, '--port', 'http']);
  assert.match(r.stderr, /not a port number/);
  r = await runFailing([...base, '--lock-stale', '1s']);
  assert.match(r.stderr, /--lock-stale \/ SLOFORGE_RECEIVER_LOCK_STALE: expected a duration of at least 2s, got "1s"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
