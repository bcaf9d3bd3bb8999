// The `generate` command: load and validate slos/, compile on worker threads, write generated/
// atomically (or, with --check, compare). Loaded by cli.ts only when `generate` runs, so the
// other commands (the receiver above all, started often) do not load the compiler.
import type { Command } from 'commander';
import { loadConfig } from './config/load.js';
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
    const n = summarize(model, threads.ruleCounts);
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

export function registerGenerateCommand(
  program: Command,
  result: { code: number },
  out: (s: string) => void,
  err: (s: string) => void,
): void {
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
}
