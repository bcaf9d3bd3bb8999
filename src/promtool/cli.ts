// `sloforge test [--out DIR] [--jobs N]`: the generated promtool tests, N files at a time, with the
// time each file took, so that a slow scenario shows up in CI logs instead of a slow build.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../errors.js';
import { TESTS_DIR } from './target.js';
import { defaultJobs, findTestFiles, formatResult, formatSummary, promtoolVersion, runPromtoolTests } from './run.js';

interface TestFlags {
  out: string;
  jobs?: number;
  promtool: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

async function runTests(flags: TestFlags, out: (s: string) => void): Promise<number> {
  const dir = path.join(flags.out, TESTS_DIR);
  if (!existsSync(dir)) throw new UserError(`${dir}: not found; run \`sloforge generate --out ${flags.out}\` first`);
  const files = await findTestFiles(dir);
  if (files.length === 0) throw new UserError(`${dir}: holds no test files; run \`sloforge generate --out ${flags.out}\` first`);
  const jobs = Math.min(flags.jobs ?? defaultJobs(), files.length);
  // promtool missing is an EnvironmentError (exit 2), printed by src/cli.ts.
  const version = await promtoolVersion(flags.promtool);
  out(`${version}: ${files.length} test file(s) in ${dir}, ${jobs} at a time`);
  const summary = await runPromtoolTests(files, { jobs, promtool: flags.promtool, onResult: (r) => out(formatResult(r)) });
  out(formatSummary(summary));
  return summary.results.every((r) => r.ok) ? 0 : 1;
}

export function registerTestCommand(program: Command, result: { code: number }): void {
  program
    .command('test')
    .description("run the generated promtool unit tests (promtool test rules), several files at once, and report each file's time")
    .option('--out <dir>', 'the folder `generate` wrote', 'generated')
    .option('--jobs <n>', 'promtool processes at once (default: the number of CPUs)', positiveInt)
    .option('--promtool <path>', 'the promtool binary', 'promtool')
    .action(async (flags: TestFlags) => {
      const io = program.configureOutput();
      const write = io.writeOut ?? ((t: string) => process.stdout.write(t));
      result.code = await runTests(flags, (s) => write(`${s}\n`));
    });
}
