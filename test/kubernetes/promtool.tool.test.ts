// The rule groups of every generated PrometheusRule, extracted into a rule file, pass
// `promtool check rules` 2.42; so do plain rule files with interval and limit. The fields only
// Mimir and Thanos read are refused by promtool, which is why they stay out of the plain files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { baseConfig } from '../helpers/config.js';
import { promtool } from '../helpers/tools.js';
import { compileConfig, everyOption, k8sConfig, manifests, ofKind } from './fixture.js';

/** Writes the groups of a PrometheusRule as a plain rule file, as the Operator hands them to Prometheus. */
function extract(object: any, dir: string): string {
  const file = path.join(dir, `${object.metadata.name}.yml`);
  writeFileSync(file, stringify({ groups: object.spec.groups }, { lineWidth: 0 }));
  return file;
}

test('the groups of every PrometheusRule pass promtool check rules when extracted', async () => {
  const example = (await import(path.join(REPO, 'slos/index.ts'))) as { default: unknown };
  const dir = tempDir();
  const rules = [compile(validateConfig(example.default)), compileConfig(k8sConfig()), compileConfig(everyOption())].flatMap((artifacts) =>
    ofKind(manifests(artifacts), 'PrometheusRule'),
  );
  assert.ok(rules.length >= 6);
  for (const rule of rules) {
    const r = await promtool('check', 'rules', extract(rule.object, dir));
    assert.ok(r.ok, `${rule.path}\n${r.output}`);
    assert.match(r.output, /SUCCESS/);
  }
  // The check has teeth: a broken expression in an extracted PrometheusRule fails it.
  const broken = structuredClone(rules[0]!.object);
  broken.spec.groups[0].rules[0].expr = 'sum(rate(http_requests_total[5m])';
  broken.metadata.name = 'broken';
  assert.equal((await promtool('check', 'rules', extract(broken, dir))).ok, false);
});

test('plain rule files with interval and limit pass promtool; Mimir and Thanos files do not, by design', async () => {
  const cfg = baseConfig();
  cfg.services[0].ruleGroups = { interval: '30s', limit: 50, sourceTenants: ['a', 'b'], partialResponseStrategy: { alerting: 'warn' } };
  cfg.prometheus = { mimir: true, thanos: true };
  const dir = tempDir();
  const write = (p: string) => {
    const a = compile(validateConfig(cfg)).find((x) => x.path === p)!;
    const file = path.join(dir, p.replaceAll('/', '_'));
    writeFileSync(file, a.content);
    return file;
  };
  const plain = await promtool('check', 'rules', write('prometheus/rules/checkout.yml'));
  assert.ok(plain.ok, plain.output);
  const thanos = await promtool('check', 'rules', write('thanos/rules/checkout.yml'));
  assert.equal(thanos.ok, false);
  assert.match(thanos.output, /partial_response_strategy/);
  const mimir = await promtool('check', 'rules', write('mimir/rules/checkout.yml'));
  assert.equal(mimir.ok, false);
});
