// Compiling on worker threads (src/compile-workers.ts) writes and compares exactly what one
// thread does; a worker's failure reaches the CLI as the same kind of error. Real worker
// threads, each loading sloforge through tsx: a system test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './helpers/cli.js';
import { shapeConfig } from '../bench/shape.js';
import { validateConfig } from '../src/config/validate.js';
import { resolveModel } from '../src/model/resolve.js';
import { compileModel } from '../src/compile.js';
import { ruleSet } from '../src/prometheus/target.js';
import { execa } from 'execa';
import { CompileThreads, compileInto, shares, THREADS_ENV } from '../src/compile-workers.js';
import { checkResult } from '../src/output/write.js';
import { InternalError, isSystemError } from '../src/errors.js';
import type { Model } from '../src/model/types.js';
import { baseConfig, configSource } from './helpers/config.js';
import { existsSync, writeTree } from './helpers/cli.js';
import { builtPackage } from './helpers/built-cli.js';

/** The bench shape with every per-service target switched on, and Kubernetes output beside them. */
function model() {
  const cfg = shapeConfig(7) as Record<string, unknown>;
  cfg.prometheus = { thanos: true, vmalert: true, mimir: { maxRulesPerGroup: 20, maxGroupsPerTenant: 70 } };
  cfg.kubernetes = { namespace: 'monitoring', receiver: { image: 'registry.example.com/sloforge:0.1.0', storage: '1Gi' } };
  return resolveModel(validateConfig(cfg));
}

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = path.join(e.parentPath, e.name);
      out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  }
  return out;
}

test('two and three threads write the files compileModel makes, byte for byte, each once', async (t) => {
  const m = model();
  const rules = ruleSet(m);
  const expected = new Map(compileModel(m, rules).map((a) => [a.path, a.content]));
  assert.ok([...expected.keys()].some((p) => p.startsWith('thanos/')) && [...expected.keys()].some((p) => p.startsWith('vmalert/')));
  for (const threads of [2, 3]) {
    const dir = tempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const reports = await compileInto(m, rules, threads, { kind: 'write', dir });
    assert.equal(reports.length, threads, 'one report per thread');
    const paths = reports.flatMap((r) => r.paths);
    assert.equal(new Set(paths).size, paths.length, `threads ${threads}: a file put twice`);
    assert.deepEqual(tree(dir), expected, `threads ${threads}`);
  }
});

test('--check on threads finds the stale, missing and extra files wherever they fall', async (t) => {
  const m = model();
  const rules = ruleSet(m);
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await compileInto(m, rules, 1, { kind: 'write', dir });
  const clean = await checkResult(dir, await compileInto(m, rules, 2, { kind: 'compare', dir }));
  assert.deepEqual(clean, { files: tree(dir).size, stale: [], missing: [], extra: [] });
  // The first service is the main thread's share, the last a worker's.
  writeFileSync(path.join(dir, 'prometheus/tests/svc-0000.test.yml'), 'tests: []\n');
  writeFileSync(path.join(dir, 'prometheus/rules/svc-0006.yml'), 'groups: []\n');
  rmSync(path.join(dir, 'thanos/rules/svc-0005.yml'));
  rmSync(path.join(dir, 'alertmanager/alertmanager.yml'));
  writeFileSync(path.join(dir, 'prometheus/rules/svc-0099.yml'), 'groups: []\n');
  const r = await checkResult(dir, await compileInto(m, rules, 2, { kind: 'compare', dir }));
  assert.deepEqual(r.stale, ['prometheus/rules/svc-0006.yml', 'prometheus/tests/svc-0000.test.yml']);
  assert.deepEqual(r.missing, ['alertmanager/alertmanager.yml', 'thanos/rules/svc-0005.yml']);
  assert.deepEqual(r.extra, ['prometheus/rules/svc-0099.yml']);
});

test("a worker's failed write reaches this thread as the system error it was (exit 2, not a bug)", async (t) => {
  const m = model();
  const one = { ...m, services: m.services.slice(0, 1) };
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // A file where the worker must make a folder; this thread's share is empty, so only the worker meets it.
  assert.deepEqual(
    shares([1], 2).map((s) => s.length),
    [0, 1],
  );
  mkdirSync(path.join(dir, 'prometheus'));
  writeFileSync(path.join(dir, 'prometheus/rules'), 'in the way\n');
  await assert.rejects(compileInto(one, ruleSet(one), 2, { kind: 'write', dir }), (err: unknown) => {
    assert.ok(isSystemError(err), String(err));
    assert.equal(err.code, 'ENOTDIR');
    return true;
  });
});

test('workers started before the model is known (as generate starts them) write the same files; a smaller need stops the rest', async (t) => {
  const m = model();
  const rules = ruleSet(m);
  const expected = new Map(compileModel(m, rules).map((a) => [a.path, a.content]));
  // [threads the config's size asked for when it was imported, threads share() was given]
  for (const [started, threads] of [
    [2, 2],
    [3, 2],
    [2, 1],
    [1, 2],
  ] as const) {
    const ct = new CompileThreads();
    t.after(() => ct.stop());
    ct.start(m.services.length, { [THREADS_ENV]: String(started) });
    assert.equal(ct.workers, started - 1, `${started} threads started`);
    ct.share(m, threads);
    assert.equal(ct.workers, threads - 1, `${started} threads started, ${threads} used`);
    const dir = tempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const reports = await ct.compile(m, rules, { kind: 'write', dir });
    assert.equal(reports.length, threads);
    assert.deepEqual(tree(dir), expected, `${started} threads started, ${threads} used`);
  }
  const none = new CompileThreads();
  none.start(10, {});
  assert.equal(none.workers, 0, 'a small config starts no worker');
  none.start(1000, { [THREADS_ENV]: 'two' });
  assert.equal(none.workers, 0, 'a wrong SLOFORGE_THREADS starts none (share() reports it)');
});

test('a worker that fails on its share before it is told to write reaches this thread as a bug, with what it threw', async (t) => {
  const m = model();
  // The worker's copy breaks where this thread's does not: its rule groups cannot be built.
  const broken = { ...m, services: m.services.map((s, i) => (i === 6 ? { ...s, slos: null } : s)) } as unknown as Model;
  const ct = new CompileThreads();
  t.after(() => ct.stop());
  ct.share(broken, 2);
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(ct.compile(m, ruleSet(m), { kind: 'write', dir }), (err: unknown) => {
    assert.ok(err instanceof InternalError, String(err));
    assert.match(err.message, /^sloforge bug: a compile worker failed: TypeError: /);
    return true;
  });
});

/**
 * `sloforge generate` in a process of its own, on two threads whatever the cores, from the built
 * package: its workers run dist/compile-worker.js, as users' do (the tests above cover the
 * checkout's workers, which load the sources through tsx). Asynchronous:
 * this file shares its test process with others (scripts/test.sh), whose receivers, servers and
 * timers a spawnSync would stop for the seconds a generate takes.
 */
async function generateOnThreads(slos: string, out: string, ...flags: string[]) {
  const r = await execa(
    process.execPath,
    [path.join(builtPackage(), 'bin/sloforge.mjs'), 'generate', '--slos', slos, '--out', out, ...flags],
    {
      env: { ...process.env, [THREADS_ENV]: '2' },
      reject: false,
      stripFinalNewline: false,
      // Far beyond a run's time: a process kept alive by a worker shows as a signal, not as a hung test.
      timeout: 120_000,
    },
  );
  return { status: r.exitCode ?? null, signal: r.signal ?? null, stdout: String(r.stdout), stderr: String(r.stderr) };
}

test('generate on threads as a process: writes, --check passes, and a user error found after the workers started ends the process with it, nothing written', async () => {
  const cfg = baseConfig();
  cfg.services.push({ ...cfg.services[0], name: 'cart' });
  const dir = writeTree({ 'slos/index.ts': configSource(cfg), 'bad/index.ts': '' });
  const slos = path.join(dir, 'slos');
  const out = path.join(dir, 'generated');
  try {
    const written = await generateOnThreads(slos, out);
    assert.equal(written.status, 0, written.stderr);
    assert.match(written.stdout, /wrote \d+ files .*: 2 service\(s\)/);
    assert.ok(existsSync(path.join(out, 'prometheus/rules/cart.yml')) && existsSync(path.join(out, 'prometheus/rules/checkout.yml')));
    const checked = await generateOnThreads(slos, out, '--check');
    assert.equal(checked.status, 0, checked.stderr);
    assert.match(checked.stdout, /is up to date/);

    // Both services import, so the worker starts; validation then refuses the second.
    cfg.services[1].slos[0].objective = 150;
    writeFileSync(path.join(dir, 'bad/index.ts'), configSource(cfg));
    const badOut = path.join(dir, 'bad-out');
    const failed = await generateOnThreads(path.join(dir, 'bad'), badOut);
    assert.equal(failed.signal, null, 'the process did not end by itself');
    assert.equal(failed.status, 1, failed.stderr);
    assert.match(failed.stderr, /^error: .*objective/m);
    assert.equal(failed.stdout, '');
    assert.ok(!existsSync(badOut), 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
