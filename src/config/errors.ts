import { locate } from './source-location.js';
import { formatLocation } from './stack.js';
import { UserError } from '../errors.js';

// User-facing config problems. Each names the file, the object (service, SLO, threshold...) and
// the field, because "invalid config" alone sends an SRE hunting through every file.

export type ConfigPath = ReadonlyArray<string | number>;

export interface ConfigProblem {
  path: ConfigPath;
  message: string;
}

/** The line that ends a list of problems, so a user knows the list is complete and the output untouched. */
export function nothingWritten(problems: number): string {
  return `${problems} problem${problems === 1 ? '' : 's'}; nothing was written`;
}

/** Thrown by validation, a user error with the path of every problem's field; rendered against the loaded source by `formatProblems`. */
export class ConfigError extends UserError {
  /** `warnings`: what generate would warn about, listed with the problems so one run says everything. */
  constructor(
    readonly problems: ConfigProblem[],
    readonly warnings: ConfigProblem[] = [],
  ) {
    super(problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Marks objects with the file they were written in (set by the define* helpers). */
export const SOURCE_FILE = Symbol.for('sloforge.sourceFile');

const KIND: Record<string, string> = {
  teams: 'team',
  services: 'service',
  slos: 'SLO',
  thresholds: 'threshold',
  remediations: 'remediation',
};

function sourceOf(value: unknown): string | undefined {
  if (value && typeof value === 'object') {
    const file = (value as Record<symbol, unknown>)[SOURCE_FILE];
    if (typeof file === 'string') return file;
  }
  return undefined;
}

/**
 * Renders one problem as `slos/checkout.ts:14:7: service "checkout" > SLO "latency" > field "sli.latency.threshold": message`,
 * reading names from the raw (pre-validation) config along the path, and the position of the
 * field from its source (`locate`); without one, the file a define* helper or an importer tagged.
 */
export function formatProblem(problem: ConfigProblem, raw: unknown, defaultFile: string): string {
  const loc = locate(raw, problem.path);
  let file = sourceOf(raw) ?? defaultFile;
  const where: string[] = [];
  let field: Array<string | number> = [];
  let node: unknown = raw;
  for (let i = 0; i < problem.path.length; i++) {
    const key = problem.path[i]!;
    const next = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
    const kind = typeof key === 'number' ? KIND[String(problem.path[i - 1])] : undefined;
    if (kind !== undefined) {
      field = [];
      const nm = next && typeof next === 'object' ? (next as { name?: unknown }).name : undefined;
      where.push(typeof nm === 'string' ? `${kind} "${nm}"` : `${kind} #${Number(key) + 1}`);
      file = sourceOf(next) ?? file;
    } else if (!(KIND[String(key)] && typeof problem.path[i + 1] === 'number')) {
      field.push(key);
    }
    node = next;
  }
  const fieldText = field.length > 0 ? `field "${field.join('.')}"` : '';
  const parts = [...where, fieldText].filter((s) => s !== '');
  return `${loc ? formatLocation(loc) : file}: ${parts.length > 0 ? parts.join(' > ') + ': ' : ''}${problem.message}`;
}

export function formatProblems(err: ConfigError, raw: unknown, defaultFile: string): string {
  return [
    ...err.problems.map((p) => formatProblem(p, raw, defaultFile)),
    ...err.warnings.map((p) => `warning: ${formatProblem(p, raw, defaultFile)}`),
  ].join('\n');
}
