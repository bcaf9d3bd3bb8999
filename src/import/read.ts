// Reads the YAML documents of one spec file, or of every *.yaml / *.yml below a folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { nothingWritten } from '../config/errors.js';
import { UserError } from '../errors.js';
import { displayPath } from '../config/display-path.js';
import { SPEC_TITLES, type SpecKind } from './model.js';

/** Which importer a document is for, whatever command it was given to; undefined for anything else. */
export function specKindOf(value: unknown): SpecKind | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (v.version === 'prometheus/v1') return 'sloth';
  if (typeof v.apiVersion === 'string' && v.apiVersion.startsWith('sloth.slok.dev/')) return 'sloth';
  if (typeof v.apiVersion === 'string' && v.apiVersion.startsWith('openslo/')) return 'openslo';
  if (typeof v.apiVersion === 'string' && v.apiVersion.startsWith('pyrra.dev/')) return 'pyrra';
  return undefined;
}

/** What to say about a document meant for another importer. */
export function otherCommand(kind: SpecKind): string {
  return `is ${SPEC_TITLES[kind].document}: import it with \`sloforge import ${kind}\``;
}

/**
 * The objects of a Kubernetes list (`kind: List`, `ServiceLevelObjectiveList`, what `kubectl get
 * -o yaml` writes), or undefined for anything else.
 */
function listItems(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.apiVersion === 'string' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)
    ? v.items
    : undefined;
}

export interface SpecDoc {
  /** Shown in messages: the file, and the document number when the file holds several. */
  label: string;
  file: string;
  value: unknown;
}

async function specFiles(input: string): Promise<string[]> {
  let stat;
  try {
    stat = await fs.stat(input);
  } catch {
    throw new UserError(`${input}: no such file or folder`);
  }
  if (!stat.isDirectory()) return [input];
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(p);
      else if (e.isFile() && /\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  await walk(input);
  // Sorted so the output does not depend on the file system's listing order.
  out.sort();
  if (out.length === 0) throw new UserError(`${input}: no .yaml or .yml files in this folder`);
  return out;
}

export async function readSpecDocs(input: string): Promise<SpecDoc[]> {
  const docs: SpecDoc[] = [];
  const problems: string[] = [];
  for (const file of await specFiles(input)) {
    const shown = displayPath(file);
    const parsed = parseAllDocuments(await fs.readFile(file, 'utf8'));
    const all = Array.isArray(parsed) ? parsed : [parsed];
    // Empty documents (a leading or trailing ---) are common in Kubernetes manifests.
    const nonEmpty = all.filter((d) => d.errors.length > 0 || (d.contents !== null && d.toJS() !== null));
    nonEmpty.forEach((doc, i) => {
      const label = nonEmpty.length > 1 ? `${shown} (document ${i + 1})` : shown;
      if (doc.errors.length > 0) {
        const e = doc.errors[0]!;
        const line = e.linePos?.[0];
        problems.push(`${shown}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`);
        return;
      }
      const value: unknown = doc.toJS();
      // OpenSLO's go-sdk and oslo write several objects as one top-level YAML list; Kubernetes, a List object.
      const items = Array.isArray(value) ? value : listItems(value);
      if (items) items.forEach((item, j) => docs.push({ label: `${label} (item ${j + 1})`, file: shown, value: item }));
      else docs.push({ label, file: shown, value });
    });
  }
  if (problems.length > 0) throw new UserError(`${problems.join('\n')}\n${nothingWritten(problems.length)}`);
  return docs;
}
