// Loads slos/index.ts (TypeScript, no build step) and validates it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from './display-path.js';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { validateConfig } from './validate.js';
import { ConfigError, formatProblems, UserError } from './errors.js';
import type { Config } from './schema/config.js';

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

export async function loadConfig(slosDir: string): Promise<LoadedConfig> {
  const file = entryFile(slosDir);
  const shown = displayPath(file);
  let mod: { default?: unknown };
  try {
    mod = (await tsImport(pathToFileURL(path.resolve(file)).href, import.meta.url)) as { default?: unknown };
  } catch (err) {
    throw new UserError(`${shown}: could not be loaded: ${(err as Error).message}`);
  }
  let raw = mod.default;
  // Outside a "type": "module" package tsx compiles the file as CommonJS, and the default
  // export sits one level deeper, next to the __esModule flag.
  if (raw && typeof raw === 'object' && (raw as { __esModule?: unknown }).__esModule) raw = (raw as { default?: unknown }).default;
  if (raw === undefined) throw new UserError(`${shown}: has no default export (export default { teams, services, ... })`);
  try {
    return { config: validateConfig(raw), raw, file: shown };
  } catch (err) {
    if (err instanceof ConfigError) throw new UserError(formatProblems(err, raw, shown));
    throw err;
  }
}
