// Compaction of the log file while the receiver serves: it copies the log into a temporary
// file through a Rewriter (what to keep is compact.ts's policy), checks what it wrote, then
// pauses appends only to copy the records that arrived meanwhile, fsyncs, and renames the copy
// over the log. The copy is refused up front when the disk cannot hold it.
import { constants, promises as fs, renameSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { GroupCommit } from './group-commit.js';
import { LOG_FILE, appendAll, hashRange, syncDir, type OpenFile } from './log-file.js';
import { readLines } from './log-read.js';
import { encodeRecord, parseLine } from './record-line.js';
import type { LogRecord } from './records.js';

/** Compaction copies are named per copy: one left by a process that lost the folder is never the new owner's. */
export const TEMP_PREFIX = `${LOG_FILE}.compacting`;

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

/** What compaction needs of the file store it rewrites. */
export interface CompactionTarget {
  /** The data folder. */
  dir: string;
  /** The log in it. */
  file: string;
  writer: GroupCommit;
  open: OpenFile;
  freeBytes: (dir: string) => Promise<number>;
  /** The store was closed: nothing is swapped in any more. */
  closed(): boolean;
}

/**
 * Rewrites the log through `rewriter` without stopping appends, except for the moment it
 * copies the records appended meanwhile and swaps the files. Resolves to undefined when there
 * was nothing to change; rejects (leaving the log as it was) when the copy cannot be written
 * whole, e.g. on a full disk.
 */
export async function compactLog(store: CompactionTarget, rewriter: Rewriter): Promise<CompactResult | undefined> {
  const w = store.writer;
  if (store.closed() || w.failed) return undefined;
  const file = store.file;
  const snapshot = w.offset;
  w.appendedSinceCompaction = 0;
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
  const free = await store.freeBytes(store.dir);
  if (free < needed)
    throw Object.assign(
      new Error(`not enough free space for the compacted copy: it needs up to ${needed} bytes, the disk has ${free} free`),
      { code: 'ENOSPC' },
    );

  w.assertOwner();
  const tmpPath = path.join(store.dir, `${TEMP_PREFIX}-${randomUUID()}`);
  const tmp = await store.open(tmpPath, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND);
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
    if (store.closed()) return undefined;

    // Appends wait only for this: the records that arrived meanwhile, then the swap.
    let result: CompactResult | undefined;
    await w.runExclusive(async () => {
      if (w.dirty) await w.cutBack();
      w.assertOwner();
      const tailLength = w.offset - snapshot;
      const tail = Buffer.alloc(tailLength);
      for (let got = 0; got < tailLength;) {
        const { bytesRead } = await w.fh.read(tail, got, tailLength - got, snapshot + got);
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
      w.assertOwner();
      renameSync(tmpPath, file);
      swapped = true;
      result = { before: w.offset, after: size };
      const old = w.swap(tmp, size);
      await old.close().catch(() => {});
      try {
        await syncDir(store.dir);
      } catch (err) {
        // Without it a crash could bring back the old file and lose what is appended next.
        w.fail(err as Error);
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
