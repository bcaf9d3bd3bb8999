// Shapes of Prometheus rule files, in the key order Prometheus documents them.

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export function isAlert(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/** Label sets in a stable order, so output does not depend on object insertion order. */
export function sortLabels(labels: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) {
    const v = labels[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function matcherText(labels: Record<string, string>): string {
  return `{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}
