// Sizes the receiver promises and enforces. Kept free of imports so the Alertmanager target can
// read them without pulling in the receiver (and without an import cycle).

/** Largest request body `POST /alerts` reads. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Largest alert the receiver keeps and acts on: its labels, annotations and identity fields as
 * JSON. Bigger alerts are truncated (see capAlert), so 32 alerts per message (the generated
 * webhook's max_alerts) and their envelope always fit DEFAULT_BODY_LIMIT.
 */
export const MAX_ALERT_BYTES = 16 * 1024;

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
