// The `command` action: a fixed argv run by execa without a shell. Alert data reaches the
// program only through environment variables, never through its arguments or a shell line.
import { execa } from 'execa';
import type { CommandSpec } from '../actions-file.js';
import { alertEnv } from '../template.js';
import type { ActionContext, ActionOutcome } from './types.js';

const tail = (s: string): string => s.trim().split('\n').slice(-3).join(' | ').slice(-300);

export async function runCommand(spec: CommandSpec, ctx: ActionContext): Promise<ActionOutcome> {
  const [file, ...args] = spec.argv as [string, ...string[]];
  // The receiver's own environment (which may hold secrets) is not passed on; PATH is, so
  // argv[0] may name a program rather than a full path.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...alertEnv(ctx.alert, spec.env) };
  const r = await execa(file, args, {
    env,
    extendEnv: false,
    shell: false,
    stdin: 'ignore',
    reject: false,
    timeout: spec.timeoutMs,
    cancelSignal: ctx.signal,
    maxBuffer: 1024 * 1024,
  });
  if (r.exitCode === 0 && !r.timedOut) return { ok: true, detail: `${file} exited 0${r.stdout ? `: ${tail(r.stdout)}` : ''}` };
  const why = r.timedOut ? `timed out after ${spec.timeoutMs} ms` : r.exitCode !== undefined ? `exited ${r.exitCode}` : (r.signal ? `killed by ${r.signal}` : r.shortMessage);
  return { ok: false, detail: `${file} ${why}${r.stderr ? `: ${tail(r.stderr)}` : ''}` };
}
