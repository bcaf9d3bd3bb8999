import { z } from 'zod';
import { positiveDuration } from './common.js';

// Settings of the generated rule groups. `interval` and `limit` are Prometheus rule-file fields
// (promtool 2.42 accepts both); `sourceTenants` and `partialResponseStrategy` are fields only
// Mimir/Cortex and Thanos Ruler accept, so they are written only into those engines' files.

const strategy = z.enum(['abort', 'warn'], { error: 'must be "abort" or "warn"' });

/** Rule-group settings of one service, or the defaults of every service (`prometheus.ruleGroups`). */
export const ruleGroupSettings = z.strictObject({
  /** How often the service's groups are evaluated; the engine's global interval when unset. */
  interval: positiveDuration.optional(),
  /** Most alerts (and series per recording rule) one rule may produce; beyond it the rule fails. 0 means no limit. */
  limit: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 (no limit) or more' })
    .optional(),
  /** Mimir/Cortex: the tenants a federated rule group reads (`source_tenants`); needs `prometheus.mimir`. */
  sourceTenants: z
    .array(z.string().min(1, { error: 'must not be empty' }))
    .min(1, { error: 'must name at least one tenant' })
    .optional(),
  /** Thanos Ruler: what a group does when a store answers only in part; needs `prometheus.thanos`. */
  partialResponseStrategy: z
    .strictObject({
      /** Groups with alerts (default abort: an alert evaluated on half the data may resolve falsely). */
      alerting: strategy.optional(),
      /** Groups that only record (default abort: a recorded gap is kept for the whole SLO period). */
      recording: strategy.optional(),
    })
    .optional(),
});

const wholeNumber = z
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be 0 (no limit) or more' });

/**
 * The Mimir ruler's limits for the tenant the rules go to (0: no limit, as in Mimir). Groups with
 * more rules are split; more groups than the tenant allows is a warning, since only the Mimir
 * operator can raise the limit.
 */
const mimirSettings = z.strictObject({
  /** `ruler_max_rules_per_rule_group` (Mimir's default 20). */
  maxRulesPerGroup: wholeNumber.optional(),
  /** `ruler_max_rule_groups_per_tenant` (Mimir's default 70). */
  maxGroupsPerTenant: wholeNumber.optional(),
});

/** Outputs for scale-out rule engines, next to the plain Prometheus rule files. */
export const prometheusSettings = z.strictObject({
  /** Defaults for every service's rule groups; a service's own `ruleGroups` overrides them field by field. */
  ruleGroups: ruleGroupSettings.optional(),
  /** Writes generated/mimir/: one ruler namespace per service, for `mimirtool rules sync --rule-dirs`; an object sets the ruler's limits. */
  mimir: z.union([z.boolean(), mimirSettings], { error: 'must be true, false or { maxRulesPerGroup, maxGroupsPerTenant }' }).optional(),
  /** Writes generated/thanos/: the rule files with `partial_response_strategy` on every group, for Thanos Ruler. */
  thanos: z.boolean({ error: 'must be true or false' }).optional(),
  /**
   * Writes generated/vmalert/: the rule files for VictoriaMetrics' vmalert (1.79 or later), and
   * refuses what MetricsQL or vmalert cannot run: native histograms, PromQL functions MetricsQL
   * lacks, `keepFiringFor`.
   */
  vmalert: z.boolean({ error: 'must be true or false' }).optional(),
});
