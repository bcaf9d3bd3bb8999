// `sloforge receiver --database`: mistakes in the flags are user errors (exit 1), a database that
// cannot be reached is the environment's (exit 2), and neither message repeats the password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReceiverProcess, setup } from './helpers.js';
import { freePort } from '../helpers/net.js';

const SECRET = 'hunter2-never-printed';

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const rx = ReceiverProcess.launch(args, env);
  const { code } = await rx.exited;
  return { code, stderr: rx.stderr };
}

test(
  'receiver --database: bad flags exit 1, an unreachable database exits 2, and the password is never printed',
  { timeout: 120_000 },
  async (t) => {
    const env = await setup((url) => [{ name: 'r', action: { http: { url } } }]);
    t.after(() => env.target.stop());
    const base = ['--actions', env.actions, '--token-file', env.tokenFile, '--port', '0'];
    const port = await freePort();
    const pw = path.join(env.dir, 'db-password');
    await writeFile(pw, `${SECRET}\n`, { mode: 0o600 });

    const both = await run([...base, '--data-dir', env.dataDir, '--database', `postgres://rx:${SECRET}@127.0.0.1:${port}/x`]);
    assert.equal(both.code, 1, both.stderr);
    assert.match(both.stderr, /--data-dir .* and --database .* both given/);

    const badUrl = await run(base, { SLOFORGE_DATABASE_URL: `mysql://rx:${SECRET}@127.0.0.1/x` });
    assert.equal(badUrl.code, 1, badUrl.stderr);
    assert.match(badUrl.stderr, /--database \/ SLOFORGE_DATABASE_URL: expected a postgres:\/\//);

    const badLease = await run([...base, '--database', `postgres://rx@127.0.0.1:${port}/x`, '--lease', '10ms']);
    assert.equal(badLease.code, 1, badLease.stderr);
    assert.match(badLease.stderr, /--lease \/ SLOFORGE_RECEIVER_LEASE: expected a duration of at least 1s/);
    const badRetention = await run([...base, '--database', `postgres://rx@127.0.0.1:${port}/x`], { SLOFORGE_RECEIVER_RETENTION: '5m' });
    assert.equal(badRetention.code, 1, badRetention.stderr);
    assert.match(badRetention.stderr, /--retention \/ SLOFORGE_RECEIVER_RETENTION: expected a duration of at least 1h, got "5m"/);

    // Nothing listens on the port: the start fails, naming the database without its password.
    for (const args of [
      ['--database', `postgres://rx:${SECRET}@127.0.0.1:${port}/alerts`],
      ['--database', `postgres://rx@127.0.0.1:${port}/alerts`, '--database-password-file', pw],
    ]) {
      const down = await run([...base, ...args]);
      assert.equal(down.code, 2, down.stderr);
      assert.match(
        down.stderr,
        new RegExp(`cannot use the database postgres://rx@127\\.0\\.0\\.1:${port}/alerts \\(sslmode disable\\): .*ECONNREFUSED`),
      );
      for (const r of [both, badUrl, badLease, badRetention, down]) assert.doesNotMatch(r.stderr, new RegExp(SECRET));
    }
  },
);
