// Throw-away folders for import round trips. userProject() is one where `sloforge` resolves
// through node_modules to this repository, as for a user who installed it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cli, linkSloforge, REPO, tempDir } from '../helpers/cli.js';
import { promtool, promtoolInputs } from '../helpers/tools.js';
import type { SpecKind } from '../../src/import/model.js';

export const FIXTURES = path.join(REPO, 'test/import/fixtures');

export function userProject(): string {
  return linkSloforge(tempDir('sloforge-import-'));
}

export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(path.join(dir, name), 'utf8');
  return out;
}

/**
 * Imports `spec` into a bare folder (no node_modules: the written files must run without the
 * package resolving), then generates from it; both must succeed.
 */
export async function importAndGenerate(kind: SpecKind, spec: string) {
  const dir = tempDir('sloforge-import-');
  const slos = path.join(dir, 'slos');
  const gen = path.join(dir, 'generated');
  const imported = await cli('import', kind, spec, '--out', slos);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
  const generated = await cli('generate', '--slos', slos, '--out', gen);
  if (generated.code !== 0) throw new Error(`generate failed: ${generated.stderr}`);
  return { dir, slos, gen, imported };
}

/** Inputs whose tests promtool passed in this process: an importer's specs overlap between tests. */
const passed = new Set<string>();

/**
 * promtool accepts every rule file of a generated folder and passes its test files; a test file
 * whose exact inputs already passed in this process (the same spec imported by another test) is
 * not run again. Returns the rule files' names, sorted.
 */
export async function rulesAndTestsPass(gen: string): Promise<string[]> {
  const ruleFiles = readdirSync(path.join(gen, 'prometheus/rules')).sort();
  const check = await promtool('check', 'rules', ...ruleFiles.map((f) => path.join(gen, 'prometheus/rules', f)));
  assert.ok(check.ok, check.output);
  const tests = readdirSync(path.join(gen, 'prometheus/tests'))
    .sort()
    .map((f) => path.join(gen, 'prometheus/tests', f))
    .map((file) => ({ file, key: promtoolInputs(file) }))
    .filter((t) => !passed.has(t.key));
  if (tests.length > 0) {
    const run = await promtool('test', 'rules', ...tests.map((t) => t.file));
    assert.ok(run.ok, run.output);
    for (const t of tests) passed.add(t.key);
  }
  return ruleFiles;
}
