// The receiver's durable memory: an append-only JSON-lines log in the data folder, fsync'd
// before any caller is told a record is safe, and replayed on start. Appends from concurrent
// requests share one write and one fsync (group commit), so durability costs one disk flush per
// burst rather than one per alert.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AlertFields } from './template.js';

export type ActionResult = 'success' | 'failure' | 'dry-run';
export type SkipReason = 'cooldown' | 'hourly-cap' | 'unknown-remediation' | 'not-bound' | 'resolved' | 'interrupted';

export type LogRecord =
  | { t: 'accepted'; id: string; at: number; key: string; alert: AlertFields }
  | { t: 'started'; id: string; at: number; attempt: number; dryRun: boolean }
  | { t: 'finished'; id: string; at: number; result: ActionResult; detail: string; durationMs: number }
  | { t: 'skipped'; id: string; at: number; reason: SkipReason; detail: string }
  /** What compaction leaves of an event that finished long ago: its dedupe key. */
  | { t: 'seen'; id: string; at: number; key: string };

export interface Store {
  /** Resolves once the records are on disk; rejects when they may not be. */
  append(records: readonly LogRecord[]): Promise<void>;
  close(): Promise<void>;
}

export const LOG_FILE = 'events.jsonl';

interface Pending {
  text: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class LogStore implements Store {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(private readonly fh: fs.FileHandle) {}

  /**
   * Opens (creating) the log and returns it with every record already in it, oldest first.
   * When `compact` returns other records than it was given, the log is first rewritten with
   * those, atomically (temporary file, fsync, rename, fsync of the folder).
   */
  static async open(dataDir: string, compact?: (records: readonly LogRecord[]) => readonly LogRecord[]): Promise<{ store: LogStore; records: readonly LogRecord[]; droppedLines: number }> {
    await fs.mkdir(dataDir, { recursive: true });
    const file = path.join(dataDir, LOG_FILE);
    let text = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    let records: readonly LogRecord[] = parseLog(text);
    const kept = compact?.(records) ?? records;
    const droppedLines = records.length - kept.length;
    if (kept !== records) {
      text = kept.map((r) => `${JSON.stringify(r)}\n`).join('');
      await replaceFile(dataDir, file, text);
      records = kept;
    }
    const fh = await fs.open(file, 'a');
    // A crash can leave half a line; end it so the next record starts clean. Replay drops it.
    if (text.length > 0 && !text.endsWith('\n')) {
      await fh.write('\n');
      await fh.datasync();
    }
    return { store: new LogStore(fh), records, droppedLines };
  }

  append(records: readonly LogRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    if (records.length === 0) return Promise.resolve();
    const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    return new Promise((resolve, reject) => {
      this.queue.push({ text, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.fh.write(batch.map((p) => p.text).join(''));
        await this.fh.datasync();
        for (const p of batch) p.resolve();
      } catch (err) {
        for (const p of batch) p.reject(err as Error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.fh.close();
  }
}

async function replaceFile(dir: string, file: string, text: string): Promise<void> {
  const tmp = `${file}.compact-${process.pid}`;
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.write(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
  const d = await fs.open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export function parseLog(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as LogRecord;
      if (r && typeof r === 'object' && typeof r.t === 'string' && typeof r.id === 'string') out.push(r);
    } catch {
      // A torn line from a crash mid-write: its request was never answered 2xx, so dropping it is safe.
    }
  }
  return out;
}
