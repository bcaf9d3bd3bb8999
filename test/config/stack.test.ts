// Stack frames as tsx leaves them, per module type and Node version (src/config/stack.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameLocation, stackLocations } from '../../src/config/stack.js';

test('a source-mapped frame gives file, line and column; tsx namespace queries are dropped', () => {
  assert.deepEqual(frameLocation('    at <anonymous> (/tmp/u/slos/checkout.ts:4:18)'), {
    file: '/tmp/u/slos/checkout.ts',
    line: 4,
    column: 18,
  });
  assert.deepEqual(frameLocation('    at Object.<anonymous> (file:///tmp/u/slos/a%20b.ts?tsx-namespace=1234-ab:2:9)'), {
    file: '/tmp/u/slos/a b.ts',
    line: 2,
    column: 9,
  });
  assert.deepEqual(frameLocation('    at /tmp/u/slos/index.ts?namespace=1b2c:7:3'), { file: '/tmp/u/slos/index.ts', line: 7, column: 3 });
});

test("Node 20's CommonJS data: URL frame gives the file only: its position is the compiled code's", () => {
  const frame =
    '    at Object.<anonymous> (data:text/javascript,__filename%3D%22%2Ftmp%2Fu%2Fslos%2Findex.ts%22%3B(()%3D%3E%7Brequire%20%3D%20require(%22node%3Amodule%22)' +
    '.createRequire(%22%2Ftmp%2Fu%2Fslos%2Findex.ts%3Fnamespace%3D8ec3%22)%3B%0A%22use%20strict%22%3B%0A%7D)()%0A?filePath=%2Ftmp%2Fu%2Fslos%2Findex.ts%3Fnamespace%3D8ec3e92f-257e:2:778)';
  assert.deepEqual(frameLocation(frame), { file: '/tmp/u/slos/index.ts' });
});

test("Node's own frames name no file", () => {
  const stack = [
    'Error: x',
    '    at callerLocation (/repo/src/config/define.ts:24:38)',
    '    at loadCJSModule (node:internal/modules/esm/translators:205:3)',
    '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)',
    '    at new Promise (<anonymous>)',
  ].join('\n');
  assert.deepEqual(stackLocations(stack), [{ file: '/repo/src/config/define.ts', line: 24, column: 38 }]);
});
