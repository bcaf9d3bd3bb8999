// `sloforge import sloth|openslo PATH --out DIR`: specs in, a slos folder out, or nothing at all
// when any SLO cannot be carried over faithfully.
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { Argument, type Command } from 'commander';
import { UserError } from '../config/errors.js';
import { ConfigError, formatProblems, nothingWritten, SOURCE_FILE } from '../config/errors.js';
import { validateConfig } from '../config/validate.js';
import type { Artifact } from '../output/artifact.js';
import { readSpecDocs } from './read.js';
import { formatWhere, Report } from './report.js';
import { importSloth } from './sloth.js';
import { importOpenSlo } from './openslo.js';
import { emitFolder, importedTeam } from './emit.js';
import type { Imported } from './model.js';

export type SpecKind = 'sloth' | 'openslo';

export interface ImportOutcome {
  imported: Imported;
  artifacts: Artifact[];
  notes: string[];
}

/** Reads and maps the specs; throws a UserError listing every problem, and writes nothing. */
export async function importSpecs(kind: SpecKind, input: string): Promise<ImportOutcome> {
  const docs = await readSpecDocs(input);
  const report = new Report();
  const imported = kind === 'sloth' ? importSloth(docs, report) : importOpenSlo(docs, report);
  report.throwIfFailed();
  if (imported.services.length === 0) throw new UserError(`${input}: no ${kind === 'sloth' ? 'Sloth service specs' : 'OpenSLO SLOs or Services'} found`);
  checkCompiles(imported);
  return { imported, artifacts: emitFolder(imported), notes: report.notes.map((n) => formatWhere(n.where) + n.message) };
}

/** The folder must load as a valid config; a mapping gap shows up here rather than at generate. */
function checkCompiles(imported: Imported): void {
  const raw = {
    teams: imported.teams.map(importedTeam),
    services: imported.services.map((s) => {
      const svc = { name: s.name, team: s.team, labels: s.labels, slos: s.slos };
      Object.defineProperty(svc, SOURCE_FILE, { value: s.sources.join(', '), enumerable: false });
      return svc;
    }),
  };
  try {
    validateConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(`${formatProblems(err, raw, 'import')}\n${nothingWritten(err.problems.length)}`);
    throw err;
  }
}

async function writeFolder(out: string, artifacts: readonly Artifact[], force: boolean): Promise<void> {
  if (existsSync(out)) {
    const stat = await fs.stat(out);
    if (!stat.isDirectory()) throw new UserError(`${out}: exists and is not a folder (--out)`);
    if ((await fs.readdir(out)).length > 0 && !force) {
      throw new UserError(`${out}: folder is not empty; choose a new --out folder or pass --force to overwrite the files import writes`);
    }
  }
  await fs.mkdir(out, { recursive: true });
  for (const a of artifacts) await fs.writeFile(path.join(out, a.path), a.content);
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('convert Sloth or OpenSLO specs (a file or a folder of YAML files) into a slos folder')
    .addArgument(new Argument('<kind>', 'spec format').choices(['sloth', 'openslo']))
    .argument('<path>', 'spec file, or folder searched for *.yaml and *.yml')
    .requiredOption('--out <dir>', 'slos folder to write (index.ts, teams.ts, one file per service)')
    .option('--force', 'write into a non-empty --out folder, replacing files of the same name')
    .action(async (kind: SpecKind, input: string, opts: { out: string; force?: boolean }) => {
      const io = program.configureOutput();
      const err = (s: string) => (io.writeErr ?? ((t: string) => process.stderr.write(t)))(`${s}\n`);
      const out = (s: string) => (io.writeOut ?? ((t: string) => process.stdout.write(t)))(`${s}\n`);
      const result = await importSpecs(kind, input);
      await writeFolder(opts.out, result.artifacts, opts.force === true);
      for (const n of result.notes) err(`note: ${n}`);
      const slos = result.imported.services.reduce((n, s) => n + s.slos.length, 0);
      out(`imported ${result.imported.services.length} service(s) and ${slos} SLO(s) into ${opts.out}; add receivers to ${path.join(opts.out, 'teams.ts')}, then run: sloforge generate --slos ${opts.out}`);
    });
}
