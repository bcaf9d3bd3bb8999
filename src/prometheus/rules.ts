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
  /** Most alerts (or series of a recording rule) a rule may produce before it fails; 0 is no limit. */
  limit?: number;
  rules: Rule[];
}

export function isAlert(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/** Group fields in the order the engines document them: name, interval, limit, then an engine's own, then rules. */
export function withGroupFields<T extends object>(g: RuleGroup, own: T): RuleGroup & T {
  const { rules, ...head } = g;
  return { ...head, ...own, rules };
}
