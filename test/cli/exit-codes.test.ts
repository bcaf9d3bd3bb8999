// One exit code per kind of failure (src/errors.ts, README.md): the user's input 1, the
// environment (I/O, a missing tool) 2, a sloforge bug 70; each one `error:` line on stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli, tempDir, writeTree } from '../helpers/cli.js';
import { configSource, baseConfig } from '../helpers/config.js';
import { EnvironmentError, EXIT_CODES, InternalError, UserError } from '../../src/errors.js';
import { ConfigError } from '../../src/config/errors.js';
import { ImportFailure } from '../../src/import/report.js';
import { PrometheusError } from '../../src/live/client.js';

test('each class carries its documented exit code; the specific ones descend from their kind', () => {
  assert.deepEqual(EXIT_CODES, { user: 1, environment: 2, bug: 70 });
  assert.equal(new UserError('x').exitCode, 1);
  assert.equal(new EnvironmentError('x').exitCode, 2);
  assert.equal(new InternalError('x').exitCode, 70);
  assert.equal(new InternalError('a selector does not parse').message, 'sloforge bug: a selector does not parse');
  assert.ok(new ConfigError([{ path: ['services', 0, 'name'], message: 'bad' }]) instanceof UserError);
  assert.ok(new ImportFailure({ file: 'f', field: 'spec' }, 'bad') instanceof UserError);
  assert.ok(new PrometheusError('down') instanceof EnvironmentError);
});

test('a user error exits 1', async () => {
  const r = await cli('generate', '--slos', tempDir(), '--out', path.join(tempDir(), 'generated'));
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: .*index\.ts: not found/);
});

test('a missing tool exits 2', async () => {
  const out = writeTree({ 'prometheus/tests/a.test.yml': 'tests: []\n' });
  const r = await cli('test', '--out', out, '--promtool', path.join(out, 'no-such-promtool'));
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: promtool \(.*no-such-promtool\): not found/);
});

test('an I/O failure that reaches the top exits 2, as one line', async () => {
  const dir = writeTree({ 'slos/index.ts': configSource(baseConfig()), file: 'not a folder\n' });
  const r = await cli('generate', '--slos', path.join(dir, 'slos'), '--out', path.join(dir, 'file', 'generated'));
  assert.equal(r.code, 2, r.stderr);
  // After generate's warnings, the failure is one line, without a stack.
  const errors = r.stderr.split('\n').filter((l) => !/^(warning|note): /.test(l) && l !== '');
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0]!, /^error: .*(ENOTDIR|EEXIST|not a directory)/);
});
