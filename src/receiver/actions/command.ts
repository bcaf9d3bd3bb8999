// The `command` action: a fixed argv run by execa without a shell. Alert data reaches the
// program only through environment variables, never through its arguments or a shell line.
// execa (a hundred modules, about a fifth of the receiver's start) loads at the first command a
// remediation runs, not at every start of a receiver that may never run one.
import type { CommandSpec } from '../../remediation/actions-file.js';
import { alertEnv } from '../template.js';
import type { ActionContext, ActionOutcome } from './types.js';

const tail = (s: string): string => s.trim().split('\n').slice(-3).join(' | ').slice(-300);

export async function runCommand(spec: CommandSpec, ctx: ActionContext): Promise<ActionOutcome> {
  const [file, ...args] = spec.argv as [string, ...string[]];
  // The receiver's own environment (which may hold secrets) is not passed on; PATH is, so
  // argv[0] may name a program rather than a full path.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...alertEnv(ctx.alert, spec.env) };
  // The command leads its own process group, and the timeout and shutdown's abort kill the whole
  // group: a child it left behind (`sleep 25 &`) would otherwise hold its output open, and with it
  // the remediation's slot, long past the timeout. Detached, it also misses a terminal's Ctrl-C
  // meant for the receiver, which lets it finish within the shutdown grace.
  const { execa } = await import('execa');
  const child = execa(file, args, {
    env,
    extendEnv: false,
    shell: false,
    stdin: 'ignore',
    reject: false,
    detached: true,
    maxBuffer: 1024 * 1024,
  });
  let timedOut = false;
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is gone already.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, spec.timeoutMs);
  const onAbort = () => killGroup();
  if (ctx.signal.aborted) onAbort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const result = await child;
  clearTimeout(timer);
  ctx.signal.removeEventListener('abort', onAbort);
  // The command exited by itself: anything it left running goes with it.
  killGroup();
  const r = { ...result, timedOut };
  if (r.exitCode === 0 && !r.timedOut) return { ok: true, detail: `${file} exited 0${r.stdout ? `: ${tail(r.stdout)}` : ''}` };
  const why = r.timedOut
    ? `timed out after ${spec.timeoutMs} ms`
    : r.exitCode !== undefined
      ? `exited ${r.exitCode}`
      : r.signal
        ? `killed by ${r.signal}`
        : r.shortMessage;
  return { ok: false, detail: `${file} ${why}${r.stderr ? `: ${tail(r.stderr)}` : ''}` };
}
