// `sloforge init [DIR]`: scaffolds a repository for SLOs (scaffold.ts). It never replaces a
// file: when any it would write exists, it lists them and writes nothing.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { nothingWritten } from '../config/errors.js';
import { UserError } from '../errors.js';
import { displayPath } from '../config/display-path.js';
import { packageName, scaffold } from './scaffold.js';

interface InitFlags {
  sloforge?: string;
}

/**
 * package.json's spec for sloforge. A path that exists (a tarball from `npm pack`, a checkout)
 * becomes a file: spec relative to the new repository, so the folder can move with it.
 */
function dependencySpec(given: string | undefined, version: string, dir: string): string {
  if (given === undefined) return `^${version}`;
  if (!/^[a-z+]+:/.test(given) && existsSync(given)) {
    const rel = path.relative(dir, path.resolve(given)).split(path.sep).join('/');
    return `file:${rel.startsWith('.') ? rel : `./${rel}`}`;
  }
  return given;
}

async function init(dirArg: string, flags: InitFlags, version: string, log: (s: string) => void): Promise<void> {
  const dir = path.resolve(dirArg);
  const artifacts = scaffold({ name: packageName(path.basename(dir)), sloforge: dependencySpec(flags.sloforge, version, dir) });
  const taken = artifacts
    .filter((a) => existsSync(path.join(dir, a.path)))
    .map((a) => `${displayPath(path.join(dir, a.path))}: exists already; sloforge init never replaces a file`);
  if (taken.length > 0)
    throw new UserError(`${taken.join('\n')}\n${nothingWritten(taken.length)} (choose a new folder: sloforge init DIR)`);
  for (const a of artifacts) {
    const file = path.join(dir, a.path);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // wx: a file that appeared since the check above is still not replaced.
    await fs.writeFile(file, a.content, { flag: 'wx' });
  }
  // The folder as the user would type it (absolute outside the working directory), quoted for
  // the shell when it needs to be.
  const cd = path.resolve(dir) === process.cwd() ? '' : shellWord(displayPath(dir));
  log(
    [
      `wrote ${artifacts.map((a) => a.path).join(', ')} in ${displayPath(dir)}. Next:`,
      `  ${cd === '' ? '' : `cd ${cd} && `}npm install && npx sloforge generate`,
      '  npm test          # sloforge test: the generated promtool tests (promtool 2.42 or later on PATH)',
      '  npm run check     # what CI runs: tsc, then sloforge generate --check',
      'Then edit slos/index.ts: your services, teams and receivers.',
    ].join('\n'),
  );
}

export function registerInitCommand(program: Command, version: string): void {
  program
    .command('init')
    .description(
      'scaffold a repository for SLOs: package.json, tsconfig.json, slos/index.ts, .gitignore and CI (GitHub Actions, GitLab CI)',
    )
    .argument('[dir]', 'folder to write into, created when missing', '.')
    .option(
      '--sloforge <spec>',
      `what package.json depends on for sloforge: a version range (default ^${version}), a tarball or folder path, or a git URL`,
    )
    .action(async (dir: string, flags: InitFlags) => {
      const io = program.configureOutput();
      await init(dir, flags, version, (s) => (io.writeOut ?? ((t: string) => process.stdout.write(t)))(`${s}\n`));
    });
}

function shellWord(word: string): string {
  return /^[\w./+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
