// Alertmanager's webhook body, version "4". Fields this receiver does not read are tolerated,
// because newer Alertmanagers add some.
import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());

export const webhookAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.optional(),
  startsAt: z.string().min(1),
  endsAt: z.string().optional(),
  fingerprint: z.string().min(1).max(256),
});

export const webhookPayload = z.looseObject({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook format)' }),
  alerts: z.array(webhookAlert),
});

export type WebhookAlert = z.infer<typeof webhookAlert>;
export type WebhookPayload = z.infer<typeof webhookPayload>;

/** Short, stack-free descriptions of what is wrong with a body. */
export function payloadProblems(error: z.ZodError, max = 5): string[] {
  return error.issues.slice(0, max).map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`);
}

/** Same alert, same episode, same state: one delivery, however often Alertmanager sends it. */
export function dedupeKey(a: WebhookAlert): string {
  return `${a.fingerprint}|${a.startsAt}|${a.status}`;
}
