// The receiver's durable memory in a file: an append-only JSON-lines log in the data folder,
// one line per record (record-line.ts). This file ties the parts together: the data folder's
// lock (lock.ts), replay at start with torn-line recovery (log-read.ts), the one writer with
// group commit and fencing (group-commit.ts), and compaction while serving (log-compaction.ts).
// Nothing here runs before the data folder's lock is held, and nothing is written once another
// process may hold it.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { lockDataDir, type DataDirLock } from './lock.js';
import { GroupCommit } from './group-commit.js';
import { compactLog, TEMP_PREFIX, type CompactResult, type Rewriter } from './log-compaction.js';
import { freeBytes, LOG_FILE, openFile, type LogFile, type OpenFile } from './log-file.js';
import { replayLog } from './log-read.js';
import { encodeRecord } from './record-line.js';
import type { LogRecord } from './records.js';
import type { ReplayHandlers, ReplayReport, Store } from './types.js';

export interface OpenOptions extends ReplayHandlers {
  /** Another process took over the data folder's lock: stop writing. */
  onLockLost?: (err: Error) => void;
  log?: (line: string) => void;
  lockWaitMs?: number;
  lockStaleMs?: number;
  /** Test seam: how the log and its compaction copy are opened. */
  openFile?: OpenFile;
  /** Test seam: free bytes on the data folder's disk. */
  freeBytes?: (dir: string) => Promise<number>;
}

export class LogStore implements Store {
  private closed = false;
  private compacting: Promise<CompactResult | undefined> | undefined;
  private readonly writer: GroupCommit;

  private constructor(
    fh: LogFile,
    private readonly dir: string,
    /** End of the last record known to be on disk. */
    offset: number,
    private readonly lock: DataDirLock,
    private readonly open: OpenFile,
    onLost: (err: Error) => void,
    private readonly freeBytes: (dir: string) => Promise<number>,
  ) {
    this.writer = new GroupCommit(fh, dir, offset, lock, onLost);
  }

  get file(): string {
    return path.join(this.dir, LOG_FILE);
  }

  get size(): number {
    return this.writer.offset;
  }

  /** Bytes appended since the last compaction, for the size trigger. */
  get appendedSinceCompaction(): number {
    return this.writer.appendedSinceCompaction;
  }

  /**
   * Locks the data folder, then opens (creating) the log and streams every record in it to
   * `onRecord`. A torn last line is cut off (it was never acknowledged).
   */
  static async open(dataDir: string, opts: OpenOptions = {}): Promise<{ store: LogStore; report: ReplayReport }> {
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    let store: LogStore | undefined;
    let lostEarly: Error | undefined;
    let toldLost = false;
    const lost = (err: Error) => {
      if (store) store.fail(err);
      else lostEarly ??= err;
      // Told once, whichever notices first: the token check or proper-lockfile.
      if (toldLost) return;
      toldLost = true;
      opts.onLockLost?.(err);
    };
    const lock = await lockDataDir(dataDir, {
      onLost: lost,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.lockWaitMs !== undefined ? { waitMs: opts.lockWaitMs } : {}),
      ...(opts.lockStaleMs !== undefined ? { staleMs: opts.lockStaleMs } : {}),
    });
    const open = opts.openFile ?? openFile;
    let fh: LogFile | undefined;
    try {
      for (const name of await fs.readdir(dataDir)) {
        if (name.startsWith(TEMP_PREFIX)) await fs.rm(path.join(dataDir, name), { force: true });
      }
      const file = path.join(dataDir, LOG_FILE);
      fh = await open(file, constants.O_RDWR | constants.O_CREAT | constants.O_APPEND);
      await fh.chmod(0o600);
      const { report, good } = await replayLog(file, fh, lock, dataDir, opts);
      store = new LogStore(fh, dataDir, good, lock, open, lost, opts.freeBytes ?? freeBytes);
      if (lostEarly) store.fail(lostEarly);
      return { store, report };
    } catch (err) {
      await fh?.close().catch(() => {});
      await lock.release();
      throw err;
    }
  }

  append(records: readonly LogRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (this.writer.failed) return Promise.reject(this.writer.failed);
    if (records.length === 0) {
      // Nothing to write (duplicates only), but still only acknowledged while the folder is ours.
      try {
        this.writer.assertOwner();
      } catch (err) {
        return Promise.reject(err as Error);
      }
      return Promise.resolve();
    }
    return this.writer.append(records.map((r) => `${encodeRecord(r)}\n`).join(''));
  }

  /** Refuses every further append (the folder is no longer ours, or no longer safe). */
  fail(err: Error): void {
    this.writer.fail(err);
  }

  /**
   * Rewrites the log through `rewriter` without stopping appends, except for the moment it
   * copies the records appended meanwhile and swaps the files (log-compaction.ts). One at a time.
   */
  compact(rewriter: Rewriter): Promise<CompactResult | undefined> {
    if (this.compacting) return this.compacting;
    this.compacting = compactLog(
      { dir: this.dir, file: this.file, writer: this.writer, open: this.open, freeBytes: this.freeBytes, closed: () => this.closed },
      rewriter,
    ).finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compacting?.catch(() => {});
    await this.writer.idle();
    await this.fh.close().catch(() => {});
    await this.lock.release();
  }

  private get fh(): LogFile {
    return this.writer.fh;
  }
}
