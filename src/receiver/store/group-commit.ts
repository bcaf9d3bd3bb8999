// The log's one writer. Appends are all or nothing: every byte is written (a short write is
// continued), then fdatasync'd, before any caller is told its records are safe. On any error the
// file is cut back to the end of the last good append, so a full disk leaves no torn line for the
// next record to be glued onto, and the caller answers 503. Concurrent appends share one write and
// one flush (group commit); in between, compaction runs its short exclusive steps here.
//
// Nothing is written once another process may hold the data folder: before every write (a group
// commit, a cut-back, the swap of a compaction) the lock's fencing token is compared
// synchronously, and after each commit once more, so records that may have landed in a log
// another process now owns are never acknowledged. Writes only ever append (O_APPEND): even a
// write already on its way when the folder changed hands lands behind the new owner's records,
// never over them.
import { LockLost, type DataDirLock } from './lock.js';
import { appendAll, type LogFile } from './log-file.js';

interface Pending {
  text: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Exclusive {
  run: () => Promise<void>;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private exclusive: Exclusive[] = [];
  private worker: Promise<void> | undefined;
  /** Set when the log must not be written any more (lock lost, folder unusable). */
  private failure: Error | undefined;
  /** Bytes past `offset` may exist (a failed append whose cut-back failed too). */
  private torn = false;
  /** Bytes appended since the last compaction, for the size trigger. */
  appendedSinceCompaction = 0;

  constructor(
    private handle: LogFile,
    private readonly dir: string,
    /** End of the last record known to be on disk. */
    private end: number,
    private readonly lock: DataDirLock,
    private readonly onLost: (err: Error) => void,
  ) {}

  /** The open log. */
  get fh(): LogFile {
    return this.handle;
  }

  /** End of the last record known to be on disk. */
  get offset(): number {
    return this.end;
  }

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Appends `text` (whole lines) in the next group commit; resolves once it is on disk. */
  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      this.kick();
    });
  }

  /** Refuses every further append (the folder is no longer ours, or no longer safe). */
  fail(err: Error): void {
    this.failure ??= err;
  }

  /**
   * Synchronously, right before a write: throws unless the data folder's fencing token is still
   * ours. A lost folder fails the store for good; an unreadable owner file (e.g. EMFILE) refuses
   * only this write.
   */
  assertOwner(): void {
    if (this.failure) throw this.failure;
    let ours: boolean;
    try {
      ours = this.lock.owns();
    } catch (err) {
      throw new Error(`cannot read the data folder's owner file, so not writing (${(err as Error).message})`);
    }
    if (ours) return;
    const err = new LockLost(
      `another process claimed the data folder ${this.dir} (the lock's owner file no longer holds this receiver's token)`,
    );
    this.fail(err);
    this.onLost(err);
    throw err;
  }

  private kick(): void {
    this.worker ??= this.work().finally(() => {
      this.worker = undefined;
      if (this.queue.length > 0 || this.exclusive.length > 0) this.kick();
    });
  }

  /** One writer: batches of appends, and in between, the short exclusive steps of compaction. */
  private async work(): Promise<void> {
    for (;;) {
      const ex = this.exclusive.shift();
      if (ex) {
        await ex.run().then(ex.resolve, ex.reject);
        continue;
      }
      if (this.queue.length === 0) return;
      const batch = this.queue;
      this.queue = [];
      try {
        await this.writeBatch(Buffer.from(batch.map((p) => p.text).join('')));
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
      }
    }
  }

  private async writeBatch(buf: Buffer): Promise<void> {
    if (this.torn) await this.cutBack();
    this.assertOwner();
    this.torn = true;
    try {
      await appendAll(this.handle, buf);
      await this.handle.datasync();
      // The folder may have changed hands while the write was under way: then these records
      // may sit in a log another process owns, and nobody is told they are safe.
      this.assertOwner();
    } catch (err) {
      if (err instanceof LockLost) throw err;
      // Nothing of this batch may survive: a later append must not be glued to half a line,
      // and a record nobody was told is safe must not run after a restart.
      await this.cutBack().catch(() => {});
      throw err;
    }
    this.torn = false;
    this.end += buf.length;
    this.appendedSinceCompaction += buf.length;
  }

  /** Bytes past `offset` may exist (a failed append whose cut-back failed too). */
  get dirty(): boolean {
    return this.torn;
  }

  /** Cuts the file back to the last good append; until this succeeds, nothing more is acknowledged. */
  async cutBack(): Promise<void> {
    this.assertOwner();
    await this.handle.truncate(this.end);
    await this.handle.datasync();
    this.torn = false;
  }

  /** Runs `run` between two group commits, with no append under way. */
  runExclusive(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.exclusive.push({ run, resolve, reject });
      this.kick();
    });
  }

  /** Within an exclusive step: appends go to `fh`, whose records end at `end`, from now on; returns the old handle. */
  swap(fh: LogFile, end: number): LogFile {
    const old = this.handle;
    this.handle = fh;
    this.end = end;
    return old;
  }

  /** Resolves once no write is under way. */
  async idle(): Promise<void> {
    await this.worker;
  }
}
