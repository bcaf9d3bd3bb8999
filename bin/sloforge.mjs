#!/usr/bin/env node
// The `sloforge` command. Installed from the package it runs the compiled CLI in dist/. In a
// checkout of sloforge itself (src/ next to bin/) it runs the TypeScript sources through tsx, so
// the repository needs no build step, and the `sloforge-source` export condition makes the
// example slos/ (`import ... from 'sloforge'`) read src/ as well. Either way users' slos/*.ts
// are loaded by tsx at run time (src/config/load.ts); tsImport rather than a global tsx
// registration keeps that the same in both cases.
import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';

const source = new URL('../src/cli.ts', import.meta.url);
let main;
if (existsSync(source)) {
  // registerHooks where Node has it (module.register is deprecated there); Node 20 has only register.
  if (typeof nodeModule.registerHooks === 'function') {
    const { resolveSync } = await import('./source-condition.mjs');
    nodeModule.registerHooks({ resolve: resolveSync });
  } else {
    nodeModule.register('./source-condition.mjs', import.meta.url);
  }
  const { tsImport } = await import('tsx/esm/api');
  ({ main } = await tsImport(source.href, import.meta.url));
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv);
