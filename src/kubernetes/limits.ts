// Sizes the cluster enforces that no schema shows, measured the way the enforcing code counts.
import { Document } from 'yaml';

/**
 * The Operator renders each PrometheusRule's spec as one rule file and refuses the object when
 * that file is over half a Secret's 1 MiB (`maxConfigMapDataSize` in its pkg/prometheus/rules.go).
 */
export const OPERATOR_RULE_FILE_MAX = 524_288;

/**
 * What sloforge fills a PrometheusRule to: 10% below the Operator's limit, for the differences
 * between this measure and the Operator's own YAML, and for the `namespace` matchers an
 * `enforcedNamespaceLabel` adds to every selector.
 */
export const RULE_FILE_BUDGET = Math.floor(OPERATOR_RULE_FILE_MAX * 0.9);

/** The API server refuses a ConfigMap whose data values add up to more bytes (core.MaxSecretSize). */
export const CONFIGMAP_DATA_MAX = 1_048_576;

/**
 * Bytes of the rule file the Operator writes for a PrometheusRule spec: its JSON turned into YAML
 * by go-yaml v2 (ghodss/yaml), which sorts keys, indents sequences no deeper than their key and
 * folds long lines at 80 columns.
 */
export function operatorRuleFileBytes(spec: unknown): number {
  const doc = new Document(JSON.parse(JSON.stringify(spec)) as unknown, { sortMapEntries: true });
  return Buffer.byteLength(doc.toString({ indentSeq: false, lineWidth: 80, minContentWidth: 20, blockQuote: 'literal' }));
}

/** Bytes of a ConfigMap's data as the API server counts them: the values, not the keys. */
export function configMapDataBytes(data: Record<string, string>): number {
  return Object.values(data).reduce((n, v) => n + Buffer.byteLength(v), 0);
}
