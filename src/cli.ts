// The `sloforge` command line. I/O lives here; everything it calls below compile() is pure.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { loadConfig } from './config/load.js';
import { EXIT_CODES, InternalError, isSystemError, SloforgeError } from './errors.js';
import { resolveModel } from './model/resolve.js';
import { summarize } from './compile.js';
import { generateNotices } from './generate-notices.js';
import { CompileThreads, compileThreads } from './compile-workers.js';
import { checkResult, openStaging, type SinkSpec } from './output/write.js';

interface GenerateOptions {
  slos: string;
  out: string;
  check?: boolean;
  strict?: boolean;
}

async function generate(opts: GenerateOptions, log: (s: string) => void, warn: (s: string) => void): Promise<number> {
  const threads = new CompileThreads();
  try {
    return await generateOn(threads, opts, log, warn);
  } finally {
    await threads.stop();
  }
}

/** The number of services of a config not yet validated (0 when it has no list of them). */
function serviceCount(raw: unknown): number {
  const services = (raw as { services?: unknown } | null)?.services;
  return Array.isArray(services) ? services.length : 0;
}

async function generateOn(
  threads: CompileThreads,
  opts: GenerateOptions,
  log: (s: string) => void,
  warn: (s: string) => void,
): Promise<number> {
  // Loading validates: every user error surfaces there, named by file, object and field. The
  // workers a big config needs load sloforge meanwhile.
  const loaded = await loadConfig(opts.slos, (raw) => threads.start(serviceCount(raw)));
  const model = resolveModel(loaded.config);
  // Where to write is settled before the notices, so that workers write their shares as soon as
  // their rule groups are built, while this thread builds its own share's and the notices.
  const staging = opts.check ? undefined : await openStaging(opts.out);
  const spec: SinkSpec = staging ? { kind: 'write', dir: staging.dir } : { kind: 'compare', dir: opts.out };
  let done = false;
  try {
    threads.share(model, compileThreads(model.services.length), spec);
    const rules = threads.rules(model);
    const { warnings, notes } = generateNotices(loaded, model, rules);
    if (warnings.length > 0) warn(warnings.join('\n'));
    for (const note of notes) warn(note);
    if (opts.strict && warnings.length > 0) {
      warn(`${warnings.length} warning(s) and --strict: nothing was written`);
      return 1;
    }
    const reports = await threads.compile(model, rules, spec);
    if (!staging) {
      const r = await checkResult(opts.out, reports);
      const problems = [
        ...r.stale.map((p) => `  stale:   ${opts.out}/${p}`),
        ...r.missing.map((p) => `  missing: ${opts.out}/${p}`),
        ...r.extra.map((p) => `  extra:   ${opts.out}/${p} (not generated any more)`),
      ];
      if (problems.length > 0) {
        warn(
          `${opts.out} is out of date with ${loaded.file}:\n${problems.join('\n')}\nrun \`npx sloforge generate\` and commit the result`,
        );
        return 1;
      }
      log(`${opts.out} is up to date (${r.files} files)`);
      return 0;
    }
    await staging.commit();
    done = true;
    const n = summarize(model, rules, threads.ruleCounts);
    log(
      `wrote ${reports.reduce((k, r) => k + r.paths.length, 0)} files to ${opts.out}: ${n.services} service(s), ${n.slos} SLO(s), ` +
        `${n.thresholds} threshold(s), ${n.alerts} alerting rule(s), ${n.recordings} recording rule(s)` +
        `${warnings.length > 0 ? `; ${warnings.length} warning(s) above` : ''}`,
    );
    return 0;
  } finally {
    if (staging && !done) {
      // A worker still writing into the staging folder would make parts of it again after it is removed.
      await threads.stop();
      await staging.abort();
    }
  }
}

/** package.json sits one folder above this file both in src/ (a checkout) and in dist/ (the package). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

type Result = { code: number };

/**
 * The other commands, in the order help lists them. Each module is loaded only when its command
 * runs, or for help and unknown commands: `generate` then starts without the receiver's, the live
 * checks' and the importers' modules (a quarter of a second of CPU at every start).
 */
const COMMANDS: ReadonlyArray<{
  names: readonly string[];
  register: (program: Command, result: Result, version: string) => Promise<void>;
}> = [
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

  program
    .command('generate')
    .description('compile slos/index.ts into generated/ (or, with --check, verify generated/ is current)')
    .option('--slos <dir>', 'folder whose index.ts default-exports the config', 'slos')
    .option('--out <dir>', 'output folder, replaced as a whole', 'generated')
    .option('--check', 'write nothing; exit 1 and name the files when the output folder is stale')
    .option('--strict', 'treat warnings as errors: exit 1 and write nothing')
    .action(async (opts: GenerateOptions) => {
      result.code = await generate(
        opts,
        (s) => out(`${s}\n`),
        (s) => err(`${s}\n`),
      );
    });

  const known = command === 'generate' || COMMANDS.some((c) => c.names.includes(command ?? ''));
  for (const c of COMMANDS) if (!known || c.names.includes(command!)) await c.register(program, result, version);
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
