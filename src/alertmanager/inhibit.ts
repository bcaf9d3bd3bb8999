// Inhibition: keep symptom notifications quiet while their cause already notifies.
//
// Alertmanager treats a missing label as the empty string, so an `equal` label absent on both
// sides would match any pair and silence everything; every rule therefore requires each of its
// `equal` labels to be non-empty on both sides. Inhibition also mutes an alert for every
// receiver, so targets exclude alerts that name a remediation: those must reach the receiver.

export interface AmInhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  equal: string[];
}

/** Label that no-data / target-down alerts carry; see docs/alertmanager.md. */
export const NODATA_LABEL = 'nodata';

const present = (labels: readonly string[]) => labels.map((l) => `${l}=~".+"`);
const NOT_REMEDIATION = 'remediation=""';

function rule(source: string[], target: string[], equal: string[]): AmInhibitRule {
  return {
    source_matchers: [...source, ...present(equal)],
    target_matchers: [...target, ...present(equal), NOT_REMEDIATION],
    equal,
  };
}

export function inhibitRules(): AmInhibitRule[] {
  return [
    // Critical silences warning of the same SLO: the page-tier burn silences the ticket tier
    // (ErrorBudgetBurnFast over ErrorBudgetBurnSlow), and a critical no-data its warning twin.
    rule(['severity="critical"'], ['severity="warning"'], ['service', 'slo']),
    // The same for a threshold's two levels.
    rule(['severity="critical"'], ['severity="warning"'], ['service', 'threshold']),
    // A service without data (or down) makes its SLO and threshold alerts meaningless.
    rule([`${NODATA_LABEL}="true"`], [`${NODATA_LABEL}!="true"`, 'slo=~".+"'], ['service']),
    rule([`${NODATA_LABEL}="true"`], [`${NODATA_LABEL}!="true"`, 'threshold=~".+"'], ['service']),
  ];
}
