// `sloforge import sloth|openslo|pyrra PATH --out DIR [--merge]`: specs in, a slos folder out (or
// services added to an existing one, merge.ts), or nothing at all when any SLO cannot be carried
// over faithfully.
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { Argument, type Command } from 'commander';
import { UserError } from '../errors.js';
import { ConfigError, formatProblems, nothingWritten, SOURCE_FILE } from '../config/errors.js';
import { validateConfig } from '../config/validate.js';
import type { Artifact } from '../output/artifact.js';
import { readSpecDocs, specKindOf, type SpecDoc } from './read.js';
import { formatWhere, Report } from './report.js';
import { importSloth } from './sloth.js';
import { importOpenSlo } from './openslo.js';
import { importPyrra } from './pyrra.js';
import { emitFolder, importedTeam } from './emit.js';
import { SPEC_KINDS, type Imported, type SpecKind } from './model.js';
import { applyMerge, manualSteps, planMerge, readExisting, refuseClashes, type Existing } from './merge.js';

const IMPORTERS: Record<SpecKind, (docs: readonly SpecDoc[], report: Report) => Imported> = {
  sloth: importSloth,
  openslo: importOpenSlo,
  pyrra: importPyrra,
};
const WANTED: Record<SpecKind, string> = {
  sloth: 'Sloth service specs',
  openslo: 'OpenSLO SLOs or Services',
  pyrra: 'Pyrra ServiceLevelObjectives',
};
const FOUND: Record<SpecKind, string> = { sloth: 'Sloth spec(s)', openslo: 'OpenSLO document(s)', pyrra: 'Pyrra ServiceLevelObjective(s)' };

export interface ImportOutcome {
  imported: Imported;
  artifacts: Artifact[];
  notes: string[];
}

/**
 * Reads and maps the specs; throws a UserError listing every problem, and writes nothing.
 * `into`: the raw config of the folder a --merge adds to, checked together with the import.
 */
export async function importSpecs(kind: SpecKind, input: string, into?: { raw: unknown; existing: Existing }): Promise<ImportOutcome> {
  const docs = await readSpecDocs(input);
  const report = new Report();
  const imported = IMPORTERS[kind](docs, report);
  report.throwIfFailed();
  if (imported.services.length === 0) {
    const theirs = SPEC_KINDS.filter((k) => k !== kind)
      .map((k) => ({ k, n: docs.filter((d) => specKindOf(d.value) === k).length }))
      .filter(({ n }) => n > 0);
    if (theirs.length > 0) {
      const found = theirs.map(({ k, n }) => `${n} ${FOUND[k]}`).join(' and ');
      throw new UserError(
        `${input}: no ${WANTED[kind]} found, but ${found}: use ${theirs.map(({ k }) => `\`sloforge import ${k} ${input}\``).join(' or ')}`,
      );
    }
    throw new UserError(`${input}: no ${WANTED[kind]} found`);
  }
  if (into) refuseClashes(imported, into.existing);
  checkCompiles(imported, into?.raw);
  return { imported, artifacts: emitFolder(imported), notes: report.notes.map((n) => formatWhere(n.where) + n.message) };
}

/**
 * The folder must load as a valid config; a mapping gap shows up here rather than at generate.
 * With `existing` (--merge), the folder as it will be: its config plus the imported services and
 * the teams it does not have yet.
 */
function checkCompiles(imported: Imported, existing?: unknown): void {
  const base = (existing ?? { teams: [], services: [] }) as { teams?: unknown; services?: unknown };
  const teams = Array.isArray(base.teams) ? base.teams : [];
  const known = new Set(teams.map((t) => (t as { name?: unknown }).name));
  const raw = {
    ...base,
    teams: [...teams, ...imported.teams.filter((t) => !known.has(t)).map(importedTeam)],
    services: [
      ...(Array.isArray(base.services) ? base.services : []),
      ...imported.services.map((s) => {
        const svc = { name: s.name, team: s.team, labels: s.labels, slos: s.slos };
        Object.defineProperty(svc, SOURCE_FILE, { value: s.sources.join(', '), enumerable: false });
        return svc;
      }),
    ],
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
    .description('convert Sloth, OpenSLO or Pyrra specs (a file or a folder of YAML files) into a slos folder')
    .addArgument(new Argument('<kind>', 'spec format').choices([...SPEC_KINDS]))
    .argument('<path>', 'spec file, or folder searched for *.yaml and *.yml')
    .requiredOption('--out <dir>', 'slos folder to write (index.ts, teams.ts, one file per service)')
    .option('--force', 'write into a non-empty --out folder, replacing files of the same name')
    .option('--merge', 'add the imported services to the existing slos folder --out, next to its own (new files, and index.ts extended)')
    .action(async (kind: SpecKind, input: string, opts: { out: string; force?: boolean; merge?: boolean }) => {
      const io = program.configureOutput();
      const err = (s: string) => (io.writeErr ?? ((t: string) => process.stderr.write(t)))(`${s}\n`);
      const out = (s: string) => (io.writeOut ?? ((t: string) => process.stdout.write(t)))(`${s}\n`);
      if (opts.merge && opts.force) throw new UserError('--merge and --force: choose one (--merge never replaces a file)');
      const into = opts.merge ? await readExisting(opts.out) : undefined;
      const result = await importSpecs(kind, input, into);
      const slos = result.imported.services.reduce((n, s) => n + s.slos.length, 0);
      const what = `${result.imported.services.length} service(s) and ${slos} SLO(s)`;
      if (into) {
        const plan = planMerge(result.imported, into.existing);
        const expected = [...into.existing.services, ...result.imported.services.map((s) => s.name)];
        const edited = await applyMerge(opts.out, plan, expected);
        for (const n of result.notes) err(`note: ${n}`);
        const teams = [
          ...(plan.joined.length > 0 ? [`joining the existing team(s) ${plan.joined.join(', ')}`] : []),
          ...(plan.created.length > 0
            ? [`with new team(s) ${plan.created.join(', ')} in ${plan.artifacts.at(-1)!.path} (add their receivers there)`]
            : []),
        ];
        out(
          `imported ${what} into ${opts.out} next to its ${into.existing.services.length} service(s)${teams.length > 0 ? `, ${teams.join(', ')}` : ''}; wrote ${plan.artifacts.map((a) => a.path).join(', ')}`,
        );
        if (edited)
          out(
            `${plan.entry}: added ${plan.imports.length} import(s) and the services${plan.teamsIdent ? ' and teams' : ''}; run: sloforge generate --slos ${opts.out}`,
          );
        else out(manualSteps(plan));
        return;
      }
      await writeFolder(opts.out, result.artifacts, opts.force === true);
      for (const n of result.notes) err(`note: ${n}`);
      out(
        `imported ${what} into ${opts.out}; add receivers to ${path.join(opts.out, 'teams.ts')}, then run: sloforge generate --slos ${opts.out}`,
      );
    });
}
