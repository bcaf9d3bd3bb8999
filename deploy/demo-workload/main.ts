// Entry point: `npx tsx deploy/demo-workload/main.ts`, configured by environment variables
// (docker-compose.yml sets them). See docs/local-stack.md.
import { startDemoWorkload } from './server.js';

function env(name: string, fallback: string): string {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
}

function fail(message: string): never {
  process.stderr.write(`demo-workload: ${message}\n`);
  process.exit(1);
}

const port = Number(env('DEMO_PORT', '8080'));
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`DEMO_PORT: not a port number: ${JSON.stringify(process.env.DEMO_PORT)}`);
const perSecond = Number(env('DEMO_REQUESTS_PER_SECOND', '20'));
if (!(perSecond > 0))
  fail(`DEMO_REQUESTS_PER_SECOND: expected a positive number, got ${JSON.stringify(process.env.DEMO_REQUESTS_PER_SECOND)}`);
const restartHeals = env('DEMO_RESTART_HEALS', 'true');
if (!['true', 'false'].includes(restartHeals)) fail('DEMO_RESTART_HEALS: expected true or false');
const adminAuthorizationFile = process.env.DEMO_ADMIN_AUTHORIZATION_FILE || undefined;

const workload = await startDemoWorkload({
  host: env('DEMO_HOST', '127.0.0.1'),
  port,
  perSecond,
  restartHeals: restartHeals === 'true',
  ...(adminAuthorizationFile !== undefined ? { adminAuthorizationFile } : {}),
}).catch((err: NodeJS.ErrnoException) => fail(`cannot listen: ${err.code ?? err.message}`));

process.stdout.write(`demo-workload: listening on ${workload.url} (${workload.traffic.jobs().join(', ')})\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void workload.close().then(() => process.exit(0)));
}
