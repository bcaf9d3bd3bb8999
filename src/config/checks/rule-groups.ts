// Rule-group settings that only some engines understand must have an engine to go to, and an
// interval must keep the SLOs' recorded base rates gap-free.
import type { Config, RuleGroupSettings } from '../schema/config.js';
import type { ConfigPath, ConfigProblem } from '../errors.js';
import { parseDuration, MINUTE_MS } from '../duration.js';

/**
 * The shortest window an SLO records (MIN_WINDOW in src/model/windows.ts): every longer window
 * sums these recorded rates, so an evaluation interval above it would leave gaps between them.
 */
const MAX_INTERVAL_MS = 5 * MINUTE_MS;

const mimirOn = (cfg: Config) => cfg.prometheus?.mimir !== undefined && cfg.prometheus.mimir !== false;

function settingsProblems(cfg: Config, s: RuleGroupSettings | undefined, at: ConfigPath): ConfigProblem[] {
  if (!s) return [];
  const out: ConfigProblem[] = [];
  if (s.sourceTenants !== undefined && !mimirOn(cfg)) {
    out.push({
      path: [...at, 'sourceTenants'],
      message: 'goes only into Mimir/Cortex rule files: set prometheus.mimir: true (Prometheus and promtool refuse the field)',
    });
  }
  if (s.partialResponseStrategy !== undefined && cfg.prometheus?.thanos !== true) {
    out.push({
      path: [...at, 'partialResponseStrategy'],
      message: 'goes only into Thanos Ruler rule files: set prometheus.thanos: true (Prometheus and promtool refuse the field)',
    });
  }
  if (s.interval !== undefined && parseDuration(s.interval)! > MAX_INTERVAL_MS) {
    out.push({
      path: [...at, 'interval'],
      message: `must be at most 5m: the SLOs derive their long windows from 5m rates recorded at each evaluation, and a longer interval leaves gaps between them (got "${s.interval}")`,
    });
  }
  return out;
}

export function ruleGroupProblems(cfg: Config): ConfigProblem[] {
  return [
    ...settingsProblems(cfg, cfg.prometheus?.ruleGroups, ['prometheus', 'ruleGroups']),
    ...cfg.services.flatMap((svc, i) => settingsProblems(cfg, svc.ruleGroups, ['services', i, 'ruleGroups'])),
  ];
}
