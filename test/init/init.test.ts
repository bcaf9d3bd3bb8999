// `sloforge init`: a repository that generates as it is, covers every SLI kind, runs what CI runs,
// and never replaces a file. Installed from the packed tarball, with npm, tsc and promtool:
// test/package/pack.tool.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cli, cliIn, existsSync, linkSloforge, tempDir } from '../helpers/cli.js';
import { loadConfig } from '../../src/config/load.js';
import { sli } from '../../src/config/schema/slo.js';
import { packageName, PROMETHEUS_IMAGE, PROMTOOL_TEST } from '../../src/init/scaffold.js';
import { packageVersion } from '../../src/cli.js';

const FILES = ['.github/workflows/slos.yml', '.gitignore', '.gitlab-ci.yml', 'package.json', 'slos/index.ts', 'tsconfig.json'];

interface Pkg {
  name: string;
  type: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

test('init writes a repository that generates with no edits, with one SLO of every SLI kind', async () => {
  const dir = path.join(tempDir(), 'My SLOs');
  const r = await cli('init', dir);
  assert.equal(r.code, 0, r.stderr);
  for (const f of FILES) assert.ok(existsSync(path.join(dir, f)), f);
  assert.match(r.stdout, /npm install && npx sloforge generate/);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Pkg;
  assert.equal(pkg.name, 'my-slos');
  assert.equal(pkg.type, 'module');
  assert.deepEqual(pkg.dependencies, { sloforge: `^${packageVersion()}` });
  assert.deepEqual(Object.keys(pkg.scripts), ['generate', 'check', 'test']);
  assert.ok(pkg.devDependencies.typescript);

  linkSloforge(dir);
  const gen = await cliIn(dir, 'generate');
  assert.equal(gen.code, 0, gen.stderr);
  const check = await cliIn(dir, 'generate', '--check');
  assert.equal(check.code, 0, check.stderr);
  const prev = process.cwd();
  process.chdir(dir);
  try {
    const { config } = await loadConfig('slos');
    const kinds = new Set(config.services.flatMap((s) => (s.slos ?? []).flatMap((slo) => Object.keys(slo.sli))));
    // A kind added to the schema must get its example here too.
    assert.deepEqual([...kinds].sort(), Object.keys(sli.shape).sort());
    assert.equal(config.teams.length, 1);
    assert.equal(config.services.length, 1);
  } finally {
    process.chdir(prev);
  }
});

test('the CI files run the check, then the generated tests: GitHub with sloforge test, GitLab in the Prometheus image', async () => {
  const dir = tempDir();
  assert.equal((await cli('init', dir)).code, 0);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Pkg;
  assert.equal(pkg.scripts.test, 'sloforge test');
  assert.equal(pkg.scripts.check, 'tsc && sloforge generate --check');
  const gh = parse(readFileSync(path.join(dir, '.github/workflows/slos.yml'), 'utf8')) as {
    jobs: { check: { steps: Array<{ run?: string }> } };
  };
  const runs = gh.jobs.check.steps.flatMap((s) => (s.run ? [s.run] : []));
  assert.deepEqual(runs.slice(0, 2), ['npm ci', 'npm run check']);
  assert.deepEqual(runs[2]!.trim().split('\n'), [
    `docker create --name promtool ${PROMETHEUS_IMAGE}`,
    'docker cp promtool:/bin/promtool "$RUNNER_TEMP/promtool"',
    'docker rm promtool',
  ]);
  assert.equal(runs[3], 'npm test -- --promtool "$RUNNER_TEMP/promtool"');
  const gl = parse(readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8')) as Record<string, { script?: string[]; image?: unknown }>;
  assert.deepEqual(gl['generated-is-current']!.script, ['npm ci', 'npm run check']);
  assert.deepEqual(gl.promtool!.script, [PROMTOOL_TEST]);
});

test('the CI files carry a commented deploy gate that, uncommented, runs status --fail-when budget-exhausted', async () => {
  const dir = tempDir();
  assert.equal((await cli('init', dir)).code, 0);
  const uncomment = (text: string, from: string) => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.includes(from));
    assert.ok(start > 0, from);
    return lines.map((l, i) => (i >= start ? l.replace(/^(\s*)# /, '$1') : l)).join('\n');
  };
  const ghText = readFileSync(path.join(dir, '.github/workflows/slos.yml'), 'utf8');
  const gh = parse(uncomment(ghText, '- name: error budget left')) as {
    jobs: { check: { steps: Array<{ name?: string; run?: string }> } };
  };
  const gate = gh.jobs.check.steps.at(-1)!;
  assert.equal(gate.name, 'error budget left');
  assert.match(gate.run!, /^npx sloforge status --prometheus "\$\{\{ secrets\.PROMETHEUS_URL \}\}" --fail-when budget-exhausted /);
  // Commented out, it changes nothing.
  assert.equal((parse(ghText) as typeof gh).jobs.check.steps.length, gh.jobs.check.steps.length - 1);
  const gl = parse(uncomment(readFileSync(path.join(dir, '.gitlab-ci.yml'), 'utf8'), '# error-budget:')) as Record<
    string,
    { script?: string[] }
  >;
  assert.deepEqual(gl['error-budget']!.script, [
    'npm ci',
    'npx sloforge status --prometheus "$PROMETHEUS_URL" --fail-when budget-exhausted',
  ]);
});

test('init never replaces a file: any that exists is named and nothing is written', async () => {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'slos'));
  writeFileSync(path.join(dir, 'slos/index.ts'), 'export default {};\n');
  writeFileSync(path.join(dir, 'package.json'), '{}\n');
  const r = await cli('init', dir);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /package\.json: exists already; sloforge init never replaces a file\n.*slos\/index\.ts: exists already/);
  assert.match(r.stderr, /2 problems; nothing was written/);
  assert.equal(readFileSync(path.join(dir, 'package.json'), 'utf8'), '{}\n');
  assert.equal(existsSync(path.join(dir, 'tsconfig.json')), false);
});

test('--sloforge: a tarball path becomes a file: spec relative to the new repository; a range stays as it is', async () => {
  const root = tempDir();
  writeFileSync(path.join(root, 'sloforge-9.9.9.tgz'), '');
  const dir = path.join(root, 'repo');
  assert.equal((await cli('init', dir, '--sloforge', path.join(root, 'sloforge-9.9.9.tgz'))).code, 0);
  assert.deepEqual((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Pkg).dependencies, {
    sloforge: 'file:../sloforge-9.9.9.tgz',
  });
  const other = path.join(root, 'other');
  assert.equal((await cli('init', other, '--sloforge', '~0.1.0')).code, 0);
  assert.deepEqual((JSON.parse(readFileSync(path.join(other, 'package.json'), 'utf8')) as Pkg).dependencies, { sloforge: '~0.1.0' });
});

test('package names from folder names', () => {
  assert.equal(packageName('My SLOs'), 'my-slos');
  assert.equal(packageName('.hidden'), 'hidden');
  assert.equal(packageName('___'), 'slos');
});
