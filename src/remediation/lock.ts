// One receiver per data folder. Two processes appending to (and compacting) one log would each
// run every action, and the second's compaction would leave the first writing to a deleted file.
//
// Node has no flock(2), so this uses proper-lockfile: the lock is a directory (mkdir is atomic,
// also on network file systems) whose mtime its holder refreshes every LOCK_UPDATE_MS. A lock not
// refreshed for LOCK_STALE_MS belongs to a process that died, and the next start takes it over;
// that is why a restart right after a crash waits up to that long. No pid is involved, so
// containers (where every receiver may be pid 1) and pid reuse cannot fool it. If the holder ever
// finds its lock refreshed by someone else (it stalled past the stale time and was taken over),
// it is told through `onLost` and must stop writing at once.
import { readFile, writeFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

export const LOCK_DIR = 'receiver.lock';
/** Who holds the lock, for the message a second receiver prints; never trusted for the lock itself. */
export const OWNER_FILE = 'receiver.lock.owner';
export const LOCK_STALE_MS = 10_000;
/** A holder refreshes every LOCK_UPDATE_MS at most; a stale time near that would take live locks. */
export const MIN_LOCK_STALE_MS = 2_000;
export const LOCK_UPDATE_MS = 2_000;

export class DataDirInUse extends Error {
  override name = 'DataDirInUse';
}

export interface LockOptions {
  /** Called when another process took the lock over; the caller must stop using the folder. */
  onLost: (err: Error) => void;
  /** How long to wait for a lock that may be left by a receiver that just died. */
  waitMs?: number;
  staleMs?: number;
  log?: (line: string) => void;
}

async function owner(dir: string): Promise<string> {
  try {
    const o = JSON.parse(await readFile(path.join(dir, OWNER_FILE), 'utf8')) as { pid?: number; host?: string; since?: string };
    return ` (pid ${o.pid} on ${o.host}, since ${o.since})`;
  } catch {
    return '';
  }
}

/** Takes the folder's lock or throws DataDirInUse; resolves to the release function. */
export async function lockDataDir(dir: string, opts: LockOptions): Promise<() => Promise<void>> {
  const staleMs = opts.staleMs ?? LOCK_STALE_MS;
  const waitMs = opts.waitMs ?? staleMs + 2 * LOCK_UPDATE_MS;
  const lockfilePath = path.join(dir, LOCK_DIR);
  const attempt = (retries: number) => lockfile.lock(dir, {
    lockfilePath,
    stale: staleMs,
    update: Math.min(LOCK_UPDATE_MS, staleMs / 2),
    realpath: false,
    retries: { retries, factor: 1, minTimeout: 500, maxTimeout: 500 },
    onCompromised: opts.onLost,
  });
  let release: () => Promise<void>;
  try {
    release = await attempt(0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    opts.log?.(`the data folder ${dir} is locked${await owner(dir)}; waiting up to ${Math.round(waitMs / 1000)} s in case its receiver has just stopped`);
    try {
      release = await attempt(Math.ceil(waitMs / 500));
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw new DataDirInUse(`the data folder ${dir} is in use by another receiver${await owner(dir)}: two receivers on one event log would each run every action. Stop the other one, or give this one its own --data-dir (lock: ${lockfilePath})`);
    }
  }
  await writeFile(path.join(dir, OWNER_FILE), `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`, { mode: 0o600 });
  return async () => {
    await rm(path.join(dir, OWNER_FILE), { force: true });
    await release().catch(() => {});
  };
}
