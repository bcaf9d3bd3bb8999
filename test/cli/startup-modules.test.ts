// Each command loads only its own modules: the receiver, started by every Alertmanager restart
// and by most of the receiver's tests, would otherwise load the whole compiler (the Grafana SDK,
// the PromQL grammar, tsx) and the PostgreSQL client it does not use, about half a CPU second at
// every start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { builtPackage } from '../helpers/built-cli.js';

/** The module URLs `sloforge <args>` resolves, from the installed package's bin. */
function modulesLoaded(...args: string[]): string[] {
  const dir = tempDir('sloforge-modules-');
  const log = path.join(dir, 'modules.log');
  const hook = path.join(dir, 'hook.mjs');
  // registerHooks where Node has it; Node 20 has only register, whose hooks run in a thread of their own.
  const asyncHook = `import { appendFileSync } from 'node:fs';
export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }`;
  writeFileSync(
    hook,
    `import * as m from 'node:module';
import { appendFileSync } from 'node:fs';
// Node's own modules pass no hook: the ones it loaded, as node-internal:<name>.
process.on('exit', () => appendFileSync(${JSON.stringify(log)}, process.moduleLoadList.filter((l) => l.startsWith('NativeModule ')).map((l) => 'node-internal:' + l.slice(13) + '\\n').join('')));
if (typeof m.registerHooks === 'function')
  m.registerHooks({ resolve(s, c, next) { const r = next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; } });
else m.register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(asyncHook)}));
`,
  );
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', hook, path.join(builtPackage(), 'bin/sloforge.mjs'), ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').trim().split('\n');
}

const COMPILER = [
  /\/dist\/compile\.js$/,
  /\/dist\/config\/load\.js$/,
  /\/dist\/grafana\//,
  /\/node_modules\/@grafana\//,
  /\/node_modules\/tsx\//,
];

test('the receiver starts without the compiler, the PostgreSQL client, execa or undici (loaded by the first command action)', () => {
  const loaded = modulesLoaded('receiver', '--help');
  assert.ok(
    loaded.some((u) => u.endsWith('/dist/receiver/server.js')),
    loaded.join('\n'),
  );
  // undici is what an ESM import of node:http loads on Node 22 and later (src/node-http.ts).
  for (const unwanted of [...COMPILER, /\/node_modules\/pg\//, /\/node_modules\/execa\//, /^node-internal:internal\/deps\/undici\//]) {
    assert.deepEqual(
      loaded.filter((u) => unwanted.test(u)),
      [],
      String(unwanted),
    );
  }
});

test('generate loads the compiler, and not the receiver', () => {
  const loaded = modulesLoaded('generate', '--help');
  for (const wanted of COMPILER.slice(0, 2))
    assert.ok(
      loaded.some((u) => wanted.test(u)),
      String(wanted),
    );
  assert.deepEqual(
    loaded.filter((u) => u.includes('/dist/receiver/')),
    [],
  );
});

test('--version loads no command', () => {
  const loaded = modulesLoaded('--version');
  assert.deepEqual(
    loaded.filter((u) => /\/dist\//.test(u)).map((u) => u.replace(/.*\/dist\//, '')),
    ['cli.js', 'errors.js'],
  );
});
