// Sizes the receiver promises and enforces. The per-alert cap is part of the contract with the
// generated Alertmanager config, and the shutdown grace with the generated Deployment: both live in
// conventions.ts, which the compiler reads too (it never imports the receiver).
import { DEFAULT_SHUTDOWN_GRACE_MS, MAX_ALERT_BYTES, REMEDIATION_MAX_ALERTS } from '../conventions.js';

/** Largest request body `POST /alerts` reads. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export { MAX_ALERT_BYTES, REMEDIATION_MAX_ALERTS };

/**
 * How much of a refused body is read and thrown away before the connection closes. Closing
 * while a client is still sending makes its kernel answer with a reset, and a client that sends
 * everything before reading then never sees the 413.
 */
export const DISCARD_LIMIT = 16 * 1024 * 1024;

/** Environment exported to a command: each value, and all of it together (Linux allows 128 KiB per value). */
export const MAX_ENV_VALUE_BYTES = 8 * 1024;
export const MAX_ENV_TOTAL_BYTES = 64 * 1024;

/** Default cap on open connections; Alertmanager needs a handful. */
export const DEFAULT_MAX_CONNECTIONS = 256;

/** An idle keep-alive connection is closed after this long. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export { DEFAULT_SHUTDOWN_GRACE_MS };
