// A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, the server on 127.0.0.1
// and a free port (its unix socket in that folder too), stopped and removed by `stop`. Debian's
// `postgresql` package provides the binaries; scripts/ensure-tools.sh installs it when missing,
// and a test that needs it fails (never skips) when it still is.
//
// PostgreSQL refuses to run as root. Tests here often do (containers, CI), so then the cluster
// runs as the `postgres` user the package creates: the folder is handed to it and every binary
// is started through setpriv, which execs in place (the child's pid is the server's own, so a
// test can signal it directly).
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { REPO } from './cli.js';
import { freePort } from './net.js';

/** The password of the cluster's superuser (tests connect over TCP with it, as a receiver would). */
export const PG_PASSWORD = 'test-password-6f1d2c';
export const PG_USER = 'sloforge';

/** The newest Debian PostgreSQL's bin folder, or undefined. */
function findBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin/postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

let binDir: Promise<string> | undefined;

/** PostgreSQL's bin folder, installing the package when it is missing; throws when that fails. */
export function postgresBinDir(): Promise<string> {
  binDir ??= (async () => {
    const found = findBinDir();
    if (found) return found;
    await execa('bash', [path.join(REPO, 'scripts/ensure-tools.sh')], { stdio: 'inherit' });
    const again = findBinDir();
    if (!again) throw new Error('PostgreSQL is not installed and scripts/ensure-tools.sh could not install it');
    return again;
  })();
  return binDir;
}

interface RunAs {
  uid: number;
  gid: number;
  /** The command prefix that drops root (empty when not root). */
  prefix: string[];
}

async function runAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return { uid: userInfo().uid, gid: userInfo().gid, prefix: [] };
  const id = async (flag: string) => Number((await execa('id', [flag, 'postgres'])).stdout.trim());
  const uid = await id('-u');
  const gid = await id('-g');
  return { uid, gid, prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--'] };
}

export interface PgClusterOptions {
  /** fsync off: faster, for tests that do not crash the database itself (default true). */
  fast?: boolean;
}

type AsUser = (cmd: string, args: string[]) => [string, string[]];

/** Bump when the initdb arguments below change, so an old template is not reused. */
const TEMPLATE_VERSION = 1;
const templates = new Map<string, Promise<string>>();

/**
 * A fresh cluster's data folder at `data`: a copy of one made by initdb once per machine, PostgreSQL
 * version and user (initdb costs about 2 CPU s, a copy a tenth of that; every test file that starts a
 * cluster would pay it). A never-started data folder may be copied anywhere. Made under a name of
 * its own and renamed into place, so test processes starting together never see half of one.
 */
async function copyTemplate(bin: string, as: RunAs, asUser: AsUser, data: string): Promise<void> {
  const key = `sloforge-pg-template-${TEMPLATE_VERSION}-${bin.replace(/[^A-Za-z0-9]+/g, '_')}-${as.uid}`;
  let made = templates.get(key);
  if (!made) {
    made = (async () => {
      const template = path.join(tmpdir(), key);
      if (existsSync(path.join(template, 'data', 'PG_VERSION'))) return template;
      const building = await mkdtemp(path.join(tmpdir(), `${key}.building-`));
      await chmod(building, 0o700);
      chownSync(building, as.uid, as.gid);
      const pwfile = path.join(building, 'pwfile');
      await writeFile(pwfile, `${PG_PASSWORD}\n`);
      chownSync(pwfile, as.uid, as.gid);
      await execa(
        ...asUser(path.join(bin, 'initdb'), [
          '-D',
          path.join(building, 'data'),
          '-U',
          PG_USER,
          '--auth-local=trust',
          '--auth-host=scram-sha-256',
          `--pwfile=${pwfile}`,
          '--no-instructions',
          '-E',
          'UTF8',
          '--locale=C',
        ]),
      );
      await rm(pwfile);
      try {
        await rename(building, template);
      } catch {
        // Another process put its template there first: use that one.
        await rm(building, { recursive: true, force: true });
      }
      return template;
    })();
    templates.set(key, made);
    made.catch(() => templates.delete(key));
  }
  await execa(...asUser('cp', ['-a', path.join(await made, 'data'), data]));
}

export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly bin: string,
    private child: ChildProcess,
    private exited: Promise<void>,
  ) {}

  /** A connection string for `database`, with the password (for tests only). */
  url(database = 'postgres'): string {
    return `postgres://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${this.port}/${database}`;
  }

  /** The same without the password (the receiver reads it from a file). */
  urlWithoutPassword(database = 'postgres'): string {
    return `postgres://${PG_USER}@127.0.0.1:${this.port}/${database}`;
  }

  static async start(opts: PgClusterOptions = {}): Promise<PgCluster> {
    const bin = await postgresBinDir();
    const as = await runAs();
    const dir = await mkdtemp(path.join(tmpdir(), 'sloforge-pg-'));
    const data = path.join(dir, 'data');
    await chmod(dir, 0o700);
    chownSync(dir, as.uid, as.gid);
    const asUser = (cmd: string, args: string[]): [string, string[]] =>
      as.prefix.length === 0 ? [cmd, args] : [as.prefix[0]!, [...as.prefix.slice(1), cmd, ...args]];
    await copyTemplate(bin, as, asUser, data);
    const port = await freePort();
    const args = [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...(opts.fast === false ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ];
    const child = spawn(...asUser(path.join(bin, 'postgres'), args), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      stderr = (stderr + s).slice(-8000);
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const cluster = new PgCluster(dir, port, bin, child, exited);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) {
        await rm(dir, { recursive: true, force: true });
        throw new Error(`postgres exited ${child.exitCode} at start: ${stderr}`);
      }
      const c = new pg.Client({ connectionString: cluster.url() });
      try {
        await c.connect();
        await c.end();
        return cluster;
      } catch (err) {
        await c.end().catch(() => {});
        if (Date.now() > deadline) {
          await cluster.stop();
          throw new Error(`postgres did not accept connections within 60 s: ${(err as Error).message}\n${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** A fresh database in the cluster, for one test's isolation. */
  async createDatabase(name: string): Promise<string> {
    const c = new pg.Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  /**
   * Suspends every server process (SIGSTOP) or resumes them (SIGCONT): the database unreachable
   * yet not gone. Each backend is a session of its own (PostgreSQL calls setsid), so they are
   * found as the postmaster's children rather than by process group.
   */
  signal(sig: 'SIGSTOP' | 'SIGCONT'): void {
    const pids = [this.child.pid!];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // Fields after the command name (which may hold spaces) in /proc/PID/stat: state, ppid, ...
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === this.child.pid) pids.push(Number(entry));
      } catch {
        // the process ended meanwhile
      }
    }
    for (const pid of sig === 'SIGSTOP' ? pids : pids.reverse()) {
      try {
        process.kill(pid, sig);
      } catch {
        // ended meanwhile
      }
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Fast shutdown, then the folder removed. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.signal('SIGCONT');
      this.child.kill('SIGINT');
      const killed = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
      await this.exited;
      clearTimeout(killed);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
