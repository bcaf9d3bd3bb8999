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
