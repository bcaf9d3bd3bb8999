// Placeholders such as {{labels.service}} in action bodies and environment values. Values are
// substituted into already-parsed strings (never into JSON or shell text), so no alert content
// can change the structure of what an action sends.
import { MAP_RE, PLACEHOLDER_RE, SCALARS, templateProblems } from '../config/template-syntax.js';

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

/**
 * Environment for a command: alert fields only, as SLOFORGE_* variables. Names that would not
 * be portable environment names are left out rather than mangled into a collision.
 */
export function alertEnv(alert: AlertFields, extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {
    SLOFORGE_REMEDIATION: alert.remediation,
    SLOFORGE_ALERT_STATUS: alert.status,
    SLOFORGE_ALERT_FINGERPRINT: alert.fingerprint,
    SLOFORGE_ALERT_STARTS_AT: alert.startsAt,
    SLOFORGE_ALERT_ENDS_AT: alert.endsAt,
  };
  for (const [prefix, map] of [['SLOFORGE_LABEL_', alert.labels], ['SLOFORGE_ANNOTATION_', alert.annotations]] as const) {
    for (const [k, v] of Object.entries(map)) {
      if (ENV_SAFE_RE.test(k) && !v.includes('\0')) env[`${prefix}${k.toUpperCase()}`] = v;
    }
  }
  for (const [k, v] of Object.entries(extra ?? {})) env[k] = renderString(v, alert).replaceAll('\0', '');
  return env;
}
