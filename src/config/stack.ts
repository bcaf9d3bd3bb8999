// Where in the user's files something happened, read from a JavaScript stack. tsx runs a user's
// .ts as ESM or as CommonJS depending on their package.json "type", and the frames differ:
//   ESM, and CommonJS on Node 22+:  at fn (/abs/slos/checkout.ts:12:7)  (source-mapped)
//   CommonJS on Node 20 (tsImport): at data:text/javascript,...?filePath=%2Fabs%2Fslos%2Fcheckout.ts...:2:778
// The second names the file only inside its URL, and its line and column are those of the
// compiled code, so only the file is kept. Node's own frames (node:internal/...) name no file.
import { fileURLToPath } from 'node:url';
import { displayPath } from './display-path.js';

export interface SourceLocation {
  /** Absolute path. */
  file: string;
  /** 1-based, where the stack knows the position in the file as written. */
  line?: number;
  column?: number;
}

/** `slos/checkout.ts:12:7`, or `slos/checkout.ts` without a known position; relative to the working directory. */
export function formatLocation(loc: SourceLocation): string {
  const shown = displayPath(loc.file);
  return loc.line === undefined ? shown : `${shown}:${loc.line}${loc.column === undefined ? '' : `:${loc.column}`}`;
}

/** tsx adds `?namespace=...` (or `?tsx-namespace=...`) to the files it loads through tsImport. */
function stripQuery(file: string): string {
  const q = file.indexOf('?');
  return q === -1 ? file : file.slice(0, q);
}

/** tsx's CommonJS module as a data: URL ends in `?filePath=<the file, URL-encoded>`; the code before it is encoded too. */
function dataUrlFile(location: string): string | undefined {
  const i = location.lastIndexOf('?filePath=');
  if (i === -1) return undefined;
  const m = /^[^&:]+/.exec(location.slice(i + '?filePath='.length));
  return m ? stripQuery(decodeURIComponent(m[0])) : undefined;
}

/** The location one line of `error.stack` points at, or undefined for frames naming no user-visible file. */
export function frameLocation(frame: string): SourceLocation | undefined {
  const at = /^\s*at (?:.*? \()?(.+?)\)?\s*$/.exec(frame);
  if (!at) return undefined;
  const where = at[1]!;
  if (where.startsWith('data:')) {
    const file = dataUrlFile(where);
    return file === undefined ? undefined : { file };
  }
  const pos = /^(.*?):(\d+):(\d+)$/.exec(where);
  const raw = pos ? pos[1]! : where;
  let file: string;
  if (raw.startsWith('file://')) file = fileURLToPath(stripQuery(raw));
  else if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw)) file = stripQuery(raw);
  else return undefined; // node:internal/..., <anonymous>, native
  return pos ? { file, line: Number(pos[2]), column: Number(pos[3]) } : { file };
}

/** The frames of a stack that point into files, innermost first. */
export function stackLocations(stack: string | undefined): SourceLocation[] {
  return (stack ?? '')
    .split('\n')
    .slice(1)
    .map(frameLocation)
    .filter((l): l is SourceLocation => l !== undefined);
}

/** Files sloforge's own code and its dependencies live in: never where a user wrote something. */
export function isLibraryFile(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}
