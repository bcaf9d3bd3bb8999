// The imported config as it is built up document by document, and the checks every importer
// shares: names kept (or renamed loudly), labels sloforge reserves dropped, objectives in range.
import type { SloInput } from '../config/define.js';
import { NAME_RE } from '../config/schema/common.js';
import { RESERVED_LABELS } from '../conventions.js';
import { ImportFailure, type Report, type Where } from './report.js';

export const SPEC_KINDS = ['sloth', 'openslo', 'pyrra'] as const;
export type SpecKind = (typeof SPEC_KINDS)[number];

/** How messages and file headers name each format and one document of it. */
export const SPEC_TITLES: Record<SpecKind, { format: string; document: string }> = {
  sloth: { format: 'Sloth', document: 'a Sloth spec' },
  openslo: { format: 'OpenSLO', document: 'an OpenSLO document' },
  pyrra: { format: 'Pyrra', document: 'a Pyrra ServiceLevelObjective' },
};

export interface ImportedService {
  name: string;
  team: string;
  labels: Record<string, string>;
  slos: SloInput[];
  /** Spec files the service came from, for the header of its file. */
  sources: string[];
  notes: string[];
}

export interface Imported {
  kind: SpecKind;
  services: ImportedService[];
  teams: string[];
}

const LABEL_NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Code-unit order: unlike localeCompare, the same on every machine, so the output is too. */
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A sloforge name for `raw`: the same text when it is valid, else the nearest valid one, said loudly. */
export function keepName(where: Where, what: 'service' | 'SLO' | 'team', raw: unknown, report: Report): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new ImportFailure(where, `the ${what} name must be a non-empty string`);
  if (NAME_RE.test(raw)) return raw;
  let name = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `${what === 'SLO' ? 'slo' : what}-${name}`.replace(/-$/, '');
  const at = what === 'service' ? { ...where, service: name } : what === 'SLO' ? { ...where, slo: name } : where;
  report.note(at, `${what} name "${raw}" is not valid in sloforge ([a-z][a-z0-9-]*): renamed to "${name}"`);
  return name;
}

/** Labels as Prometheus label names and string values, without the ones sloforge sets itself. */
export function importLabels(
  where: Where,
  raw: unknown,
  report: Report,
  use: string,
  fieldOf = (key: string) => `${where.field}.${key}`,
): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) throw new ImportFailure(where, 'must be a map of label names to values');
  const out: Record<string, string> = {};
  for (const key of Object.keys(raw).sort()) {
    const value = raw[key];
    const at: Where = { ...where, field: fieldOf(key) };
    if (!LABEL_NAME_RE.test(key)) throw new ImportFailure(at, 'is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ImportFailure(at, 'label values must be strings');
    }
    if (RESERVED_LABELS.includes(key) || key.startsWith('__')) {
      report.note(at, `label "${key}" dropped: sloforge sets it itself${use}`);
      continue;
    }
    out[key] = String(value);
  }
  return out;
}

/** Percent strictly between 0 and 100, with float noise from a 0..1 target rounded away. */
export function objectivePercent(where: Where, value: unknown, scale: 1 | 100): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ImportFailure(where, 'must be a number');
  const percent = Number((value * scale).toPrecision(12));
  if (!(percent > 0 && percent < 100)) {
    throw new ImportFailure(where, `must be above 0 and below ${scale === 1 ? '100 (percent)' : '1'}, got ${value}`);
  }
  return percent;
}

/** Collects services across documents: specs for one service may come in several files. */
export class ServiceSet {
  private readonly byName = new Map<string, ImportedService>();
  /** The name each service has in the specs, to catch two names renamed into one. */
  private readonly written = new Map<string, string>();

  constructor(private readonly report: Report) {}

  get(where: Where, raw: string, name: string, team: string, labels: Record<string, string>): ImportedService {
    const other = this.written.get(name);
    if (other !== undefined && other !== raw) {
      throw new ImportFailure(
        where,
        `service "${raw}" and service "${other}" would both be named "${name}" in sloforge; rename one in the specs`,
      );
    }
    this.written.set(name, raw);
    const known = this.byName.get(name);
    if (!known) {
      const svc: ImportedService = { name, team, labels, slos: [], sources: [], notes: [] };
      this.byName.set(name, svc);
      return svc;
    }
    if (known.team !== team) {
      throw new ImportFailure(where, `service "${name}" is owned by team "${known.team}" in another spec and by "${team}" here`);
    }
    for (const [k, v] of Object.entries(labels)) {
      if (known.labels[k] !== undefined && known.labels[k] !== v) {
        throw new ImportFailure(
          { ...where, field: `labels.${k}` },
          `is "${v}" here but "${known.labels[k]}" in another spec of service "${name}"`,
        );
      }
      known.labels[k] = v;
    }
    return known;
  }

  addSlo(where: Where, svc: ImportedService, slo: SloInput, source: string): void {
    if (svc.slos.some((s) => s.name === slo.name))
      throw new ImportFailure(where, `duplicate SLO name "${slo.name}" in service "${svc.name}"`);
    svc.slos.push(slo);
    if (!svc.sources.includes(source)) svc.sources.push(source);
  }

  finish(kind: Imported['kind']): Imported {
    const services = [...this.byName.values()].sort((a, b) => byText(a.name, b.name));
    for (const svc of services) {
      svc.sources.sort();
      svc.labels = Object.fromEntries(Object.entries(svc.labels).sort(([a], [b]) => byText(a, b)));
    }
    for (const n of this.report.notes) {
      const svc = n.where.service !== undefined ? this.byName.get(n.where.service) : undefined;
      svc?.notes.push(
        n.message +
          (n.where.slo !== undefined
            ? ` (SLO "${n.where.slo}"${n.where.field ? `, ${n.where.field}` : ''})`
            : n.where.field
              ? ` (${n.where.field})`
              : ''),
      );
    }
    const teams = [...new Set(services.map((s) => s.team))].sort();
    return { kind, services, teams };
  }
}
