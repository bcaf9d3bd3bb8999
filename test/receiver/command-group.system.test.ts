// A command action runs in its own process group, and the timeout kills the whole group: a child
// the command left behind must neither hold the action's slot past the timeout nor live on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { runAction } from '../../src/receiver/actions/index.js';
import { resolveRemediation } from '../../src/model/resolve/remediations.js';
import { remediation as remediationSchema } from '../../src/config/schema/remediation.js';
import type { RemediationInput } from '../../src/config/define.js';
import { tempDir, waitFor } from './helpers.js';

const alert = {
  remediation: 'r',
  status: 'firing',
  fingerprint: 'fp-1',
  startsAt: '2026-11-22T10:00:00.000Z',
  endsAt: '',
  labels: {},
  annotations: {},
};
const action = (input: RemediationInput['action']) => resolveRemediation(remediationSchema.parse({ name: 'r', action: input })).action;

/** Alive and not a zombie waiting for a parent that never reaps it. */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/^\d+ \(.*\) Z /.test(stat);
}

test(
  'a command that backgrounds a child and exits: the slot is free at the timeout, the child killed',
  { skip: process.platform !== 'linux' },
  async () => {
    const pidFile = path.join(await tempDir(), 'child.pid');
    const started = Date.now();
    const outcome = await runAction(
      action({ command: { argv: ['sh', '-c', 'sleep 25 & echo $! > "$0"; exit 0', pidFile], timeout: '1s' } }),
      { id: 'event-1', alert, signal: new AbortController().signal },
    );
    const took = Date.now() - started;
    assert.ok(took < 10_000, `the action returned ${took} ms after it started, not when the background sleep ended`);
    assert.equal(outcome.ok, false);
    assert.match(outcome.detail, /sh timed out after 1000 ms/);
    const pid = Number(await readFile(pidFile, 'utf8'));
    await waitFor('the background child to be killed', async () => !(await alive(pid)), 5_000);
  },
);
