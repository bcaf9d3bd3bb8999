import { parse } from 'yaml';
import type { Artifact } from '../../src/output/artifact.js';
import { RULE_FILE_PARTS, RULES_DIR, rulesFileOf } from '../../src/prometheus/target.js';
import { baseConfig } from './config.js';

/** Two services with rule-group settings at both levels, Mimir and Thanos on. */
export function engineConfig(): any {
  const cfg = baseConfig();
  cfg.services[0].slos[1].alerting = { enabled: false };
  cfg.services.push({
    name: 'search',
    team: 'payments',
    thresholds: [{ name: 'cpu', expr: 'max(cpu{job="search"})', warning: 80 }],
    ruleGroups: { interval: '30s', limit: 100, sourceTenants: ['search'], partialResponseStrategy: { alerting: 'warn' } },
  });
  cfg.prometheus = {
    mimir: true,
    thanos: true,
    ruleGroups: { interval: '1m', sourceTenants: ['team-a', 'team-b'], partialResponseStrategy: { recording: 'warn' } },
  };
  return cfg;
}

/** The parsed YAML files below `dir`, by their path inside it. */
export const yamlFiles = (artifacts: Artifact[], dir: string): Record<string, any> =>
  Object.fromEntries(artifacts.filter((a) => a.path.startsWith(dir)).map((a) => [a.path.slice(dir.length), parse(a.content)]));

/**
 * Each service's plain rule groups as one file would hold them, keyed `<service>.yml`: the
 * Prometheus target writes them in up to three files (SLOs, `.thresholds`, `.nodata`), in that
 * order, while the engines' targets (Mimir, Thanos, vmalert) and the Operator's objects take
 * them as one sequence per service.
 */
export function plainRules(artifacts: Artifact[]): Record<string, any> {
  const out: Record<string, { groups: any[] }> = {};
  const files = artifacts
    .filter((a) => a.path.startsWith(`${RULES_DIR}/`))
    .map((a) => ({ ...rulesFileOf(a.path), content: a.content }))
    .sort((a, b) => RULE_FILE_PARTS.indexOf(a.part) - RULE_FILE_PARTS.indexOf(b.part));
  for (const f of files) (out[`${f.service}.yml`] ??= { groups: [] }).groups.push(...parse(f.content).groups);
  return out;
}
