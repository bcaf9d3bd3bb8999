import type { AlertFields } from '../template.js';

export interface ActionContext {
  /** The accepted event's id: sent as Idempotency-Key so a target can drop a resumed re-run. */
  id: string;
  alert: AlertFields;
  /** Aborted when shutdown's deadline passes. */
  signal: AbortSignal;
}

export interface ActionOutcome {
  ok: boolean;
  /** One line for the audit trail; never a stack trace. */
  detail: string;
}
