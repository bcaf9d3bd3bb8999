// The PrometheusRule size sloforge packs by (operatorRuleFileBytes) against the Operator's own
// measure: the Go program beside this file renders each spec with ghodss/yaml, as the Operator
// does before refusing a rule file over 524,288 bytes. Debian's golang-go and
// golang-github-ghodss-yaml-dev build it offline (scripts/ensure-tools.sh installs them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { kubernetesArtifacts } from '../../src/kubernetes/target.js';
import { OPERATOR_RULE_FILE_MAX, operatorRuleFileBytes } from '../../src/kubernetes/limits.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { modelOf } from '../helpers/config.js';
import { tool } from '../helpers/tools.js';
import { bigService, platformConfig } from './platform-fixture.js';

async function buildMeasure(): Promise<string> {
  const go = await tool('go');
  const bin = path.join(tempDir('sloforge-go-'), 'operator-size');
  // Go's build cache is keyed by content and safe to share between builds at once: kept between
  // runs, the second build links the cached packages instead of compiling them again.
  const env = { GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(os.tmpdir(), 'sloforge-gocache'), GOFLAGS: '' };
  await execa(go, ['build', '-o', bin, path.join(import.meta.dirname, 'operator-size', 'main.go')], { env });
  return bin;
}
let measure: Promise<string> | undefined;

async function operatorSizes(specs: unknown[]): Promise<number[]> {
  const bin = await (measure ??= buildMeasure());
  const r = await execa(bin, { input: `${specs.map((s) => JSON.stringify(s)).join('\n')}\n` });
  return r.stdout.trim().split('\n').map(Number);
}

test("every PrometheusRule is within the Operator's 524,288 bytes as it renders them, and sloforge's measure is never below it", async () => {
  const specs: Array<{ at: string; spec: unknown }> = [];
  for (const [slos, thresholds] of [
    [30, 300],
    [26, 600],
  ] as const) {
    for (const thanos of [true, false]) {
      for (const a of kubernetesArtifacts(modelOf(platformConfig([bigService('checkout', slos, thresholds)], thanos)))) {
        if (a.path.includes('/prometheus-rules/'))
          specs.push({ at: `${slos}/${thresholds}${thanos ? ' thanos' : ''} ${a.path}`, spec: parse(a.content).spec });
      }
    }
  }
  for (const f of ['checkout', 'workflow-platform', 'llm-pipeline']) {
    specs.push({ at: f, spec: parse(readFileSync(path.join(REPO, 'generated/kubernetes/prometheus-rules', `${f}.yaml`), 'utf8')).spec });
  }
  assert.ok(specs.length >= 12);
  const sizes = await operatorSizes(specs.map((s) => s.spec));
  // Measured once per spec: each is a YAML rendering of up to half a megabyte, most of this file's CPU.
  const measured = specs.map((s) => operatorRuleFileBytes(s.spec));
  specs.forEach((s, i) => {
    assert.ok(sizes[i]! <= OPERATOR_RULE_FILE_MAX, `${s.at}: ${sizes[i]} bytes`);
    assert.ok(measured[i]! >= sizes[i]!, `${s.at}: measured ${measured[i]}, the Operator ${sizes[i]}`);
  });
  // The measure is close, not merely an upper bound: within 2% of the Operator's.
  specs.forEach((s, i) => assert.ok(measured[i]! <= sizes[i]! * 1.02, s.at));
  // The check has teeth: one spec over the limit is seen as over.
  const [over] = await operatorSizes([{ groups: [{ name: 'g', rules: [{ record: 'a:b:c', expr: 'x'.repeat(OPERATOR_RULE_FILE_MAX) }] }] }]);
  assert.ok(over! > OPERATOR_RULE_FILE_MAX);
});
