// Runs the CLI in-process against throw-away folders.
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(['node', 'sloforge', ...args], { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const made: string[] = [];

/** Removes every folder tempDir() made, when the test process ends, whichever way it ends. */
function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Left behind: a tmpfs a failed test did not unmount, files a container made as another user.
    }
  }
}

/**
 * A new folder in the temporary folder, removed when the test process exits: every run of the
 * suite made about 280 of them and left them there. SLOFORGE_KEEP_TEMP=1 keeps them, to
 * look at what a failed test wrote.
 */
export function tempDir(prefix = 'sloforge-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  if (process.env.SLOFORGE_KEEP_TEMP !== '1') {
    if (made.length === 0) process.once('exit', removeTempDirs);
    made.push(dir);
  }
  return dir;
}

/** Writes files (path -> text) under a new temp folder and returns it. */
export function writeTree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

export { existsSync };

export const REPO = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** Makes `import ... from 'sloforge'` in `dir` resolve to this repository, as for a user who installed it. */
export function linkSloforge(dir: string): string {
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  symlinkSync(REPO, path.join(dir, 'node_modules', 'sloforge'));
  return dir;
}

/** Runs the CLI with `dir` as the working directory, as a user inside their project would. */
export async function cliIn(dir: string, ...args: string[]): Promise<CliResult> {
  const prev = process.cwd();
  process.chdir(dir);
  try {
    return await cli(...args);
  } finally {
    process.chdir(prev);
  }
}
