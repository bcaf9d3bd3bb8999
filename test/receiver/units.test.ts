// Small pieces: templates, authentication.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertEnv, renderTemplate, templateProblems } from '../../src/receiver/template.js';
import { TokenAuth, parseTokens } from '../../src/receiver/auth.js';

const alert = {
  remediation: 'r',
  status: 'firing',
  fingerprint: 'f',
  startsAt: 's',
  endsAt: 'e',
  labels: { service: 'a"b', 'odd-name': 'x', constructor: 'c' },
  annotations: {},
};

test('templates: placeholders filled in strings only; unknown ones reported', () => {
  assert.deepEqual(
    renderTemplate({ a: '{{labels.service}}/{{status}}', b: ['{{labels.constructor}}', 1, true], c: '{{labels.toString}}' }, alert),
    { a: 'a"b/firing', b: ['c', 1, true], c: '' },
  );
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
  for (const bad of [
    undefined,
    '',
    'Bearer',
    'Bearer new',
    'Bearer new-token2',
    'Token new-token',
    `Basic ${Buffer.from('new-token').toString('base64')}`,
    'Basic !!!',
  ]) {
    assert.equal(auth.check(bad), false, String(bad));
  }
  assert.throws(() => new TokenAuth([]));
});
