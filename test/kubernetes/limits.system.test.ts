// `sloforge generate` in a child process on the configs of issue 24's "done when": every run
// either writes objects within every limit (limits.ts) or exits 1 naming the field, never a
// stack trace, never a half-written folder; and the 1.36 MB dashboard of 26 SLOs and 600
// thresholds reaches the cluster as ConfigMaps under 1 MiB.
//
// Two child processes, not one per config: the services of the three configs that must generate
// (30 SLOs and 300 thresholds, two long names, 26 and 600) go in one config, and both names that
// must be refused in another, whose run must then name each. A process of its own per config
// loaded Node, the CLI and the user's files five times for the same checks; limits.test.ts
// compiles each config on its own in-process.
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

const LONG = ['payments-checkout-frontend-api-eu-west', 'payments-checkout-frontend-api-eu-east'];

let big: ReturnType<typeof generate> | undefined;
/** One run for every service that must generate, shared by the tests below. */
function generateBig(): ReturnType<typeof generate> {
  return (big ??= generate(
    platformConfig([bigService('checkout', 30, 300), ...LONG.map((n) => bigService(n, 2, 2)), bigService('paged', 26, 600)]),
  ));
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

test('30 SLOs and 300 thresholds, two long names sharing 40 characters, 26 SLOs and 600 thresholds: generate writes objects within every limit', async () => {
  const r = await generateBig();
  assert.equal(r.code, 0, r.stderr);
  const { problems, kinds } = manifestProblemsIn(r.out);
  assert.deepEqual(problems, []);
  // Each big service fills more than one PrometheusRule; each long name has one of its own.
  const rules = files(r.out, 'kubernetes/prometheus-rules').map((f) => path.basename(f));
  for (const name of ['checkout.yaml', 'checkout.2.yaml', 'paged.yaml', 'paged.2.yaml', ...LONG.map((n) => `${n}.yaml`)])
    assert.ok(rules.includes(name), `${name} not in ${rules.join()}`);
  assert.equal(kinds.get('PrometheusRule'), rules.length);
  for (const f of files(r.out)) for (const part of f.split(path.sep)) assert.ok(Buffer.byteLength(part) <= 255, f);
});

test('26 SLOs and 600 thresholds: the dashboard reaches the cluster in pages, each ConfigMap under 1 MiB', async () => {
  const r = await generateBig();
  assert.equal(r.code, 0, r.stderr);
  const pages = files(r.out, 'kubernetes/grafana-dashboards').filter((f) => path.basename(f).startsWith('paged'));
  assert.ok(pages.length >= 2, pages.join());
});

test('a 240- and a 250-character service name: exits 1 naming the field of each, and writes nothing', async () => {
  const lengths = [240, 250];
  const r = await generate(platformConfig(lengths.map((n) => bigService('s'.repeat(n), 1, 1))));
  assert.equal(r.code, 1, r.stderr);
  for (const n of lengths) assert.match(r.stderr, new RegExp(`service "s{${n}}" > field "name": is ${n} characters, more than 200`));
  assert.doesNotMatch(r.stderr, /ENAMETOOLONG|    at /);
  assert.equal(existsSync(r.out), false);
});
