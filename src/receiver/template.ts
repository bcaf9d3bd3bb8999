// Placeholders such as {{labels.service}} in action bodies and environment values. Values are
// substituted into already-parsed strings (never into JSON or shell text), so no alert content
// can change the structure of what an action sends.
import { MAP_RE, PLACEHOLDER_RE, SCALARS, templateProblems } from '../config/template-syntax.js';
import { MAX_ENV_TOTAL_BYTES, MAX_ENV_VALUE_BYTES } from './limits.js';

/** The alert fields an action may read. */
export interface AlertFields {
  remediation: string;
  status: string;
  fingerprint: string;
  startsAt: string;
  endsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export { templateProblems };

function lookup(ref: string, alert: AlertFields): string {
  if ((SCALARS as readonly string[]).includes(ref)) return alert[ref as (typeof SCALARS)[number]];
  const m = MAP_RE.exec(ref);
  if (!m) return '';
  const map = m[1] === 'labels' ? alert.labels : alert.annotations;
  return Object.hasOwn(map, m[2]!) ? map[m[2]!]! : '';
}

export function renderString(text: string, alert: AlertFields): string {
  return text.replace(PLACEHOLDER_RE, (_all, ref: string) => lookup(ref, alert));
}

/** Fills every string inside a JSON-like template; other values pass through. */
export function renderTemplate(value: unknown, alert: AlertFields): unknown {
  if (typeof value === 'string') return renderString(value, alert);
  if (Array.isArray(value)) return value.map((v) => renderTemplate(v, alert));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderTemplate(v, alert)]));
  }
  return value;
}

const ENV_SAFE_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Set when the environment below was cut to its caps: how many values were cut or left out. */
export const ENV_TRUNCATED = 'SLOFORGE_ENV_TRUNCATED';

/** `value` cut to at most `bytes` UTF-8 bytes on a character boundary. */
function cutBytes(value: string, bytes: number): string {
  const buf = Buffer.from(value);
  if (buf.length <= bytes) return value;
  let end = bytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Environment for a command: alert fields only, as SLOFORGE_* variables. Names that would not
 * be portable environment names are left out rather than mangled into a collision.
 *
 * Capped, because one oversized value makes every exec fail (E2BIG): each value to
 * MAX_ENV_VALUE_BYTES and everything to MAX_ENV_TOTAL_BYTES. The remediation's own `env` and
 * the alert's identity come first; labels, then annotations, fill what is left, and those
 * that do not fit are left out. SLOFORGE_ENV_TRUNCATED then says how many values were cut or left out.
 */
export function alertEnv(alert: AlertFields, extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  let total = 0;
  let cut = 0;
  // The first value given a name wins: the remediation's own env over the alert's fields.
  const put = (name: string, value: string): void => {
    if (Object.hasOwn(env, name)) return;
    const v = cutBytes(value, MAX_ENV_VALUE_BYTES);
    const size = Buffer.byteLength(name) + Buffer.byteLength(v) + 2;
    if (total + size > MAX_ENV_TOTAL_BYTES - 64) {
      cut++;
      return;
    }
    if (v !== value) cut++;
    env[name] = v;
    total += size;
  };
  for (const [k, v] of Object.entries(extra ?? {})) put(k, renderString(v, alert).replaceAll('\0', ''));
  put('SLOFORGE_REMEDIATION', alert.remediation);
  put('SLOFORGE_ALERT_STATUS', alert.status);
  put('SLOFORGE_ALERT_FINGERPRINT', alert.fingerprint);
  put('SLOFORGE_ALERT_STARTS_AT', alert.startsAt);
  put('SLOFORGE_ALERT_ENDS_AT', alert.endsAt);
  for (const [prefix, map] of [
    ['SLOFORGE_LABEL_', alert.labels],
    ['SLOFORGE_ANNOTATION_', alert.annotations],
  ] as const) {
    for (const [k, v] of Object.entries(map)) {
      if (ENV_SAFE_RE.test(k) && !v.includes('\0')) put(`${prefix}${k.toUpperCase()}`, v);
    }
  }
  if (cut > 0) env[ENV_TRUNCATED] = String(cut);
  return env;
}
