// Where `promtool test rules` spends its time on one service of bench/shape.ts: each generated
// test group runs alone (same rules), then again with one thing changed, so the difference
// prices that thing: alert annotations, the rule groups a scenario does not exercise, the
// recordings no alert reads (the 30d window among them), the evaluation interval, the input
// sample interval. Test files are never changed in generated/; the variants live in a temp dir.
// Run: npx tsx bench/promtool-profile.ts [--repeat 3] [--only days|minutes] [--variants 'evaluation 1h,...'] [--skip-shared]
// (--variants picks variants by name; "as generated" always runs. --skip-shared skips the merged groups and whole files.)
// Needs promtool and GNU time (/usr/bin/time, Debian package `time`) for CPU seconds.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { parse } from 'yaml';
import { validateConfig } from '../src/config/validate.js';
import { compile } from '../src/compile.js';
import { writeArtifacts } from '../src/output/write.js';
import { renderYaml } from '../src/output/render.js';
import { parseDuration } from '../src/config/duration.js';
import { RULES_DIR } from '../src/prometheus/target.js';
import { TESTS_DIR } from '../src/promtool/target.js';
import type { TestFile, TestGroup } from '../src/promtool/file.js';
import { promtoolVersion } from '../src/promtool/run.js';
import { shapeConfig } from './shape.js';
import { countingPromtool } from './cpu-time.js';

const { values: args } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    only: { type: 'string' },
    variants: { type: 'string' },
    'skip-shared': { type: 'boolean', default: false },
  },
});
const REPEAT = Number(args.repeat);

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  annotations?: Record<string, string>;
  [k: string]: unknown;
}
interface RulesDoc {
  groups: Array<{ name: string; rules: Rule[] }>;
}

// ------------------------------------------------------------ promtool's series notation

/** Expands promtool's values notation ("0 1+1x3 _x2 stale") to one entry per sample, null for a gap. */
function expand(values: string): Array<number | null | 'stale'> {
  const out: Array<number | null | 'stale'> = [];
  const num = '-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?';
  for (const item of values.trim().split(/\s+/)) {
    if (item === 'stale') {
      out.push('stale');
      continue;
    }
    const gap = /^_(?:x(\d+))?$/.exec(item);
    if (gap) {
      for (let i = 0; i < Number(gap[1] ?? 1); i++) out.push(null);
      continue;
    }
    const m = new RegExp(`^(${num})(?:([+-])(${num})x(\\d+))?$`).exec(item);
    if (!m) throw new Error(`cannot read series values item ${item}`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[3]) * (m[2] === '-' ? -1 : 1) : 0;
    const n = m[4] ? Number(m[4]) : 0;
    for (let i = 0; i <= n; i++) out.push(a + b * i);
  }
  return out;
}

const round = (x: number) => Number(x.toPrecision(12));

/** The notation again, runs of equal steps folded into a+bxn. */
function compress(samples: ReadonlyArray<number | null | 'stale'>): string {
  const parts: string[] = [];
  let i = 0;
  while (i < samples.length) {
    const v = samples[i]!;
    if (v === 'stale') {
      parts.push('stale');
      i++;
      continue;
    }
    if (v === null) {
      let j = i;
      while (j < samples.length && samples[j] === null) j++;
      parts.push(j - i === 1 ? '_' : `_x${j - i}`);
      i = j;
      continue;
    }
    let j = i + 1;
    const next = samples[j];
    if (typeof next !== 'number') {
      parts.push(String(round(v)));
      i++;
      continue;
    }
    const step = round(next - v);
    while (
      j + 1 < samples.length &&
      typeof samples[j + 1] === 'number' &&
      Math.abs((samples[j + 1] as number) - (samples[j] as number) - step) < 1e-9 * Math.max(1, Math.abs(step))
    )
      j++;
    parts.push(`${round(v)}${step < 0 ? '-' : '+'}${Math.abs(step)}x${j - i}`);
    i = j + 1;
  }
  return parts.join(' ');
}

// ------------------------------------------------------------ variants

interface Case {
  file: TestFile;
  rules: RulesDoc;
}

interface Variant {
  name: string;
  applies: (g: GroupInfo) => boolean;
  change: (c: Case, g: GroupInfo) => Case;
}

interface GroupInfo {
  file: string;
  days: boolean;
  group: TestGroup;
  evaluation: string;
  /** The rule groups the scenario is about (the SLO's, the thresholds', or the no-data group). */
  own: string[];
}

const clone = <T>(x: T): T => structuredClone(x);
const reads = (expr: string, name: string) => new RegExp(`(?<![\\w:])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w:])`).test(expr);

/** Removes `drop` rules and, until nothing changes, every rule that reads a series they recorded. */
function withoutRules(rules: RulesDoc, drop: (r: Rule) => boolean): RulesDoc {
  const out = clone(rules);
  const gone = new Set<string>();
  let removed = true;
  while (removed) {
    removed = false;
    for (const g of out.groups) {
      g.rules = g.rules.filter((r) => {
        const remove = drop(r) || [...gone].some((name) => reads(r.expr, name));
        if (remove) {
          removed = true;
          if (r.record) gone.add(r.record);
        }
        return !remove;
      });
    }
  }
  out.groups = out.groups.filter((g) => g.rules.length > 0);
  return out;
}

/** Rules no alert reads, directly or through other recordings. */
function alertInputsOnly(rules: RulesDoc): RulesDoc {
  const all = rules.groups.flatMap((g) => g.rules);
  const needed = new Set<Rule>(all.filter((r) => r.alert));
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of all) {
      if (needed.has(r) || !r.record) continue;
      if ([...needed].some((n) => reads(n.expr, r.record!))) {
        needed.add(r);
        grew = true;
      }
    }
  }
  const out = clone(rules);
  for (const g of out.groups) g.rules = g.rules.filter((_, i) => needed.has(rules.groups.find((x) => x.name === g.name)!.rules[i]!));
  out.groups = out.groups.filter((g) => g.rules.length > 0);
  return out;
}

function withEvaluation(c: Case, every: string): Case {
  return { ...c, file: { ...c.file, evaluation_interval: every } };
}

function withSampleInterval(c: Case, g: GroupInfo, every: string): Case {
  const from = parseDuration(g.group.interval)!;
  const to = parseDuration(every)!;
  const k = to / from;
  const file = clone(c.file);
  for (const t of file.tests) {
    t.interval = every;
    t.input_series = t.input_series.map((s) => ({ ...s, values: compress(expand(s.values).filter((_, i) => i % k === 0)) }));
  }
  return { ...c, file };
}

const VARIANTS: Variant[] = [
  { name: 'as generated', applies: () => true, change: (c) => c },
  {
    name: 'no annotations',
    applies: () => true,
    change: (c) => {
      const rules = clone(c.rules);
      for (const g of rules.groups) for (const r of g.rules) delete r.annotations;
      const file = clone(c.file);
      for (const t of file.tests) for (const a of t.alert_rule_test ?? []) for (const e of a.exp_alerts) delete e.exp_annotations;
      return { file, rules };
    },
  },
  {
    name: 'own rule group only',
    applies: (g) => g.own.length > 0,
    change: (c, g) => ({ ...c, rules: { groups: c.rules.groups.filter((x) => g.own.includes(x.name)) } }),
  },
  {
    name: 'no 30d recordings',
    applies: (g) => g.days,
    change: (c) => ({ ...c, rules: withoutRules(c.rules, (r) => /\[30d\]/.test(r.expr)) }),
  },
  { name: 'alert inputs only', applies: () => true, change: (c) => ({ ...c, rules: alertInputsOnly(c.rules) }) },
  { name: 'evaluation 1m', applies: (g) => g.evaluation !== '1m', change: (c) => withEvaluation(c, '1m') },
  { name: 'evaluation 15m', applies: (g) => g.days, change: (c) => withEvaluation(c, '15m') },
  { name: 'evaluation 30m', applies: (g) => g.days, change: (c) => withEvaluation(c, '30m') },
  // promtool checks an alert_rule_test at the last step at or before its eval_time.
  { name: 'evaluation 1h', applies: (g) => g.days, change: (c) => withEvaluation(c, '1h') },
  { name: 'evaluation 2m', applies: (g) => !g.days, change: (c) => withEvaluation(c, '2m') },
  { name: 'samples every 5m', applies: (g) => g.group.interval === '1m', change: (c, g) => withSampleInterval(c, g, '5m') },
  {
    name: 'all of: 5m samples, 30m evaluation, own group, alert inputs, no annotations',
    applies: (g) => g.days,
    change: (c, g) => {
      let x = VARIANTS[1]!.change(c, g);
      x = { ...x, rules: alertInputsOnly({ groups: x.rules.groups.filter((r) => g.own.includes(r.name)) }) };
      return withSampleInterval(withEvaluation(x, '30m'), g, '5m');
    },
  },
];

// ------------------------------------------------------------ measuring

interface Timing {
  wall: number;
  cpu: number;
  ok: boolean;
  output: string;
}

async function timeOnce(testFile: string): Promise<Timing> {
  const start = performance.now();
  const r = await execa(promtool.bin, ['test', 'rules', testFile], { reject: false, all: true });
  const wall = (performance.now() - start) / 1000;
  return { wall, cpu: promtool.take(), ok: r.exitCode === 0, output: r.all ?? '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeCase(dir: string, c: Case, label: string): Promise<Timing> {
  const rulesFile = path.join(dir, `${label}.rules.yml`);
  const testFile = path.join(dir, `${label}.test.yml`);
  writeFileSync(rulesFile, renderYaml(c.rules));
  writeFileSync(testFile, renderYaml({ ...c.file, rule_files: [rulesFile] }));
  const runs: Timing[] = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await timeOnce(testFile));
  return {
    wall: median(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
    ok: runs.every((r) => r.ok),
    output: runs[0]!.output,
  };
}

function steps(g: TestGroup, evaluation: string): number {
  const times = [...(g.alert_rule_test ?? []), ...(g.promql_expr_test ?? [])].map((t) => parseDuration(t.eval_time)!);
  return Math.floor(Math.max(...times) / parseDuration(evaluation)!) + 1;
}

function ownGroups(testName: string, rules: RulesDoc, service: string): string[] {
  const slo = new RegExp(`^${service}/([a-z0-9-]+):`).exec(testName)?.[1];
  if (slo) return [`sloforge-${service}-${slo}`];
  if (testName.startsWith(`${service} thresholds:`)) return rules.groups.filter((g) => g.name.includes('-threshold-')).map((g) => g.name);
  if (/no-data/.test(testName)) return rules.groups.filter((g) => g.name.endsWith('-nodata')).map((g) => g.name);
  return [];
}

const root = mkdtempSync(path.join(os.tmpdir(), 'sloforge-profile-'));
const promtool = countingPromtool(root);
const out = path.join(root, 'generated');
const config = validateConfig(shapeConfig(1));
const service = config.services[0]!.name;
await writeArtifacts(out, compile(config));
const rules = parse(readFileSync(path.join(out, RULES_DIR, `${service}.yml`), 'utf8')) as RulesDoc;
const ruleCount = rules.groups.reduce((n, g) => n + g.rules.length, 0);

console.log(
  `${await promtoolVersion()}, ${os.availableParallelism()} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `one service (${service}): ${ruleCount} rules in ${rules.groups.length} groups; median of ${REPEAT} runs; cpu = promtool user+sys seconds`,
);
console.log('| test group | file | variant | evaluation | steps | input series | input samples | rules | wall s | cpu s | passes |');
console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---|');

/** One test group for several SLOs: their series side by side, their expectations joined per time and alert. */
function merge(groups: TestGroup[]): TestGroup {
  const alerts = new Map<string, NonNullable<TestGroup['alert_rule_test']>[number]>();
  for (const t of groups.flatMap((g) => g.alert_rule_test ?? [])) {
    const key = `${t.eval_time} ${t.alertname}`;
    const seen = alerts.get(key);
    if (seen) seen.exp_alerts = [...seen.exp_alerts, ...t.exp_alerts];
    else alerts.set(key, clone(t));
  }
  const merged: TestGroup = {
    name: groups.map((g) => g.name).join(' + '),
    interval: groups[0]!.interval,
    input_series: groups.flatMap((g) => g.input_series),
  };
  if (alerts.size > 0) merged.alert_rule_test = [...alerts.values()];
  const exprs = groups.flatMap((g) => g.promql_expr_test ?? []);
  if (exprs.length > 0) merged.promql_expr_test = exprs;
  return merged;
}

let n = 0;
const row = (label: string, days: boolean, variant: string, c: Case, t: Timing) => {
  const samples = c.file.tests.flatMap((x) => x.input_series).reduce((sum, x) => sum + expand(x.values).length, 0);
  const series = c.file.tests.reduce((sum, x) => sum + x.input_series.length, 0);
  const stepCount = c.file.tests.reduce((sum, x) => sum + steps(x, c.file.evaluation_interval), 0);
  const shortName = label.replace(new RegExp(`${service}/`, 'g'), '').replace(/^(.{60}).+$/, '$1...');
  console.log(
    `| ${shortName} | ${days ? 'days' : 'minutes'} | ${variant} | ${c.file.evaluation_interval} | ${stepCount} | ` +
      `${series} | ${samples} | ${c.rules.groups.reduce((k, x) => k + x.rules.length, 0)} | ${t.wall.toFixed(2)} | ${t.cpu.toFixed(2)} | ${t.ok ? 'yes' : 'no'} |`,
  );
};
// The days and steady files (evaluated every hours) count as "days" here.
const files = [`${service}.test.yml`, `${service}.days.test.yml`, `${service}.steady.test.yml`].filter((name) => {
  if (!existsSync(path.join(out, TESTS_DIR, name))) return false;
  const days = name !== `${service}.test.yml`;
  return !((args.only === 'days' && !days) || (args.only === 'minutes' && days));
});
const picked = args.variants?.split(',').map((v) => v.trim());
/** CPU seconds of each group run alone, as generated, by file and group name. */
const asGenerated = new Map<string, Timing>();
const key = (file: string, group: TestGroup) => `${file}\n${group.name}`;
for (const name of files) {
  const file = parse(readFileSync(path.join(out, TESTS_DIR, name), 'utf8')) as TestFile;
  const days = name !== `${service}.test.yml`;
  for (const group of file.tests) {
    const info: GroupInfo = { file: name, days, group, evaluation: file.evaluation_interval, own: ownGroups(group.name, rules, service) };
    for (const v of VARIANTS) {
      if (!v.applies(info) || (picked && v !== VARIANTS[0] && !picked.includes(v.name))) continue;
      const c = v.change({ file: { ...file, tests: [group] }, rules }, info);
      const t = await timeCase(root, c, `case-${n++}`);
      if (v === VARIANTS[0]) asGenerated.set(key(name, group), t);
      row(group.name, days, v.name, c, t);
    }
  }
}

// Scenarios of the same kind for several SLOs, run as one group: one pass over the steps.
if (!args['skip-shared'])
  console.log(
    '\n| scenario shared by SLOs | file | variant | evaluation | steps | input series | input samples | rules | wall s | cpu s | passes |',
  );
if (!args['skip-shared']) console.log('|---|---|---|---|---:|---:|---:|---:|---:|---:|---|');
for (const name of args['skip-shared'] ? [] : files) {
  const file = parse(readFileSync(path.join(out, TESTS_DIR, name), 'utf8')) as TestFile;
  const days = name !== `${service}.test.yml`;
  const byScenario = new Map<string, TestGroup[]>();
  for (const g of file.tests) {
    // Outage scenarios differ only in their minutes: the same kind for every SLO.
    const kind = new RegExp(`^${service}/[a-z0-9-]+: (.*)$`).exec(g.name)?.[1]?.replace(/\d+m/g, 'Nm');
    if (kind) byScenario.set(kind, [...(byScenario.get(kind) ?? []), g]);
  }
  for (const [scenario, groups] of byScenario) {
    if (groups.length < 2) continue;
    const separate = groups.map((g) => asGenerated.get(key(name, g))!);
    const c: Case = { file: { ...file, tests: [merge(groups)] }, rules };
    const label = `${groups.length} SLOs: ${scenario}`;
    row(
      label,
      days,
      `one group (separately: ${separate.reduce((a, t) => a + t.cpu, 0).toFixed(2)} cpu s)`,
      c,
      await timeCase(root, c, `case-${n++}`),
    );
    if (days)
      row(
        label,
        days,
        'one group, evaluation 30m',
        withEvaluation(c, '30m'),
        await timeCase(root, withEvaluation(c, '30m'), `case-${n++}`),
      );
  }
  // The whole file in one promtool run, against the sum of its groups run alone.
  const whole: Case = { file, rules };
  const sum = file.tests.reduce((a, g) => a + asGenerated.get(key(name, g))!.cpu, 0);
  row(
    `whole file ${name}`,
    days,
    `as generated (groups alone: ${sum.toFixed(2)} cpu s)`,
    whole,
    await timeCase(root, whole, `case-${n++}`),
  );
}
console.log(
  `variant files kept in ${root}; load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
