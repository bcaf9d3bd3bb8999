// Issue 10's end-to-end check, as a new user meets sloforge: the packed tarball (compiled
// JavaScript and .d.ts, nothing else) installed into an empty folder, `sloforge init`, `npm
// install`, `sloforge generate`, the GitHub workflow's test steps, the user's strict tsc (NodeNext and Bundler,
// skipLibCheck off), errors naming the user's file in both module types, and the Alertmanager
// fragment merged into an existing alertmanager.yml that amtool accepts and still routes. Needs
// the npm registry for the dependencies it has not cached yet (`npm ci` caches them); every step must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { PROMETHEUS_IMAGE } from '../../src/init/scaffold.js';
import { REPO, tempDir } from '../helpers/cli.js';
import { contentHash, filesUnder, pruneUnused, touch } from '../helpers/built-cli.js';
import { tool } from '../helpers/tools.js';
import { EXISTING } from '../alertmanager/helpers.js';

const version = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs a command that must succeed; its output goes into the failure message otherwise. */
async function ok(cwd: string, cmd: string, ...args: string[]): Promise<string> {
  const r = await execa(cmd, args, { cwd, reject: false, all: true, env: { CI: 'true' } });
  assert.equal(r.exitCode, 0, `${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${r.all}`);
  return r.all ?? '';
}

async function fails(cwd: string, cmd: string, ...args: string[]): Promise<string> {
  const r = await execa(cmd, args, { cwd, reject: false, all: true });
  assert.notEqual(r.exitCode, 0, `${cmd} ${args.join(' ')} should have failed:\n${r.all}`);
  return r.all ?? '';
}

/**
 * `npm pack` of this checkout: the tarball, copied into `dest`, and the files npm says it holds.
 * Packing runs `npm run build`, tsc over src/ with declarations: a quarter of this test's CPU. So
 * the tarball and npm's report are kept in the temporary folder, one per content of everything
 * packing reads (as test/helpers/built-cli.ts keeps its copy of the CLI): src/, bin/, the
 * top-level files (package.json, README, LICENSE, tsconfig*.json, the lockfile), the lock of the
 * installed packages (the compiler and the declarations the build reads), and npm's and Node's
 * versions. A change to any of them packs afresh; packs unused for a day are removed.
 */
async function pack(dest: string): Promise<{ tarball: string; files: string[] }> {
  const inputs = [
    ...readdirSync(REPO, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(REPO, e.name)),
    ...filesUnder(path.join(REPO, 'src')),
    ...filesUnder(path.join(REPO, 'bin')),
    path.join(REPO, 'node_modules/.package-lock.json'),
  ];
  const versions = `npm ${(await ok(REPO, 'npm', '--version')).trim()}, node ${process.version}`;
  const key = createHash('sha256')
    .update(`${contentHash(inputs)} ${versions}`)
    .digest('hex')
    .slice(0, 16);
  const cache = path.join(os.tmpdir(), `sloforge-packed-${key}`);
  const report = path.join(cache, 'pack.json');
  if (existsSync(report)) touch(cache);
  else {
    pruneUnused('sloforge-packed-', cache);
    // Packed beside, then renamed into place: a second process finds a whole pack or none.
    const partial = `${cache}.${process.pid}-${Date.now()}`;
    mkdirSync(partial);
    writeFileSync(path.join(partial, 'pack.json'), await ok(REPO, 'npm', 'pack', '--json', '--silent', '--pack-destination', partial));
    try {
      renameSync(partial, cache);
    } catch (e) {
      rmSync(partial, { recursive: true, force: true });
      if (!existsSync(report)) throw e;
    }
  }
  const [packed] = JSON.parse(readFileSync(report, 'utf8')) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const tarball = path.join(dest, packed!.filename);
  copyFileSync(path.join(cache, packed!.filename), tarball);
  return { tarball, files: packed!.files.map((f) => f.path) };
}

const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noPropertyAccessFromIndexSignature: true,
  skipLibCheck: false,
};

test(
  'the packed tarball: install, init, npm install, generate, promtool, strict tsc, error locations, Alertmanager merge',
  { timeout: 900_000 },
  async (t) => {
    const root = tempDir('sloforge-pack-');
    // 140 MB of installed packages: left behind, every run would add them to the temporary folder.
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const promtool = await tool('promtool');
    const amtool = await tool('amtool');

    // The tarball: compiled JavaScript and declarations, no sources, tests or fixtures.
    const { tarball, files } = await pack(root);
    for (const f of ['package.json', 'bin/sloforge.mjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli.js'])
      assert.ok(files.includes(f), `${f} is not in the tarball`);
    for (const dir of ['src/', 'test/', 'bench/', 'deploy/', 'generated/', 'slos/', 'scripts/']) {
      assert.deepEqual(
        files.filter((f) => f.startsWith(dir)),
        [],
        `${dir} is in the tarball`,
      );
    }

    // Installed into an empty folder, the way `npx` would.
    const toolDir = path.join(root, 'tool');
    mkdirSync(toolDir);
    await ok(toolDir, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball);
    const bin = path.join(toolDir, 'node_modules/.bin/sloforge');
    assert.equal((await ok(toolDir, bin, '--version')).trim(), version);

    // init, then the two commands of the README. `npm install` starts from the node_modules the
    // tool folder got: it holds the same packages (the same tarball, and the TypeScript that init's
    // package.json asks for is sloforge's own), so npm checks that init's package.json is satisfied
    // by them, fetching what is not, and writes the same lockfile as from an empty folder, without
    // unpacking 96 MB of packages a second time.
    const repo = path.join(root, 'my-slos');
    await ok(root, bin, 'init', repo, '--sloforge', tarball);
    renameSync(path.join(toolDir, 'node_modules'), path.join(repo, 'node_modules'));
    await ok(repo, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error');
    const gen = await ok(repo, 'npx', 'sloforge', 'generate');
    assert.match(gen, /wrote \d+ files to generated: 1 service\(s\), 4 SLO\(s\)/);
    // The GitHub workflow's steps after the check, as written: promtool copied out of the Prometheus
    // image (a stand-in docker hands over this machine's promtool), then init's `npm test`, which
    // is `sloforge test`.
    const workflow = parseYaml(readFileSync(path.join(repo, '.github/workflows/slos.yml'), 'utf8')) as {
      jobs: { check: { steps: Array<{ run?: string }> } };
    };
    const runs = workflow.jobs.check.steps.flatMap((step) => (step.run ? [step.run] : []));
    assert.deepEqual(runs.slice(0, 2), ['npm ci', 'npm run check']);
    const fakeBin = path.join(root, 'fake-bin');
    const runnerTemp = path.join(root, 'runner-temp');
    mkdirSync(fakeBin);
    mkdirSync(runnerTemp);
    writeFileSync(
      path.join(fakeBin, 'docker'),
      `#!/bin/sh\necho "$*" >> "${root}/docker.log"\ncase "$1" in\n  create) echo container ;;\n  cp) cp "${promtool}" "$3" ;;\n  rm) ;;\n  *) exit 1 ;;\nesac\n`,
      { mode: 0o755 },
    );
    let tested = '';
    for (const script of runs.slice(2)) {
      const r = await execa('bash', ['-euo', 'pipefail', '-c', script], {
        cwd: repo,
        reject: false,
        all: true,
        env: { RUNNER_TEMP: runnerTemp, PATH: `${fakeBin}:${process.env.PATH}`, CI: 'true' },
      });
      assert.equal(r.exitCode, 0, `${script}\n${r.all}`);
      tested += r.all ?? '';
    }
    assert.deepEqual(readFileSync(path.join(root, 'docker.log'), 'utf8').trim().split('\n'), [
      `create --name promtool ${PROMETHEUS_IMAGE}`,
      `cp promtool:/bin/promtool ${runnerTemp}/promtool`,
      'rm promtool',
    ]);
    const testFiles = Number(/^(\d+) test file\(s\): (\d+) passed, 0 failed/m.exec(tested)?.[1]);
    assert.ok(testFiles >= 2, tested);
    assert.match(tested, new RegExp(`^${testFiles} test file\\(s\\): ${testFiles} passed, 0 failed`, 'm'));
    // init's `check` script is `tsc && sloforge generate --check`: the user's strict tsc with
    // init's tsconfig (NodeNext) over a config importing sloforge, then the staleness check.
    assert.equal(
      (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['check'],
      'tsc && sloforge generate --check',
    );
    await ok(repo, 'npm', 'run', 'check', '--silent');

    // The same strict flags under Bundler resolution.
    const tsconfig = JSON.parse(readFileSync(path.join(repo, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    assert.deepEqual({ ...tsconfig.compilerOptions, ...STRICT }, tsconfig.compilerOptions, 'init writes the strict flags');
    assert.equal(tsconfig.compilerOptions.moduleResolution, 'NodeNext');
    writeFileSync(
      path.join(repo, 'tsconfig.bundler.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler' } }),
    );
    // One run for both: slos/index.ts as init wrote it checks clean, and a copy beside it with a
    // misspelt field fails on that field and nothing else (the declarations are real types). Two
    // runs, one clean and one misspelt, would check every declaration file twice (skipLibCheck is
    // off: that is most of tsc's time).
    const tsc = path.join(repo, 'node_modules/.bin/tsc');
    const index = readFileSync(path.join(repo, 'slos/index.ts'), 'utf8');
    const misspelt = path.join(repo, 'slos/misspelt.ts');
    writeFileSync(misspelt, index.replace('objective: 99.9,', 'objective: 99.9, objectve: 1,'));
    const bundler = await fails(repo, tsc, '-p', 'tsconfig.bundler.json');
    assert.equal(bundler.split('\n').filter((l) => /error TS\d+/.test(l)).length, 1, `one error, in slos/misspelt.ts:\n${bundler}`);
    assert.match(bundler, /^slos\/misspelt\.ts\(\d+,\d+\): error TS2561: .*'objectve'.*Did you mean to write 'objective'/m);
    rmSync(misspelt);

    // Errors name the user's file, ESM and CommonJS alike, every problem in one list.
    writeFileSync(
      path.join(repo, 'slos/index.ts'),
      index.replace('objective: 99.9,', 'objective: 100,').replace("team: 'web',", "team: 'nobody',"),
    );
    // The installed bin itself from here on: npx, already run above, would add its own start each time.
    const sloforge = path.join(repo, 'node_modules/.bin/sloforge');
    const esm = await fails(repo, sloforge, 'generate');
    assert.match(esm, /^error: slos\/index\.ts:\d+:\d+: service "api" > SLO "availability" > field "objective"/m);
    assert.match(esm, /^slos\/index\.ts:\d+:\d+: service "api" > field "team": unknown team "nobody"/m);
    assert.match(esm, /^2 problems; nothing was written$/m);
    const pkgFile = path.join(repo, 'package.json');
    const pkg = readFileSync(pkgFile, 'utf8');
    writeFileSync(pkgFile, pkg.replace('"type": "module"', '"type": "commonjs"'));
    const cjs = await fails(repo, sloforge, 'generate');
    assert.match(cjs, /^error: slos\/index\.ts(:\d+:\d+)?: service "api" > SLO "availability" > field "objective"/m);
    assert.doesNotMatch(cjs, /translators|namespace=/);
    writeFileSync(pkgFile, pkg);
    writeFileSync(path.join(repo, 'slos/index.ts'), index);

    // The Alertmanager fragment merged into an existing config: amtool accepts it, and routes.
    const amDir = path.join(root, 'alertmanager');
    mkdirSync(amDir);
    const amFile = path.join(amDir, 'alertmanager.yml');
    writeFileSync(amFile, EXISTING);
    assert.match(await ok(repo, sloforge, 'alertmanager', 'merge', '--into', amFile), /amtool check-config passed/);
    assert.match(await ok(repo, amtool, 'check-config', amFile), /SUCCESS/);
    // stdout only: amtool warns on stderr that --config.file overrides --alertmanager.url, and the
    // two streams interleave in no fixed order.
    const route = async (...labels: string[]) => {
      const r = await execa(amtool, ['config', 'routes', 'test', `--config.file=${amFile}`, ...labels], { cwd: repo, reject: false });
      assert.equal(r.exitCode, 0, `amtool config routes test ${labels.join(' ')} failed:\n${r.stderr}`);
      return r.stdout.trim().split('\n').at(-1);
    };
    assert.equal(await route('alertname=DiskFull', 'team=db'), 'db-pager');
    assert.equal(await route('alertname=DiskFull', 'team=web', 'severity=critical'), 'ops-email');
    assert.equal(
      await route('alertname=ErrorBudgetBurnFast', 'service=api', 'slo=availability', 'team=web', 'severity=critical'),
      'web-page',
    );
    assert.equal(
      await route('alertname=ErrorBudgetBurnSlow', 'service=api', 'slo=availability', 'team=web', 'severity=warning'),
      'web-ticket',
    );
  },
);
