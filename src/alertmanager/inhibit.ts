// Inhibition: keep symptom notifications quiet while their cause already notifies, and never
// more. An inhibition mutes an alert for every receiver, so each rule is held to three limits:
//
// - An alert only inhibits alerts about the same thing: the same `service` and the same `slo`
//   (or `threshold`). A missing metric of a side job must not silence the API's page.
// - A warning never inhibits a critical: a ticket cannot mute a page.
// - Alerts naming a remediation are never targets: they must reach sloforge's receiver.
//
// Alertmanager treats a missing label as the empty string, so an `equal` label absent on both
// sides would match any pair and silence everything; every rule therefore requires each of its
// `equal` labels to be non-empty on both sides.

import type { Model } from '../model/types.js';

export interface AmInhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  equal: string[];
}

/** Label that no-data alerts carry; see docs/alertmanager.md. */
export const NODATA_LABEL = 'nodata';

/** What an alert is about: an SLO or a threshold, each within its service. */
export const SUBJECTS = ['slo', 'threshold'] as const;

const present = (labels: readonly string[]) => labels.map((l) => `${l}=~".+"`);
const NOT_REMEDIATION = 'remediation=""';

/** `equal` labels that must be set on both sides, then `groups`, which may be absent on both. */
function rule(source: string[], target: string[], equal: string[], groups: readonly string[] = []): AmInhibitRule {
  return {
    source_matchers: [...source, ...present(equal)],
    target_matchers: [...target, ...present(equal), NOT_REMEDIATION],
    equal: [...equal, ...groups],
  };
}

/**
 * `scope`: a matcher both sides must also meet. Merged into an Alertmanager that other alerts
 * reach too, the rules then mute only sloforge's own alerts (see fragment.ts).
 *
 * `groupLabels`: every label some SLO groups by (`groupLabelsOf`). A grouped SLO alerts per
 * group, and one group's page must not mute another group's ticket, so SLO rules also require
 * these labels equal. An SLO that does not group by one has it on neither alert (the burn-rate
 * series are sums that keep only their group labels), so for it they are equal by absence.
 */
export function inhibitRules(scope?: string, groupLabels: readonly string[] = []): AmInhibitRule[] {
  const rules = unscopedRules(groupLabels);
  if (scope === undefined) return rules;
  return rules.map((r) => ({ ...r, source_matchers: [scope, ...r.source_matchers], target_matchers: [scope, ...r.target_matchers] }));
}

/** Every label an SLO of the model groups by, each once, sorted. */
export function groupLabelsOf(model: Model): string[] {
  return [...new Set(model.services.flatMap((svc) => svc.slos.flatMap((slo) => slo.groupBy)))].sort();
}

function unscopedRules(groupLabels: readonly string[]): AmInhibitRule[] {
  return SUBJECTS.flatMap((subject) => {
    const groups = subject === 'slo' ? groupLabels : [];
    return [
      // A critical silences the warnings of the same SLO or threshold: the page-tier burn its
      // ticket tier, a threshold's critical level its warning. Never a no-data warning: it may
      // be the reason for the page (a latency threshold that is no bucket bound) and says so.
      rule(['severity="critical"'], ['severity="warning"', `${NODATA_LABEL}!="true"`], ['service', subject], groups),
      // Lost data makes the other alerts of that very SLO or threshold meaningless, at its own
      // severity or below (the rule above covers below).
      rule([`${NODATA_LABEL}="true"`], [`${NODATA_LABEL}!="true"`], ['service', subject, 'severity'], groups),
    ];
  });
}
