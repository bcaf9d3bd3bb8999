// The `sloforge` command line: each command's module is loaded when it runs (generate-cli.ts and the
// others); I/O lives in those and the CLI, and everything they call below compile() is pure.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_CODES, InternalError, isSystemError, SloforgeError } from './errors.js';

/** package.json sits one folder above this file both in src/ (a checkout) and in dist/ (the package). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

type Result = { code: number };

/**
 * The commands, in the order help lists them. Each module is loaded only when its command runs,
 * or for help and unknown commands: `generate` then starts without the receiver's, the live
 * checks' and the importers' modules (a quarter of a second of CPU at every start), and the
 * receiver without the compiler's (half a second).
 */
const COMMANDS: ReadonlyArray<{
  names: readonly string[];
  register: (program: Command, result: Result, version: string, io: Io) => Promise<void>;
}> = [
  {
    names: ['generate'],
    register: async (p, r, _v, io) => (await import('./generate-cli.js')).registerGenerateCommand(p, r, io.out, io.err),
  },
  { names: ['receiver'], register: async (p) => (await import('./receiver/cli.js')).registerReceiverCommand(p) },
  { names: ['import'], register: async (p) => (await import('./import/cli.js')).registerImportCommand(p) },
  { names: ['test'], register: async (p, r) => (await import('./promtool/cli.js')).registerTestCommand(p, r) },
  { names: ['alertmanager'], register: async (p) => (await import('./alertmanager/cli.js')).registerAlertmanagerCommand(p) },
  { names: ['init'], register: async (p, _r, v) => (await import('./init/cli.js')).registerInitCommand(p, v) },
  { names: ['check', 'status'], register: async (p, r) => (await import('./live/cli.js')).registerLiveCommands(p, r) },
];

/** `command`: the first argument, when it names a command; every command is registered otherwise. */
export async function buildProgram(
  out: (s: string) => void,
  err: (s: string) => void,
  command?: string,
): Promise<{ program: Command; result: Result }> {
  const result = { code: 0 };
  const version = packageVersion();
  const program = new Command()
    .name('sloforge')
    .description('SLOs and alerts as typed TypeScript, compiled for Prometheus, Alertmanager and Grafana')
    .version(version, '-V, --version', 'print the version of sloforge')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err });

  // `--version` needs no command: registering them all would load every module (0.8 CPU s on Node 26).
  if (command === '-V' || command === '--version') return { program, result };
  const known = COMMANDS.some((c) => c.names.includes(command ?? ''));
  for (const c of COMMANDS) if (!known || c.names.includes(command!)) await c.register(program, result, version, { out, err });
  return { program, result };
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs the CLI with the given argv (node, script, ...args) and returns the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { program, result } = await buildProgram(io.out, io.err, argv[2]);
  try {
    await program.parseAsync(argv);
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_CODES.environment;
    // A bug shows its stack, for the report; the user's and the environment's errors are one message.
    if (e instanceof InternalError) {
      io.err(`error: ${e.stack ?? e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof SloforgeError) {
      io.err(`error: ${e.message}\n`);
      return e.exitCode;
    }
    if (isSystemError(e)) {
      io.err(`error: ${e.message}\n`);
      return EXIT_CODES.environment;
    }
    io.err(`error: sloforge bug: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_CODES.bug;
  }
}

export function main(argv: string[]): Promise<number> {
  return run(argv, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
}
