// Splitting a rule group for engines that limit groups (Mimir's rules per group, the Operator's
// bytes per PrometheusRule) or set options per group that differ by rule kind (Thanos'
// partial_response_strategy). Rules of one group run in order, each seeing this evaluation's
// recordings; across groups a rule reads the previous evaluation's (DESIGN: "Evaluation order").
// So a cut goes where no later rule reads a recording before it whenever there is such a place,
// and a recording is never moved after a rule that reads it.
import { LABEL } from '../conventions.js';
import { parseSelector, type LabelMatcher, type Selector } from '../promql/parse.js';
import { exprSelectors } from '../promql/reads.js';
import { isAlert, type RecordingRule, type Rule, type RuleGroup } from './rules.js';

/** `sloforge-checkout-nodata`, then `sloforge-checkout-nodata.2`: a dot is in no service, SLO or threshold name. */
export const partName = (name: string, part: number) => (part === 1 ? name : `${name}.${part}`);

type Read = Selector | undefined;

/** The plain selectors an expression reads; undefined stands for one that is no plain selector. */
function selectorsOf(expr: string): Read[] {
  return exprSelectors(expr).map((text) => {
    const sel = parseSelector(text);
    return typeof sel === 'string' ? undefined : sel;
  });
}

/**
 * Every recording of sloforge sets exactly one of these, and no series can bring the other (a
 * grouping label of that name is carried as exported_<label>): a selector on one cannot match a
 * recording that sets the other.
 */
const SUBJECT_LABELS: readonly string[] = [LABEL.slo, LABEL.threshold];

function contradicts(m: LabelMatcher, labels: Record<string, string> | undefined): boolean {
  if (m.op !== '=') return false;
  const own = labels?.[m.name];
  if (own !== undefined) return own !== m.value;
  return SUBJECT_LABELS.includes(m.name) && SUBJECT_LABELS.some((l) => labels?.[l] !== undefined);
}

/** Whether a rule reading `selectors` reads the series `record` writes: same name, and no equality matcher its labels contradict. */
function readsRecord(selectors: readonly Read[], record: RecordingRule): boolean {
  return selectors.some(
    (sel) => sel === undefined || (sel.metric === record.record && !sel.matchers.some((m) => contradicts(m, record.labels))),
  );
}

/** For each rule, the index of the last later rule that reads it (its own index when none does). */
function lastReaders(rules: readonly Rule[]): number[] {
  const reads = rules.map((r) => selectorsOf(r.expr));
  return rules.map((rule, i) => {
    let last = i;
    if (isAlert(rule)) return last;
    for (let j = i + 1; j < rules.length; j++) if (rules[j]!.expr.includes(rule.record) && readsRecord(reads[j]!, rule)) last = j;
    return last;
  });
}

/**
 * Cuts `rules` into runs whose weights add up to at most `budget` (a rule heavier than that runs
 * alone), cutting where no later rule reads an earlier recording of the same run if the run
 * allows it, else as late as the budget allows.
 */
export function cutRules(rules: readonly Rule[], weight: (rule: Rule) => number, budget: number): Rule[][] {
  const weights = rules.map(weight);
  if (weights.reduce((a, b) => a + b, 0) <= budget) return [[...rules]];
  const last = lastReaders(rules);
  const out: Rule[][] = [];
  let start = 0;
  while (start < rules.length) {
    let end = start + 1;
    let sum = weights[start]!;
    while (end < rules.length && sum + weights[end]! <= budget) sum += weights[end++]!;
    if (end < rules.length) {
      // The latest clean cut in [start + 1, end]: every recording before it is read only before it.
      let reach = -1;
      let clean = -1;
      for (let k = start; k < end; k++) {
        reach = Math.max(reach, last[k]!);
        if (reach <= k) clean = k + 1;
      }
      if (clean > start) end = clean;
    }
    out.push(rules.slice(start, end));
    start = end;
  }
  return out;
}

/** A group cut into parts named by partName, each with the group's own fields. */
export function splitGroup(g: RuleGroup, weight: (rule: Rule) => number, budget: number): RuleGroup[] {
  const { rules, ...head } = g;
  return cutRules(rules, weight, budget).map((run, i) => ({ ...head, name: partName(g.name, i + 1), rules: run }));
}

/** At most `max` rules per group; 0 means no limit. */
export function splitByCount(groups: readonly RuleGroup[], max: number): RuleGroup[] {
  if (max <= 0) return [...groups];
  return groups.flatMap((g) => splitGroup(g, () => 1, max));
}

export const ALERTS_SUFFIX = 'alerts';

/**
 * Recordings and alerts in groups of their own, for an engine whose group settings differ by
 * kind: the recordings keep the group's name, the alerts get `<name>.alerts`. The alerts then
 * read recordings of the previous evaluation, one interval late.
 */
export function splitByKind(g: RuleGroup): RuleGroup[] {
  const alerts = g.rules.filter(isAlert);
  const recordings = g.rules.filter((r) => !isAlert(r));
  if (alerts.length === 0 || recordings.length === 0) return [g];
  const { rules: _, ...head } = g;
  return [
    { ...head, rules: recordings },
    { ...head, name: `${g.name}.${ALERTS_SUFFIX}`, rules: alerts },
  ];
}
