// The CLI as the package ships it, for tests that run `sloforge` in a child process: src/
// transpiled to dist/ next to a copy of bin/ and package.json, so bin/sloforge.mjs takes its
// installed branch (dist/cli.js). Run from the checkout instead, every child would load sloforge's
// own sources through tsx's module hooks: 3 to 4 CPU seconds a process on Node 20, against about
// 1 for the compiled files, and these tests start dozens of processes.
//
// Each file is transpiled alone by TypeScript's own emitter (what `npm run build` writes, less
// the .d.ts files and the type check, which `tsc` does beside the tests and the packed-tarball
// test does on the real build). One copy per content of src/, bin/ and package.json, kept in the
// temporary folder and shared by every test process that needs it. Each edit of src/ makes a new
// copy, so a new copy removes the copies no test process has used for a day.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { spawn } from 'node:child_process';
import { REPO, type CliResult } from './cli.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Everything the copy is made of; a change to any of them makes a new copy. The checkout's own
 * path too: the copy's node_modules is a link to that checkout's.
 */
function contentHash(files: readonly string[]): string {
  const hash = createHash('sha256').update(`${REPO}\0`);
  for (const f of files)
    hash
      .update(`${path.relative(REPO, f)}\0`)
      .update(readFileSync(f))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

const COPY_PREFIX = 'sloforge-built-cli-';
/** A copy unused for this long belongs to sources that changed since (or to a checkout gone). */
const UNUSED_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the copies not used for UNUSED_MS: the folder's times are touched at every use, so a
 * copy some other checkout's tests still run from stays.
 */
function pruneUnusedCopies(keep: string): void {
  const now = Date.now();
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith(COPY_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    if (dir === keep) continue;
    try {
      if (now - statSync(dir).mtimeMs > UNUSED_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another test process removed it first.
    }
  }
}

function makeCopy(): string {
  const sources = filesUnder(path.join(REPO, 'src')).filter((f) => f.endsWith('.ts'));
  const bins = filesUnder(path.join(REPO, 'bin'));
  const pkg = path.join(REPO, 'package.json');
  const dir = path.join(os.tmpdir(), `${COPY_PREFIX}${contentHash([...sources, ...bins, pkg])}`);
  if (existsSync(path.join(dir, 'bin', 'sloforge.mjs'))) {
    const now = new Date();
    utimesSync(dir, now, now);
    return dir;
  }
  pruneUnusedCopies(dir);

  // Built beside, then renamed into place: a test process that comes second finds a whole copy or none.
  const partial = `${dir}.${process.pid}-${Date.now()}`;
  for (const file of sources) {
    const out = path.join(partial, 'dist', path.relative(path.join(REPO, 'src'), file).replace(/\.ts$/, '.js'));
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, esModuleInterop: true },
    });
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  cpSync(path.join(REPO, 'bin'), path.join(partial, 'bin'), { recursive: true });
  writeFileSync(path.join(partial, 'package.json'), readFileSync(pkg));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(partial, 'node_modules'));
  try {
    renameSync(partial, dir);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(path.join(dir, 'bin', 'sloforge.mjs'))) throw e;
  }
  return dir;
}

let copy: string | undefined;

/** The folder of the built package (package.json, bin/, dist/); built on first use. */
export function builtPackage(): string {
  return (copy ??= makeCopy());
}

/**
 * Makes `import ... from 'sloforge'` in `dir` resolve to the built package, as for a user who
 * installed it: the same modules the built CLI runs, so what the user's files define is what the
 * CLI reads.
 */
export function linkBuiltSloforge(dir: string): string {
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  const link = path.join(dir, 'node_modules', 'sloforge');
  rmSync(link, { force: true });
  symlinkSync(builtPackage(), link);
  return dir;
}

/**
 * Runs `sloforge` in a child process in `dir`, as a user's shell would with the package installed:
 * unlike cli(), the user's files are then loaded the way the installed package loads them (tsx's
 * tsImport only, no tsx registered for the whole process), which is what decides their stack
 * frames. A folder whose node_modules/sloforge should be the same package: linkBuiltSloforge().
 */
export function binIn(dir: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(builtPackage(), 'bin/sloforge.mjs'), ...args], { cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
