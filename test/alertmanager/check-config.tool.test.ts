import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { amtool, config, everyKind, ROOT, tempDir, writeAlertmanager } from './helpers.js';
import { loadConfig } from '../../src/config/load.js';
import { compile } from '../../src/compile.js';
import { ALERTMANAGER_FILE } from '../../src/alertmanager/target.js';

test('amtool check-config accepts the committed generated/alertmanager.yml and its templates', async () => {
  const out = await amtool(['check-config', path.join(ROOT, 'generated', ALERTMANAGER_FILE)]);
  assert.match(out, /SUCCESS/);
  assert.match(out, /1 templates/);
});

test('the committed file is what slos/ compiles to', async () => {
  const { config: cfg } = await loadConfig(path.join(ROOT, 'slos'));
  const ours = compile(cfg).filter((a) => a.path.startsWith('alertmanager/'));
  assert.deepEqual(
    ours.map((a) => a.path),
    ['alertmanager/alertmanager.yml', 'alertmanager/fragment.yml', 'alertmanager/templates/sloforge.tmpl'],
  );
});

test('amtool check-config accepts every receiver kind, time intervals and overrides', async (t) => {
  const file = await writeAlertmanager(config(everyKind), await tempDir(t));
  const out = await amtool(['check-config', file]);
  assert.match(out, /SUCCESS/);
  assert.match(out, /7 receivers/);
});
