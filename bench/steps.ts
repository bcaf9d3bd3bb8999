// Steps (evaluations of every rule) per generated test file, and promtool's CPU seconds for each:
// the cost model of bench/README.md ("Where promtool spends its time"), for one service of the
// bench shape and for the examples in slos/. Run: npx tsx bench/steps.ts [--shape-only] [--repeat 1]
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { parse } from 'yaml';
import { parseDuration } from '../src/config/duration.js';
import { validateConfig } from '../src/config/validate.js';
import { compile } from '../src/compile.js';
import { writeArtifacts } from '../src/output/write.js';
import { TESTS_DIR } from '../src/promtool/target.js';
import type { TestFile } from '../src/promtool/file.js';
import { shapeConfig } from './shape.js';
import { countingPromtool } from './cpu-time.js';

const { values: args } = parseArgs({
  options: { 'shape-only': { type: 'boolean', default: false }, repeat: { type: 'string', default: '1' }, dir: { type: 'string' } },
});
const root = mkdtempSync(path.join(os.tmpdir(), 'sloforge-steps-'));
const promtool = countingPromtool(root);

/** Steps promtool takes for a group: from 0 to its last eval_time at the file's evaluation interval. */
function steps(file: TestFile): number[] {
  const every = parseDuration(file.evaluation_interval)!;
  return file.tests.map((g) => {
    const times = [...(g.alert_rule_test ?? []), ...(g.promql_expr_test ?? [])].map((t) => parseDuration(t.eval_time)!);
    return Math.floor(Math.max(...times) / every) + 1;
  });
}

async function report(label: string, dir: string) {
  const testsDir = path.join(dir, TESTS_DIR);
  let total = 0;
  let cpu = 0;
  for (const f of readdirSync(testsDir).sort()) {
    const file = parse(readFileSync(path.join(testsDir, f), 'utf8')) as TestFile;
    const s = steps(file);
    const runs: number[] = [];
    let ok = true;
    for (let i = 0; i < Number(args.repeat); i++) {
      const r = await execa(promtool.bin, ['test', 'rules', path.join(testsDir, f)], { reject: false, all: true });
      ok &&= r.exitCode === 0;
      if (r.exitCode !== 0) console.log(r.all?.slice(0, 3000));
      runs.push(promtool.take());
    }
    const c = runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    total += s.reduce((a, b) => a + b, 0);
    cpu += c;
    console.log(
      `${label} ${f}: every ${file.evaluation_interval}, ${file.tests.length} groups, steps ${s.join('+')} = ${s.reduce((a, b) => a + b, 0)}, ${c.toFixed(2)} cpu s${ok ? '' : ' FAILED'}`,
    );
  }
  console.log(`${label}: ${total} steps, ${cpu.toFixed(2)} cpu s (load ${os.loadavg()[0]!.toFixed(1)})`);
}

const shapeDir = path.join(root, 'shape');
await writeArtifacts(shapeDir, compile(validateConfig(shapeConfig(1))));
await report('shape', shapeDir);
if (!args['shape-only']) await report('examples', args.dir ?? path.resolve('generated'));
