#!/usr/bin/env node
// The `sloforge` command. Installed from the package it runs the compiled CLI in dist/. In a
// checkout of sloforge itself (src/ next to bin/) it runs the TypeScript sources through tsx, so
// the repository needs no build step, and the `sloforge-source` export condition makes the
// example slos/ (`import ... from 'sloforge'`) read src/ as well. Either way users' slos/*.ts
// are loaded by tsx at run time (src/config/load.ts).
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/cli.ts', import.meta.url);
let main;
if (existsSync(source)) {
  register('./source-condition.mjs', import.meta.url);
  const tsx = await import('tsx/esm/api');
  tsx.register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/cli.js'));
}
process.exitCode = await main(process.argv);
