// The vmalert output against Debian's VictoriaMetrics 1.79: `vmalert -dryRun` loads every file,
// and a throwaway single-node VictoriaMetrics evaluates every expression in them (dryRun checks
// syntax only: an unknown function passes it). The refusals of src/config/checks/vmalert.ts are
// measured here too: what the plain files hold without them fails, and METRICSQL_MISSING is
// exactly the PromQL 2.42 functions MetricsQL does not know.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { METRICSQL_MISSING } from '../../src/config/checks/vmalert.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { freePort, until } from '../helpers/net.js';
import { tool } from '../helpers/tools.js';

/** Prometheus 2.42's functions (promql/functions.go), what a user's PromQL may call. */
const PROMQL_2_42_FUNCTIONS = [
  'abs',
  'absent',
  'absent_over_time',
  'acos',
  'acosh',
  'asin',
  'asinh',
  'atan',
  'atanh',
  'avg_over_time',
  'ceil',
  'changes',
  'clamp',
  'clamp_max',
  'clamp_min',
  'cos',
  'cosh',
  'count_over_time',
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'deg',
  'delta',
  'deriv',
  'exp',
  'floor',
  'histogram_count',
  'histogram_fraction',
  'histogram_quantile',
  'histogram_sum',
  'holt_winters',
  'hour',
  'idelta',
  'increase',
  'irate',
  'label_join',
  'label_replace',
  'last_over_time',
  'ln',
  'log10',
  'log2',
  'max_over_time',
  'min_over_time',
  'minute',
  'month',
  'pi',
  'predict_linear',
  'present_over_time',
  'quantile_over_time',
  'rad',
  'rate',
  'resets',
  'round',
  'scalar',
  'sgn',
  'sin',
  'sinh',
  'sort',
  'sort_desc',
  'sqrt',
  'stddev_over_time',
  'stdvar_over_time',
  'sum_over_time',
  'tan',
  'tanh',
  'time',
  'timestamp',
  'vector',
  'year',
];

/** The example config with what vmalert cannot run taken out: native histograms and keepFiringFor. */
async function vmalertExample(): Promise<any> {
  const mod = (await import(path.join(REPO, 'slos/index.ts'))) as { default: any };
  const cfg = structuredClone(mod.default);
  cfg.prometheus = { ...cfg.prometheus, vmalert: true };
  for (const svc of cfg.services) {
    for (const slo of svc.slos ?? []) if (slo.sli.latency?.native) slo.sli.latency.native = false;
    for (const th of svc.thresholds ?? []) delete th.keepFiringFor;
  }
  return cfg;
}

function writeOut(artifacts: ReadonlyArray<{ path: string; content: string }>, dir: string): void {
  for (const a of artifacts) {
    mkdirSync(path.dirname(path.join(dir, a.path)), { recursive: true });
    writeFileSync(path.join(dir, a.path), a.content);
  }
}

async function dryRun(files: string[]): Promise<{ ok: boolean; output: string }> {
  const bin = await tool('vmalert');
  const r = await execa(bin, ['-dryRun', ...files.map((f) => `-rule=${f}`)], { reject: false, all: true, timeout: 60_000 });
  return {
    ok: r.exitCode === 0,
    output: (r.all ?? '')
      .split('\n')
      .filter((l) => /fatal|error/.test(l))
      .join('\n'),
  };
}

/** A throwaway VictoriaMetrics on 127.0.0.1 and a query function against it. */
async function withVictoriaMetrics(
  fn: (query: (q: string) => Promise<{ status: string; error?: string }>) => Promise<void>,
): Promise<void> {
  const bin = await tool('victoria-metrics');
  const port = await freePort();
  const data = tempDir('sloforge-vm-');
  const vm: ResultPromise = execa(bin, [`-storageDataPath=${data}`, `-httpListenAddr=127.0.0.1:${port}`, '-loggerLevel=ERROR'], {
    reject: false,
    all: true,
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await until(
      'VictoriaMetrics to answer',
      async () => ((await fetch(`${base}/health`).catch(() => undefined))?.ok ? true : undefined),
      30_000,
    );
    await fn(
      async (q) =>
        (await (await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: q })}`)).json()) as { status: string; error?: string },
    );
  } finally {
    vm.kill('SIGTERM');
    await vm;
  }
}

test('vmalert -dryRun loads every vmalert file of the example, and VictoriaMetrics evaluates every expression in them', async () => {
  const artifacts = compile(validateConfig(await vmalertExample()));
  const out = tempDir();
  writeOut(artifacts, out);
  const files = artifacts.filter((a) => a.path.startsWith('vmalert/rules/')).map((a) => path.join(out, a.path));
  assert.equal(files.length, 4);
  const r = await dryRun(files);
  assert.ok(r.ok, r.output);
  const exprs = artifacts
    .filter((a) => a.path.startsWith('vmalert/rules/'))
    .flatMap((a) => parse(a.content).groups.flatMap((g: any) => g.rules.map((x: any) => x.expr as string)));
  assert.ok(exprs.length > 300);
  await withVictoriaMetrics(async (query) => {
    for (const e of exprs) {
      const answer = await query(e);
      assert.equal(answer.status, 'success', `${e}\n${answer.error}`);
    }
    // The check has teeth: a native histogram SLI's recording is refused.
    assert.match((await query('histogram_count(sum(rate(x[5m])))')).error ?? '', /unknown func "histogram_count"/);
  });
});

test('what validation refuses for vmalert is what vmalert and MetricsQL refuse', async () => {
  // The example's plain files, with keep_firing_for: vmalert 1.79 fails to load them.
  const mod = (await import(path.join(REPO, 'slos/index.ts'))) as { default: unknown };
  const plain = compile(validateConfig(mod.default));
  const out = tempDir();
  writeOut(plain, out);
  const r = await dryRun(plain.filter((a) => a.path.startsWith('prometheus/rules/')).map((a) => path.join(out, a.path)));
  assert.equal(r.ok, false);
  assert.match(r.output, /unknown fields in rule: keep_firing_for/);
  await withVictoriaMetrics(async (query) => {
    const refused: string[] = [];
    for (const f of PROMQL_2_42_FUNCTIONS) {
      const answer = await query(`${f}()`);
      if (answer.status !== 'success' && (answer.error ?? '').includes(`unknown func "${f}"`)) refused.push(f);
    }
    assert.deepEqual(refused, [...METRICSQL_MISSING].sort());
  });
});
