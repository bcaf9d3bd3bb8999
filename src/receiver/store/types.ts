// What the receiver's engine needs from a store, and what a store reports while it replays: the
// narrow seam between the engine and where its records live. The file store (log-store.ts) is
// one implementation; another (a database) would implement the same interface beside it.
import type { LogRecord } from './records.js';

export interface Store {
  /** Resolves once the records are on disk; rejects when they are not (and then none of them is). */
  append(records: readonly LogRecord[]): Promise<void>;
  close(): Promise<void>;
}

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

/** What a store streams to the engine while it replays, oldest first. */
export interface ReplayHandlers {
  /** Each valid record, oldest first. */
  onRecord?: (record: LogRecord, line: number) => void;
  /** Each line that could not be used, in order with the records. */
  onBadLine?: (bad: BadLine) => void;
}
