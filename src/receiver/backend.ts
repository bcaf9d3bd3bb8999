// What the receiver's HTTP side needs of where alerts are kept: the file log of one process
// (server.ts opens it) or PostgreSQL shared by replicas (postgres/backend.ts).
import type { AuditEntry } from './audit.js';
import type { ResolvedRemediation } from '../remediation/actions-file.js';
import type { AcceptResult } from './engine.js';
import type { WebhookAlert } from './payload.js';

export interface ReceiverBackend {
  /** Resolves once the alerts are durable; rejects with PersistError (answered 503) when they are not. */
  accept(alerts: readonly WebhookAlert[]): Promise<AcceptResult>;
  /** Whether the receiver can make alerts durable now (/readyz). */
  ready(): Promise<boolean>;
  /** The newest events, newest first (/api/actions). */
  recent(limit: number): Promise<AuditEntry[]>;
  queueDepth(): Promise<number>;
  /** Puts a reloaded actions file's remediations in force (SIGHUP); running actions keep theirs. */
  setRemediations(next: readonly ResolvedRemediation[]): void;
  /** Starts running actions; called once the receiver listens. */
  start(): void;
  /** Stops starting actions, lets running ones finish up to the deadline, then aborts them. */
  shutdown(deadlineMs: number): Promise<void>;
  close(): Promise<void>;
}
