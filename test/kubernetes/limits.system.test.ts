// `sloforge generate` in a child process on the configs of issue 24's "done when": every run
// either writes objects within every limit (limits.ts) or exits 1 naming the field, never a
// stack trace, never a half-written folder; and the 1.36 MB dashboard of 26 SLOs and 600
// thresholds reaches the cluster as ConfigMaps under 1 MiB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeTree } from '../helpers/cli.js';
import { binIn } from '../helpers/built-cli.js';
import { configSource } from '../helpers/config.js';
import { parseManifest } from './schemas.js';
import { limitProblems } from './limits.js';
import { bigService, platformConfig } from './platform-fixture.js';

function files(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
  );
}

async function generate(cfg: unknown): Promise<{ code: number; stderr: string; out: string }> {
  const dir = writeTree({ 'slos/index.ts': configSource(cfg) });
  const r = await binIn(dir, 'generate');
  return { code: r.code, stderr: r.stderr, out: path.join(dir, 'generated') };
}

function manifestProblemsIn(out: string): { problems: string[]; kinds: Map<string, number> } {
  const kinds = new Map<string, number>();
  const problems = files(out, 'kubernetes').flatMap((p) => {
    const object = parseManifest(readFileSync(path.join(out, p), 'utf8')) as { kind: string };
    kinds.set(object.kind, (kinds.get(object.kind) ?? 0) + 1);
    return limitProblems({ path: p, content: '', object });
  });
  return { problems, kinds };
}

test('30 SLOs and 300 thresholds, and two long names sharing 40 characters: generate writes objects within every limit', async () => {
  for (const cfg of [
    platformConfig([bigService('checkout', 30, 300)]),
    platformConfig(['payments-checkout-frontend-api-eu-west', 'payments-checkout-frontend-api-eu-east'].map((n) => bigService(n, 2, 2))),
  ]) {
    const r = await generate(cfg);
    assert.equal(r.code, 0, r.stderr);
    const { problems, kinds } = manifestProblemsIn(r.out);
    assert.deepEqual(problems, []);
    assert.ok((kinds.get('PrometheusRule') ?? 0) >= 2);
    for (const f of files(r.out)) for (const part of f.split(path.sep)) assert.ok(Buffer.byteLength(part) <= 255, f);
  }
});

test('26 SLOs and 600 thresholds: the dashboard reaches the cluster in pages, each ConfigMap under 1 MiB', async () => {
  const r = await generate(platformConfig([bigService('checkout', 26, 600)]));
  assert.equal(r.code, 0, r.stderr);
  const { problems } = manifestProblemsIn(r.out);
  assert.deepEqual(problems, []);
  const pages = files(r.out, 'kubernetes/grafana-dashboards').filter((f) => path.basename(f).startsWith('checkout'));
  assert.ok(pages.length >= 2, pages.join());
});

test('a 240- or 250-character service name exits 1 naming the field, and writes nothing', async () => {
  for (const n of [240, 250]) {
    const r = await generate(platformConfig([bigService('s'.repeat(n), 1, 1)]));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`service "s{${n}}" > field "name": is ${n} characters, more than 200`));
    assert.doesNotMatch(r.stderr, /ENAMETOOLONG|    at /);
    assert.equal(existsSync(r.out), false);
  }
});
