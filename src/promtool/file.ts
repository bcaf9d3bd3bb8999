// Shape of a promtool `test rules` file (Prometheus 2.42).
import type { Selector } from '../promql/parse.js';

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

/**
 * A group that may ride along in another group of the same interval (every group costs its steps x
 * every rule of the file): `reads` are the selectors its checks depend on, through the rules.
 */
export interface Rider {
  group: TestGroup;
  reads: Selector[];
}

export interface TestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: TestGroup[];
}
