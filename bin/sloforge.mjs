#!/usr/bin/env node
// Registers tsx so the CLI and the users' slos/*.ts run with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv);
