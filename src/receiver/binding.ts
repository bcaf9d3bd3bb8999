// Which alerts may start a remediation. The `remediation` label routes an alert here, but a label
// is only as trustworthy as every series and rule that could set it; the actions file therefore
// lists, per remediation, the generated alerts that declared it, and nothing else may start it.
import type { ResolvedRemediation, Trigger } from '../remediation/actions-file.js';

const KEYS = ['alertname', 'service', 'slo', 'threshold'] as const;

function matches(trigger: Trigger, labels: Readonly<Record<string, string>>): boolean {
  // An absent label and an empty one are the same to Prometheus and Alertmanager.
  return KEYS.every((k) => (trigger[k] ?? '') === (labels[k] ?? ''));
}

export function isBound(rem: Pick<ResolvedRemediation, 'triggers'>, labels: Readonly<Record<string, string>>): boolean {
  return rem.triggers.some((t) => matches(t, labels));
}

/** For the audit trail: which alert was refused, and which would have been allowed. */
export function describeBinding(rem: Pick<ResolvedRemediation, 'name' | 'triggers'>, labels: Readonly<Record<string, string>>): string {
  const got = KEYS.map((k) => `${k}=${JSON.stringify(labels[k] ?? '')}`).join(',');
  const allowed =
    rem.triggers.length === 0
      ? 'no alert declares it'
      : `only ${rem.triggers.map((t) => `${t.alertname} of ${t.service}/${t.slo ?? t.threshold ?? ''}`).join(', ')} may start it`;
  return `alert {${got}} is not bound to remediation "${rem.name}" (${allowed}); not run`;
}
