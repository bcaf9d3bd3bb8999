// The parts of an invalid config that pass the schema on their own, so the cross-reference
// checks run on them in the same pass: a user sees an unknown team next to a bad objective, not
// one list, then after fixing it a second one. Whatever fails the schema is left out, and the
// checks are told the names it declares, so nothing is reported as missing that is merely broken.
import { config as configSchema, service as serviceSchema } from './schema/config.js';
import type { Config } from './public-types.js';
import { slo as sloSchema } from './schema/slo.js';
import { threshold as thresholdSchema } from './schema/threshold.js';
import { team as teamSchema } from './schema/team.js';
import { remediation as remediationSchema } from './schema/remediation.js';
import { grafana as grafanaSchema } from './schema/grafana.js';
import { alertmanagerSettings } from './schema/alertmanager.js';
import type { ConfigPath } from './errors.js';

/** Names declared in the raw config, valid or not: references to them are not "unknown". */
export interface Declared {
  teams: ReadonlySet<string>;
  remediations: ReadonlySet<string>;
}

export interface Salvaged {
  config: Config;
  declared: Declared;
  /** Maps a path in `config` (where left-out items shift the indices) back to the raw config's. */
  rawPath: (path: ConfigPath) => ConfigPath;
  /** False when the alertmanager section failed the schema: checks that read it would guess. */
  alertmanagerKnown: boolean;
}

type Schema<T> = { safeParse: (v: unknown) => { success: true; data: T } | { success: false } };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function namesOf(list: unknown): Set<string> {
  const out = new Set<string>();
  if (Array.isArray(list)) for (const item of list) if (isRecord(item) && typeof item.name === 'string') out.add(item.name);
  return out;
}

/** Stand-ins for fields whose problems were reported already; absent ones are left out. */
type Patches = Record<string, unknown>;

/**
 * An SLO whose objective or other top-level fields fail the schema still has an SLI worth
 * checking (its selectors, its test series): with those fields replaced by stand-ins or left out,
 * it is kept for the cross-checks. The stand-ins raise no problem of their own.
 */
const SLO_PATCHES: Patches = { objective: 99.9, period: undefined, description: undefined, alerting: undefined, groupBy: undefined };

/** The top-level keys of a raw item that its schema's issues point into. */
function failingKeys(schema: Schema<unknown>, item: unknown): string[] | undefined {
  const r = (
    schema as {
      safeParse: (v: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; code: string; keys?: string[] }> } };
    }
  ).safeParse(item);
  if (r.success || !r.error) return undefined;
  return [
    ...new Set(
      r.error.issues.flatMap((i) => (i.path.length > 0 ? [String(i.path[0])] : i.code === 'unrecognized_keys' ? (i.keys ?? []) : [''])),
    ),
  ];
}

/** Items of a raw list that pass `schema` (with `patches` for the fields that fail), with the raw index of each. */
function keep<T>(list: unknown, schema: Schema<T>, patches: Patches = {}): Array<{ value: T; index: number }> {
  if (!Array.isArray(list)) return [];
  const out: Array<{ value: T; index: number }> = [];
  list.forEach((item, index) => {
    const r = schema.safeParse(item);
    if (r.success) {
      out.push({ value: r.data, index });
      return;
    }
    const keys = failingKeys(schema as Schema<unknown>, item);
    if (!isRecord(item) || !keys || !keys.every((k) => k in patches)) return;
    const patched: Record<string, unknown> = { ...item };
    for (const k of keys) {
      if (patches[k] === undefined) delete patched[k];
      else patched[k] = patches[k];
    }
    const again = schema.safeParse(patched);
    if (again.success) out.push({ value: again.data, index });
  });
  return out;
}

/** Undefined when the top level is not even the shape of a config (then only the schema's problems count). */
export function salvage(input: unknown): Salvaged | undefined {
  if (!isRecord(input) || !Array.isArray(input.teams) || !Array.isArray(input.services)) return undefined;
  // Raw indices of kept items, by the list's path in the salvaged config ("services", "services.0.slos").
  const indices = new Map<string, number[]>();
  const list = <T>(key: string, items: Array<{ value: T; index: number }>): T[] => {
    indices.set(
      key,
      items.map((i) => i.index),
    );
    return items.map((i) => i.value);
  };
  const services: Config['services'] = [];
  const serviceIndices: number[] = [];
  input.services.forEach((raw, index) => {
    const whole = serviceSchema.safeParse(raw);
    if (whole.success) {
      indices.set(
        `services.${services.length}.slos`,
        (whole.data.slos ?? []).map((_, i) => i),
      );
      indices.set(
        `services.${services.length}.thresholds`,
        (whole.data.thresholds ?? []).map((_, i) => i),
      );
      services.push(whole.data);
      serviceIndices.push(index);
      return;
    }
    // The service's own fields may be fine and only some of its SLOs or thresholds broken.
    if (!isRecord(raw)) return;
    const slos = keep(raw.slos, sloSchema, SLO_PATCHES);
    const thresholds = keep(raw.thresholds, thresholdSchema);
    const rest = serviceSchema.safeParse({
      ...raw,
      ...(raw.slos !== undefined ? { slos: slos.map((s) => s.value) } : {}),
      ...(raw.thresholds !== undefined ? { thresholds: thresholds.map((t) => t.value) } : {}),
    });
    if (!rest.success) return;
    const at = services.length;
    list(`services.${at}.slos`, slos);
    list(`services.${at}.thresholds`, thresholds);
    services.push(rest.data);
    serviceIndices.push(index);
  });
  indices.set('services', serviceIndices);
  const grafana = grafanaSchema.safeParse(input.grafana);
  const alertmanager = alertmanagerSettings.safeParse(input.alertmanager);
  const partial = {
    teams: list('teams', keep(input.teams, teamSchema)),
    services,
    remediations: list('remediations', keep(input.remediations, remediationSchema)),
    grafana: grafana.success ? grafana.data : undefined,
    alertmanager: alertmanager.success ? alertmanager.data : undefined,
  };
  // Parsed once more as a whole so defaults and transforms apply exactly as they do for a valid config.
  const whole = configSchema.safeParse(partial);
  if (!whole.success) return undefined;
  return {
    config: whole.data,
    declared: { teams: namesOf(input.teams), remediations: namesOf(input.remediations) },
    alertmanagerKnown: alertmanager.success,
    rawPath: (path) => {
      const out: Array<string | number> = [];
      path.forEach((key, i) => {
        const map = typeof key === 'number' ? indices.get(path.slice(0, i).join('.')) : undefined;
        out.push(map !== undefined && typeof key === 'number' ? (map[key] ?? key) : key);
      });
      return out;
    },
  };
}
