// mimirtool's naming convention for recorded series, `level:metric:operations`: `mimirtool rules
// check --strict` splits each recording rule's name at ":" and fails with fewer than three parts.
// Every output that carries rules is checked, for a config with every SLI and threshold kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parse } from 'yaml';
import { compile } from '../../src/compile.js';
import { validateConfig } from '../../src/config/validate.js';
import { NODATA_RECORD, RECORD, THRESHOLD_RECORD } from '../../src/conventions.js';
import { REPO } from '../helpers/cli.js';

const PART_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why a recorded name breaks the convention, or undefined when it keeps it. */
export function namingProblem(name: string): string | undefined {
  const parts = name.split(':');
  if (parts.length < 3) return `${name} has ${parts.length} part(s), not level:metric:operations`;
  if (!parts.every((p) => PART_RE.test(p))) return `${name} has an empty or invalid part`;
  return undefined;
}

/** Every `record:` of every rule file, PrometheusRule and engine file among the artifacts. */
function recordedNames(artifacts: ReadonlyArray<{ path: string; content: string }>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of artifacts) {
    if (!/\.ya?ml$/.test(a.path)) continue;
    const doc = parse(a.content) as any;
    const groups = doc?.groups ?? doc?.spec?.groups;
    if (!Array.isArray(groups)) continue;
    for (const g of groups) for (const r of g.rules ?? []) if (r.record) out.set(r.record, [...(out.get(r.record) ?? []), a.path]);
  }
  return out;
}

test('the check itself: two parts fail as mimirtool fails them, three pass', () => {
  assert.match(namingProblem('threshold:value')!, /2 part/);
  assert.match(namingProblem('job_http_requests_sum')!, /1 part/);
  assert.match(namingProblem('a::b')!, /empty/);
  assert.equal(namingProblem('slo:sli_error:ratio_rate5m'), undefined);
});

test('every recorded series of every output follows level:metric:operations', async () => {
  const mod = (await import(path.join(REPO, 'slos/index.ts'))) as { default: any };
  const cfg = structuredClone(mod.default);
  cfg.prometheus = { mimir: true, thanos: true, ruleGroups: { partialResponseStrategy: { recording: 'warn' } } };
  const artifacts = compile(validateConfig(cfg));
  const names = recordedNames(artifacts);
  const outputs = new Set([...names.values()].flat().map((p) => p.split('/')[0]));
  assert.deepEqual([...outputs].sort(), ['kubernetes', 'mimir', 'prometheus', 'thanos']);
  // Every name sloforge records, including each kind's derived series.
  for (const expected of [
    RECORD.total('5m'),
    RECORD.ratio('30d'),
    RECORD.budgetRemaining,
    THRESHOLD_RECORD.value,
    THRESHOLD_RECORD.predicted,
    THRESHOLD_RECORD.zscore,
    THRESHOLD_RECORD.mean('1d'),
    NODATA_RECORD,
  ]) {
    assert.ok(names.has(expected), `${expected} is not recorded by the example`);
  }
  for (const [name, files] of names) assert.equal(namingProblem(name), undefined, `${files[0]}: ${namingProblem(name)}`);
});
