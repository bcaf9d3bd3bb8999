// CPU time of each phase of `generate` in one process on one thread (issue 24): validation,
// model, rule groups, warnings, then every file compiled and written, for N services of the
// bench shape. For A/B comparisons of the compile itself, without the CLI's start-up or threads:
// run it alternately in two checkouts. One run per process, since the caches of a first run
// (PromQL trees, YAML scalars) would serve a second.
// Run: npx tsx bench/generate-phases.ts [--services 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { validateConfig } from '../src/config/validate.js';
import { resolveModel } from '../src/model/resolve.js';
import { ruleSet } from '../src/prometheus/target.js';
import { modelWarnings } from '../src/model/warnings.js';
import { targetWarnings } from '../src/compile.js';
import { selectorWarnings } from '../src/config/checks/selector-lint.js';
import { compileInto } from '../src/compile-workers.js';
import { shapeConfig } from './shape.js';

const { values: args } = parseArgs({ options: { services: { type: 'string', default: '1000' } } });
const services = Number(args.services);

const cpuMs = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};

console.log(
  `${services} services, one thread, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const input = shapeConfig(services);
const dir = mkdtempSync(path.join(os.tmpdir(), 'sloforge-phases-'));
try {
  const times: number[] = [];
  let t = process.cpuUsage();
  const lap = () => {
    times.push(cpuMs(t));
    t = process.cpuUsage();
  };
  const config = validateConfig(input);
  lap();
  const model = resolveModel(config);
  lap();
  const rules = ruleSet(model);
  lap();
  modelWarnings(model);
  targetWarnings(model, rules);
  selectorWarnings(config);
  lap();
  await compileInto(model, rules, 1, { kind: 'write', dir });
  lap();
  const total = times.reduce((a, b) => a + b, 0);
  console.log('| validate | resolve | ruleSet | warnings | compile and write | total |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  console.log(`| ${[...times, total].map((ms) => ms.toFixed(0)).join(' | ')} |`);
  console.log(`CPU milliseconds; peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
