// vmalert as a target: validation refuses what vmalert 1.79 or MetricsQL cannot run, naming the
// field; what passes is written to generated/vmalert/rules/ as the plain groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { baseConfig, problemsOf } from '../helpers/config.js';
import { plainRules } from '../helpers/engines.js';

function vmalertConfig(): any {
  const cfg = baseConfig();
  cfg.prometheus = { vmalert: true };
  cfg.services[0].thresholds = [{ name: 'cpu', expr: 'max(rate(cpu_seconds_total{job="checkout"}[5m]))', warning: 0.8, for: '5m' }];
  return cfg;
}

test('the vmalert files hold the plain groups; nothing is written without prometheus.vmalert', () => {
  const artifacts = compile(validateConfig(vmalertConfig()));
  const vm = artifacts.find((a) => a.path === 'vmalert/rules/checkout.yml')!;
  assert.deepEqual(parse(vm.content), plainRules(artifacts)['checkout.yml']);
  assert.match(artifacts.find((a) => a.path === 'README.md')!.content, /vmalert\/rules\//);
  assert.deepEqual(
    compile(validateConfig(baseConfig())).filter((a) => a.path.startsWith('vmalert/')),
    [],
  );
});

test('native histograms, keepFiringFor and PromQL functions MetricsQL lacks are refused with their field', () => {
  const cfg = vmalertConfig();
  cfg.services[0].slos[1].sli.latency.native = true;
  cfg.services[0].slos.push({
    name: 'query',
    objective: 99,
    sli: { query: { errors: 'sum(rate(errors_total[$window]))', total: 'histogram_count(sum(rate(h[$window])))' } },
  });
  cfg.services[0].thresholds[0].keepFiringFor = '10m';
  cfg.services[0].thresholds.push({
    name: 'share',
    expr: 'histogram_fraction(0, 0.5, sum(rate(h[5m]))) + histogram_sum(sum(rate(h[5m])))',
    warning: 1,
  });
  cfg.services[0].thresholds.push({ name: 'trend', predict: { series: 'histogram_count(sum(rate(h[5m])))', horizon: '1h' }, warning: 1 });
  assert.deepEqual(
    problemsOf(cfg).map((p) => p.replace(/: .*?(MetricsQL|vmalert 1.79|VictoriaMetrics 1.79)/, ': ... $1')),
    [
      "services.0.slos.1.sli.latency.native: ... VictoriaMetrics 1.79 cannot store and MetricsQL cannot evaluate (no histogram_count or histogram_fraction), and vmalert is a target (prometheus.vmalert): use the classic histogram's buckets (native: false)",
      'services.0.slos.2.sli.query.total: ... MetricsQL (VictoriaMetrics 1.79) does not have, and vmalert is a target (prometheus.vmalert)',
      'services.0.thresholds.0.keepFiringFor: ... vmalert 1.79 refuses (the whole rule file fails to load), and vmalert is a target (prometheus.vmalert): drop it, or use for',
      'services.0.thresholds.1.expr: ... MetricsQL (VictoriaMetrics 1.79) does not have, and vmalert is a target (prometheus.vmalert)',
      'services.0.thresholds.2.predict.series: ... MetricsQL (VictoriaMetrics 1.79) does not have, and vmalert is a target (prometheus.vmalert)',
    ],
  );
  assert.match(problemsOf(cfg).join('\n'), /thresholds\.1\.expr: calls histogram_fraction, histogram_sum,/);
  // The same config without vmalert is valid.
  delete cfg.prometheus;
  assert.deepEqual(problemsOf(cfg), []);
});
