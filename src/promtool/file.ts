// Shape of a promtool `test rules` file (Prometheus 2.42).

export interface InputSeries {
  series: string;
  values: string;
}

export interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations?: Record<string, string>;
}

export interface AlertRuleTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}

export interface PromqlExprTest {
  expr: string;
  eval_time: string;
  exp_samples: Array<{ labels: string; value: number | string }>;
}

export interface TestGroup {
  name: string;
  /** 2.42 does not default it: a group without `interval` fails. */
  interval: string;
  input_series: InputSeries[];
  alert_rule_test?: AlertRuleTest[];
  promql_expr_test?: PromqlExprTest[];
}

export interface TestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: TestGroup[];
}

/** Traffic in one stretch of a scenario: `minutes` samples, each adding these per-minute counts. */
export interface Phase {
  minutes: number;
  total: number;
  errors: number;
}

/**
 * promtool's expanding notation for a counter that starts at 0 and then grows by `step(phase)`
 * each minute of each phase ("0 5+5x59 300+0x119").
 */
export function counterValues(phases: readonly Phase[], step: (p: Phase) => number, fmt: (n: number) => string): string {
  const parts = ['0'];
  let value = 0;
  for (const p of phases) {
    const inc = step(p);
    parts.push(`${fmt(value + inc)}+${fmt(inc)}x${p.minutes - 1}`);
    value += inc * p.minutes;
  }
  return parts.join(' ');
}
