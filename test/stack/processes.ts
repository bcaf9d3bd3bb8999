// Child processes for the native stack test: bounded waits, the tail of each one's output for
// failure messages, and a stop that escalates to SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';

export class Proc {
  private tail = '';
  readonly child: ChildProcess;
  exited: number | null | undefined;

  private readonly group: boolean;

  /**
   * `group`: the process leads its own process group and stop() signals the whole group, for
   * commands that leave children behind (npx), which would otherwise outlive the test and hold
   * its output pipes open.
   */
  constructor(
    readonly name: string,
    bin: string,
    args: string[],
    opts: { cwd?: string; env?: NodeJS.ProcessEnv; group?: boolean } = {},
  ) {
    this.group = opts.group ?? false;
    this.child = spawn(bin, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: this.group });
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-6000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('exit', (code) => {
      this.exited = code;
    });
    // A binary that cannot be spawned reports here, not as an exit.
    this.child.on('error', (err) => {
      keep(Buffer.from(`${err.message}\n`));
      this.exited ??= null;
    });
  }

  output(): string {
    return `--- ${this.name} (last output) ---\n${this.tail}`;
  }

  async stop(): Promise<void> {
    if (this.exited === undefined) {
      const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.signal('SIGTERM');
      const timer = setTimeout(() => this.signal('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    if (this.group) this.signal('SIGKILL');
  }

  private signal(sig: NodeJS.Signals): void {
    if (!this.group || this.child.pid === undefined) {
      this.child.kill(sig);
      return;
    }
    try {
      process.kill(-this.child.pid, sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}

export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export { freePort, until } from '../helpers/net.js';
