// CPU seconds of promtool runs. On a machine shared with other jobs, wall time says how long one
// waited, not how much work promtool did; user+sys time of the process is stable across loads.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

export interface CountingPromtool {
  /** A promtool to run instead of the real one: same arguments, same output, same exit code. */
  bin: string;
  /** CPU seconds of every run since the last call (NaN without GNU time), and starts afresh. */
  take: () => number;
}

/** Wraps promtool in GNU time (Debian package `time`); without it, runs promtool and counts nothing. */
export function countingPromtool(dir: string): CountingPromtool {
  if (!existsSync(GNU_TIME)) return { bin: 'promtool', take: () => NaN };
  const log = path.join(dir, 'promtool-cpu.log');
  const bin = path.join(dir, 'promtool');
  writeFileSync(log, '');
  writeFileSync(bin, `#!/bin/sh\nexec ${GNU_TIME} -a -o '${log}' -f '%U %S' promtool "$@"\n`);
  chmodSync(bin, 0o755);
  return {
    bin,
    take: () => {
      // GNU time also writes "Command exited with non-zero status N" for a failing run.
      const lines = readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => /^\d+\.\d+ \d+\.\d+$/.test(l));
      writeFileSync(log, '');
      return lines.reduce(
        (sum, l) =>
          sum +
          l
            .split(' ')
            .map(Number)
            .reduce((a, b) => a + b, 0),
        0,
      );
    },
  };
}
