// The file operations under the log: appends that continue short writes, the data folder's
// fsync, free space, and a hash of a byte range to check a copy reads back as written. Tests
// substitute the handle (LogFile) to fail on purpose.
import { createReadStream, promises as fs } from 'node:fs';
import { createHash } from 'node:crypto';

export const LOG_FILE = 'events.jsonl';

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
export const openFile: OpenFile = (file, flags) => fs.open(file, flags, 0o600);

/** Appends all of `buf`, continuing short writes; a write that makes no progress is an error. */
export async function appendAll(fh: LogFile, buf: Buffer): Promise<void> {
  for (let done = 0; done < buf.length;) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, null);
    if (!(bytesWritten > 0)) throw Object.assign(new Error(`no space written (${done} of ${buf.length} bytes)`), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Bytes an unprivileged process may still write on the disk holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return s.bavail * s.bsize;
}

export async function syncDir(dir: string): Promise<void> {
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export async function hashRange(file: string, from: number, to: number): Promise<string> {
  const h = createHash('sha256');
  if (to > from) for await (const chunk of createReadStream(file, { start: from, end: to - 1 }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}
