// What the receiver says about its own setup and how it writes caller input into its log:
// a weak token file is warned about, and no alert field can forge a line of the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { ReceiverProcess, TOKEN, alert, payload, post, settled, setup } from './helpers.js';

const failing = () => [{ name: 'fails', cooldown: '0s', action: { command: { argv: ['false'] } } }];

test('a group- or world-readable token file and short tokens are warned about; a private file of long tokens is not', async (t) => {
  const env = await setup(failing);
  t.after(() => env.target.stop());
  await writeFile(env.tokenFile, `${TOKEN}\nshort-token\n`);
  await chmod(env.tokenFile, 0o644);
  const weak = await ReceiverProcess.start(env);
  assert.equal((await weak.stop()).code, 0);
  assert.match(
    weak.stderr,
    /warning: \S+token: the token file \(--token-file\) is readable by its group and every user \(mode 0644\); make it readable by the receiver's user only \(chmod 600\)/,
  );
  assert.match(weak.stderr, /warning: \S+token: 1 token\(s\) in the token file \(--token-file\) are shorter than 16 characters/);

  await writeFile(env.tokenFile, `${TOKEN}\n`);
  await chmod(env.tokenFile, 0o600);
  const strong = await ReceiverProcess.start(env);
  assert.equal((await strong.stop()).code, 0);
  assert.doesNotMatch(strong.stderr, /warning/);
});

test('a fingerprint that is not hex is refused with 400 and the reason, and logged nowhere', async (t) => {
  const env = await setup(failing);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => {
    rx.killGroup();
    await env.target.stop();
  });
  const forged = 'ab12\nsloforge receiver: stopped';
  for (const fingerprint of [forged, 'dup-1', 'AB12', 'a'.repeat(65), '']) {
    const answer = await post(rx.url, payload([alert('x', 'fails', { fingerprint })]));
    assert.equal(answer.status, 400, fingerprint);
    assert.deepEqual(answer.json.problems, [
      'alerts.0.fingerprint: must be 1 to 64 lowercase hex digits, as Alertmanager writes a fingerprint',
    ]);
  }
  assert.equal((await post(rx.url, payload([alert('x', 'fails', { fingerprint: '0123456789abcdef' })]))).status, 200);
  await settled(rx.url, 1);
  await rx.stop();
  assert.doesNotMatch(rx.stderr, /ab12/);
});

test("caller text reaching the receiver's log (a command's stderr echoing a label) cannot forge a line", async (t) => {
  const env = await setup(() => [
    { name: 'echoes', cooldown: '0s', action: { command: { argv: ['/bin/sh', '-c', 'printf "%s" "$SLOFORGE_LABEL_NOTE" >&2; exit 1'] } } },
  ]);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => {
    rx.killGroup();
    await env.target.stop();
  });
  const forged = 'x\nsloforge receiver: SIGHUP: reloaded 9 token(s) from /evil\r\nsloforge receiver: stopped';
  const sent = alert('forger', 'echoes');
  assert.equal((await post(rx.url, payload([{ ...sent, labels: { ...(sent.labels as object), note: forged } }]))).status, 200);
  await settled(rx.url, 1);
  await rx.stop();
  const lines = rx.stderr.trimEnd().split('\n');
  assert.ok(
    lines.every((l) => l.startsWith('sloforge receiver: ')),
    rx.stderr,
  );
  assert.equal(lines.filter((l) => l === 'sloforge receiver: stopped').length, 1, 'one "stopped" line: the real one, last');
  assert.equal(lines.at(-1), 'sloforge receiver: stopped');
  // The caller's text stays inside the line that reports the failure, its control characters escaped.
  const carrying = lines.filter((l) => l.includes('reloaded 9 token'));
  assert.equal(carrying.length, 1, rx.stderr);
  assert.match(carrying[0]!, /^sloforge receiver: remediation echoes failed for alert [0-9a-f]+: \/bin\/sh exited 1: x.*\\r.*stopped$/);
});
