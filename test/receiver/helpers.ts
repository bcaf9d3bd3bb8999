// Shared by the remediation tests: a counting HTTP target, a receiver child process, payloads.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remediationArtifacts } from '../../src/remediation/target.js';
import { modelOf } from '../helpers/config.js';
import { actionsFile } from '../../src/remediation/actions-file.js';
import { startReceiver, type ReceiverOptions } from '../../src/receiver/server.js';
import type { RemediationInput } from '../../src/config/define.js';
import { builtPackage } from '../helpers/built-cli.js';
import { tempDir as removedAtExit } from '../helpers/cli.js';
import type { StoreUnderTest } from './stores.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `sloforge` as installed (test/helpers/built-cli.ts): a child receiver starts without loading src/ through tsx. */
export const sloforgeBin = (): string => path.join(builtPackage(), 'bin/sloforge.mjs');
export const TOKEN = 'test-token-0123456789';

/** A new folder, removed when the test process exits (test/helpers/cli.ts). */
export async function tempDir(prefix = 'sloforge-rem-'): Promise<string> {
  return removedAtExit(prefix);
}

/** What `alert()` below sends: each test remediation is bound to it, as an SLO naming it would. */
export const TEST_TRIGGER = { alertname: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'availability' } as const;

/**
 * Compiles remediations as `generate` would and writes the actions file. No SLO names them here,
 * so each is bound to TEST_TRIGGER (the binding itself is proven in binding.test.ts).
 */
export async function writeActions(dir: string, remediations: RemediationInput[]): Promise<string> {
  const [artifact] = remediationArtifacts(modelOf({ teams: [], services: [], remediations }));
  const doc = JSON.parse(artifact!.content) as { remediations: Array<{ triggers: unknown[] }> };
  for (const r of doc.remediations) r.triggers = [TEST_TRIGGER];
  const file = path.join(dir, 'actions.json');
  await writeFile(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

export interface TargetCall {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local HTTP server that records calls; `hold` can keep chosen calls unanswered. */
export class Target {
  readonly calls: TargetCall[] = [];
  /** Return true to leave the call hanging (until `release`). */
  hold: (call: TargetCall, index: number) => boolean = () => false;
  /** Status code for a call that is answered. */
  status: (call: TargetCall, index: number) => number = () => 200;
  private readonly held: http.ServerResponse[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      this.calls.push(call);
      if (this.hold(call, this.calls.length - 1)) {
        this.held.push(res);
        return;
      }
      res.writeHead(this.status(call, this.calls.length - 1), { 'content-type': 'application/json' }).end('{}');
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  release(): void {
    for (const res of this.held.splice(0)) res.socket?.destroy();
  }

  /** Calls per Idempotency-Key, i.e. per accepted alert. */
  countsByKey(): Map<string, number> {
    const m = new Map<string, number>();
    for (const c of this.calls) {
      const k = String(c.headers['idempotency-key']);
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

/**
 * How long a receiver child may take to listen: generous, since a loaded machine starts Node
 * slowly (a PostgreSQL receiver missed 30 s in a full `npm test` beside the 556 MB log's replay).
 */
export const LISTEN_TIMEOUT_MS = 60_000;

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface ReceiverArgs {
  actions: string;
  dataDir: string;
  tokenFile: string;
  extraArgs?: string[];
  store?: { args: string[] };
}

/** The flags of `sloforge receiver` on 127.0.0.1 and `port` (0: a free one), with `opts`' files or store. */
export function receiverArgs(opts: ReceiverArgs, port = '0'): string[] {
  return [
    '--actions',
    opts.actions,
    '--token-file',
    opts.tokenFile,
    // A restart after SIGKILL waits for the dead process's lock to go stale: 2s, not 10s.
    ...(opts.store?.args ?? ['--data-dir', opts.dataDir, '--lock-stale', '2s']),
    '--host',
    '127.0.0.1',
    '--port',
    port,
    ...(opts.extraArgs ?? []),
  ];
}

/** `sloforge receiver` as a real child process on 127.0.0.1 and a random free port. */
export class ReceiverProcess {
  url = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private constructor(readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
    });
  }

  /** `store`: the flags of a store (test/receiver/stores.ts) instead of the data folder. */
  static async start(opts: ReceiverArgs): Promise<ReceiverProcess> {
    return ReceiverProcess.spawn(receiverArgs(opts));
  }

  /**
   * `sloforge receiver ARGS` with extra environment variables; resolves once it listens. The child
   * leads its own process group, so a failed start kills it and any command it ran: a receiver
   * left behind would keep the test process (and every other test in it) alive forever.
   */
  static async spawn(args: string[], env: Record<string, string> = {}, listenTimeoutMs = LISTEN_TIMEOUT_MS): Promise<ReceiverProcess> {
    const rp = ReceiverProcess.launch(args, env);
    await rp.listening(listenTimeoutMs);
    return rp;
  }

  /** Starts the child without waiting for it to listen (`listening` waits). */
  static launch(args: string[], env: Record<string, string> = {}): ReceiverProcess {
    const child = spawn(process.execPath, [sloforgeBin(), 'receiver', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env },
      detached: true,
    });
    return new ReceiverProcess(child);
  }

  /** Waits until the child listens and sets `url`; on failure kills its process group. */
  async listening(timeoutMs = LISTEN_TIMEOUT_MS): Promise<string> {
    try {
      this.url = await Promise.race([
        waitFor('the receiver to listen', () => /listening on (http:\/\/\S+)/.exec(this.stderr)?.[1], timeoutMs),
        this.exited.then(({ code }) => {
          throw new Error(`receiver exited ${code}: ${this.stderr}`);
        }),
      ]);
    } catch (err) {
      this.killGroup();
      await this.exited;
      // What the child said is the only clue to a start that hung (a store it could not reach, a lock).
      if (err instanceof Error && err.message.startsWith('timed out')) err.message += `; its stderr so far:\n${this.stderr}`;
      throw err;
    }
    return this.url;
  }

  /** SIGKILL to the receiver's whole process group (it and the commands it started). */
  killGroup(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/**
 * The fingerprint of the test alert called `name`: its UTF-8 bytes in hex, since the receiver
 * takes only the hex fingerprints Alertmanager writes. Tests name alerts readably ('dup-1') and
 * compare what comes back with `fp(name)`.
 */
export const fp = (name: string): string => Buffer.from(name).toString('hex');
/** The test name behind a fingerprint made by `fp`. */
export const nameOf = (fingerprint: string): string => Buffer.from(fingerprint, 'hex').toString();

/** An alert as Alertmanager sends it, with the fingerprint `fp(name)` (`over` may replace any field). */
export function alert(name: string, remediation: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'firing',
    labels: {
      alertname: TEST_TRIGGER.alertname,
      remediation,
      service: TEST_TRIGGER.service,
      team: 'payments',
      severity: 'critical',
      slo: TEST_TRIGGER.slo,
    },
    annotations: { summary: 'burning' },
    startsAt: '2026-11-22T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus/graph',
    fingerprint: fp(name),
    ...over,
  };
}

export function payload(alerts: Record<string, unknown>[]): Record<string, unknown> {
  return {
    version: '4',
    groupKey: '{}:{alertname="x"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'sloforge-remediation',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  };
}

export async function post(url: string, body: unknown, token: string | null = TOKEN): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== null ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/**
 * POST /alerts on a connection of its own, as Alertmanager would; status 0 when the receiver
 * closes the connection unanswered (fetch, undici 6, never settles then).
 */
export function postFresh(url: string, body: unknown, token: string = TOKEN): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/alerts`,
      {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.end(text);
  });
}

export async function audit(url: string): Promise<any[]> {
  const res = await fetch(`${url}/api/actions?limit=1000`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await res.json()) as { actions: any[] }).actions;
}

const TERMINAL = new Set(['success', 'failure', 'dry-run', 'skipped']);

/**
 * Waits until the receiver has `n` events and none is queued or running. Generous: on
 * PostgreSQL an event may wait for a dead replica's lease to run out first.
 */
export async function settled(url: string, n: number, timeoutMs = 60_000): Promise<any[]> {
  return waitFor(
    `${n} finished remediation events`,
    async () => {
      const list = await audit(url);
      return list.length === n && list.every((e) => TERMINAL.has(e.state)) ? list : undefined;
    },
    timeoutMs,
  );
}

export async function setup(
  remediations: (targetUrl: string) => RemediationInput[],
): Promise<{ dir: string; target: Target; actions: string; tokenFile: string; dataDir: string }> {
  const dir = await tempDir();
  const target = await new Target().start();
  const actions = await writeActions(dir, remediations(target.url));
  const tokenFile = path.join(dir, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`);
  return { dir, target, actions, tokenFile, dataDir: path.join(dir, 'data') };
}

/** Options for a receiver in this process on `env`, logging into `logs`. */
export async function receiverOptions(
  env: { actions: string; dataDir: string },
  logs: string[],
  over: Partial<ReceiverOptions> = {},
): Promise<ReceiverOptions> {
  const parsed = actionsFile.parse(JSON.parse(await readFile(env.actions, 'utf8')));
  return {
    remediations: parsed.remediations,
    tokens: [TOKEN],
    dataDir: env.dataDir,
    host: '127.0.0.1',
    port: 0,
    dryRun: false,
    log: (l) => logs.push(l),
    ...over,
  };
}

/**
 * A receiver in this process (faster than a child), its options for a restart, and what it
 * logged; on `store` (test/receiver/stores.ts) when given, else the file log in `env.dataDir`.
 */
export async function inProcess(
  remediations: (url: string) => RemediationInput[],
  over: Partial<ReceiverOptions> = {},
  store?: StoreUnderTest,
) {
  const env = await setup(remediations);
  const logs: string[] = [];
  const where = store ? await store.open(env) : undefined;
  const options = await receiverOptions(env, logs, { ...where?.options, ...over });
  return { env, logs, options, where, rx: await startReceiver(options) };
}

/**
 * After the test: answers the calls the target holds (an action waiting on one would keep the
 * receiver's close waiting), closes the receiver, then stops the target.
 */
export function closeAfter(
  t: { after: (fn: () => Promise<void>) => void },
  env: { target: Target },
  rx: { close: () => Promise<unknown> },
): void {
  t.after(async () => {
    env.target.release();
    await rx.close();
    await env.target.stop();
  });
}
