// The pure parts of compiling on worker threads (src/compile-workers.ts): how services are
// shared out, how many threads, and errors carried across. compile-workers.system.test.ts
// runs real threads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileThreads, shares, thrownData, THREADS_ENV } from '../src/compile-workers.js';
import { InternalError, UserError } from '../src/errors.js';

test('errors a worker throws keep their kind in the message that carries them', () => {
  const sys = thrownData(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', syscall: 'write', path: '/x' }));
  assert.deepEqual({ code: sys.code, syscall: sys.syscall, path: sys.path }, { code: 'ENOSPC', syscall: 'write', path: '/x' });
  assert.equal(thrownData(new UserError('bad')).name, 'UserError');
  assert.equal(thrownData(new InternalError('broken')).message, 'sloforge bug: broken');
  assert.deepEqual(thrownData('text'), { name: 'Error', message: 'text' });
});

test('shares: the main thread takes a share a little smaller than a worker (it writes later), the workers the rest in order, nothing lost', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  for (const threads of [1, 2, 3, 4]) {
    const parts = shares(xs, threads);
    assert.equal(parts.length, threads);
    assert.deepEqual(parts.flat(), xs);
    if (threads > 1) {
      const ratio = parts[0]!.length / parts[1]!.length;
      assert.ok(ratio > 0.8 && ratio < 1, `threads ${threads}: ${parts.map((p) => p.length).join(', ')}`);
    }
  }
});

test(`compileThreads: ${THREADS_ENV} when set, else one per core for configs big enough`, () => {
  assert.equal(compileThreads(1000, { [THREADS_ENV]: '1' }), 1);
  assert.equal(compileThreads(1000, { [THREADS_ENV]: '3' }), 3);
  assert.equal(compileThreads(2, { [THREADS_ENV]: '8' }), 2, 'never more threads than services');
  assert.equal(compileThreads(10, {}), 1, 'a small config stays on one thread');
  assert.ok(compileThreads(1000, {}) >= 1);
  for (const bad of ['0', '-1', 'two', '1.5']) {
    assert.throws(
      () => compileThreads(100, { [THREADS_ENV]: bad }),
      (e: unknown) => e instanceof UserError && e.message.includes(`${THREADS_ENV}=${bad}`),
    );
  }
});
