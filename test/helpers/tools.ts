// External binaries for tests. A missing tool is installed by the project's script and, if it
// is still missing, fails the test: a test that needs promtool never passes by skipping.
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO } from './cli.js';
import { RULE_FILE_PARTS, rulesFile } from '../../src/prometheus/target.js';
import type { TestFile } from '../../src/promtool/file.js';

const ready = new Map<string, Promise<string>>();

async function which(bin: string): Promise<string | undefined> {
  const r = await execa('sh', ['-c', `command -v ${bin}`], { reject: false });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export function tool(
  bin: 'promtool' | 'amtool' | 'prometheus' | 'prometheus-alertmanager' | 'vmalert' | 'victoria-metrics' | 'go',
): Promise<string> {
  let p = ready.get(bin);
  if (!p) {
    p = (async () => {
      const found = await which(bin);
      if (found) return found;
      await execa('bash', [path.join(REPO, 'scripts/ensure-tools.sh')], { stdio: 'inherit' });
      const again = await which(bin);
      if (!again) throw new Error(`${bin} is not installed and scripts/ensure-tools.sh could not install it`);
      return again;
    })();
    ready.set(bin, p);
  }
  return p;
}

export async function promtool(...args: string[]): Promise<{ ok: boolean; output: string }> {
  const bin = await tool('promtool');
  const r = await execa(bin, args, { reject: false, all: true });
  return { ok: r.exitCode === 0, output: r.all ?? '' };
}

/**
 * Copies a generated folder to `broken`, rewrites one service's rule files with `edit` (which must
 * change one of them: its SLOs', thresholds' or no-data rules) and runs promtool on one of the
 * copy's test files: the check that generated tests fail when the rules are wrong. With `groups`,
 * only the test groups whose name matches run (at least one must): promtool evaluates each group
 * on storage of its own, so a group passes or fails alone as it does beside the others, and a
 * days file's other groups cost seconds that prove nothing about this edit.
 */
export async function promtoolOnBrokenRules(
  out: string,
  broken: string,
  service: string,
  testFile: string,
  edit: (rules: string) => string,
  groups?: RegExp,
): Promise<{ ok: boolean; output: string }> {
  cpSync(out, broken, { recursive: true });
  let changed = 0;
  for (const part of RULE_FILE_PARTS) {
    const file = path.join(broken, rulesFile(service, part));
    if (!existsSync(file)) continue;
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    if (after === before) continue;
    writeFileSync(file, after);
    changed++;
  }
  assert.ok(changed > 0, 'the edit changed the rules');
  const tests = path.join(broken, 'prometheus/tests', testFile);
  if (groups) {
    const doc = parse(readFileSync(tests, 'utf8')) as TestFile;
    const kept = doc.tests.filter((g) => groups.test(g.name));
    assert.ok(kept.length > 0, `no test group of ${testFile} matches ${groups}`);
    writeFileSync(tests, stringify({ ...doc, tests: kept }, { lineWidth: 0 }));
  }
  return promtool('test', 'rules', tests);
}

/**
 * What promtool reads for a test file: its own bytes and those of every rule file it names, in
 * order, as one hash. Two test files with the same inputs are the same run.
 */
export function promtoolInputs(testFile: string): string {
  const text = readFileSync(testFile);
  const hash = createHash('sha256').update(text);
  for (const rules of (parse(text.toString('utf8')) as Partial<TestFile>).rule_files ?? [])
    hash.update('\0').update(readFileSync(path.resolve(path.dirname(testFile), rules)));
  return hash.digest('hex');
}
