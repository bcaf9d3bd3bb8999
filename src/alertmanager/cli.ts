// `sloforge alertmanager merge --into FILE`: the file I/O around merge.ts. The result is checked
// with amtool (when it is installed) before it replaces FILE, and replaces it in one rename, so
// a running Alertmanager never reads half a file and a refused merge leaves FILE as it was.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { execa } from 'execa';
import { parse } from 'yaml';
import { nothingWritten } from '../config/errors.js';
import { UserError } from '../errors.js';
import { displayPath } from '../config/display-path.js';
import { FRAGMENT_FILE } from './target.js';
import { mergeAlertmanager, TEMPLATE_BASENAME, type Fragment } from './merge.js';

interface MergeFlags {
  into: string;
  out?: string;
  fragment: string;
  templates?: string;
  amtool: boolean;
}

async function readText(file: string, what: string, hint = ''): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `${displayPath(file)}: cannot read the ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}${hint}`,
    );
  }
}

/** Names a Go template file defines with {{ define "name" }} (or {{- define ... }}). */
export function templateNames(text: string): string[] {
  return [...text.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)].map((m) => m[1]!);
}

const GLOB_CHARS = /[*?[]/;

/**
 * Files a `templates:` entry of the existing config names, resolved as Alertmanager does
 * (relative to the config's folder). Globs in the file name only; a glob in a folder name is
 * left unchecked (it is rare, and amtool still checks the result).
 */
async function templateFiles(pattern: string, configDir: string): Promise<string[]> {
  const full = path.resolve(configDir, pattern);
  const dir = path.dirname(full);
  const base = path.basename(full);
  if (GLOB_CHARS.test(dir)) return [];
  if (!GLOB_CHARS.test(base)) return [full];
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  return entries
    .filter((e) => re.test(e))
    .sort()
    .map((e) => path.join(dir, e));
}

/** Template names the existing config's template files define, leaving out an earlier merge's sloforge.tmpl. */
async function existingTemplates(configText: string, configDir: string): Promise<Array<{ name: string; file: string }>> {
  const doc = parse(configText) as { templates?: unknown } | null;
  const entries = Array.isArray(doc?.templates) ? doc.templates.filter((t): t is string => typeof t === 'string') : [];
  const out: Array<{ name: string; file: string }> = [];
  for (const entry of entries) {
    for (const file of await templateFiles(entry, configDir)) {
      if (path.basename(file) === TEMPLATE_BASENAME) continue;
      const text = await fs.readFile(file, 'utf8').catch(() => '');
      for (const name of templateNames(text)) out.push({ name, file: displayPath(file) });
    }
  }
  return out;
}

/** Relative to the merged file's folder when the template lies below it, else absolute. */
function templatePathFor(templateFile: string, outFile: string): string {
  const rel = path.relative(path.dirname(path.resolve(outFile)), templateFile);
  return rel.startsWith('..') || path.isAbsolute(rel) ? templateFile : rel;
}

async function amtoolCheck(file: string): Promise<{ ran: boolean; ok: boolean; output: string }> {
  const r = await execa('amtool', ['check-config', file], { reject: false, all: true });
  const missing = (r as { code?: string }).code === 'ENOENT' || r.exitCode === 127;
  return { ran: !missing, ok: r.exitCode === 0, output: r.all ?? '' };
}

async function writeAtomically(file: string, text: string, check: boolean): Promise<string> {
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.sloforge-${process.pid}.tmp`);
  const mode = await fs.stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  await fs.writeFile(tmp, text, { mode });
  try {
    let note = 'not checked (--no-amtool)';
    if (check) {
      const r = await amtoolCheck(tmp);
      if (r.ran && !r.ok)
        throw new UserError(
          `${displayPath(file)}: amtool check-config refuses the merged config, so it was not written:\n${r.output.trim()}`,
        );
      note = r.ran ? 'amtool check-config passed' : `amtool is not installed: check it with amtool check-config ${displayPath(file)}`;
    }
    await fs.rename(tmp, file);
    return note;
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** amtool's own words, without its closing "failed to validate" line and blank lines. */
function amtoolReason(output: string): string {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '' && !/amtool: error: failed to validate/.test(l))
    .map((l) => `  ${l.trim()}`)
    .join('\n');
}

async function merge(flags: MergeFlags, log: (s: string) => void): Promise<void> {
  const fragmentText = await readText(flags.fragment, 'Alertmanager fragment (--fragment)', '; run `npx sloforge generate` first');
  const fragment = parse(fragmentText) as Fragment & { templates?: string[] };
  const ownTemplate = path.resolve(path.dirname(flags.fragment), fragment.templates?.[0] ?? `templates/${TEMPLATE_BASENAME}`);
  const existing = await readText(flags.into, 'Alertmanager config (--into)');
  if (flags.amtool) {
    // A file amtool refuses as it stands would fail after the merge too, and the merge would be blamed.
    const before = await amtoolCheck(flags.into);
    if (before.ran && !before.ok) {
      throw new UserError(
        `${displayPath(flags.into)}: the input is not a valid Alertmanager config: amtool check-config refuses it as it is, before anything is merged:\n` +
          `${amtoolReason(before.output)}\nfix it (or merge into a copy without the refused part), then merge again\n${nothingWritten(1)}`,
      );
    }
  }
  const out = flags.out ?? flags.into;
  const result = mergeAlertmanager({
    existing,
    file: displayPath(flags.into),
    fragment,
    templatePath: flags.templates ?? templatePathFor(ownTemplate, out),
    templates: {
      ours: templateNames(await readText(ownTemplate, 'sloforge template file', '; run `npx sloforge generate` first')),
      theirs: await existingTemplates(existing, path.dirname(path.resolve(flags.into))),
    },
  });
  const checked = await writeAtomically(out, result.text, flags.amtool);
  log(
    `${result.replaced ? 'replaced the earlier merge in' : 'merged into'} ${displayPath(out)}: sloforge's route (first under the root, its alerts only), ` +
      `${result.receivers.length} receiver(s), ${result.timeIntervals.length} time interval(s), ${fragment.inhibit_rules.length} inhibit rule(s), the template entry; ${checked}`,
  );
}

export function registerAlertmanagerCommand(program: Command): void {
  const am = program.command('alertmanager').description("work with an Alertmanager config that is not sloforge's alone");
  am.command('merge')
    .description(
      `merge ${FRAGMENT_FILE.replace('alertmanager/', 'generated/alertmanager/')} into an existing alertmanager.yml, keeping its routes and receivers`,
    )
    .requiredOption('--into <file>', 'the existing alertmanager.yml (written in place unless --out)')
    .option('--out <file>', 'write the merged config here instead of over --into')
    .option('--fragment <file>', 'the fragment `generate` wrote', path.join('generated', FRAGMENT_FILE))
    .option(
      '--templates <path>',
      "the template file's path as Alertmanager reads it (default: the generated file, relative to the merged config when below its folder)",
    )
    .option('--no-amtool', 'do not run amtool check-config on the result before writing it')
    .action(async (flags: MergeFlags) => {
      const io = program.configureOutput();
      await merge(flags, (s) => (io.writeOut ?? ((t: string) => process.stdout.write(t)))(`${s}\n`));
    });
}
