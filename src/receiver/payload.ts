// Alertmanager's webhook body, version "4". Fields this receiver does not read are tolerated,
// because newer Alertmanagers add some.
import { z } from 'zod';
import { MAX_ALERT_BYTES } from './limits.js';
import type { AlertFields } from './template.js';

const stringMap = z.record(z.string(), z.string());
// Identity fields feed the dedupe key, so they are refused rather than cut when absurd.
const timestamp = z.string().min(1).max(64);

/**
 * Alertmanager writes an alert's fingerprint as 16 lowercase hex digits (a 64-bit hash of its
 * labels). Nothing else is accepted: the fingerprint goes into the dedupe key, the log and the
 * action's environment, and a value that could hold newlines or quotes has no business there.
 * Up to 64 digits, so a longer hash in a future Alertmanager still fits.
 */
export const FINGERPRINT = /^[0-9a-f]{1,64}$/;
export const FINGERPRINT_RULE = 'must be 1 to 64 lowercase hex digits, as Alertmanager writes a fingerprint';

export const webhookAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.optional(),
  startsAt: timestamp,
  endsAt: z.string().max(64).optional(),
  fingerprint: z.string().regex(FINGERPRINT, { error: FINGERPRINT_RULE }),
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

/** Size of an alert as the receiver stores it. */
export const alertBytes = (a: AlertFields): number => Buffer.byteLength(JSON.stringify(a));

/** Labels that route and bind an alert: cut only when nothing else is left to cut. */
const BINDING = new Set(['remediation', 'alertname', 'service', 'slo', 'threshold']);
export const TRUNCATED_ANNOTATION = 'sloforge_truncated';
/** Room kept for the TRUNCATED_ANNOTATION itself. */
const MARK_ROOM = 320;

/**
 * `value` cut to at most `bytes` UTF-8 bytes (on a character boundary), marked as cut; `size`
 * is its UTF-8 length when the caller knows it. Only the first `bytes` characters are encoded
 * (each is at least one byte): a replayed log of 1 MiB alerts cuts hundreds of them at a start.
 */
function cut(value: string, bytes: number, size = Buffer.byteLength(value)): string {
  let end = Math.max(0, bytes);
  if (size <= end) return value;
  // A surrogate pair split at the slice's end encodes as a 3-byte replacement there; the walk
  // back to a character boundary lands before it, as it would before the pair.
  const head = Buffer.from(value.slice(0, end));
  while (end > 0 && (head[end]! & 0xc0) === 0x80) end--;
  return `${head.subarray(0, end).toString('utf8')}…[${size - end} bytes cut]`;
}

interface Entry {
  map: Record<string, string>;
  kind: 'labels' | 'annotations';
  key: string;
}

/** Bytes a cut value gains back through its marker, at most. */
const MARKER_BYTES = 24;

/**
 * Cuts the longest values down to one common length, so that `excess` bytes go; short values
 * (the usual labels) stay whole. Returns the fields it cut.
 */
function levelValues(entries: Entry[], excess: number): string[] {
  const sizes = entries.map((e) => Buffer.byteLength(e.map[e.key]!));
  const freed = (level: number) => sizes.reduce((sum, s) => sum + (s > level ? s - level - MARKER_BYTES : 0), 0);
  // The highest level that still frees enough: binary search, as `freed` falls when it rises.
  let lo = 0;
  let hi = Math.max(0, ...sizes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (freed(mid) >= excess) lo = mid;
    else hi = mid - 1;
  }
  const done: string[] = [];
  entries.forEach((e, i) => {
    // Only where the cut saves more than its marker costs.
    if (sizes[i]! > lo + MARKER_BYTES) {
      e.map[e.key] = cut(e.map[e.key]!, lo, sizes[i]);
      done.push(`${e.kind}.${e.key}`);
    }
  });
  return done;
}

/**
 * The alert as the receiver keeps it: at most MAX_ALERT_BYTES. A bigger one is not refused
 * (a 400 would make Alertmanager re-send the whole group, with every other alert in it, forever):
 * its longest label and annotation values are cut to fit, each marked `…[N bytes cut]`, and
 * the annotation `sloforge_truncated` names what was cut. Identity fields are never cut.
 */
export function capAlert(a: AlertFields, max = MAX_ALERT_BYTES): { alert: AlertFields; cut: string[] } {
  const bytes = alertBytes(a);
  if (bytes <= max) return { alert: a, cut: [] };
  const out: AlertFields = { ...a, labels: { ...a.labels }, annotations: { ...a.annotations } };
  const entries = (all: boolean): Entry[] => [
    ...Object.keys(out.annotations).map((key) => ({ map: out.annotations, kind: 'annotations' as const, key })),
    ...Object.keys(out.labels)
      .filter((k) => all || !BINDING.has(k))
      .map((key) => ({ map: out.labels, kind: 'labels' as const, key })),
  ];
  const over = () => alertBytes(out) + MARK_ROOM - max;
  const cutFields = new Set<string>();
  const dropped: string[] = [];
  const size = (e: Entry) => e.key.length + e.map[e.key]!.length;
  // `out` measures what `a` measured until something is cut: measuring a big alert twice costs
  // milliseconds per alert, and a start replays hundreds of them.
  let excess = bytes + MARK_ROOM - max;
  // First the other fields, and only then, if nothing else helps, the binding labels.
  for (const all of [false, true]) {
    if (all) excess = over();
    for (let round = 0; round < 4 && excess > 0; round++) {
      for (const f of levelValues(entries(all), excess)) cutFields.add(f);
      excess = over();
    }
    // Still over: too many fields, or names too long. Drop whole fields, biggest first,
    // counting down what each frees (measuring the whole alert each time would be quadratic).
    for (const e of excess > 0 ? entries(all).sort((x, y) => size(y) - size(x)) : []) {
      if (excess <= 0) break;
      excess -= Buffer.byteLength(JSON.stringify(e.key)) + Buffer.byteLength(JSON.stringify(e.map[e.key])) + 1;
      delete e.map[e.key];
      dropped.push(`${e.kind}.${e.key}`);
    }
  }
  const gone = new Set(dropped);
  const names = [
    ...[...cutFields].filter((f) => !gone.has(f)).map((f) => `${f} cut`),
    ...(dropped.length ? [`${dropped.length} field(s) dropped`] : []),
  ];
  out.annotations[TRUNCATED_ANNOTATION] = cut(`alert over ${max} bytes: ${names.join(', ')}`, 200);
  return { alert: out, cut: [...cutFields, ...dropped] };
}
