// Validation, the one stage that may reject user input: the schema field by field, then what
// zod cannot express (names unique, references resolve, receivers reachable, test series
// inventable). What passes compiles without error.
import { z } from 'zod';
import { config as configSchema } from './schema/config.js';
import type { Config } from './public-types.js';
import { ConfigError, type ConfigPath, type ConfigProblem } from './errors.js';
import { parseDuration, DAY_MS } from './duration.js';
import { RESERVED_LABELS } from '../conventions.js';
import { alertmanagerProblems } from './checks/alertmanager.js';
import { grafanaProblems } from './checks/grafana.js';
import { testSeriesProblems } from './checks/test-series.js';
import { groupingProblems } from './checks/grouping.js';
import { kubernetesProblems } from './checks/kubernetes.js';
import { ruleGroupProblems } from './checks/rule-groups.js';
import { nameLimitProblems } from './checks/names.js';
import { vmalertProblems } from './checks/vmalert.js';
import { salvage, type Declared } from './salvage.js';
import { selectorWarnings } from './checks/selector-lint.js';

const MIN_PERIOD_MS = DAY_MS;
const MAX_PERIOD_MS = 365 * DAY_MS;

/** Names repeated in a raw list, each after its first: items that fail the schema count too. */
function duplicates(items: unknown, path: ReadonlyArray<string | number>, what: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const out: ConfigProblem[] = [];
  if (!Array.isArray(items)) return out;
  items.forEach((item: unknown, i) => {
    const name = item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, i);
    else out.push({ path: [...path, i, 'name'], message: `duplicate ${what} name "${name}" (also #${first + 1})` });
  });
  return out;
}

const field = (v: unknown, key: string): unknown => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined);

/**
 * Every repeated name in the config as written, whether or not the items pass the schema: a
 * duplicate is reported in the same run as the other problems of its items.
 */
function duplicateNames(input: unknown): ConfigProblem[] {
  const services = field(input, 'services');
  return [
    ...duplicates(field(input, 'teams'), ['teams'], 'team'),
    ...duplicates(services, ['services'], 'service'),
    ...duplicates(field(input, 'remediations'), ['remediations'], 'remediation'),
    ...(Array.isArray(services) ? services : []).flatMap((svc: unknown, si) => [
      ...duplicates(field(svc, 'slos'), ['services', si, 'slos'], 'SLO'),
      ...duplicates(field(svc, 'thresholds'), ['services', si, 'thresholds'], 'threshold'),
    ]),
  ];
}

/**
 * What zod cannot express. `declared` adds the names of items that failed the schema (see
 * salvage.ts), so a reference to a broken team is not also reported as an unknown one.
 */
export function crossCheck(cfg: Config, declared?: Declared, alertmanagerKnown = true): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const teams = new Set([...cfg.teams.map((t) => t.name), ...(declared?.teams ?? [])]);
  const remediations = new Set([...(cfg.remediations ?? []).map((r) => r.name), ...(declared?.remediations ?? [])]);
  const unknownRemediation = (name: string | undefined, path: ConfigPath) => {
    if (name !== undefined && !remediations.has(name))
      problems.push({ path, message: `unknown remediation "${name}" (declare it under remediations)` });
  };

  cfg.services.forEach((svc, si) => {
    const at = ['services', si] as const;
    if (!teams.has(svc.team)) {
      problems.push({ path: [...at, 'team'], message: `unknown team "${svc.team}" (teams: ${[...teams].join(', ') || 'none'})` });
    }
    for (const label of Object.keys(svc.labels ?? {})) {
      if (RESERVED_LABELS.includes(label) || label.startsWith('__')) {
        problems.push({ path: [...at, 'labels', label], message: `label "${label}" is set by sloforge and cannot be overridden` });
      }
    }
    const slos = svc.slos ?? [];
    const thresholds = svc.thresholds ?? [];
    slos.forEach((slo, i) => {
      const period = parseDuration(slo.period ?? '30d')!;
      if (slo.period !== undefined && (period < MIN_PERIOD_MS || period > MAX_PERIOD_MS)) {
        problems.push({ path: [...at, 'slos', i, 'period'], message: `must be between 1d and 365d, got "${slo.period}"` });
      }
      unknownRemediation(slo.alerting?.remediation, [...at, 'slos', i, 'alerting', 'remediation']);
      unknownRemediation(slo.alerting?.noData?.remediation, [...at, 'slos', i, 'alerting', 'noData', 'remediation']);
      for (const label of Object.keys(slo.alerting?.labels ?? {})) {
        if (RESERVED_LABELS.includes(label)) {
          problems.push({
            path: [...at, 'slos', i, 'alerting', 'labels', label],
            message: `label "${label}" is set by sloforge and cannot be overridden`,
          });
        }
      }
    });
    thresholds.forEach((th, i) => {
      unknownRemediation(th.remediation, [...at, 'thresholds', i, 'remediation']);
      unknownRemediation(th.noData?.remediation, [...at, 'thresholds', i, 'noData', 'remediation']);
    });
  });
  problems.push(
    ...groupingProblems(cfg),
    ...(alertmanagerKnown ? alertmanagerProblems(cfg) : []),
    ...grafanaProblems(cfg, teams),
    ...testSeriesProblems(cfg),
    ...ruleGroupProblems(cfg),
    ...kubernetesProblems(cfg),
    ...nameLimitProblems(cfg),
    ...vmalertProblems(cfg),
  );
  return problems;
}

/**
 * Validates an untrusted config value; throws ConfigError listing every problem found: the
 * schema's, and the cross-reference problems of the parts that pass it, in one list.
 */
export function validateConfig(input: unknown): Config {
  const parsed = configSchema.safeParse(input, { reportInput: true });
  const repeated = duplicateNames(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap(issueToProblems);
    problems.push(...repeated);
    const partial = salvage(input);
    const warnings: ConfigProblem[] = [];
    if (partial) {
      const cross = crossCheck(partial.config, partial.declared, partial.alertmanagerKnown);
      problems.push(...cross.map((p) => ({ ...p, path: partial.rawPath(p.path) })));
      warnings.push(...selectorWarnings(partial.config).map((p) => ({ ...p, path: partial.rawPath(p.path) })));
    }
    throw new ConfigError(problems, warnings);
  }
  const problems = [...repeated, ...crossCheck(parsed.data)];
  if (problems.length > 0) throw new ConfigError(problems, selectorWarnings(parsed.data));
  return parsed.data;
}

function issueToProblems(issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'invalid_union') {
    // `false | { ... }` and kin: when the value has the shape of one branch only (the others fail
    // at its root on type or value), that branch's problems are the ones worth naming.
    const shaped = issue.errors.filter(
      (branch) => !branch.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')),
    );
    if (shaped.length === 1)
      return shaped[0]!.flatMap((i) => issueToProblems({ ...i, path: [...issue.path, ...i.path] } as z.core.$ZodIssue));
    if (shaped.length === 0) {
      // No branch fits its type: say what the schema's own messages say (zod's are generic).
      const said = [...new Set(issue.errors.flat().map((i) => i.message))];
      const ours = said.filter((m) => !m.startsWith('Invalid input'));
      if (said.length > 0) return [{ path, message: (ours.length > 0 ? ours : said).join('; ') }];
    }
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: 'is not a known field (check the spelling)' }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: 'is required' }];
  }
  return [{ path, message: issue.message }];
}
