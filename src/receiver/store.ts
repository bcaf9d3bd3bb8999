// The receiver's durable memory: an append-only JSON-lines log in the data folder.
//
// - Appends are all or nothing: every byte is written (a short write is continued), then
//   fdatasync'd, before any caller is told its records are safe. On any error the file is cut
//   back to the end of the last good append, so a full disk leaves no torn line for the next
//   record to be glued onto, and the caller answers 503. Concurrent appends share one write and
//   one flush (group commit).
// - Every record carries a CRC-32 of its line (a last `crc` field over the line without it), so
//   a changed byte anywhere makes the line unreadable, like a torn one, instead of a different
//   record (a changed id re-running a finished action). Lines without the field, written before
//   records had one, are read as before; the next compaction rewrites them with it.
// - Replay streams the file line by line (its size is bounded by the disk, not by the longest
//   string Node can hold), validates every record, and reports every line it cannot use.
// - Compaction runs while the receiver serves: it copies the log into a temporary file, checks
//   what it wrote, then pauses appends only to copy the records that arrived meanwhile, fsyncs,
//   and renames the copy over the log.
// - Nothing here runs before the data folder's lock is held (see lock.ts), and nothing is written
//   once another process may hold it: before every write (a group commit, a cut-back, the swap of
//   a compaction) the lock's fencing token is compared synchronously, and after each commit once
//   more, so records that may have landed in a log another process now owns are never
//   acknowledged. Writes only ever append (O_APPEND): even a write already on its way when the
//   folder changed hands lands behind the new owner's records, never over them.
import { constants, createReadStream, promises as fs, renameSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { LockLost, lockDataDir, type DataDirLock } from './lock.js';

export const ACTION_RESULTS = ['success', 'failure', 'dry-run'] as const;
export const SKIP_REASONS = [
  'cooldown',
  'hourly-cap',
  'unknown-remediation',
  'not-bound',
  'resolved',
  'interrupted',
  'log-corrupt',
] as const;
export type ActionResult = (typeof ACTION_RESULTS)[number];
export type SkipReason = (typeof SKIP_REASONS)[number];

const alertFields = z.object({
  remediation: z.string(),
  status: z.string(),
  fingerprint: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()),
});
const id = z.string().min(1).max(128);
const at = z.number().finite();
/** Every record names its event's dedupe key, so losing the `accepted` line cannot make it run twice. */
const key = z.string().min(1);

export const logRecord = z.discriminatedUnion('t', [
  z.object({ t: z.literal('accepted'), id, at, key, alert: alertFields }),
  z.object({ t: z.literal('started'), id, at, key: key.optional(), attempt: z.number().int().min(1), dryRun: z.boolean() }),
  z.object({
    t: z.literal('finished'),
    id,
    at,
    key: key.optional(),
    result: z.enum(ACTION_RESULTS),
    detail: z.string(),
    durationMs: z.number(),
  }),
  z.object({ t: z.literal('skipped'), id, at, key: key.optional(), reason: z.enum(SKIP_REASONS), detail: z.string() }),
  /** What compaction leaves of an event that finished long ago: its dedupe key. */
  z.object({ t: z.literal('seen'), id, at, key }),
]);
export type LogRecord = z.infer<typeof logRecord>;

export interface Store {
  /** Resolves once the records are on disk; rejects when they are not (and then none of them is). */
  append(records: readonly LogRecord[]): Promise<void>;
  close(): Promise<void>;
}

export const LOG_FILE = 'events.jsonl';
/** Compaction copies are named per copy: one left by a process that lost the folder is never the new owner's. */
const TEMP_PREFIX = `${LOG_FILE}.compacting`;
/** Longer lines are skipped unread: a record is at most a capped alert, and an old 1 MiB one. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;

/** The file operations the store needs; tests substitute a handle that fails on purpose. */
export interface LogFile {
  /** Always called with position null: every file the store writes is opened O_APPEND. */
  write(buffer: Buffer, offset: number, length: number, position: null): Promise<{ bytesWritten: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  datasync(): Promise<void>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  chmod(mode: number): Promise<void>;
  close(): Promise<void>;
}
export type OpenFile = (file: string, flags: number) => Promise<LogFile>;
/** Owner read/write only: alerts and action details are nobody else's business. */
const openFile: OpenFile = (file, flags) => fs.open(file, flags, 0o600);

/** Appends all of `buf`, continuing short writes; a write that makes no progress is an error. */
async function appendAll(fh: LogFile, buf: Buffer): Promise<void> {
  for (let done = 0; done < buf.length;) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, null);
    if (!(bytesWritten > 0)) throw Object.assign(new Error(`no space written (${done} of ${buf.length} bytes)`), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface RawLine {
  /** 1-based line number. */
  no: number;
  start: number;
  /** Offset just past the line's newline (or past its last byte when it has none). */
  end: number;
  /** The line without its newline; undefined when longer than the cap. */
  bytes: Buffer | undefined;
  terminated: boolean;
}

/**
 * The lines of `file` between byte offsets, read as a stream. A byte-level split rather than
 * node:readline because replay needs each line's exact byte offsets (to cut a torn tail) and a
 * bound on a line's length (a corrupt file may hold gigabytes without a newline).
 */
export async function* readLines(file: string, from = 0, to?: number): AsyncGenerator<RawLine> {
  if (to !== undefined && to <= from) return;
  const stream = createReadStream(file, { start: from, ...(to !== undefined ? { end: to - 1 } : {}), highWaterMark: 256 * 1024 });
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let lineStart = from;
  let chunkStart = from;
  let no = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length;) {
      const nl = chunk.indexOf(10, i);
      const piece = chunk.subarray(i, nl === -1 ? chunk.length : nl);
      if (!tooLong && length + piece.length > MAX_LINE_BYTES) {
        tooLong = true;
        parts = [];
      }
      if (!tooLong) parts.push(piece);
      length += piece.length;
      if (nl === -1) break;
      const end = chunkStart + nl + 1;
      yield { no: ++no, start: lineStart, end, bytes: tooLong ? undefined : Buffer.concat(parts, length), terminated: true };
      parts = [];
      length = 0;
      tooLong = false;
      lineStart = end;
      i = nl + 1;
    }
    chunkStart += chunk.length;
  }
  if (length > 0 || lineStart < chunkStart) {
    yield { no: ++no, start: lineStart, end: chunkStart, bytes: tooLong ? undefined : Buffer.concat(parts, length), terminated: false };
  }
}

/** CRC-32 of a line's text (UTF-8), as 8 hex digits. */
const crcOf = (text: string): string => crc32(text).toString(16).padStart(8, '0');
const CRC_TAIL = /,"crc":"([0-9a-f]{8})"\}$/;

/** A record as one log line (without its newline), its checksum as the last field. */
export function encodeRecord(r: LogRecord): string {
  const json = JSON.stringify(r);
  return `${json.slice(0, -1)},"crc":"${crcOf(json)}"}`;
}

export type ParsedLine =
  /** `checksummed`: false for a line written before records carried a checksum. */
  | { record: LogRecord; checksummed: boolean }
  /** `ids`: event ids still legible in the line; `recovered`: a whole record found glued behind a torn one. */
  | { problem: string; ids: string[]; recovered?: LogRecord };

const ID_RE = /"id":"([^"\\]{1,128})"/g;
const RECORD_START = '{"t":"';

function asRecord(text: string): { record: LogRecord; checksummed: boolean } | { problem: string } {
  const tail = CRC_TAIL.exec(text);
  const body = tail ? `${text.slice(0, tail.index)}}` : text;
  if (tail && crcOf(body) !== tail[1]) return { problem: `checksum mismatch (the line changed after it was written)` };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { problem: 'not JSON' };
  }
  // A `crc` field that is not the well-formed last one: the checksum itself is damaged.
  if (!tail && typeof json === 'object' && json !== null && 'crc' in json) return { problem: 'damaged checksum' };
  const parsed = logRecord.safeParse(json);
  if (parsed.success) return { record: parsed.data, checksummed: tail !== null };
  const issue = parsed.error.issues[0]!;
  return { problem: `not a log record (${issue.path.map(String).join('.') || 'record'}: ${issue.message})` };
}

export function parseLine(bytes: Buffer | undefined): ParsedLine {
  if (bytes === undefined) return { problem: `longer than ${MAX_LINE_BYTES} bytes`, ids: [] };
  const text = bytes.toString('utf8');
  const whole = asRecord(text);
  if ('record' in whole) return whole;
  // A torn write followed by a whole record on the same line (logs written before appends were
  // all-or-nothing): the record behind the tear is intact and was acknowledged.
  let torn = text;
  let recovered: LogRecord | undefined;
  for (let i = text.indexOf(RECORD_START, 1); i > 0; i = text.indexOf(RECORD_START, i + 1)) {
    const tail = asRecord(text.slice(i));
    if ('record' in tail) {
      recovered = tail.record;
      torn = text.slice(0, i);
      break;
    }
  }
  const ids = [...new Set([...torn.matchAll(ID_RE)].map((m) => m[1]!))];
  return {
    problem: recovered ? `torn record before a whole one (${whole.problem})` : whole.problem,
    ids,
    ...(recovered ? { recovered } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The store

/** A line replay could not use. */
export interface BadLine {
  line: number;
  problem: string;
  /** Event ids legible in it (none: it may have belonged to any event). */
  ids: string[];
  /** The unterminated last line of a write cut off by a crash: never acknowledged, so harmless. */
  torn: boolean;
}

export interface ReplayReport {
  lines: number;
  bytes: number;
  bad: BadLine[];
}

export interface OpenOptions {
  /** Each valid record, oldest first. */
  onRecord?: (record: LogRecord, line: number) => void;
  /** Each line that could not be used, in order with the records. */
  onBadLine?: (bad: BadLine) => void;
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

/** Bytes an unprivileged process may still write on the disk holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return s.bavail * s.bsize;
}

/** Turns the records of a log into those of its compacted copy; see compact.ts. */
export interface Rewriter {
  /** Sees every valid record of the part being compacted, before `plan`. */
  observe(record: LogRecord, bytes: number): void;
  /** Whether the copy would differ; false skips the copy. */
  plan(): boolean;
  /**
   * The line to write for `record` (without newline; a new line made with encodeRecord), `raw` to
   * keep it, undefined to drop it; `record` is undefined for an unusable line.
   */
  line(record: LogRecord | undefined, raw: Buffer): Buffer | string | undefined;
}

export interface CompactResult {
  before: number;
  after: number;
}

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

async function syncDir(dir: string): Promise<void> {
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

async function hashRange(file: string, from: number, to: number): Promise<string> {
  const h = createHash('sha256');
  if (to > from) for await (const chunk of createReadStream(file, { start: from, end: to - 1 }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

export class LogStore implements Store {
  private queue: Pending[] = [];
  private exclusive: Exclusive[] = [];
  private worker: Promise<void> | undefined;
  private closed = false;
  /** Set when the store must not be written any more (lock lost, folder unusable). */
  private failed: Error | undefined;
  /** Bytes past `offset` may exist (a failed append whose cut-back failed too). */
  private dirty = false;
  private compacting: Promise<CompactResult | undefined> | undefined;
  /** Bytes appended since the last compaction, for the size trigger. */
  appendedSinceCompaction = 0;

  private constructor(
    private fh: LogFile,
    private readonly dir: string,
    /** End of the last record known to be on disk. */
    private offset: number,
    private readonly lock: DataDirLock,
    private readonly open: OpenFile,
    private readonly onLost: (err: Error) => void,
    private readonly freeBytes: (dir: string) => Promise<number>,
  ) {}

  get file(): string {
    return path.join(this.dir, LOG_FILE);
  }

  get size(): number {
    return this.offset;
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
      const report: ReplayReport = { lines: 0, bytes: 0, bad: [] };
      let good = 0;
      for await (const line of readLines(file)) {
        report.lines = line.no;
        report.bytes = line.end;
        if (!line.terminated) {
          report.bad.push({
            line: line.no,
            problem: `torn last line (${line.end - line.start} bytes, cut off by a crash mid-write; never acknowledged): removed`,
            ids: [],
            torn: true,
          });
          opts.onBadLine?.(report.bad.at(-1)!);
          break;
        }
        good = line.end;
        const parsed = parseLine(line.bytes);
        if ('record' in parsed) {
          opts.onRecord?.(parsed.record, line.no);
          continue;
        }
        const bad: BadLine = { line: line.no, problem: parsed.problem, ids: parsed.ids, torn: false };
        report.bad.push(bad);
        opts.onBadLine?.(bad);
        if (parsed.recovered) opts.onRecord?.(parsed.recovered, line.no);
      }
      if (report.bytes > good) {
        if (!lock.owns()) throw new LockLost(`another process claimed the data folder ${dataDir} during the start`);
        await fh.truncate(good);
        await fh.datasync();
      }
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
    if (this.failed) return Promise.reject(this.failed);
    if (records.length === 0) {
      // Nothing to write (duplicates only), but still only acknowledged while the folder is ours.
      try {
        this.assertOwner();
      } catch (err) {
        return Promise.reject(err as Error);
      }
      return Promise.resolve();
    }
    const text = records.map((r) => `${encodeRecord(r)}\n`).join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      this.kick();
    });
  }

  /** Refuses every further append (the folder is no longer ours, or no longer safe). */
  fail(err: Error): void {
    this.failed ??= err;
  }

  /**
   * Synchronously, right before a write: throws unless the data folder's fencing token is still
   * ours. A lost folder fails the store for good; an unreadable owner file (e.g. EMFILE) refuses
   * only this write.
   */
  private assertOwner(): void {
    if (this.failed) throw this.failed;
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
    if (this.dirty) await this.cutBack();
    this.assertOwner();
    this.dirty = true;
    try {
      await appendAll(this.fh, buf);
      await this.fh.datasync();
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
    this.dirty = false;
    this.offset += buf.length;
    this.appendedSinceCompaction += buf.length;
  }

  /** Cuts the file back to the last good append; until this succeeds, nothing more is acknowledged. */
  private async cutBack(): Promise<void> {
    this.assertOwner();
    await this.fh.truncate(this.offset);
    await this.fh.datasync();
    this.dirty = false;
  }

  private runExclusive(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.exclusive.push({ run, resolve, reject });
      this.kick();
    });
  }

  /**
   * Rewrites the log through `rewriter` without stopping appends, except for the moment it
   * copies the records appended meanwhile and swaps the files. Resolves to undefined when there
   * was nothing to change; rejects (leaving the log as it was) when the copy cannot be written
   * whole, e.g. on a full disk.
   */
  compact(rewriter: Rewriter): Promise<CompactResult | undefined> {
    if (this.compacting) return this.compacting;
    this.compacting = this.compactNow(rewriter).finally(() => {
      this.compacting = undefined;
    });
    return this.compacting;
  }

  private async compactNow(rewriter: Rewriter): Promise<CompactResult | undefined> {
    if (this.closed || this.failed) return undefined;
    const file = this.file;
    const snapshot = this.offset;
    this.appendedSinceCompaction = 0;
    let unsummed = 0;
    for await (const line of readLines(file, 0, snapshot)) {
      const parsed = parseLine(line.bytes);
      if (!('record' in parsed)) continue;
      rewriter.observe(parsed.record, line.end - line.start);
      if (!parsed.checksummed) unsummed++;
    }
    // Lines from before checksums are a reason to copy on their own: they get one.
    if (!rewriter.plan() && unsummed === 0) return undefined;
    // The copy is at most the log's size (plus a checksum for each old line): refused up front,
    // with the figures, when the disk cannot hold it.
    const needed = snapshot + unsummed * 18;
    const free = await this.freeBytes(this.dir);
    if (free < needed)
      throw Object.assign(
        new Error(`not enough free space for the compacted copy: it needs up to ${needed} bytes, the disk has ${free} free`),
        { code: 'ENOSPC' },
      );

    this.assertOwner();
    const tmpPath = path.join(this.dir, `${TEMP_PREFIX}-${randomUUID()}`);
    const tmp = await this.open(tmpPath, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND);
    let swapped = false;
    try {
      // The copy of everything up to the snapshot, with a hash of exactly what was written.
      const hash = createHash('sha256');
      let written = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        const buf = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await appendAll(tmp, buf);
        hash.update(buf);
        written += buf.length;
      };
      for await (const line of readLines(file, 0, snapshot)) {
        const parsed = parseLine(line.bytes);
        let out = line.bytes === undefined ? undefined : rewriter.line('record' in parsed ? parsed.record : undefined, line.bytes);
        // Lines from before checksums get one on the way.
        if (out === line.bytes && 'record' in parsed && !parsed.checksummed) out = encodeRecord(parsed.record);
        if (out === undefined) continue;
        const buf = Buffer.concat([typeof out === 'string' ? Buffer.from(out) : out, Buffer.from('\n')]);
        pending.push(buf);
        pendingBytes += buf.length;
        if (pendingBytes >= 1024 * 1024) await flush();
      }
      await flush();
      await tmp.sync();
      if ((await fs.stat(tmpPath)).size !== written || (await hashRange(tmpPath, 0, written)) !== hash.digest('hex')) {
        throw new Error('the compacted copy does not read back as written');
      }
      if (this.closed) return undefined;

      // Appends wait only for this: the records that arrived meanwhile, then the swap.
      let result: CompactResult | undefined;
      await this.runExclusive(async () => {
        if (this.dirty) await this.cutBack();
        this.assertOwner();
        const tailLength = this.offset - snapshot;
        const tail = Buffer.alloc(tailLength);
        for (let got = 0; got < tailLength;) {
          const { bytesRead } = await this.fh.read(tail, got, tailLength - got, snapshot + got);
          if (bytesRead <= 0) throw new Error('the log ended before its last acknowledged record');
          got += bytesRead;
        }
        await appendAll(tmp, tail);
        await tmp.sync();
        const size = written + tailLength;
        if (
          (await fs.stat(tmpPath)).size !== size ||
          (await hashRange(tmpPath, written, size)) !== createHash('sha256').update(tail).digest('hex')
        ) {
          throw new Error('the compacted copy does not read back as written');
        }
        // Checked and renamed in one synchronous step: a process that lost the folder must never
        // put its copy in place of the new owner's log.
        this.assertOwner();
        renameSync(tmpPath, file);
        swapped = true;
        const old = this.fh;
        this.fh = tmp;
        result = { before: this.offset, after: size };
        this.offset = size;
        await old.close().catch(() => {});
        try {
          await syncDir(this.dir);
        } catch (err) {
          // Without it a crash could bring back the old file and lose what is appended next.
          this.fail(err as Error);
          throw err;
        }
      });
      return result;
    } finally {
      if (!swapped) {
        await tmp.close().catch(() => {});
        await fs.rm(tmpPath, { force: true }).catch(() => {});
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.compacting?.catch(() => {});
    await this.worker;
    await this.fh.close().catch(() => {});
    await this.lock.release();
  }
}
