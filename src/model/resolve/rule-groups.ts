// Rule groups: each service's evaluation settings over the config-wide defaults, and which
// scale-out engines (Mimir with its limits, Thanos, vmalert) get files of their own.
import type { Config, RuleGroupSettings } from '../../config/schema/config.js';
import { MIMIR_LIMITS } from '../../conventions.js';
import type { MimirLimits, Model, RuleGroupPlan } from '../types.js';

/** A service's group settings over the config-wide defaults, field by field. */
export function ruleGroupPlan(own: RuleGroupSettings | undefined, defaults: RuleGroupSettings | undefined): RuleGroupPlan {
  const prs = { ...defaults?.partialResponseStrategy, ...own?.partialResponseStrategy };
  return {
    interval: own?.interval ?? defaults?.interval,
    limit: own?.limit ?? defaults?.limit,
    sourceTenants: own?.sourceTenants ?? defaults?.sourceTenants,
    partialResponse: { alerting: prs.alerting ?? 'abort', recording: prs.recording ?? 'abort' },
  };
}

function resolveMimir(cfg: Config): MimirLimits | undefined {
  const m = cfg.prometheus?.mimir;
  if (m === undefined || m === false) return undefined;
  const own = m === true ? {} : m;
  return {
    maxRulesPerGroup: own.maxRulesPerGroup ?? MIMIR_LIMITS.maxRulesPerGroup,
    maxGroupsPerTenant: own.maxGroupsPerTenant ?? MIMIR_LIMITS.maxGroupsPerTenant,
  };
}

export function resolveEngines(cfg: Config): Model['engines'] {
  return { mimir: resolveMimir(cfg), thanos: cfg.prometheus?.thanos === true, vmalert: cfg.prometheus?.vmalert === true };
}
