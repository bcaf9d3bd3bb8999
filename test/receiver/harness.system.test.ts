// The test harness itself: a receiver child that fails to start must not outlive the failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { ReceiverProcess, setup } from './helpers.js';

/** Pids of live processes whose command line mentions `needle` (Linux /proc). */
async function processesMentioning(needle: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(needle)) found.push(Number(entry));
  }
  return found;
}

test('a receiver that does not listen in time is killed, not left running', { skip: process.platform !== 'linux' }, async (t) => {
  const env = await setup(() => []);
  t.after(() => env.target.stop());
  const args = ['--actions', env.actions, '--token-file', env.tokenFile, '--data-dir', env.dataDir, '--host', '127.0.0.1', '--port', '0'];
  // 1 ms is far less than Node needs to start: the wait fails while the child is still starting.
  await assert.rejects(ReceiverProcess.spawn(args, {}, 1), /timed out waiting for the receiver to listen/);
  assert.deepEqual(await processesMentioning(env.dataDir), [], 'the receiver child is gone');
});
