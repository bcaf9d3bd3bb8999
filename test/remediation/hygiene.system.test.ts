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
  assert.match(weak.stderr, /warning: \S+token: the token file \(--token-file\) is readable by its group and every user \(mode 0644\); make it readable by the receiver's user only \(chmod 600\)/);
  assert.match(weak.stderr, /warning: \S+token: 1 token\(s\) in the token file \(--token-file\) are shorter than 16 characters/);

  await writeFile(env.tokenFile, `${TOKEN}\n`);
  await chmod(env.tokenFile, 0o600);
  const strong = await ReceiverProcess.start(env);
  assert.equal((await strong.stop()).code, 0);
  assert.doesNotMatch(strong.stderr, /warning/);
});

test('an alert field with newlines cannot forge a line of the receiver\'s log', async (t) => {
  const env = await setup(failing);
  const rx = await ReceiverProcess.start(env);
  t.after(async () => { rx.killGroup(); await env.target.stop(); });
  const forged = 'ab12\nsloforge receiver: SIGHUP: reloaded 9 token(s) from /evil\r\nsloforge receiver: stopped';
  assert.equal((await post(rx.url, payload([alert(forged, 'fails')]))).status, 200);
  await settled(rx.url, 1);
  await rx.stop();
  const lines = rx.stderr.trimEnd().split('\n');
  assert.ok(lines.every((l) => l.startsWith('sloforge receiver: ')), rx.stderr);
  assert.equal(lines.filter((l) => l === 'sloforge receiver: stopped').length, 1, 'one "stopped" line: the real one, last');
  assert.equal(lines.at(-1), 'sloforge receiver: stopped');
  assert.ok(!lines.some((l) => l.includes('reloaded 9 token')  && !l.includes('\\n')), rx.stderr);
  assert.match(rx.stderr, /remediation fails failed for alert ab12\\nsloforge receiver: SIGHUP: reloaded 9 token\(s\) from \/evil\\r\\nsloforge receiver: stopped: false exited 1/);
});
