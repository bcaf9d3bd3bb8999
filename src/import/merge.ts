// `sloforge import ... --out DIR --merge`: imported services added next to the ones an existing
// slos folder has. Its files are never rewritten: each imported service gets a new file, teams it
// does not know yet go into a new file too, and index.ts gains the imports and list entries, an
// edit that is checked by loading the folder afterwards (and undone if that fails). Where
// index.ts has a shape the edit does not recognise, the lines to add are printed instead.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { nothingWritten } from '../config/errors.js';
import { UserError } from '../errors.js';
import type { Artifact } from '../output/artifact.js';
import { freeName, serviceFiles, serviceSource, teamsSource, type ServiceFile } from './emit.js';
import { editIndex } from './index-edit.js';
import type { Imported } from './model.js';

export interface MergePlan {
  /** New files, relative to the folder. */
  artifacts: Artifact[];
  entry: string;
  /** index.ts as it will be, or undefined when it cannot be edited safely. */
  index: string | undefined;
  imports: string[];
  services: string[];
  teamsIdent: string | undefined;
  /** Teams the folder has already, which imported services join. */
  joined: string[];
  created: string[];
}

const importLine = (ident: string, file: string) => `import { ${ident} } from './${file.replace(/\.ts$/, '.js')}';`;

/** What the existing folder declares, as far as clashes go. */
export interface Existing {
  entry: string;
  indexText: string;
  files: ReadonlySet<string>;
  services: readonly string[];
  teams: readonly string[];
}

/** Throws a UserError naming every imported service the folder has already. */
export function refuseClashes(imported: Imported, existing: Existing): void {
  const clashes = imported.services
    .filter((s) => existing.services.includes(s.name))
    .map(
      (s) =>
        `${existing.entry}: service "${s.name}" exists already; the import would add a second one (from ${s.sources.join(', ')}). Rename one of them, or import without it`,
    );
  if (clashes.length > 0) throw new UserError(`${clashes.join('\n')}\n${nothingWritten(clashes.length)}`);
}

/** The files and the index.ts edit for a merge. */
export function planMerge(imported: Imported, existing: Existing): MergePlan {
  refuseClashes(imported, existing);
  // Identifiers the index already uses must not be declared again by an import line.
  const idents = new Set(existing.indexText.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const files = new Set(existing.files);
  const services: ServiceFile[] = serviceFiles(imported.services, { files, idents });
  const created = imported.teams.filter((t) => !existing.teams.includes(t));
  const joined = imported.teams.filter((t) => existing.teams.includes(t));
  const artifacts: Artifact[] = services.map((f) => ({ path: f.file, content: serviceSource(f, imported.kind) }));
  const imports = services.map((f) => importLine(f.ident, f.file));
  let teamsIdent: string | undefined;
  if (created.length > 0) {
    teamsIdent = freeName(`${imported.kind}Teams`, idents);
    const file = freeName(`${imported.kind}-teams.ts`, files, (n) => `${imported.kind}-teams-${n}.ts`);
    artifacts.push({ path: file, content: teamsSource(created, imported.kind, teamsIdent) });
    imports.push(importLine(teamsIdent, file));
  }
  const index = editIndex(existing.indexText, {
    imports,
    services: services.map((f) => f.ident),
    teams: teamsIdent ? [`...${teamsIdent}`] : [],
  });
  return { artifacts, entry: existing.entry, index, imports, services: services.map((f) => f.ident), teamsIdent, joined, created };
}

export async function readExisting(dir: string): Promise<{ existing: Existing; raw: unknown }> {
  let loaded;
  try {
    loaded = await loadConfig(dir);
  } catch (err) {
    if (err instanceof UserError)
      throw new UserError(`${dir}: --merge adds to a slos folder that loads, and this one does not:\n${err.message}`);
    throw err;
  }
  return {
    raw: loaded.raw,
    existing: {
      entry: loaded.file,
      indexText: await fs.readFile(loaded.file, 'utf8'),
      files: new Set(await fs.readdir(dir)),
      services: loaded.config.services.map((s) => s.name),
      teams: loaded.config.teams.map((t) => t.name),
    },
  };
}

/** How to finish by hand when index.ts could not be edited. */
export function manualSteps(plan: MergePlan): string {
  return [
    `${plan.entry} was left as it is (its default export is not an object literal with services and teams this can extend). Add:`,
    ...plan.imports.map((l) => `  ${l}`),
    `  to services: ${plan.services.join(', ')}`,
    ...(plan.teamsIdent ? [`  to teams: ...${plan.teamsIdent}`] : []),
  ].join('\n');
}

/**
 * Writes the plan; returns whether index.ts was edited. The new files are written first, index.ts
 * last; if the folder then fails to load, or lost or gained a service other than the imported
 * ones, everything is put back.
 */
export async function applyMerge(dir: string, plan: MergePlan, expected: readonly string[]): Promise<boolean> {
  const original = await fs.readFile(plan.entry, 'utf8');
  const written: string[] = [];
  const undo = async () => {
    await fs.writeFile(plan.entry, original);
    for (const f of written) await fs.rm(f, { force: true });
  };
  try {
    for (const a of plan.artifacts) {
      const file = path.join(dir, a.path);
      await fs.writeFile(file, a.content, { flag: 'wx' });
      written.push(file);
    }
    if (plan.index === undefined) return false;
    await fs.writeFile(plan.entry, plan.index);
    const after = await loadConfig(dir).catch((err: unknown) => {
      if (err instanceof UserError) return err;
      throw err;
    });
    const names = after instanceof UserError ? undefined : after.config.services.map((s) => s.name);
    if (names === undefined || JSON.stringify(names) !== JSON.stringify(expected)) {
      await undo();
      const why =
        after instanceof UserError ? after.message : `it lists the services ${names!.join(', ')} instead of ${expected.join(', ')}`;
      throw new UserError(
        `${plan.entry}: the edit did not give the folder its services, so it was undone and nothing was written: ${why}\n${manualSteps({ ...plan, index: undefined })}`,
      );
    }
    return true;
  } catch (err) {
    if (!(err instanceof UserError)) await undo();
    throw err;
  }
}
