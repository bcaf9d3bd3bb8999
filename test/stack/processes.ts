// Child processes for the native stack test: bounded waits, the tail of each one's output for
// failure messages, and a stop that escalates to SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';

export class Proc {
  private tail = '';
  readonly child: ChildProcess;
  exited: number | null | undefined;

  constructor(readonly name: string, bin: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(bin, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-6000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('exit', (code) => {
      this.exited = code;
    });
  }

  output(): string {
    return `--- ${this.name} (last output) ---\n${this.tail}`;
  }

  async stop(): Promise<void> {
    if (this.exited !== undefined) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}



export async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export { freePort, until } from '../helpers/net.js';
