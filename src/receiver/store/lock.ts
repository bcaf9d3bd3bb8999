// One receiver per data folder. Two processes appending to (and compacting) one log would each
// run every action, and the second's compaction would leave the first writing to a deleted file.
//
// Node has no flock(2), so this uses proper-lockfile: the lock is a directory (mkdir is atomic,
// also on network file systems) whose mtime its holder refreshes every LOCK_UPDATE_MS. A lock not
// refreshed for LOCK_STALE_MS belongs to a process that died, and the next start takes it over;
// that is why a restart right after a crash waits up to that long. No pid is involved, so
// containers (where every receiver may be pid 1) and pid reuse cannot fool it.
//
// A holder that merely stalled (SIGSTOP, a frozen VM, a long GC pause) past the stale time is
// taken over while it still runs, and proper-lockfile tells it so only later, asynchronously.
// So the lock also has a fencing token: each holder writes a fresh random token into the owner
// file right after taking the lock (before it reads the log), and the store compares that file's
// token with its own synchronously before every write. The moment another process has claimed
// the folder, the old holder's next write is refused.
import { randomUUID } from 'node:crypto';
import { constants, readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { EnvironmentError } from '../../errors.js';

export const LOCK_DIR = 'receiver.lock';
/** Who holds the lock and its fencing token. Kept (not deleted) on release, so it is rewritten in place. */
export const OWNER_FILE = 'receiver.lock.owner';
/**
 * The owner file's fixed size. Rewritten in place at this size, a later start needs no new disk
 * space for it (a full disk does not keep the receiver from starting), and a reader never sees
 * the previous owner's bytes behind a shorter record.
 */
const OWNER_BYTES = 512;
export const LOCK_STALE_MS = 10_000;
/** A holder refreshes every LOCK_UPDATE_MS at most; a stale time near that would take live locks. */
export const MIN_LOCK_STALE_MS = 2_000;
export const LOCK_UPDATE_MS = 2_000;

export class DataDirInUse extends EnvironmentError {
  override name = 'DataDirInUse';
}

/** The data folder's disk has no room even for the owner file (only at a first start). */
export class DataDirFull extends EnvironmentError {
  override name = 'DataDirFull';
}

export class LockLost extends EnvironmentError {
  override name = 'LockLost';
}

export interface DataDirLock {
  /**
   * Synchronously: false once the owner file no longer holds this process's token (another
   * process claimed the folder, or the file is gone). Throws when the file cannot be read at all
   * (e.g. EMFILE): ownership is then unknown and the caller must not write this time.
   */
  owns(): boolean;
  release(): Promise<void>;
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

/** Writes the owner file in place (no new file, no rename): see OWNER_BYTES. */
async function claim(file: string, token: string): Promise<void> {
  const text = JSON.stringify({ token, pid: process.pid, host: hostname(), since: new Date().toISOString() });
  const buf = Buffer.alloc(OWNER_BYTES, ' ');
  buf.write(text.slice(0, OWNER_BYTES - 1));
  buf[OWNER_BYTES - 1] = 10;
  const fh = await open(file, constants.O_RDWR | constants.O_CREAT, 0o600);
  try {
    for (let done = 0; done < buf.length;) {
      const { bytesWritten } = await fh.write(buf, done, buf.length - done, done);
      if (!(bytesWritten > 0)) throw Object.assign(new Error('no space written'), { code: 'ENOSPC' });
      done += bytesWritten;
    }
    if ((await fh.stat()).size > OWNER_BYTES) await fh.truncate(OWNER_BYTES);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** The token in an owner file's text; undefined when it holds none (an older receiver's file). */
function tokenOf(text: string): string | undefined {
  try {
    const t = (JSON.parse(text) as { token?: unknown }).token;
    return typeof t === 'string' ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the folder's lock and claims it with a fresh fencing token, or throws DataDirInUse. */
export async function lockDataDir(dir: string, opts: LockOptions): Promise<DataDirLock> {
  const staleMs = opts.staleMs ?? LOCK_STALE_MS;
  const waitMs = opts.waitMs ?? staleMs + 2 * LOCK_UPDATE_MS;
  const lockfilePath = path.join(dir, LOCK_DIR);
  const attempt = (retries: number) =>
    lockfile.lock(dir, {
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
    opts.log?.(
      `the data folder ${dir} is locked${await owner(dir)}; waiting up to ${Math.round(waitMs / 1000)} s in case its receiver has just stopped`,
    );
    try {
      release = await attempt(Math.ceil(waitMs / 500));
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw new DataDirInUse(
        `the data folder ${dir} is in use by another receiver${await owner(dir)}: two receivers on one event log would each run every action. Stop the other one, or give this one its own --data-dir (lock: ${lockfilePath})`,
      );
    }
  }
  const file = path.join(dir, OWNER_FILE);
  const token = randomUUID();
  try {
    await claim(file, token);
  } catch (err) {
    await release().catch(() => {});
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
      throw new DataDirFull(
        `cannot claim the data folder ${dir}: no space left to write ${OWNER_FILE} (${e.code}); free some space (the file is kept once written, so later starts need no new space for it)`,
      );
    }
    throw err;
  }
  const owns = (): boolean => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    return tokenOf(text) === token;
  };
  return {
    owns,
    // A holder that lost the folder leaves the new owner's lock alone (proper-lockfile would
    // remove the lock directory, whoever holds it now).
    release: async () => {
      let ours = false;
      try {
        ours = owns();
      } catch {
        /* unknown: leave the lock to go stale */
      }
      if (ours) await release().catch(() => {});
    },
  };
}
