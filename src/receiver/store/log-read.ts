// Reading the log: its lines streamed with their byte offsets (its size is bounded by the disk,
// not by the longest string Node can hold), and replay at start, which validates every record,
// reports every line it cannot use, and cuts off a torn last line (a write cut off by a crash,
// never acknowledged) so the next record is not glued onto it.
import { createReadStream } from 'node:fs';
import { LockLost, type DataDirLock } from './lock.js';
import type { LogFile } from './log-file.js';
import { MAX_LINE_BYTES, parseLine } from './record-line.js';
import type { BadLine, ReplayHandlers, ReplayReport } from './types.js';

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

/**
 * Streams every record of the log at `file` (open as `fh`) to `onRecord` and every unusable line
 * to `onBadLine`, then cuts a torn last line off the file (only while the data folder is still
 * ours). Returns the report and the end of the last whole line, where appends continue.
 */
export async function replayLog(
  file: string,
  fh: LogFile,
  lock: DataDirLock,
  dataDir: string,
  opts: ReplayHandlers,
): Promise<{ report: ReplayReport; good: number }> {
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
  return { report, good };
}
