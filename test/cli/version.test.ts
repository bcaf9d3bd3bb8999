// `sloforge --version` prints the package's version, from a checkout as from the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, REPO } from '../helpers/cli.js';

const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

test('--version and -V print the version of package.json', async () => {
  for (const flag of ['--version', '-V']) {
    const r = await cli(flag);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
  }
});

test('the bin runs the sources in a checkout, with no build step', () => {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/sloforge.mjs'), '--version'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${version}\n`);
});
