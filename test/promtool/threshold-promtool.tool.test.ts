// Runs the generated threshold and no-data tests under promtool, and proves they have teeth:
// each deliberately broken rule file must make them fail.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '../helpers/cli.js';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { validateConfig } from '../../src/config/validate.js';
import { compile } from '../../src/compile.js';
import type { TestFile } from '../../src/promtool/file.js';
import { team } from '../helpers/teams.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

before(async () => {
  // Installs promtool when missing; a machine without it fails here rather than skipping.
  await execa('bash', [path.join(ROOT, 'scripts/ensure-tools.sh')], { stdio: 'inherit' });
});

export const fixture = {
  teams: [team('ops')],
  remediations: [{ name: 'restart', action: { http: { url: 'http://127.0.0.1:9/restart' } } }],
  services: [
    {
      name: 'api',
      team: 'ops',
      labels: { tier: '2' },
      slos: [
        {
          name: 'availability',
          objective: 99,
          sli: { ratio: { errors: 'req_total{job="api",code=~"5.."}', total: 'req_total{job="api"}' } },
          alerting: { noData: { for: '5m' } },
        },
      ],
      thresholds: [
        {
          name: 'cpu',
          expr: 'avg(rate(cpu_seconds_total{job="api"}[5m])) * 100',
          warning: 70,
          critical: 85,
          for: '5m',
          keepFiringFor: '3m',
          remediation: 'restart',
        },
        { name: 'queue', expr: 'queue_depth{job="api"}', warning: 100, critical: 500, for: '3m' },
        {
          name: 'errors',
          ratio: { numerator: 'req_total{job="api",code=~"5.."}', denominator: 'req_total{job="api"}' },
          warning: 1,
          critical: 5,
          for: '10m',
        },
        {
          name: 'hits',
          ratio: { numerator: 'cache_total{job="api",result="hit"}', denominator: 'cache_total{job="api"}' },
          direction: 'below',
          warning: 30,
          for: '10m',
        },
        { name: 'slow', ratio: { histogram: 'op_seconds{job="api"}', slowerThan: 0.5 }, warning: 5, for: '10m' },
        { name: 'p99', percentile: { histogram: 'lat_seconds{job="api"}', quantile: 0.99 }, warning: 0.3, critical: 1, for: '10m' },
        {
          name: 'disk',
          predict: { series: 'free_bytes{job="api"}', window: '30m', horizon: '2h' },
          direction: 'below',
          critical: 1000,
          for: '5m',
        },
        {
          name: 'traffic',
          anomaly: { series: 'sum(rate(req_total{job="api"}[5m]))', baseline: '1d' },
          warning: 3,
          critical: 4,
          for: '10m',
        },
      ],
    },
  ],
};

/** Only the groups this area generates: threshold scenarios and no-data checks. */
function ownGroups(file: TestFile): TestFile {
  return { ...file, tests: file.tests.filter((t) => / thresholds: |no-data alerts/.test(t.name)) };
}

interface Generated {
  dir: string;
  /** The service's rule files: its SLOs', thresholds' and no-data rules. */
  rules: string[];
  tests: string[];
}

async function writeGenerated(): Promise<Generated> {
  const dir = tempDir('sloforge-thresholds-');
  const artifacts = compile(validateConfig(fixture));
  const tests: string[] = [];
  const rules: string[] = [];
  for (const a of artifacts.filter((x) => x.path.startsWith('prometheus/'))) {
    const file = path.join(dir, a.path);
    await mkdir(path.dirname(file), { recursive: true });
    const content = a.path.includes('/tests/') ? stringify(ownGroups(parse(a.content) as TestFile)) : a.content;
    await writeFile(file, content);
    (a.path.includes('/tests/') ? tests : rules).push(file);
  }
  return { dir, rules, tests };
}

async function promtool(...args: string[]) {
  return execa('promtool', args, { reject: false, all: true });
}

const NO_DATA = 'no-data';
/** The group proving free-form recordings against their expressions. */
const RECORDED = 'recorded';

let gen: Generated;
/** Each rule file's name and text. */
let pristine: Array<[string, string]>;

before(async () => {
  gen = await writeGenerated();
  pristine = await Promise.all(gen.rules.map(async (f) => [path.basename(f), await readFile(f, 'utf8')] as [string, string]));
});

test('generated rules pass promtool check rules (keep_firing_for included)', async () => {
  const r = await promtool('check', 'rules', ...gen.rules);
  assert.equal(r.exitCode, 0, r.all);
  assert.match(pristine.map(([, text]) => text).join('\n'), /keep_firing_for: 3m/);
});

test('generated threshold and no-data tests pass', async () => {
  const r = await promtool('test', 'rules', ...gen.tests);
  assert.equal(r.exitCode, 0, r.all);
});

// Each mutation breaks one promise a generated test makes; promtool must notice every one. Each
// names what it breaks (a threshold, or no-data), and only the test groups about that run.
const MUTATIONS: Array<[string, string, (rules: string) => string]> = [
  [
    'critical level moved',
    'cpu',
    (s) =>
      s.replace(
        'threshold:value:measured{service="api",threshold="cpu"} > 85',
        'threshold:value:measured{service="api",threshold="cpu"} > 850',
      ),
  ],
  [
    'percentile level moved',
    'p99',
    (s) =>
      s.replace(
        'threshold:value:measured{service="api",threshold="p99"} > 1\n',
        'threshold:value:measured{service="api",threshold="p99"} > 10\n',
      ),
  ],
  [
    'counter ratio level moved',
    'errors',
    (s) =>
      s.replace(
        'threshold:value:measured{service="api",threshold="errors"} > 5\n',
        'threshold:value:measured{service="api",threshold="errors"} > 50\n',
      ),
  ],
  ['`for` dropped (a short spike would fire)', 'cpu', (s) => s.replace(/(threshold="cpu"\} > 85\n)\s+for: 5m\n/, '$1')],
  ['keep_firing_for dropped', 'cpu', (s) => s.replace(/\s+keep_firing_for: 3m\n/g, '\n')],
  ['direction flipped on a floor', 'hits', (s) => s.replace('threshold="hits"} < 30', 'threshold="hits"} > 30')],
  ['slow-share bucket bound wrong', 'slow', (s) => s.replace('le=~"0\\\\.5"', 'le=~"5"')],
  [
    'no-data window longer',
    NO_DATA,
    (s) => s.replace('absent_over_time(req_total{job="api"}[5m])', 'absent_over_time(req_total{job="api"}[15m])'),
  ],
  [
    'no-data `for:` dropped (a cold start would fire)',
    NO_DATA,
    (s) => s.replace(/(alert: (?:SLO|Threshold)NoData\n\s+expr: [^\n]+)\n\s+for: \S+/g, '$1'),
  ],
  // The queue's input series carries remediation="injected-by-a-series"; without the rule's own
  // remediation="" the alert would pass it on, and Alertmanager would route it to the receiver.
  [
    'remediation="" dropped, so a series label passes through',
    'queue',
    (s) => s.replace(/\s+remediation: ""(\n\s+service: api\n\s+severity: \w+\n\s+team: ops\n\s+threshold: queue\n)/g, '$1'),
  ],
  [
    'forecast horizon shortened',
    'disk',
    (s) =>
      s.replace(
        'predict_linear(threshold:value:measured{service="api",threshold="disk"}[30m], 7200)',
        'predict_linear(threshold:value:measured{service="api",threshold="disk"}[30m], 60)',
      ),
  ],
  [
    'anomaly level lowered into the noise',
    'traffic',
    (s) =>
      s.replace(
        'threshold:value:zscore{service="api",threshold="traffic"} > 3',
        'threshold:value:zscore{service="api",threshold="traffic"} > 0.5',
      ),
  ],
  // The level scenarios feed a free-form expression's recorded value; its own group feeds the inputs.
  [
    'a free-form recording lost its job matcher',
    RECORDED,
    (s) => s.replace('avg(rate(cpu_seconds_total{job="api"}[5m])) * 100', 'avg(rate(cpu_seconds_total[5m])) * 100'),
  ],
  [
    'a free-form recording reads a range four times too long',
    RECORDED,
    (s) => s.replace('avg(rate(cpu_seconds_total{job="api"}[5m])) * 100', 'avg(rate(cpu_seconds_total{job="api"}[20m])) * 100'),
  ],
  [
    'a selector recording lost its job matcher',
    RECORDED,
    (s) => s.replace(/(record: threshold:value:measured\n\s+expr: )queue_depth\{job="api"\}/, '$1queue_depth'),
  ],
  [
    'anomaly baseline readiness removed',
    'traffic',
    (s) => s.replace(/\n\s+and\n\s+count_over_time\(threshold:value:measured\{service="api",threshold="traffic"\}\[1d\]\) >= [^\n]+/, ''),
  ],
];

/** Whether a test group is about `subject`: a threshold's scenarios, or the no-data checks. */
function about(name: string, subject: string): boolean {
  if (subject === NO_DATA) return /no-data|no no-data/.test(name);
  if (subject === RECORDED) return / thresholds: the recorded value of /.test(name);
  return new RegExp(`(?:thresholds: |; )${subject}: `).test(name);
}

for (const [name, subject, mutate] of MUTATIONS) {
  test(`a broken rule fails the generated tests: ${name}`, async () => {
    const broken = pristine.map(([name, text]) => [name, mutate(text)] as const);
    assert.ok(
      broken.some(([, text], i) => text !== pristine[i]![1]),
      'the mutation must change a rule file',
    );
    const dir = tempDir('sloforge-broken-');
    await mkdir(path.join(dir, 'prometheus/rules'), { recursive: true });
    await mkdir(path.join(dir, 'prometheus/tests'), { recursive: true });
    const files = broken.map(([name]) => path.join(dir, 'prometheus/rules', name));
    for (const [i, [, text]] of broken.entries()) await writeFile(files[i]!, text);
    const tests = [];
    for (const t of gen.tests) {
      const file = parse(await readFile(t, 'utf8')) as TestFile;
      const own = { ...file, tests: file.tests.filter((g) => about(g.name, subject)) };
      if (own.tests.length === 0) continue;
      const copy = path.join(dir, 'prometheus/tests', path.basename(t));
      await writeFile(copy, stringify(own));
      tests.push(copy);
    }
    assert.ok(tests.length > 0, `no test group is about ${subject}`);
    const check = await promtool('check', 'rules', ...files);
    assert.equal(check.exitCode, 0, `the broken file must still load, so the tests are what catch it:\n${check.all}`);
    const r = await promtool('test', 'rules', ...tests);
    assert.notEqual(r.exitCode, 0, `promtool accepted a broken rule (${name})`);
  });
}
