// Loads slos/index.ts (TypeScript, no build step) and validates it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from './display-path.js';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { validateConfig } from './validate.js';
import { ConfigError, formatProblems, nothingWritten } from './errors.js';
import { UserError } from '../errors.js';
import { formatLocation, isLibraryFile, stackLocations } from './stack.js';
import type { Config } from './schema/config.js';
import { registerSource } from './source-location.js';

export interface LoadedConfig {
  config: Config;
  /** The default export as the user wrote it, to name objects and files in later errors. */
  raw: unknown;
  /** Entry file, relative to the working directory. */
  file: string;
}

export function entryFile(slosDir: string): string {
  for (const name of ['index.ts', 'index.mts', 'index.js', 'index.mjs']) {
    const file = path.join(slosDir, name);
    if (existsSync(file)) return file;
  }
  throw new UserError(`${path.join(slosDir, 'index.ts')}: not found (the SLO folder needs an index.ts whose default export is the config)`);
}

const NAMESPACE_QUERY = /\?(?:tsx-)?namespace=[\w-]+/g;

/** A message as a user reads it: without tsx's namespace queries, paths relative to the working directory. */
function cleanMessage(message: string): string {
  const cwd = process.cwd() + path.sep;
  return message.replace(NAMESPACE_QUERY, '').split(cwd).join('');
}

/**
 * Why a slos folder could not be imported, named by the file (and line and column where the
 * error says them) it went wrong in, which is often not index.ts: a syntax error in an imported
 * file, a missing import, a throw while a file ran.
 */
export function loadFailure(err: unknown, entry: string): string {
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & { code?: unknown; requireStack?: unknown };
  // esbuild (through tsx): "Transform failed with N error(s):\n/abs/slos/x.ts:3:4: ERROR: Unexpected ...",
  // its column counted from 0.
  const syntax = [...e.message.matchAll(/^(.+?):(\d+):(\d+): ERROR: (.*)$/gm)];
  if (syntax.length > 0) {
    return syntax
      .map((m) => `${formatLocation({ file: m[1]!, line: Number(m[2]), column: Number(m[3]) + 1 })}: could not be loaded: ${m[4]}`)
      .join('\n');
  }
  const first = cleanMessage(e.message.split('\n')[0] ?? '');
  if (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND') {
    // CommonJS lists the importing files in requireStack; ESM says "imported from <file>".
    const stack = Array.isArray(e.requireStack) ? e.requireStack : [];
    const from = typeof stack[0] === 'string' ? stack[0] : /imported from (.+)$/.exec(e.message)?.[1];
    const where = from === undefined ? entry : formatLocation({ file: from.replace(NAMESPACE_QUERY, '').replace(/^file:\/\//, '') });
    return `${where}: could not be loaded: ${first.replace(/ imported from .*$/, '')}`;
  }
  // A throw while a file of the folder ran: the innermost frame in the user's own files.
  const loc = stackLocations(e.stack).find((l) => !isLibraryFile(l.file));
  return `${loc === undefined ? entry : formatLocation(loc)}: could not be loaded: ${first}`;
}

/**
 * `imported`: called with the default export as soon as it is imported, before it is validated
 * (which at thousands of services takes longer than the import), so that the caller may start
 * work that depends only on its size.
 */
export async function loadConfig(slosDir: string, imported?: (raw: unknown) => void): Promise<LoadedConfig> {
  const file = entryFile(slosDir);
  const shown = displayPath(file);
  let mod: { default?: unknown };
  try {
    // The parent without a query: loaded through tsImport itself (a checkout's bin), this module's URL
    // carries tsx's namespace, which the import would inherit, and a second load would be the cached first.
    mod = (await tsImport(pathToFileURL(path.resolve(file)).href, import.meta.url.split('?')[0]!)) as { default?: unknown };
  } catch (err) {
    throw new UserError(loadFailure(err, shown));
  }
  let raw = mod.default;
  // Outside a "type": "module" package tsx compiles the file as CommonJS, and the default
  // export sits one level deeper, next to the __esModule flag.
  if (raw && typeof raw === 'object' && (raw as { __esModule?: unknown }).__esModule) raw = (raw as { default?: unknown }).default;
  if (raw === undefined) throw new UserError(`${shown}: has no default export (export default { teams, services, ... })`);
  registerSource(raw, file);
  imported?.(raw);
  try {
    return { config: validateConfig(raw), raw, file: shown };
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(`${formatProblems(err, raw, shown)}\n${nothingWritten(err.problems.length)}`);
    throw err;
  }
}
