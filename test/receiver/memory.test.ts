// Issue 22: what the receiver remembers of resolved alerts is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { Engine, MAX_RESOLVED } from '../../src/receiver/engine.js';
import { ReceiverMetrics } from '../../src/receiver/metrics.js';
import { alert, setup } from './helpers.js';

test('100,000 resolved notices: at most MAX_RESOLVED remembered (the newest), said once in the log', async (t) => {
  const env = await setup((url) => [{ name: 'r', action: { http: { url, retries: 0 } } }]);
  t.after(() => env.target.stop());
  const { remediations } = actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8')));
  const logs: string[] = [];
  const engine = new Engine({
    remediations,
    metrics: new ReceiverMetrics(),
    dryRun: false,
    log: (l) => logs.push(l),
    store: { append: async () => {}, close: async () => {} },
  });
  engine.finishReplay();
  await engine.start();
  for (let i = 0; i < 100_000; i += 1000) {
    await engine.accept(Array.from({ length: 1000 }, (_, j) => alert(`fp-${i + j}`, 'r', { status: 'resolved' }) as never));
  }
  assert.equal(engine.resolvedRemembered, MAX_RESOLVED);
  assert.ok(
    logs.some((l) => l.includes(`newest ${MAX_RESOLVED} resolved alerts`)),
    logs.join('\n'),
  );
  await engine.shutdown(1000);
});
