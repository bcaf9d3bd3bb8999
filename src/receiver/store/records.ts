// The records of the receiver's event log, one per state change of an event. They are what the
// engine writes and replays, whatever holds them: the schema validates every record read back,
// from the file store (record-line.ts) or any other store.
import { z } from 'zod';

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
