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
import { compileInto, shares } from '../src/compile-workers.js';
import { checkResult } from '../src/output/write.js';
import { isSystemError } from '../src/errors.js';

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
